import pytest

from equipoise.clean import clean_text, split_sentences


def sentences(text: str) -> list[str]:
    cleaned = clean_text(text)
    return [cleaned[s:e] for s, e in split_sentences(cleaned)]


@pytest.mark.parametrize("text,expected", [
    ("It gained leverage.The nations policy changed.", ["It gained leverage.", "The nations policy changed."]),
    ("Growth was 3.5 percent in 2023. Exports rose.", ["Growth was 3.5 percent in 2023.", "Exports rose."]),
    ("The U.S. President met F.W. de Klerk in Pretoria.", ["The U.S. President met F.W. de Klerk in Pretoria."]),
    ("Troops left the U.S. The talks ended.", ["Troops left the U.S.", "The talks ended."]),
    ("Gen. Smith arrived. Dr. Jones left.", ["Gen. Smith arrived.", "Dr. Jones left."]),
    ("Independence came in 1991.National leaders changed course.", ["Independence came in 1991.", "National leaders changed course."]),
    ("\"We agree,\" he said. They signed.", ["\"We agree,\" he said.", "They signed."]),
])
def test_clean_splits_sentences(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Trade and friction with WestAzerbaijan is working hard.", ["Trade and friction with West", "Azerbaijan is working hard."]),
    ("Ties with RussiaRussia is a key partner.", ["Ties with Russia", "Russia is a key partner."]),
    ("Shares of ExxonMobil and BlackRock rose.", ["Shares of ExxonMobil and BlackRock rose."]),
])
def test_clean_splits_glued_headings(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text,expected", [
    # a subheading flattened into the text before a sentence whose subject is people
    ("Chile backs copper deal Chilean officials have said the deal is good.",
     ["Chile backs copper deal", "Chilean officials have said the deal is good."]),
    ("Energy worries Lawmakers in Norway have asked for more gas.",
     ["Energy worries", "Lawmakers in Norway have asked for more gas."]),
    # running text: people after a verb, a function word or a reporting verb
    ("Peru welcomed Chilean investors who have come.", ["Peru welcomed Chilean investors who have come."]),
    ("Exports rose as Russian companies have left.", ["Exports rose as Russian companies have left."]),
    ("Smith said Chilean officials have left.", ["Smith said Chilean officials have left."]),
    ("On Monday Chilean officials have met.", ["On Monday Chilean officials have met."]),
])
def test_clean_splits_flattened_subheadings_before_people(text, expected):
    assert sentences(text) == expected


def test_clean_fixes_mojibake_and_spaces():
    assert clean_text("Azerbaijanâ€™s  gas\u00a0exports") == "Azerbaijan's gas exports"


def test_clean_spans_lie_inside_text():
    text = clean_text("  One sentence here.  Another one!\n\nA third?  ")
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["One sentence here.", "Another one!", "A third?"]


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_clean_empty_text_has_no_sentences(text):
    assert split_sentences(clean_text(text)) == []
