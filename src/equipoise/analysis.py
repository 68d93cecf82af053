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


# The relations of F that count (see the module docstring), as a SQL common table expression over
# the parameters (F, F, F, since, until). Weights and date ranges are computed in DuckDB, so that a
# profile over millions of stored relations needs no row in Python but the ones it shows.
COUNTED = """
WITH dated AS (
    SELECT *, rowid AS rid,
        CASE WHEN source = ? THEN target ELSE source END AS partner,
        CASE modality {weights} ELSE 0.0 END AS weight,
        CASE WHEN NOT regexp_matches(coalesce(date, ''), '^[0-9]{4}') THEN NULL
             WHEN length(date) = 4 THEN date || '-01-01' WHEN length(date) = 7 THEN date || '-01'
             ELSE substr(date, 1, 10) END AS date_from,
        CASE WHEN NOT regexp_matches(coalesce(date, ''), '^[0-9]{4}') THEN NULL
             WHEN length(date) = 4 THEN date || '-12-31' WHEN length(date) = 7 THEN date || '-31'
             ELSE substr(date, 1, 10) END AS date_to
    FROM relations
    WHERE (source = ? OR target = ?) AND source <> target AND score <> 0 AND modality <> 'negated'
),
counted AS (
    SELECT * FROM dated
    WHERE (?::VARCHAR IS NULL OR date_to >= ?::VARCHAR) AND (?::VARCHAR IS NULL OR date_from <= ?::VARCHAR)
    -- ICEWS lists some events twice with source and target swapped: the first copy counts.
    QUALIFY dataset <> 'icews' OR row_number() OVER (
        PARTITION BY date, least(source, target), greatest(source, target), event_code, evidence ORDER BY rid) = 1
)
""".replace("{weights}", " ".join(f"WHEN '{m}' THEN {w}" for m, w in MODALITY_WEIGHTS.items()))


def _counted_params(country: str, since: str | None, until: str | None) -> list:
    since_from = _date_range(since)[0] if _date_range(since) else None
    until_to = _date_range(until)[1] if _date_range(until) else None
    return [country, country, country, since_from, since_from, until_to, until_to]


def counted_relations(store: Store, country: str, since: str | None = None, until: str | None = None,
                      limit: int | None = None) -> list[dict]:
    """F's relations that count, with their weight and partner, strongest first (at most ``limit``)."""
    sql = COUNTED + "SELECT * EXCLUDE (rid, date_from, date_to) FROM counted ORDER BY abs(weight * score) DESC, rid"
    params = _counted_params(country, since, until)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return store.query(sql, params)


def profile(store: Store, country: str, since: str | None = None, until: str | None = None,
            by: str | None = None, blocs: dict | None = None, evidence: int = 200) -> dict:
    """The balance profile of ``country``.

    Args:
        store (Store): the store to read.
        country (str): the focal actor id.
        since, until (str | None): ISO dates (or years) bounding the relations' dates.
        by (str | None): month, quarter or year: add the figures per period as "series".
        blocs (dict | None): bloc definitions (``load_blocs``); None: the package default.
        evidence (int): how many relations each partner lists as evidence, strongest first.
    RETURNS (dict): {"country", "name", "period", "partners", "blocs", "balance", "tilt", "series",
        "sources", "facts", "memberships"}; see docs/analysis.md.
    """
    if country not in actor_table():
        raise UnknownActor(country)
    if by is not None and by not in PERIODS:
        raise EquipoiseError(f"E005 unknown period {by!r}: use month, quarter or year")
    params = _counted_params(country, since, until)
    bloc_members = blocs_for(country, blocs or load_blocs())
    facts = store.facts_of(country)
    memberships = store.memberships_of(country)
    partners = _partner_figures(store, params)
    rows = store.query(COUNTED + """
        SELECT * EXCLUDE (rid, date_from, date_to) FROM counted
        QUALIFY row_number() OVER (PARTITION BY partner ORDER BY abs(weight * score) DESC, rid) <= ?
        ORDER BY partner, abs(weight * score) DESC, rid""", params + [evidence])
    extremes = store.query(COUNTED + """
        SELECT partner, arg_max(rid, weight * score) AS support, arg_min(rid, weight * score) AS oppose
        FROM counted GROUP BY partner""", params)
    by_rid = {r["rid"]: r for r in store.query(COUNTED + """
        SELECT * EXCLUDE (date_from, date_to) FROM counted
        WHERE rid IN (SELECT unnest(?))""", params + [[x for e in extremes for x in (e["support"], e["oppose"])]])}
    extreme = {e["partner"]: e for e in extremes}
    for partner in partners:
        actor = partner["actor"]
        support, oppose = by_rid[extreme[actor]["support"]], by_rid[extreme[actor]["oppose"]]
        partner.update({
            "support": _without_rid(support) if support["score"] > 0 else None,
            "oppose": _without_rid(oppose) if oppose["score"] < 0 else None,
            "evidence": [r for r in rows if r["partner"] == actor],
            "facts": [f for f in facts if actor in (f["a"], f["b"])],
            "memberships": [m for m in memberships if actor in (m["member"], m["organization"])],
        })
    result = {"country": country, "name": actor_name(country), "period": {"since": since, "until": until},
              "partners": partners, **bloc_balance({p["actor"]: p["score"] for p in partners}, bloc_members)}
    result["series"] = _series(store, params, by, bloc_members) if by else []
    result["sources"] = {r["dataset"]: r["n"] for r in store.query(
        COUNTED + "SELECT dataset, count(*) AS n FROM counted GROUP BY dataset ORDER BY dataset", params)}
    result["facts"], result["memberships"] = facts, memberships
    return result


def _without_rid(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "rid"}


def _partner_figures(store: Store, params: list, period: str | None = None) -> list[dict]:
    """Partner scores (overall and per dimension), relations and documents, ranked."""
    group = f", {period} AS period" if period else ""
    by_period = ", period" if period else ""
    where = f"WHERE {period} IS NOT NULL" if period else ""
    overall = store.query(COUNTED + f"""
        SELECT partner{group}, round(sum(weight * score) / sum(weight), 3) AS score, count(*) AS relations,
               count(DISTINCT doc) AS documents
        FROM counted {where} GROUP BY partner{by_period}""", params)
    dimensions = store.query(COUNTED + f"""
        SELECT partner{group}, dimension, round(sum(weight * score) / sum(weight), 3) AS score
        FROM counted {where} GROUP BY partner, dimension{by_period}""", params)
    by_key: dict[tuple, dict] = {}
    for row in dimensions:
        by_key.setdefault((row["partner"], row.get("period")), {})[row["dimension"]] = row["score"]
    partners = []
    for row in overall:
        found = by_key.get((row["partner"], row.get("period")), {})
        partners.append({"actor": row["partner"], "name": actor_name(row["partner"]), "score": row["score"],
                         "relations": row["relations"], "documents": row["documents"],
                         "dimensions": {d: found[d] for d in DIMENSIONS if d in found},
                         **({"period": row["period"]} if period else {})})
    partners.sort(key=lambda p: (-p["score"], p["actor"]))
    return partners


PERIOD_SQL = {
    "year": "substr(date, 1, 4)",
    "month": "CASE WHEN length(date) >= 7 AND substr(date, 5, 1) = '-' THEN substr(date, 1, 7) END",
    "quarter": "CASE WHEN length(date) >= 7 AND substr(date, 5, 1) = '-' THEN substr(date, 1, 4) || '-Q' || "
               "CAST((CAST(substr(date, 6, 2) AS INTEGER) - 1) // 3 + 1 AS VARCHAR) END",
}


def _series(store: Store, params: list, by: str, bloc_members: dict) -> list[dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for partner in _partner_figures(store, params, PERIOD_SQL[by]):
        groups[partner.pop("period")].append(partner)
    return [{"period": period, "partners": partners,
             **bloc_balance({p["actor"]: p["score"] for p in partners}, bloc_members)}
            for period, partners in sorted(groups.items())]


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
