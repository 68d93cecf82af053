"""Facts (quantities tied to a pair of actors) and memberships.

A fact is a number with what it measures: money ("over $4 billion" of trade,
"1.2 trillion yuan"), shares ("about 5% of EU imports", "a third of its crude
imports", "one in five"), counts ("2,000 peacekeepers", "eight pacts"),
multipliers and changes ("double gas exports by 2027", "three times larger",
"grew 20 percent"), ranks ("second-biggest trading partner"), volumes ("12 bcm")
and durations ("a 99-year lease"). Values are normalised to plain numbers (shares
and fractions to percent). The pair comes from the number's clause (see
``FactExtractor``). A membership is a stated membership or
non-membership ("isn't part of NATO"). The word lists are in ``data/facts.json``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .actors import actor_table, data_path, is_subject_position
from .document import Document, Fact, Membership, Mention, Token
from .matching import Phrases
from .relations import document_topic, load_lexicon
from .syntax import role_rules, span_head

YEAR_VALUE = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
BY_YEAR = re.compile(r"\bby (19[5-9]\d|20[0-4]\d)\b")
WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")
NEXT_WORD = re.compile(r"\s+([A-Za-z][\w.’'-]*)")
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
FAR = 100  # the cost of an actor outside the number's clause
OFF_TREE = 1000  # an actor the parse does not connect to the number


def _alternation(words) -> str:
    """A regex alternation of the words, longest first, each escaped."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)) if w)


def _compile(rules: dict) -> dict:
    """The patterns built from the word lists: numbers (digits or words, currency, scale), fractions,
    ratios, ranks, and the unit phrases that may follow a number."""
    words = _alternation(rules["number_words"])
    word_number = rf"(?:an?\s(?=(?:hundred|dozen)\b))?(?:{words})(?:(?:-|\s)(?:{words}))*"
    long_scales = _alternation(s for s in rules["scales"] if len(s) > 1)
    prefixes = _alternation(rules["currency_prefixes"])
    compiled = {
        "number": re.compile(
            rf"(?:(?P<currency>(?<![\w$€£₹₽])(?:{prefixes}))\s?)?"
            rf"(?P<number>{DIGITS}|\b{word_number}\b|\ban?\b(?=\s+(?:{long_scales})\b))"
            rf"(?:\s?-?(?P<scale>{long_scales})\b|(?P<letter>[kmb])\b)?"),
        "currency_after": re.compile(rf"\s?-?(?:{_alternation(rules['currencies'])})\b"),
        "percent_after": re.compile(rf"\s?(?:%|(?:{_alternation(w for w in rules['percent_words'] if w != '%')})\b)"),
        "physical_after": re.compile(rf"\s?(?:{_alternation(rules['physical_units'])})(?![\w/])"),
        "times_after": re.compile(r"\s+times\b|[- ]?fold\b"),
        "duration_after": re.compile(rf"[- ](?:{_alternation(rules['durations']['units'])})\b"),
        "fraction": re.compile(
            rf"\b(?:(?P<numerator>{_alternation(rules['fraction_numerators'])})[- ])?"
            rf"(?P<fraction>{_alternation(rules['fractions'])})\b(?=\s+(?:of|the|its|their)\b)"),
        "ratio": re.compile(
            rf"\b(?P<a>\d+|{words})\s+(?:{_alternation(rules['ratio_words'])})\s+(?P<b>\d+|{words})\b"),
        "rank": re.compile(
            rf"\b(?:(?P<ordinal>{_alternation(rules['ordinals'])})[- ]"
            rf"(?:(?:{_alternation(rules['rank_ordinal_sizes'])})[- ]?)?|(?P<size>{_alternation(rules['rank_sizes'])})[- ]?)"
            rf"\s*(?:(?:{_alternation(rules['rank_modifiers'])})\s+){{0,2}}?(?P<noun>{_alternation(rules['ranked'])})\b"),
    }
    compiled["growth_words"] = {w: kind for kind, ws in rules["growth"].items() for w in ws}
    compiled["growth_nouns"] = {w: kind for kind, ws in rules["growth_nouns"].items() for w in ws}
    return compiled


@lru_cache(maxsize=4)
def load_rules(data_dir: Path | None = None) -> dict:
    data_dir = Path(data_dir) if data_dir else data_path("")
    rules = json.loads((data_dir / "facts.json").read_text(encoding="utf-8"))
    rules["bound_phrases"] = Phrases((p, bound) for bound, phrases in rules["bounds"].items() for p in phrases)
    rules["membership_phrases"] = Phrases((p, status) for status, phrases in rules["memberships"].items() for p in phrases)
    rules["rival_phrases"] = Phrases((p, True) for p in rules["rank_rivals"])
    rules["attribution_phrases"] = Phrases((p, True) for p in rules["attributions"])
    rules["target_phrases"] = Phrases((p, True) for p in rules["target_words"])
    rules["compiled"] = _compile(rules)
    return rules


@dataclass(slots=True)
class Quantity:
    """A number found in a sentence, before it is tied to a pair (offsets within the sentence)."""

    start: int
    end: int
    measure: str
    value: float
    unit: str
    rule: str
    year: int | None = None  # a year the number is for ("by 2027"), else the sentence's
    body: int | None = None  # where the number starts after a currency prefix ("US$" names no actor)


class FactExtractor:
    """Pipeline stage: adds Facts (numbers tied to a pair of actors) to the Document.

    The pair comes from the number's clause: where the sentence is parsed, the actors nearest to the
    number in the dependency tree (the subject of its verb, the possessor or modifier of its noun,
    the object of "from", "with", "to", "in" on either), counting no step through a noun phrase's
    own words and a long one out of the clause; without a parse, the actors nearest to it in its
    clause (``clause_breaks``). An implicit side ("its imports" unresolved, "the country's") is the
    document's focal actor, the most mentioned one."""

    name = "facts"

    def __init__(self, rules: dict | None = None):
        self.rules = rules or load_rules()
        self.compiled = self.rules["compiled"]

    def __call__(self, doc: Document) -> Document:
        topic = document_topic(doc.mentions)
        last_year = doc.year
        by_sentence = doc.mentions_by_sentence()
        for sentence in doc.sentences:
            text = doc.text[sentence.start : sentence.end]
            years = [int(y) for y in YEAR.findall(text)]
            year = years[0] if years else last_year
            mentions = by_sentence.get(sentence.index, [])
            if mentions:
                tokens = doc.parses.get(sentence.index)
                for pair, measure, value, unit, bound, fact_year, rule, start, end in self._sentence_facts(
                        text, year, mentions, sentence.start, topic, tokens):
                    doc.facts.append(Fact(sentence.index, pair, measure, value, unit, bound, fact_year, text,
                                          f"fact:{rule}", start, end))
            # A year carries to the next sentence only ("In 2023, trade reached ... It made up ..."),
            # not through the article: a later sentence without one is of the document's date.
            last_year = years[-1] if years else doc.year
        return doc

    def _sentence_facts(self, text, year, mentions, offset, topic, tokens=None):
        lower = text.lower()
        quantities = self._quantities(text, lower)
        if not quantities:
            return
        # a source ("according to X") is no party; for a rank or a comparison, nor is a rival ("after X")
        sources = [m for m in mentions if not self._after_phrase(lower, m.start - offset, "attribution_phrases")]
        parties = [m for m in sources if not self._after_phrase(lower, m.start - offset, "rival_phrases")]
        for q in quantities:
            pool = parties if q.rule in ("rank", "times") else sources
            speaking = [m for m in pool if self._speaker_of(lower, m.end - offset, q.start)]
            pool = [m for m in pool if m not in speaking]
            speakers = {m.actor for m in speaking} - {m.actor for m in pool}
            if q.body:
                pool = [m for m in pool if not q.start <= m.start - offset < q.body]
            pair = self._pair(q, lower, pool, offset, None if topic in speakers else topic, tokens)
            if pair is None:
                continue
            bound = "exact" if q.rule == "rank" else self._bound(lower, q)
            yield (pair, q.measure, q.value, q.unit, bound, q.year or year, q.rule,
                   offset + q.start, offset + q.end)

    def _speaker_of(self, lower: str, mention_end: int, quantity_start: int) -> bool:
        """Whether the mention ending at mention_end speaks the number that follows ("The U.N. says
        the war displaced 6 million people"): a source, no party. Where the speaker is also
        a party, the reported clause names it again ("Canada says it imposed ...")."""
        words = lower[mention_end:quantity_start].split()
        return bool(words) and words[0].strip(",") in self.rules["reporting_verbs"]

    # --- the numbers -------------------------------------------------------------------------

    def _quantities(self, text: str, lower: str) -> list[Quantity]:
        """Every quantity of the sentence, in text order, none overlapping another (ranks, fractions
        and ratios are found first, then numbers with their units, then multiplier words)."""
        found: list[Quantity] = []
        covered = bytearray(len(lower) + 1)

        def add(items):
            for q in items:
                if q and not any(covered[q.start : q.end]):
                    found.append(q)
                    covered[q.start : q.end] = b"\x01" * (q.end - q.start)

        add(self._ranks(lower))
        add(self._ratios(lower))
        add(self._fractions(lower))
        add(self._number_fact(text, lower, m) for m in self.compiled["number"].finditer(lower))
        add(self._multiplier_words(lower))
        return sorted(found, key=lambda q: q.start)

    def _ranks(self, lower: str):
        rules = self.rules
        for match in self.compiled["rank"].finditer(lower):
            before = WORD.findall(lower[max(0, match.start() - 30) : match.start()].replace("’", "'"))
            head = before[-1:] if before else []
            if head and head[0] in ("a", "an") or any(p in " ".join(before[-4:]) for p in rules["rank_vague_before"] if " " in p) \
                    or "among" in before[-3:]:
                continue  # "a top supplier", "one of the largest partners": no rank
            preceding = lower[max(0, match.start() - 12) : match.start()].rstrip()
            if any(preceding.endswith(w) for w in rules["rank_global"]):
                continue  # "the world's largest exporter": a rank in the world, not between two actors
            ordinal, size = match.group("ordinal"), match.group("size")
            value = rules["ordinals"][ordinal] if ordinal else rules["rank_sizes"][size]
            yield Quantity(match.start(), match.end(), rules["ranked"][match.group("noun")], float(value), "rank", "rank")

    def _ratios(self, lower: str):
        for match in self.compiled["ratio"].finditer(lower):
            a, b = self._word_value(match.group("a")), self._word_value(match.group("b"))
            if not a or not b or a >= b or b > 1000 or YEAR_VALUE.match(match.group("b")):
                continue
            if match.start() > 0 and lower[match.start() - 1] in ".,-/$":
                continue
            measure = self._share(self._measure(lower, match.end(), match.start(), commodities=True))
            if measure:
                yield Quantity(match.start(), match.end(), measure, round(100 * a / b, 1), "%", "ratio")

    def _fractions(self, lower: str):
        rules = self.rules
        for match in self.compiled["fraction"].finditer(lower):
            numerator, fraction = match.group("numerator"), match.group("fraction")
            previous = WORD.findall(lower[max(0, match.start() - 20) : match.start()])[-1:]
            if numerator is None and (fraction not in ("half",) or previous and previous[0] in rules["fraction_not_after"]):
                continue  # "the first half", "the third of": an ordinal, not a share
            if numerator is not None and previous and previous[0] in rules["fraction_not_after"]:
                continue
            rest = lower[match.end() : match.end() + 30]
            following = WORD.findall(rest)[:4]
            if any(w in rules["fraction_time_nouns"] for w in following[:3]) or YEAR.search(rest[:12]):
                continue  # "a quarter of a century", "half of 2023"
            top = rules["fraction_numerators"][numerator] if numerator else 1
            measure = self._share(self._measure(lower, match.end(), match.start(), commodities=True))
            if measure:
                yield Quantity(match.start(), match.end(), measure,
                               round(100 * top / rules["fractions"][fraction], 1), "%", "fraction")

    def _number_fact(self, text: str, lower: str, match: re.Match) -> Quantity | None:
        rules, compiled = self.rules, self.compiled
        number = match.group("number")
        currency = rules["currency_prefixes"].get(match.group("currency") or "")
        start, end = match.start(), match.end()
        if YEAR_VALUE.match(number) and not currency:
            return None
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".-/"):
            return None
        if end < len(text) and text[end : end + 1] in "-" and number[:1].isdigit() and not match.group("scale") \
                and not compiled["duration_after"].match(lower, end):
            return None  # "U.S.-EU", "2-1": a compound, not a number
        value = self._word_value(number)
        if value is None or number.split("-")[0].split()[0] in ("hundred", "dozen"):
            return None  # "several hundred", "a few dozen": no number
        scale = match.group("scale") or match.group("letter") or ""
        if match.group("letter") and not (currency or compiled["currency_after"].match(lower, end)):
            return None  # "20 m", "5 k": a single letter scales money only
        value *= rules["scales"].get(scale, 1.0)
        is_word = not number[:1].isdigit()
        after = compiled["currency_after"].match(lower, end)
        if after and not currency:
            currency = rules["currencies"][after.group(0).strip(" -")]
            end = after.end()
        if currency:
            measure = None
            if WORD.findall(lower[end : end + 12])[:1] in (["worth"], ["of"], ["in"]):
                measure = self._measure(lower, end, 0)  # "$28 billion worth of exports", "$4 billion in loans"
            measure = measure or self._measure(lower, end, start)
            if measure is None and value < rules["min_money_without_measure"]:
                return None  # "$5 a kilo": a price, not a sum between two actors
            return Quantity(start, end, measure or "value", value, currency, "number", body=match.start("number"))
        percent = compiled["percent_after"].match(lower, end)
        if percent and not is_word or percent and scale == "":
            unit = "pp" if "point" in percent.group(0) else "%"
            change = self._change(lower, start, percent.end())
            measure = self._measure(lower, percent.end(), start, commodities=True)
            if change:
                return Quantity(start, percent.end(), f"{measure or ''} {change}".strip(), value, unit, "growth")
            share = self._share(measure)
            return Quantity(start, percent.end(), share, value, unit, "number") if share else None
        times = compiled["times_after"].match(lower, end)
        if times:
            following = WORD.findall(lower[times.end() : times.end() + 20])[:1]
            if "fold" in times.group(0) or following and following[0] in rules["times_after"] \
                    or self._change(lower, start, times.end()):
                measure = self._measure(lower, times.end(), start)
                if measure:
                    return Quantity(start, times.end(), f"{measure} growth", value, "times", "times")
            return None
        duration = compiled["duration_after"].match(lower, end)
        if duration:
            measure = self._measure(lower, duration.end(), start, rules["durations"]["measures"])
            if measure and not scale:
                unit = rules["durations"]["units"][duration.group(0)[1:]]
                return Quantity(start, duration.end(), measure, value, unit, "duration")
            return None
        physical = compiled["physical_after"].match(lower, end)
        if physical:
            unit, factor = rules["physical_units"][physical.group(0).strip()]
            measure = self._measure(lower, physical.end(), start, commodities=True) or "volume"
            return Quantity(start, physical.end(), measure, value * factor, unit, "number")
        return self._count(text, lower, start, end, value)

    def _count(self, text: str, lower: str, start: int, end: int, value: float) -> Quantity | None:
        """A number of things: "2,000 peacekeepers", "eight pacts", "5,000 Russian troops" (up to two
        modifiers, capitalised or in ``count_modifiers``, may stand between)."""
        rules = self.rules
        position = end
        for _ in range(3):
            word = NEXT_WORD.match(text, position)
            if word is None:
                return None
            noun = word.group(1).lower().rstrip(".,")
            if noun in rules["count_units"]:
                if noun in rules["count_qualified"] and position == end:
                    return None  # "five people": only "5,000 Afghan people" says whose
                return Quantity(start, word.start(1) + len(noun), noun, value, rules["count_units"][noun], "count")
            if not (word.group(1)[:1].isupper() or noun in rules["count_modifiers"]):
                return None
            position = word.end()
        return None

    def _multiplier_words(self, lower: str):
        for match in WORD.finditer(lower):
            factor = self.rules["multipliers"].get(match.group(0))
            if factor is None:
                continue
            measure = self._measure(lower, match.end(), match.start())
            if not measure:
                continue
            by_year = BY_YEAR.search(lower, match.end())
            yield Quantity(match.start(), match.end(), f"{measure} growth", float(factor), "times", "multiplier",
                           int(by_year.group(1)) if by_year else None)

    def _word_value(self, number: str) -> float | None:
        """The value of digits ("2,000", "4.5") or number words ("eight", "twenty-five", "a")."""
        if number[:1].isdigit():
            return float(number.replace(",", ""))
        words = self.rules["number_words"]
        total, current = 0.0, 0.0
        for word in re.split(r"[-\s]+", number.strip()):
            if word in ("a", "an"):
                current = max(current, 1.0)
            elif word == "hundred":
                current = max(current, 1.0) * 100
            elif word == "dozen":
                current = max(current, 1.0) * 12
            elif word in words:
                current += words[word]
            else:
                return None
        return total + current

    def _change(self, lower: str, start: int, end: int) -> str | None:
        """"growth" or "decline" when the number is a change: after a growth word ("grew 20%",
        "rose by 5 percent") or before a growth noun ("a 10% increase")."""
        growth, nouns = self.compiled["growth_words"], self.compiled["growth_nouns"]
        before = [w for w in WORD.findall(lower[max(0, start - 40) : start])[-4:]]
        bounds = {w for phrases in self.rules["bounds"].values() for p in phrases for w in p.split()}
        while before and before[-1] not in growth and (before[-1] in bounds or before[-1] in ("by", "a", "an")):
            before.pop()
        if before and before[-1] in growth and not (len(before) > 1 and before[-2] in self.rules["growth_not_after"]):
            return growth[before[-1]]  # "rose 20%", "up 14%", not "made up 8%"
        after = WORD.findall(lower[end : end + 30])[:2]
        for word in after:
            if word in nouns:
                return nouns[word]
        return None

    def _share(self, measure: str | None) -> str | None:
        """The measure of a percentage or fraction: "<measure> share", a rate measure as itself
        ("a 25% tariff"); None where nothing near says what it is a share of ("70% of the population")."""
        if measure is None:
            return None
        return measure if measure in self.rules["rate_measures"] else f"{measure} share"

    def _measure(self, lower: str, after: int, before: int, table: dict | None = None,
                 commodities: bool = False) -> str | None:
        """The nearest measure word within six words after the number or eight before it;
        with ``commodities``, else the nearest commodity ("half of its gas")."""
        words_after = WORD.findall(lower[after : after + 120])[:6]
        words_before = WORD.findall(lower[max(0, before - 120) : before])[-8:][::-1]
        for table in (table or self.rules["measures"], self.rules["commodities"] if commodities else {}):
            found = [(i, 0, table[w]) for i, w in enumerate(words_after) if w in table] + \
                    [(i, 1, table[w]) for i, w in enumerate(words_before) if w in table]
            if found:
                return min(found)[2]  # the nearest, after the number on a tie
        return None

    def _bound(self, lower: str, q: Quantity) -> str:
        start = q.start
        before = lower[max(0, start - 25) : start]
        if q.rule == "multiplier" or BY_YEAR.search(lower[start : start + 60]):
            planned = self.rules["target_phrases"].find(lower[max(0, start - 150) : start])
            if planned and (q.rule == "multiplier" or BY_YEAR.search(lower[start : start + 60])):
                return "target"
            if q.rule == "multiplier":
                return "exact"
        found = [b for s, e, b in self.rules["bound_phrases"].find(before) if e >= len(before.rstrip(" $€£"))]
        return found[-1] if found else "exact"

    def _after_phrase(self, lower: str, position: int, phrases: str) -> bool:
        """Whether the words just before ``position`` (at most three, then "the") end with one of the phrases."""
        before = lower[max(0, position - 40) : position]
        words = before.split()
        window = " ".join(words[-4:])
        window_start = len(before) - len(window) - (len(before) - len(before.rstrip()))
        for s, e, _ in self.rules[phrases].find(window):
            tail = window[e:].split()
            if len(tail) <= 2 and all(w in ("the", "its", "their", "a") or w.endswith(("'s", "’s")) for w in tail):
                return True
        return False

    # --- the pair ----------------------------------------------------------------------------

    def _pair(self, q: Quantity, lower: str, mentions: list[Mention], offset: int, topic: str | None,
              tokens: list[Token] | None):
        if not mentions:
            return None
        if tokens:
            anchor = span_head(tokens, offset + q.start, offset + q.end)
            ranked = None if anchor is None else self._tree_ranked(tokens, anchor, mentions, offset + q.start)
        else:
            ranked = None
        if ranked is None:
            ranked = self._surface_ranked(lower, mentions, offset, q)
        actors = list(dict.fromkeys(actor for cost, _, actor in ranked))
        for reach in (FAR, 2 * FAR, OFF_TREE + 1):
            # the number's own clause, else the clause next to it ("X said ... 40%"), else the sentence
            near = list(dict.fromkeys(actor for cost, _, actor in ranked if cost < reach))
            if near:
                break
        if len(near) >= 2:
            return (near[0], near[1])
        if not near:
            return None
        first = near[0]
        if topic and topic != first:
            return (first, topic)  # the implicit side: the document's focal actor
        others = [a for a in actors if a != first]
        return (first, others[0]) if others else None

    def _tree_ranked(self, tokens: list[Token], anchor: int, mentions: list[Mention], position: int):
        """The mentions as (cost, distance, actor), best first: the cost is the number of steps
        between the number and the actor in the dependency tree, not counting the words of a noun
        phrase (``roles.json`` nominal) and counting a clause boundary as FAR."""
        ranked = []
        for m in mentions:
            head = span_head(tokens, m.start, m.end)
            if head is None:
                return None  # the parse does not cover the mention: fall back to positions
            ranked.append((_tree_cost(tokens, head, anchor), abs(m.start - position), m.actor))
        return sorted(ranked)

    @staticmethod
    @lru_cache(maxsize=8)
    def _clause_breaks_for(lower: str, markers: tuple[str, ...]) -> list[int]:
        breaks = {0, len(lower)}
        for marker in markers:
            breaks.update(m.start() for m in re.finditer(re.escape(marker), lower))
        return sorted(breaks)

    def _clause_breaks(self, lower: str) -> list[int]:
        """Where the sentence's clauses begin (``clause_breaks``), with its start and end."""
        return self._clause_breaks_for(lower, tuple(self.rules["clause_breaks"]))

    def _surface_ranked(self, lower: str, mentions: list[Mention], offset: int, q: Quantity):
        """The mentions as (cost, distance, actor), best first: 0 inside the number's clause
        (``clause_breaks``), FAR outside it; then by distance in characters."""
        breaks = self._clause_breaks(lower)
        at = bisect_right(breaks, q.start)
        low = breaks[at - 1]
        high = breaks[bisect_left(breaks, q.end)] if q.end <= breaks[-1] else len(lower)
        ranked = []
        at = bisect_left([m.start - offset for m in mentions], q.start)
        for m in mentions[max(0, at - 8) : at + 8]:  # the nearest ones on either side
            start, end = m.start - offset, m.end - offset
            distance = 0 if start < q.end and q.start < end else min(abs(start - q.end), abs(q.start - end))
            ranked.append((0 if low <= start < high else FAR, distance, m.actor))
        return sorted(ranked)


def _tree_cost(tokens: list[Token], mention: int, anchor: int) -> int:
    rules = role_rules()
    up = _chain(tokens, mention)
    down = _chain(tokens, anchor)
    down_set = set(down)
    common = next((i for i in up if i in down_set), None)
    if common is None:
        return OFF_TREE
    cost = 0
    for side, path in (("mention", up[: up.index(common)]), ("number", down[: down.index(common)])):
        for i in path:
            dep = tokens[i].dep
            if dep in rules["nominal"]:
                continue
            if dep in CLAUSE_LINKS:
                # a relative clause on the number's side belongs to its antecedent ("Russia, which
                # supplies 40% of its gas")
                cost += 1 if side == "number" and dep in ("relcl", "acl") and tokens[i].head == common else FAR
            else:
                cost += 1
    return cost


def _chain(tokens: list[Token], index: int) -> list[int]:
    """index and the words above it, up to the root."""
    chain = [index]
    while tokens[chain[-1]].head != chain[-1] and len(chain) <= len(tokens):
        chain.append(tokens[chain[-1]].head)
    return chain


CLAUSE_LINKS = frozenset(("relcl", "advcl", "parataxis", "acl", "csubj", "csubjpass", "ccomp"))


class MembershipExtractor:
    """Pipeline stage: adds Memberships ("Azerbaijan isn't part of NATO") to the Document."""

    name = "memberships"

    def __init__(self, rules: dict | None = None):
        self.rules = rules or load_rules()
        self.lexicon = load_lexicon()
        self.actors = actor_table()

    def __call__(self, doc: Document) -> Document:
        by_sentence = doc.mentions_by_sentence()
        for sentence in doc.sentences:
            text = doc.text[sentence.start : sentence.end]
            lower = text.lower()
            mentions = by_sentence.get(sentence.index, [])
            for start, end, status in self.rules["membership_phrases"].find(lower):
                doc.memberships.extend(self._memberships(doc, sentence, text, lower, mentions, start, end, status))
        return doc

    def _memberships(self, doc, sentence, text, lower, mentions, start, end, status):
        offset = sentence.start
        members = [m for m in mentions if m.start - offset < start and self._kind(m.actor) == "state"]
        subjects = [m for m in members if is_subject_position(text, m.start - offset)]
        member = (subjects or members or [None])[-1]
        if member is None:
            return
        organisations = []
        for m in mentions:
            if m.start - offset < end:
                continue
            if self._kind(m.actor) == "state" and m.how != "pronoun":
                break  # another state: the list of organisations has ended
            if self._kind(m.actor) == "organisation" and m.actor not in organisations:
                organisations.append(m.actor)
        if not organisations:
            return
        if self.lexicon.modality(lower, start, end, lower) == "negated":
            if status != "yes":
                return
            status = "no"
        for organisation in organisations:
            yield Membership(sentence.index, member.actor, organisation, status, text,
                             f"membership:{lower[start:end]}", offset + start, offset + end)

    def _kind(self, actor: str) -> str | None:
        row = self.actors.get(actor)
        return row["kind"] if row else None
