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


@pytest.mark.parametrize("text,expected", [
    # standing ties of friction, as analysis prose writes them
    ("Kazakhstan and Russia are partners, but relations remain tense.",
     {(("KAZ", "RUS"), "diplomacy", "+"), (("KAZ", "RUS"), "diplomacy", "-")}),
    ("Serbia values its ties with the EU, but there have been some bumps over democracy.",
     {(("EU", "SRB"), "diplomacy", "+"), (("EU", "SRB"), "diplomacy", "-")}),
    ("Vietnam is careful about China's growing influence.", {(("CHN", "VNM"), "diplomacy", "-")}),
    ("India takes care not to get too close to Washington.", {(("IND", "USA"), "diplomacy", "-")}),
    # several dimensions and several pairs in one sentence
    ("Qatar is a close ally of Turkey, with strong ties in politics, military and energy.",
     {(("QAT", "TUR"), "diplomacy", "+"), (("QAT", "TUR"), "security", "+"), (("QAT", "TUR"), "energy", "+")}),
    ("Uzbekistan buys weapons from Russia and Belarus.",
     {(("RUS", "UZB"), "security", "+"), (("BLR", "UZB"), "security", "+")}),
    # capitals and leaders stand for their states
    ("Ankara and Baku signed a gas agreement.", {(("AZE", "TUR"), "energy", "+")}),
    ("Vladimir Putin praised Kassym-Jomart Tokayev.", {(("KAZ", "RUS"), "diplomacy", "+")}),
])
def test_relations_rule_families(run, text, expected):
    assert relation_keys(run(text)) == expected


@pytest.mark.parametrize("text", [
    "Kazakhstan is a large country with a long history.",
    "The minister spoke about the weather in Tashkent.",
    "Analysts expect the economy to grow next year.",
])
def test_relations_nothing_in_neutral_prose(run, text):
    assert relation_keys(run(text)) == set()


def test_relations_leaders_are_resolved_by_year(run):
    doc = run("Mark Rutte met Olaf Scholz in Berlin.", date="2022-05-01")
    assert {m.actor for m in doc.mentions if m.how == "leader"} == {"NLD", "DEU"}
    doc = run("Mark Rutte met Olaf Scholz in Berlin.", date="2025-05-01")
    assert "NATO" in {m.actor for m in doc.mentions if m.how == "leader"}
