import pytest

from conftest import relation_keys


@pytest.mark.parametrize("text,expected", [
    # standing ties
    ("Georgia is a key partner for Armenia.", {(("ARM", "GEO"), "diplomacy", "+")}),
    ("Kazakhstan is a close ally of Russia in security and energy.",
     {(("KAZ", "RUS"), "security", "+"), (("KAZ", "RUS"), "energy", "+")}),
    ("Relations between Serbia and Kosovo remain tense.", {(("SRB", "XKX"), "diplomacy", "-")}),
    # events
    ("India provided humanitarian aid to Sri Lanka.", {(("IND", "LKA"), "humanitarian", "+")}),
    ("Vietnam and Japan agreed to expand trade.", {(("JPN", "VNM"), "economy", "+")}),
    ("Iran condemned the Israeli strikes.", {(("IRN", "ISR"), "diplomacy", "-"), (("IRN", "ISR"), "security", "-")}),
    # pronouns across sentences
    ("Uzbekistan buys wheat from Kazakhstan. It also imports gas from Russia.",
     {(("KAZ", "UZB"), "economy", "+"), (("RUS", "UZB"), "energy", "+")}),
    # named conflicts are world knowledge
    ("The Nagorno-Karabakh War changed the region.", {(("ARM", "AZE"), "security", "-")}),
])
def test_relations_on_hand_written_sentences(run, text, expected):
    assert relation_keys(run(text)) == expected


@pytest.mark.parametrize("text", [
    "The weather in Baku was mild.",
    "Kazakhstan held elections on Sunday.",
    "Turkey hasn't condemned Russia.",  # negated: no accusation
])
def test_relations_nothing_to_extract(run, text):
    assert relation_keys(run(text)) == set()


def test_relations_negation_is_kept_as_modality(run):
    doc = run("Turkey hasn't condemned Russia.")
    assert [(r.source, r.target, r.type, r.modality) for r in doc.relations] == [("TUR", "RUS", "ACCUSE", "negated")]


@pytest.mark.parametrize("text,modality", [
    ("Azerbaijan and the EU agreed to double gas exports by 2027.", "planned"),
    ("There may be a step towards normalization between Armenia and Azerbaijan.", "hypothetical"),
    ("Officials said Egypt will host talks with Sudan.", "planned"),
    ("According to officials, Egypt hosted talks with Sudan.", "reported"),
])
def test_relations_modality(run, text, modality):
    assert {r.modality for r in run(text).relations} == {modality}


def test_relations_clauses_are_scored_apart(run):
    keys = relation_keys(run("Russia is a key partner for Armenia, but the relationship is strained."))
    assert keys == {(("ARM", "RUS"), "diplomacy", "+"), (("ARM", "RUS"), "diplomacy", "-")}


def test_relations_carry_evidence_and_rule(run):
    doc = run("Saudi Arabia and Qatar signed a gas deal. Oman stayed out.")
    relation = doc.relations[0]
    assert relation.evidence == "Saudi Arabia and Qatar signed a gas deal."
    assert relation.rule.startswith("cue:")
    assert doc.text[relation.start:relation.end].lower() in relation.rule
