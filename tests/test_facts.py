import pytest


def facts(doc):
    return [(tuple(sorted(f.pair)), f.measure, f.value, f.unit, f.bound, f.year) for f in doc.facts]


@pytest.mark.parametrize("text,expected", [
    ("In 2022, trade between Georgia and Armenia reached more than $1.2 billion.",
     [(("ARM", "GEO"), "trade", 1.2e9, "USD", "over", 2022)]),
    ("Kazakh oil made up nearly 8% of Chinese imports in 2021.",
     [(("CHN", "KAZ"), "import share", 8.0, "%", "about", 2021)]),
    ("Serbia and Hungary plan to triple electricity exports by 2030.",
     [(("HUN", "SRB"), "export growth", 3.0, "times", "target", 2030)]),
    ("France sent 1,500 troops to Mali in 2013.", [(("FRA", "MLI"), "troops", 1500.0, "troops", "exact", 2013)]),
    ("China became Vietnam's largest trading partner.", [(("CHN", "VNM"), "trade partner rank", 1.0, "rank", "exact", None)]),
])
def test_facts_numbers_are_normalised(run, text, expected):
    assert facts(run(text)) == expected


def test_facts_year_alone_is_not_a_fact(run):
    assert run("Turkey and Greece met in 2019.").facts == []


@pytest.mark.parametrize("text,expected", [
    ("Serbia isn't part of NATO.", [("SRB", "NATO", "no")]),
    ("Armenia is a member of the CSTO and the EAEU.", [("ARM", "CSTO", "yes"), ("ARM", "EAEU", "yes")]),
    ("Unlike Belarus, Moldova hasn't joined the Eurasian Economic Union or the CSTO.",
     [("MDA", "EAEU", "no"), ("MDA", "CSTO", "no")]),
    ("Uzbekistan applied to join the WTO.", [("UZB", "WTO", "applying")]),
    ("Georgia left the CIS in 2009.", [("GEO", "CIS", "leaving")]),
    ("Kyrgyzstan joined talks with Tajikistan.", []),
])
def test_memberships(run, text, expected):
    assert [(m.member, m.organization, m.status) for m in run(text).memberships] == expected
