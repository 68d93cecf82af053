"""Error and rejection messages, kept in one place so that they stay stable."""

from __future__ import annotations


class Reasons:
    """Why an input was rejected; stored in the run record and shown in the summary."""

    EMPTY = "empty file"
    BINARY = "binary data, not text"
    UNREADABLE = "cannot read file"
    NOT_A_FILE = "not a regular file"
    UNREADABLE_FOLDER = "cannot read folder"
    SYMLINK_LOOP = "symlink loop, folder already read"
    BAD_JSON = "invalid JSON line"
    BINARY_LINE = "binary data in JSON line"
    NO_TEXT_FIELD = "JSON line has no non-empty 'text' field"
    NO_ARTICLE = "HTML page has no article text"
    NO_SENTENCES = "no sentences after cleaning"
    # event-data rows (eventdata.py)
    COLUMNS = "wrong column count ({found}, expected {expected})"
    DATE = "bad date {value!r}"
    CODE = "unknown CAMEO code {value!r}"
    NOT_UTF8 = "binary data, not UTF-8 text"
    FORMAT = "unknown event-data format (not GDELT 1.0, GDELT 2.0 or ICEWS)"


class EquipoiseError(Exception):
    """A fatal error the CLI reports in one line (exit status 1)."""


class UnknownActor(EquipoiseError):
    def __init__(self, actor: str):
        super().__init__(f"E001 unknown actor id {actor!r}: use an ISO 3166-1 alpha-3 code "
                         "(AZE, RUS, TUR) or an organisation id (EU, NATO)")


class NoInput(EquipoiseError):
    def __init__(self, path: str):
        super().__init__(f"E002 no such file or folder: {path}")


class EmptyStore(EquipoiseError):
    def __init__(self, path: str):
        super().__init__(f"E003 the store {path} holds no relations yet: run `equipoise analyze` first")


class ParserMissing(EquipoiseError):
    def __init__(self, distribution: str, version: str):
        super().__init__(f"E004 the dependency parser {distribution}=={version} is not installed: run `make bootstrap` "
                         "(it installs models.txt), or pass --fast for the rules-only pipeline")


class ParserMismatch(EquipoiseError):
    def __init__(self, path: str, detail: str):
        super().__init__(f"E005 the installed parser at {path} is not the pinned model ({detail}): reinstall it "
                         "from models.txt, or pass --fast for the rules-only pipeline")
