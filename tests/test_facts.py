import pytest


def facts(doc):
    return [(tuple(sorted(f.pair)), f.measure, f.value, f.unit, f.bound, f.year) for f in doc.facts]


def values(doc):
    """(sorted pair, value, unit) of every fact: what article gold is scored on, plus the unit."""
    return [(tuple(sorted(f.pair)), f.value, f.unit) for f in doc.facts]


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


# Shares and fractions: a percentage of a named measure, fraction words, "one in N"; all in percent.
@pytest.mark.parametrize("text,expected", [
    ("India buys about a third of its crude imports from Russia.",
     [(("IND", "RUS"), "import share", 33.3, "%", "about", None)]),
    ("Russia supplies nearly half of Armenia's gas.", [(("ARM", "RUS"), "supply share", 50.0, "%", "about", None)]),
    ("Turkey now sends 40 percent of its steel exports to the EU.",
     [(("EU", "TUR"), "export share", 40.0, "%", "exact", None)]),
    ("One in five cars sold in Kazakhstan is imported from China.",
     [(("CHN", "KAZ"), "sales share", 20.0, "%", "exact", None)]),
    ("China accounts for a quarter of Mongolia's exports.", [(("CHN", "MNG"), "export share", 25.0, "%", "exact", None)]),
    ("Two-thirds of Serbia's arms imports come from Russia.", [(("RUS", "SRB"), "import share", 66.7, "%", "exact", None)]),
    ("Exports to China account for nearly 60 per cent of Mongolia's trade, according to the World Bank.",
     [(("CHN", "MNG"), "trade share", 60.0, "%", "about", None)]),
])
def test_facts_shares_and_fractions(run, text, expected):
    assert facts(run(text)) == expected


@pytest.mark.parametrize("text", [
    "In the first half of 2023, Turkey's exports to Russia rose sharply.",  # a period, not a share
    "About a quarter of a century ago, Ukraine gave up its nuclear weapons to Russia.",
    "While India has close ties with Nepal, where 80% of the population is Hindu, China is catching up.",  # no measure
])
def test_facts_not_shares(run, text):
    assert run(text).facts == []


# Counts: digits or number words before a counted noun, modifiers between; vague amounts are no number.
@pytest.mark.parametrize("text,expected", [
    ("More than 2,000 Turkish troops are stationed in Qatar.", [(("QAT", "TUR"), "troops", 2000.0, "troops", "over", None)]),
    ("Kazakhstan signed twelve agreements with China during the visit.",
     [(("CHN", "KAZ"), "agreements", 12.0, "agreements", "exact", None)]),
    ("Russia has deployed some 1,200 mercenaries to Libya.", [(("LBY", "RUS"), "mercenaries", 1200.0, "troops", "about", None)]),
    ("Dozens of Iranian drones were shipped to Russia.", []),
    ("Several hundred Syrian fighters crossed into Turkey.", []),
])
def test_facts_counts(run, text, expected):
    assert facts(run(text)) == expected


# Money: currency before ($, US$, €) or after (yuan, dollars), scales written out or abbreviated.
@pytest.mark.parametrize("text,expected", [
    ("Japan has pledged $4.5 billion in loans to Indonesia.", [(("IDN", "JPN"), "loan", 4.5e9, "USD", "exact", None)]),
    ("Saudi Arabia will invest US$ 2bn in Pakistan's refinery.",  # "US$" names no actor
     [(("PAK", "SAU"), "investment", 2e9, "USD", "exact", None)]),
    ("The EU gave €300 million in aid to Moldova.", [(("EU", "MDA"), "aid", 3e8, "EUR", "exact", None)]),
    ("China's trade with Russia reached 1.2 trillion yuan in 2023.",
     [(("CHN", "RUS"), "trade", 1.2e12, "CNY", "exact", 2023)]),
    ("Qatar has invested 10 billion dollars in Turkey.", [(("QAT", "TUR"), "investment", 1e10, "USD", "exact", None)]),
    ("Ghana imposed duties on $3.5bn worth of Chinese exports.", [(("CHN", "GHA"), "export", 3.5e9, "USD", "exact", None)]),
    ("A kilo of Turkish tomatoes costs $5 in Georgia.", []),  # a price, not a sum between the two
])
def test_facts_money(run, text, expected):
    assert facts(run(text)) == expected


# Ranks: ordinal and size word, or a size word alone, with modifiers; rivals and global ranks left out.
@pytest.mark.parametrize("text,expected", [
    ("Germany is Poland's largest trading partner.", [(("DEU", "POL"), "trade partner rank", 1.0, "rank", "exact", None)]),
    ("South Korea became Vietnam's second-biggest investor last year.",
     [(("KOR", "VNM"), "investor rank", 2.0, "rank", "exact", None)]),
    ("Russia remains India's top arms supplier.", [(("IND", "RUS"), "arms supplier rank", 1.0, "rank", "exact", None)]),
    ("China overtook the United States as Brazil's largest trading partner in 2009.",
     [(("BRA", "CHN"), "trade partner rank", 1.0, "rank", "exact", 2009)]),
    ("Italy is Algeria's third-largest gas buyer after Spain and France.",
     [(("DZA", "ITA"), "importer rank", 3.0, "rank", "exact", None)]),
    ("Norway is the world's largest exporter of salmon to Japan.", []),
    ("Turkey is one of the largest investors in Georgia.", []),
])
def test_facts_ranks(run, text, expected):
    assert facts(run(text)) == expected


# Multipliers and changes: "doubled", "three times", "grew 20 percent", "a 10% drop".
@pytest.mark.parametrize("text,expected", [
    ("Azerbaijan's exports to Italy tripled in 2022.", [(("AZE", "ITA"), "export growth", 3.0, "times", "exact", 2022)]),
    ("Chinese investment in Serbia is three times larger than the EU's.",
     [(("CHN", "SRB"), "investment growth", 3.0, "times", "exact", None)]),
    ("Georgia's exports to Armenia grew 20 percent in 2021.",
     [(("ARM", "GEO"), "export growth", 20.0, "%", "exact", 2021)]),
    ("Vietnam's imports from South Korea fell 12% last year.",
     [(("KOR", "VNM"), "import decline", 12.0, "%", "exact", None)]),
    ("Trade between Chile and Peru saw a 7.5% increase on the year before.",
     [(("CHL", "PER"), "trade growth", 7.5, "%", "exact", None)]),
])
def test_facts_multipliers_and_changes(run, text, expected):
    assert facts(run(text)) == expected


# Volumes and durations.
@pytest.mark.parametrize("text,expected", [
    ("Egypt imported 8 million tonnes of wheat from Russia in 2022.",
     [(("EGY", "RUS"), 8e6, "tonnes")]),
    ("Russia will deliver 38 bcm of gas a year to China.", [(("CHN", "RUS"), 3.8e10, "m3")]),
    ("Sri Lanka handed the port to China on a 99-year lease.", [(("CHN", "LKA"), 99.0, "years")]),
    ("Ukraine and Russia have been at odds for 10 years.", []),  # a duration of nothing counted
])
def test_facts_volumes_and_durations(run, text, expected):
    assert values(run(text)) == expected


# The pair: the number's own clause, not the nearest names of the sentence.
@pytest.mark.parametrize("text,expected", [
    # parsed: the other clause's actors take no part
    ("Poland imposed tariffs on $9 billion of Russian imports, while Lithuania banned Belarusian potash.",
     [(("POL", "RUS"), 9e9, "USD")]),  # "of Russian imports": the measure is what the sum is of
    # one number per clause, each with its own pair
    ("Japan lent $2 billion to Egypt, while Qatar lent $1 billion to Jordan.",
     [(("EGY", "JPN"), 2e9, "USD"), (("JOR", "QAT"), 1e9, "USD")]),
    # subject and possessor of the quantity, with the actor named in a "from" phrase left for the pair
    ("Armenia gets about 85% of its wheat from Russia, Armenian officials said.", [(("ARM", "RUS"), 85.0, "%")]),
])
def test_facts_pair_from_the_clause(run, text, expected):
    assert values(run(text)) == expected


def test_facts_pair_from_the_clause_without_a_parse():
    from equipoise.document import Document
    from equipoise.pipeline import load

    doc = load(fast=True)(Document("Poland imposed tariffs on $9 billion of Russian imports, while Lithuania "
                                   "banned Belarusian potash.", source="test"))
    assert not doc.parses and values(doc) == [(("POL", "RUS"), 9e9, "USD")]


def test_facts_implicit_side_is_the_focal_actor(run):
    text = ("Kazakhstan is balancing Russia and China. Kazakhstan hosts Russian bases. "
            "Kazakhstan buys Chinese goods. Exports of oil to Italy make up 40% of exports.")
    assert values(run(text))[-1] == (("ITA", "KAZ"), 40.0, "%")


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


def test_fact_year_carries_to_the_next_sentence_only(run):
    doc = run("In 2019, Chile exported copper to China. The trade between Chile and China reached "
              "$3 billion. Officials met in Lima. Peru sold $2 billion of zinc to China.", date="2024-05-01")
    years = {f.pair: f.year for f in doc.facts}
    assert years[("CHN", "CHL")] == 2019  # the sentence after the year
    assert years[("PER", "CHN")] == 2024  # two sentences on: the document's date


def test_the_speaker_of_a_number_is_no_party(run):
    doc = run("The U.N. says the war displaced some 12 million people in Sudan, including more than 4 million refugees.")
    assert doc.facts == []  # Sudan alone: no pair, and the speaker is none of its sides
    doc = run("Canada says it imposed tariffs on $20 billion of U.S. goods.")
    assert [f.pair for f in doc.facts if f.unit == "USD"] in ([("CAN", "USA")], [("USA", "CAN")])
