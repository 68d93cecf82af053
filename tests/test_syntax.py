"""The pinned parser: its weights are checked at load time, and it parses only where a relation
can come out."""

import shutil

import pytest

from equipoise.errors import ParserMismatch, ParserMissing
from equipoise.syntax import model_path, parser_spec, verify_model


def test_the_installed_parser_is_the_pinned_one():
    spec = parser_spec()
    verify_model(model_path(spec), spec)  # raises if not


def test_a_tampered_copy_of_the_parser_is_refused(tmp_path):
    spec = parser_spec()
    copy = tmp_path / "model"
    shutil.copytree(model_path(spec), copy)
    with open(copy / "parser" / "model", "ab") as weights:
        weights.write(b"\0")
    with pytest.raises(ParserMismatch, match="parser/model has sha256"):
        verify_model(copy, spec)
    (copy / "tagger" / "model").unlink()
    with pytest.raises(ParserMismatch, match="missing"):
        verify_model(copy, spec)


def test_a_parser_that_is_not_installed_is_named():
    spec = {**parser_spec(), "package": "no_such_parser_package"}
    with pytest.raises(ParserMissing, match="E004"):
        model_path(spec)


def test_only_sentences_that_can_yield_a_relation_are_parsed(run):
    doc = run("The weather was mild. Turkey attacked Syria. The rain fell on Syria.")
    assert sorted(doc.parses) == [1]
    tokens = doc.parses[1]
    assert [t.text for t in tokens] == ["Turkey", "attacked", "Syria", "."]
    assert tokens[0].dep == "nsubj" and tokens[tokens[0].head].lemma == "attack"
