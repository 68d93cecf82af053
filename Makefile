# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bootstrap lock clean

bootstrap: $(STAMP)

$(STAMP): pyproject.toml constraints.txt models.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r models.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/equipoise analyze --country AZE

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Re-pin constraints.txt from what the current environment resolved to.
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable --exclude equipoise > constraints.txt  # models.txt keeps its hash by hand

clean:
	rm -rf $(VENV) equipoise.duckdb equipoise-report
