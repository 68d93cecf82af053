import pytest

from equipoise.actors import load_gazetteer


def found(text: str, year: int | None = None) -> list[tuple[str, str, str]]:
    return [(text[s:e], entry.actor, entry.how) for s, e, entry in load_gazetteer().match(text, year)]


@pytest.mark.parametrize("text,expected", [
    ("Azerbaijan and Türkiye signed a deal.", [("Azerbaijan", "AZE", "name"), ("Türkiye", "TUR", "name")]),
    ("Turkey and the United States disagreed.", [("Turkey", "TUR", "name"), ("United States", "USA", "name")]),
    ("The U.S. and the UK met.", [("U.S.", "USA", "name"), ("UK", "GBR", "name")]),
    ("Israeli drones and Russian gas.", [("Israeli", "ISR", "adjective"), ("Russian", "RUS", "adjective")]),
    ("Baku and Yerevan traded blame while Moscow and Kyiv fought.",
     [("Baku", "AZE", "capital"), ("Yerevan", "ARM", "capital"), ("Moscow", "RUS", "capital"), ("Kyiv", "UKR", "capital")]),
    ("Azerbaijans policy and Russias influence.", [("Azerbaijans", "AZE", "name"), ("Russias", "RUS", "name")]),
    ("NATO, the CSTO and the Eurasian Economic Union.",
     [("NATO", "NATO", "organisation"), ("CSTO", "CSTO", "organisation"), ("Eurasian Economic Union", "EAEU", "organisation")]),
    ("Relations with the West soured.", [("the West", "WEST", "organisation")]),
    ("The Soviet Union collapsed.", [("Soviet Union", "SUN", "name")]),
])
def test_gazetteer_finds_actors(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text,actor", [
    ("President Ilham Aliyev spoke.", "AZE"),
    ("Recep Tayyip Erdogan arrived.", "TUR"),
    ("Vladimir Putin called.", "RUS"),
    ("Ursula von der Leyen said so.", "EU"),
])
def test_gazetteer_maps_leaders_to_their_state(text, actor):
    assert [(a, how) for _, a, how in found(text, 2023)] == [(actor, "leader")]


def test_gazetteer_needs_whole_words():
    assert found("Irani ambitions, Germanyx and USAID") == []


def test_gazetteer_skips_names_inside_projects():
    assert [a for _, a, _ in found("the Baku-Tbilisi-Ceyhan pipeline opened")] == []


@pytest.mark.parametrize("text,pronoun,actors", [
    ("Azerbaijan isn't part of NATO. It keeps a good relationship with NATO.", "It", ["AZE"]),
    ("Azerbaijan is careful. Recently, its ties with Iran grew.", "its", ["AZE"]),
    ("Russia is a key partner for Azerbaijan. Trade between the two reached $4 billion.", "the two", ["AZE", "RUS"]),
    ("Turkey is an ally of Azerbaijan. Their teamwork is clear.", "Their", ["AZE", "TUR"]),
    ("Armenia lost the war. The country then turned to France.", "The country", ["ARM"]),
])
def test_coreference_resolves_pronouns(run, text, pronoun, actors):
    doc = run(text)
    resolved = sorted(m.actor for m in doc.mentions if m.how == "pronoun" and m.text == pronoun)
    assert resolved == actors


def test_coreference_leaves_expletive_it(run):
    doc = run("Kazakhstan met China. It is important to note the weather.")
    assert [m for m in doc.mentions if m.how == "pronoun"] == []
