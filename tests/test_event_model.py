"""The learned event model: training is deterministic, the model vetoes and types the lexicon's
proposals, and its cross-validation never scores a sentence with a model trained on it."""

import json

import pytest
from typer.testing import CliRunner

from equipoise.api import code_sentences
from equipoise.cli import app
from equipoise.events import EventModel, cross_validate, folds, load_model, shipped_model, train

# Hand-written sentence gold: a few of each quad, typed as PLOVER would.
ROWS = [
    ("Chile and Peru signed a fisheries accord.", "AGREE", 1),
    ("Ghana and Togo agreed to reopen their border.", "AGREE", 1),
    ("Kenya's foreign minister met his Ugandan counterpart in Kampala.", "CONSULT", 1),
    ("Egypt hosted talks with Sudan on the dam.", "CONSULT", 1),
    ("Japan sent food and medicine to Nepal after the earthquake.", "AID", 2),
    ("Norway donated tents to refugees in Jordan.", "AID", 2),
    ("Spain withdrew its troops from Iraq.", "RETREAT", 2),
    ("Mali released ten Algerian prisoners.", "RETREAT", 2),
    ("Chile accused Peru of spying on its navy.", "ACCUSE", 3),
    ("Bolivia condemned the Chilean decision.", "ACCUSE", 3),
    ("Greece threatened to veto Turkey's bid.", "THREATEN", 3),
    ("Iran warned Israel against any strike.", "THREATEN", 3),
    ("Ethiopian troops attacked Eritrean border posts.", "ASSAULT", 4),
    ("Rebels shelled the town, killing six civilians.", "ASSAULT", 4),
    ("Police in Nigeria arrested forty protesters.", "COERCE", 4),
    ("Sudan expelled two Kenyan diplomats.", "COERCE", 4),
    ("The weather in Lima was mild on Tuesday.", None, 0),
    ("Prices of rice rose in Dhaka markets.", None, 0),
    ("The museum in Oslo opened a new wing.", None, 0),
    ("Argentina's football team won the match in Quito.", None, 0),
]


def gold_rows():
    return [{"id": f"h{i}", "text": text, "quad": quad,
             "events": [{"source": [], "target": [], "type": kind, "quad": quad}] if quad else []}
            for i, (text, kind, quad) in enumerate(ROWS)]


@pytest.fixture(scope="module")
def gold_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("gold") / "hand.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in gold_rows()), encoding="utf-8")
    return path


def test_training_is_bit_for_bit(gold_file, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    train([gold_file], first)
    train([gold_file], second)
    assert first.read_bytes() == second.read_bytes()
    model = load_model(first)
    assert model.meta["trained_on"]["sentences"] == len(ROWS)
    assert set(model.quad_model.classes) == {0, 1, 2, 3, 4}


def test_model_file_of_another_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not an event model"):
        EventModel.from_json({"format": "something-else/1"})


def test_folds_put_every_row_in_exactly_one_fold():
    where = folds(list(range(23)), 5)
    assert sorted(set(where)) == [0, 1, 2, 3, 4]
    assert len(where) == 23 and max(where.count(f) for f in range(5)) - min(where.count(f) for f in range(5)) <= 1


def test_cross_validation_scores_each_sentence_once(gold_file):
    (result,) = cross_validate([gold_file], k=4).values()
    assert result["folds"] == 4 and result["sentences"] == len(ROWS)
    counts = result["per_type"]
    scored_gold = sum(c["tp"] + c["fn"] for c in counts.values())
    assert scored_gold == sum(1 for _, kind, _ in ROWS if kind)  # each gold event scored once
    assert 0.0 <= result["quad_accuracy"] <= 1.0


@pytest.mark.parametrize("text,expected", [
    # the lexicon proposes, the model keeps the type
    ("Turkish troops shelled Kurdish positions in northern Syria.", "ASSAULT"),
    ("Kazakhstan and China signed an agreement to build a gas pipeline.", "SUPPORT"),
    # a negated conflict is no event, and the model does not propose one in its place
    ("Norway did not sanction Chile.", None),
    # no cue, no confident model: nothing
    ("The price of cotton rose in Tashkent markets last year.", None),
])
def test_shipped_model_types_and_vetoes(text, expected):
    assert shipped_model() is not None
    (coded,) = code_sentences([{"id": "s", "text": text}])
    assert [e["type"] for e in coded["events"]][:1] == ([expected] if expected else [])


def test_the_model_gives_the_quad_the_rules_give_the_type():
    # quad-coded news codes concessions as material cooperation (as CAMEO does), PLOVER's table as verbal
    (coded,) = code_sentences([{"id": "s", "text": "Ghana lifted the ban on opposition parties."}])
    assert [(e["type"], e["quad"]) for e in coded["events"]] == [("CONCEDE", 2)]


def test_fast_coding_uses_the_rules_alone():
    text = "Ghana lifted the ban on opposition parties."
    (fast,) = code_sentences([{"id": "s", "text": text}], fast=True)
    assert [e["type"] for e in fast["events"]] == ["CONCEDE"]


def test_cli_train_and_cross_validated_eval(gold_file, tmp_path):
    runner = CliRunner()
    out = tmp_path / "model.json"
    result = runner.invoke(app, ["train", str(gold_file), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and "20 sentences" in result.output
    result = runner.invoke(app, ["eval", "--cv", "4", "--sentences", str(gold_file)])
    assert result.exit_code == 0, result.output
    assert "4-fold cross-validated" in result.output
    result = runner.invoke(app, ["eval", "--cv", "4"])
    assert result.exit_code != 0 and "--sentences" in result.output
    result = runner.invoke(app, ["eval", "--cv", "1", "--sentences", str(gold_file)])
    assert result.exit_code == 1 and "at least 2 folds" in result.output
    result = runner.invoke(app, ["train", str(tmp_path / "missing.jsonl")])
    assert result.exit_code != 0 and "no such gold file" in result.output
