"""Analysis: a country's balance profile, read from the store.

For a focal country F and a partner P, every stored relation between them (in
either direction) counts, except negated ones, those with score 0, and, for
imported ICEWS events listed in both directions, the second copy. Each relation
has a weight by modality (``MODALITY_WEIGHTS``). A partner's score, overall and
per dimension, is the weighted mean of the scores:

    score(F, P) = sum(w_i * s_i) / sum(w_i)

A bloc's affinity is the sum of the scores of its members that F deals with;
its share is its positive affinity over the sum of all blocs' positive
affinities; the balance index is the normalised entropy of the shares over the
blocs F deals with (0: everything on one side, 1: perfectly even); the tilt is
the bloc with the largest share. docs/analysis.md writes it all out.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from .actors import actor_name, actor_table, data_path
from .document import DIMENSIONS
from .errors import EmptyStore, EquipoiseError, UnknownActor
from .store import Store

MODALITY_WEIGHTS = {"asserted": 1.0, "reported": 0.8, "planned": 0.7, "hypothetical": 0.5, "negated": 0.0}
PERIODS = ("month", "quarter", "year")
NEIGHBOURS = "NEIGHBOURS"


def focal_actor(store: Store) -> str:
    """The most-mentioned state in the store: the default focal country."""
    table = actor_table()
    for actor, _ in store.mention_counts().items():
        if table.get(actor, {}).get("kind") == "state":
            return actor
    raise EmptyStore(store.path)


@lru_cache(maxsize=1)
def neighbours() -> dict[str, list[str]]:
    return json.loads(data_path("neighbours.json").read_text(encoding="utf-8"))["neighbours"]


def load_blocs(path: str | Path | None = None) -> dict:
    """The bloc definitions: the package default (data/blocs.json) or a user's file of the same shape."""
    path = Path(path) if path else data_path("blocs.json")
    try:
        definition = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise EquipoiseError(f"E004 cannot read blocs file {path}: {error}") from None
    if not isinstance(definition.get("blocs"), dict):
        raise EquipoiseError(f"E004 blocs file {path} has no \"blocs\" object of bloc -> [actor ids]")
    return definition


def blocs_for(country: str, definition: dict) -> dict[str, list[str]]:
    """The blocs of one focal country: the defined ones, plus its neighbours in no other bloc."""
    blocs = {name: [m for m in members if m != country] for name, members in definition["blocs"].items()}
    if definition.get("neighbours"):
        taken = {m for members in blocs.values() for m in members}
        blocs[NEIGHBOURS] = [n for n in neighbours().get(country, []) if n not in taken]
    return blocs


def counted_relations(store: Store, country: str, since: str | None = None, until: str | None = None) -> list[dict]:
    """F's relations that count: not negated, non-zero, not a self-relation, within the dates,
    and one of each ICEWS pair listed in both directions."""
    counted, seen_events = [], set()
    for relation in store.relations_of(country):
        weight = MODALITY_WEIGHTS.get(relation["modality"], 1.0)
        if weight == 0 or relation["score"] == 0 or relation["source"] == relation["target"]:
            continue
        if not _within(relation["date"], since, until):
            continue
        if relation.get("event_key") and relation["dataset"] == "icews":
            twin = (relation["date"], frozenset((relation["source"], relation["target"])), relation["event_code"],
                    relation["evidence"])
            if twin in seen_events:
                continue
            seen_events.add(twin)
        partner = relation["target"] if relation["source"] == country else relation["source"]
        counted.append({**relation, "weight": weight, "partner": partner})
    return counted


def profile(store: Store, country: str, since: str | None = None, until: str | None = None,
            by: str | None = None, blocs: dict | None = None) -> dict:
    """The balance profile of ``country``.

    Args:
        store (Store): the store to read.
        country (str): the focal actor id.
        since, until (str | None): ISO dates (or years) bounding the relations' dates.
        by (str | None): month, quarter or year: add the figures per period as "series".
        blocs (dict | None): bloc definitions (``load_blocs``); None: the package default.
    RETURNS (dict): {"country", "name", "period", "partners", "blocs", "balance", "tilt", "series",
        "sources", "facts", "memberships"}; see docs/analysis.md.
    """
    if country not in actor_table():
        raise UnknownActor(country)
    if by is not None and by not in PERIODS:
        raise EquipoiseError(f"E005 unknown period {by!r}: use month, quarter or year")
    relations = counted_relations(store, country, since, until)
    bloc_members = blocs_for(country, blocs or load_blocs())
    facts = store.facts_of(country)
    memberships = store.memberships_of(country)
    result = {"country": country, "name": actor_name(country), "period": {"since": since, "until": until},
              **_figures(relations, bloc_members, facts, memberships, country)}
    result["series"] = [{"period": period, **_figures(rows, bloc_members, [], [], country, brief=True)}
                        for period, rows in _by_period(relations, by)] if by else []
    sources: dict[str, int] = defaultdict(int)
    for relation in relations:
        sources[relation["dataset"]] += 1
    result["sources"] = dict(sorted(sources.items()))
    result["facts"], result["memberships"] = facts, memberships
    return result


def as_json(result: dict) -> dict:
    """The profile as the JSON object of ``equipoise profile --json``: partners without their
    evidence lists, blocs, balance, tilt, series and sources."""
    keep = ("actor", "name", "score", "relations", "documents", "dimensions")
    return {
        "country": result["country"],
        "period": result["period"],
        "partners": [{k: p[k] for k in keep} for p in result["partners"]],
        "blocs": result["blocs"],
        "balance": result["balance"],
        "tilt": result["tilt"],
        "series": result["series"],
        "sources": result["sources"],
    }


def _figures(relations: list[dict], bloc_members: dict, facts: list, memberships: list, country: str,
             brief: bool = False) -> dict:
    by_partner: dict[str, list[dict]] = defaultdict(list)
    for relation in relations:
        by_partner[relation["partner"]].append(relation)
    partners = [_partner(actor, rows, facts, memberships, brief) for actor, rows in by_partner.items()]
    partners.sort(key=lambda p: (-p["score"], p["actor"]))
    scores = {p["actor"]: p["score"] for p in partners}
    blocs = bloc_balance(scores, bloc_members)
    return {"partners": partners, **blocs}


def bloc_balance(scores: dict[str, float], bloc_members: dict[str, list[str]]) -> dict:
    """Blocs, balance index and tilt from partner scores.

    affinity(B) = sum of score(F, P) over members P of B that F deals with;
    share(B) = max(affinity(B), 0) / sum over blocs of max(affinity, 0);
    balance = -sum(share * ln share) / ln(number of blocs F deals with), 0 when it deals with one or none;
    tilt = the bloc with the largest share, with its margin over the next.
    """
    blocs = {}
    for name, members in bloc_members.items():
        dealt = [m for m in members if m in scores]
        blocs[name] = {"members": dealt, "affinity": round(sum(scores[m] for m in dealt), 3), "share": 0.0}
    positive = {name: max(b["affinity"], 0.0) for name, b in blocs.items()}
    total = sum(positive.values())
    for name, bloc in blocs.items():
        bloc["share"] = round(positive[name] / total, 4) if total else 0.0
    dealt_with = [name for name, bloc in blocs.items() if bloc["members"]]
    shares = [blocs[name]["share"] for name in dealt_with if blocs[name]["share"] > 0]
    balance = 0.0
    if len(dealt_with) > 1 and shares:
        balance = round(-sum(s * math.log(s) for s in shares) / math.log(len(dealt_with)), 4)
    ranked = sorted(blocs, key=lambda name: (-blocs[name]["share"], name))
    tilt = None
    if total:
        runner_up = blocs[ranked[1]]["share"] if len(ranked) > 1 else 0.0
        tilt = {"bloc": ranked[0], "share": blocs[ranked[0]]["share"],
                "margin": round(blocs[ranked[0]]["share"] - runner_up, 4)}
    return {"blocs": blocs, "balance": balance, "tilt": tilt}


def _partner(actor: str, relations: list[dict], facts: list, memberships: list, brief: bool) -> dict:
    dimensions = {}
    for dimension in DIMENSIONS:
        chosen = [r for r in relations if r["dimension"] == dimension]
        if chosen:
            dimensions[dimension] = weighted_mean(chosen)
    partner = {
        "actor": actor,
        "name": actor_name(actor),
        "score": weighted_mean(relations),
        "relations": len(relations),
        "documents": len({r["doc"] for r in relations}),
        "dimensions": dimensions,
    }
    if brief:
        return partner
    support = max(relations, key=lambda r: r["weight"] * r["score"])
    oppose = min(relations, key=lambda r: r["weight"] * r["score"])
    partner.update({
        "support": support if support["score"] > 0 else None,
        "oppose": oppose if oppose["score"] < 0 else None,
        "evidence": sorted(relations, key=lambda r: -abs(r["weight"] * r["score"])),
        "facts": [f for f in facts if actor in (f["a"], f["b"])],
        "memberships": [m for m in memberships if actor in (m["member"], m["organization"])],
    })
    return partner


def weighted_mean(relations: list[dict]) -> float:
    total = sum(r["weight"] for r in relations)
    return round(sum(r["weight"] * r["score"] for r in relations) / total, 3) if total else 0.0


def _date_range(date: str | None) -> tuple[str, str] | None:
    """The ISO dates a relation's date covers: "2023" is the whole year, "2023-05" the month."""
    if not date or not date[:4].isdigit():
        return None
    date = date[:10]
    if len(date) == 4:
        return f"{date}-01-01", f"{date}-12-31"
    if len(date) == 7:
        return f"{date}-01", f"{date}-31"
    return date, date


def _within(date: str | None, since: str | None, until: str | None) -> bool:
    if since is None and until is None:
        return True
    covered = _date_range(date)
    if covered is None:
        return False
    since_range, until_range = _date_range(since), _date_range(until)
    return (since_range is None or covered[1] >= since_range[0]) and (until_range is None or covered[0] <= until_range[1])


def period_of(date: str | None, by: str) -> str | None:
    """The period key of a date: "2023", "2023-Q2" or "2023-05"; None if the date is too coarse."""
    if not date or not date[:4].isdigit():
        return None
    if by == "year":
        return date[:4]
    if len(date) < 7 or date[4] != "-" or not date[5:7].isdigit():
        return None
    month = int(date[5:7])
    return date[:7] if by == "month" else f"{date[:4]}-Q{(month - 1) // 3 + 1}"


def _by_period(relations: list[dict], by: str) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for relation in relations:
        period = period_of(relation["date"], by)
        if period is not None:
            groups[period].append(relation)
    return sorted(groups.items())
