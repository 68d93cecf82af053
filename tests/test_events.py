import json

import pytest
from typer.testing import CliRunner

from equipoise.api import code_sentences
from equipoise.cli import app
from equipoise.evaluate import score_sentences
from equipoise.events import code_sentence, process_rows


@pytest.mark.parametrize("text,expected", [
    ("Egypt hosted talks with Sudan on Monday.", [("CONSULT", 1, ["EGY"], ["SDN"])]),
    ("Chile accused Peru of spying.", [("ACCUSE", 3, ["CHL"], ["PER"])]),
    ("Ethiopian troops attacked Eritrean positions.", [("ASSAULT", 4, ["ETH"], ["ERI"])]),
    ("Japan sent humanitarian aid to Nepal.", [("AID", 2, ["JPN"], ["NPL"])]),
    ("Ghana lifted the curfew.", [("RETREAT", 2, ["GHA"], ["GHA"])]),
    ("Ghana lifted the ban on opposition parties.", [("CONCEDE", 1, ["GHA"], ["GHA"])]),
    ("Brazil and Chile signed a trade treaty.", [("SUPPORT", 1, ["BRA"], ["CHL"])]),
    # intentions, as the CAMEO-to-PLOVER table codes them
    ("Spain will send aid to Morocco.", [("AGREE", 1, ["ESP"], ["MAR"])]),
    ("Poland is ready to provide troops to Lithuania.", [("AGREE", 1, ["POL"], ["LTU"])]),
    ("Greece will impose sanctions on Turkey.", [("THREATEN", 3, ["GRC"], ["TUR"])]),
    # a plan in a later phrase does not make the main event planned; one just after the cue does
    ("Germany welcomed the American statement as proof of a wish for a settlement to be reached in the talks.",
     [("SUPPORT", 1, ["DEU"], ["USA"])]),
    ("Chile and Peru agreed to a ceasefire, to be signed on Monday.", [("AGREE", 1, ["CHL"], ["PER"])]),
    # an intent word makes the event it introduces planned; alone it is an agreement
    ("Greece is prepared to impose sanctions on Turkey.", [("THREATEN", 3, ["GRC"], ["TUR"])]),
    ("Turkey is ready to talk with Armenia.", [("AGREE", 1, ["TUR"], ["ARM"])]),
    ("Japan would not release the Chinese fishermen.", [("REJECT", 3, ["JPN"], ["CHN"])]),
    ("Argentina refused to meet British envoys.", [("REJECT", 3, ["ARG"], ["GBR"])]),
    ("Canada demanded that India release the prisoners.", [("REQUEST", 3, ["CAN"], ["IND"])]),
    ("Spain said Morocco must return the migrants.", [("REQUEST", 3, ["ESP"], ["MAR"])]),
    # CAMEO's categories of coercion, assault, sanction and mobilisation, in their common verbs
    ("Kenya outlawed the Somali militia.", [("COERCE", 4, ["KEN"], ["SOM"])]),
    ("Ecuador confiscated Colombian fishing boats.", [("COERCE", 4, ["ECU"], ["COL"])]),
    ("Sweden cut aid to Zambia.", [("SANCTION", 4, ["SWE"], ["ZMB"])]),
    ("Poland reinforced its troops on the Belarusian border.", [("MOBILIZE", 4, ["POL"], ["BLR"])]),
    # an event cue whose actors the roles leave as places: the sentence's actors, as event coders code them
    ("Hundreds of people blocked streets in Caracas in defiance of Cuban authorities.",
     [("PROTEST", 4, ["VEN"], ["CUB"])]),
    # "called for" is an appeal; "what it called" names, it does not phone
    ("Chile called for sanctions against Peru.", [("REQUEST", 3, ["CHL"], ["PER"])]),
    ("Kenya outlawed the group because of what it called its role in the killings.", [("COERCE", 4, ["KEN"], ["KEN"])]),
    # a cue word in another sense, and rarely as a negator
    ("Peru is charging Chile more for gas.", []),
    ("Uganda charged Kenya with spying.", [("ACCUSE", 3, ["UGA"], ["KEN"])]),
    ("India has seldom criticized China.", []),
    ("Norway did not sanction Chile.", []),
    ("The sun rose over the hills.", []),
])
def test_rules_code_sentence_events(text, expected):
    """The lexicon's proposals on the parsed pipeline, before the event model weighs in."""
    ((row, doc),) = process_rows([{"id": "s1", "text": text}])
    events = [e for i in range(len(doc.sentences)) for e in code_sentence(doc, i, model=None)]
    assert [(e["type"], e["quad"], e["source"], e["target"]) for e in events] == expected


def test_score_sentences_counts_matches_by_type_and_actor_overlap():
    gold = [
        {"id": "a", "text": "t", "events": [{"source": ["EGY"], "target": ["SDN"], "type": "CONSULT", "quad": 1}]},
        {"id": "b", "text": "t", "events": [{"source": ["IGO"], "target": ["IRQ"], "type": "REQUEST", "quad": 3}]},
        {"id": "c", "text": "t", "quad": 0, "events": []},
        {"id": "d", "text": "t", "quad": 4, "events": [{"source": [], "target": [], "type": None, "quad": 4}]},
    ]
    predictions = {
        "a": [{"source": ["SDN"], "target": ["EGY"], "type": "CONSULT", "quad": 1, "score": 2}],  # hit
        "b": [{"source": ["UN"], "target": ["IRQ"], "type": "ACCUSE", "quad": 3, "score": -5}],  # wrong type
        "c": [],
        "d": [{"source": ["ISR"], "target": ["LBN"], "type": "ASSAULT", "quad": 4, "score": -8}],  # quad hit
    }
    result = score_sentences(gold, predictions)
    assert (result["tp"], result["fp"], result["fn"]) == (2, 1, 1)
    assert result["quad_accuracy"] == 1.0
    assert result["per_type"]["REQUEST"]["fn"] == 1


def test_cli_code_sentences_and_eval(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": 1, "text": "Chile accused Peru of spying.", "events": '
                    '[{"source": ["CHL"], "target": ["PER"], "type": "ACCUSE", "quad": 3}]}\nnot json\n')
    result = CliRunner().invoke(app, ["code-sentences", str(path)])
    assert result.exit_code == 2
    assert json.loads(result.stdout.splitlines()[0])["events"][0]["type"] == "ACCUSE"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    result = CliRunner().invoke(app, ["eval", "--sentences", str(path)])
    assert result.exit_code == 0 and "F1 1.000" in result.output


def test_code_sentences_event_without_known_actors():
    (coded,) = code_sentences([{"id": "x", "text": "A car bomb killed four people near the market."}])
    assert [(e["type"], e["source"], e["target"]) for e in coded["events"]] == [("ASSAULT", [], [])]
