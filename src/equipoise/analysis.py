"""Analysis: a country's balance profile, read from the store.

For a focal country F and a partner P, every stored relation between them (in
either direction) counts, except negated ones and those with score 0. Each
relation has a weight by modality (``MODALITY_WEIGHTS``): asserted 1.0,
reported 0.8, planned 0.7, hypothetical 0.5. A partner's score, overall and per
dimension, is the weighted mean of the scores:

    score(F, P) = sum(w_i * s_i) / sum(w_i)

The strongest supporting (opposing) evidence is the relation with the largest
(smallest) w_i * s_i. The formulas are written up in docs/analysis.md.
"""

from __future__ import annotations

from collections import defaultdict

from .actors import actor_name
from .document import DIMENSIONS
from .errors import EmptyStore, UnknownActor
from .store import Store

MODALITY_WEIGHTS = {"asserted": 1.0, "reported": 0.8, "planned": 0.7, "hypothetical": 0.5, "negated": 0.0}


def focal_actor(store: Store) -> str:
    """The most-mentioned state in the store: the default focal country."""
    from .actors import actor_table

    table = actor_table()
    for actor, _ in store.mention_counts().items():
        if table.get(actor, {}).get("kind") == "state":
            return actor
    raise EmptyStore(store.path)


def profile(store: Store, country: str) -> dict:
    """The balance profile of ``country``: its partners ranked by overall score.

    Args:
        store (Store): the store to read.
        country (str): the focal actor id.
    RETURNS (dict): {"country", "name", "partners": [{"actor", "name", "score", "relations",
        "documents", "dimensions": {dimension: score}, "support": relation, "oppose": relation}],
        "facts": [...], "memberships": [...], "sources": {data set: relations counted}}.
    """
    from .actors import actor_table

    if country not in actor_table():
        raise UnknownActor(country)
    by_partner: dict[str, list[dict]] = defaultdict(list)
    sources: dict[str, int] = defaultdict(int)
    for relation in store.relations_of(country):
        weight = MODALITY_WEIGHTS.get(relation["modality"], 1.0)
        if weight == 0 or relation["score"] == 0:
            continue
        partner = relation["target"] if relation["source"] == country else relation["source"]
        if partner == country:
            continue
        by_partner[partner].append({**relation, "weight": weight})
        sources[relation["dataset"]] += 1
    partners = [_partner(actor, relations) for actor, relations in by_partner.items()]
    partners.sort(key=lambda p: (-p["score"], p["actor"]))
    return {
        "country": country,
        "name": actor_name(country),
        "partners": partners,
        "facts": store.facts_of(country),
        "memberships": store.memberships_of(country),
        "sources": dict(sorted(sources.items())),
    }


def _partner(actor: str, relations: list[dict]) -> dict:
    dimensions = {}
    for dimension in DIMENSIONS:
        chosen = [r for r in relations if r["dimension"] == dimension]
        if chosen:
            dimensions[dimension] = weighted_mean(chosen)
    support = max(relations, key=lambda r: r["weight"] * r["score"])
    oppose = min(relations, key=lambda r: r["weight"] * r["score"])
    return {
        "actor": actor,
        "name": actor_name(actor),
        "score": weighted_mean(relations),
        "relations": len(relations),
        "documents": len({r["doc"] for r in relations}),
        "dimensions": dimensions,
        "support": support if support["score"] > 0 else None,
        "oppose": oppose if oppose["score"] < 0 else None,
        "evidence": [r for r in sorted(relations, key=lambda r: -abs(r["weight"] * r["score"]))],
    }


def weighted_mean(relations: list[dict]) -> float:
    total = sum(r["weight"] for r in relations)
    return round(sum(r["weight"] * r["score"] for r in relations) / total, 3) if total else 0.0
