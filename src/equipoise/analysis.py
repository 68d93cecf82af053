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
import uuid
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


# The relations of F that count (see the module docstring) are selected in DuckDB, once per profile,
# into a narrow temporary table (row id, partner, weight, score, dimension, data set, document hash,
# date):
# a profile over millions of stored relations then aggregates a small table and brings into Python
# only the figures and the rows it shows.
WEIGHT_SQL = ("CAST(CASE modality " + " ".join(f"WHEN '{m}' THEN {w}" for m, w in MODALITY_WEIGHTS.items())
              + " END AS DOUBLE)")
PARTNER_SQL = "CASE WHEN source = $country THEN target ELSE source END"
DATE_FROM_SQL = ("CASE WHEN TRY_CAST(substr(date, 1, 4) AS INTEGER) IS NULL THEN NULL WHEN length(date) = 4 "
                 "THEN date || '-01-01' WHEN length(date) = 7 THEN date || '-01' ELSE substr(date, 1, 10) END")
DATE_TO_SQL = ("CASE WHEN TRY_CAST(substr(date, 1, 4) AS INTEGER) IS NULL THEN NULL WHEN length(date) = 4 "
               "THEN date || '-12-31' WHEN length(date) = 7 THEN date || '-31' ELSE substr(date, 1, 10) END")
# A relation counts when it is not negated, not zero, not a domestic event and not an ICEWS twin.
COUNTS_SQL = "source <> target AND score <> 0 AND modality <> 'negated' AND NOT coalesce(twin, false)"
COUNTED_WHERE = f"(source = $country OR target = $country) AND {COUNTS_SQL}"


class Counted:
    """The relations of one profile that count, as a temporary table; use it in a ``with``.

    Args:
        store (Store): the store.
        country (str): the focal actor id.
        since, until (str | None): ISO dates or years bounding the relations' dates.
        dimension (str | None): only relations of this dimension.
        datasets (list[str] | None): only relations from these data sets ("text", "icews" ...).
    """

    def __init__(self, store: Store, country: str, since: str | None = None, until: str | None = None,
                 dimension: str | None = None, datasets: list[str] | None = None):
        self.store, self.name = store, f"counted_{uuid.uuid4().hex}"
        params: dict = {"country": country}
        where = COUNTED_WHERE
        if dimension:
            where += " AND dimension = $dimension"
            params["dimension"] = dimension
        if datasets:
            where += " AND dataset IN (SELECT unnest($datasets))"
            params["datasets"] = list(datasets)
        if _date_range(since):
            where += f" AND {DATE_TO_SQL} >= $since"
            params["since"] = _date_range(since)[0]
        if _date_range(until):
            where += f" AND {DATE_FROM_SQL} <= $until"
            params["until"] = _date_range(until)[1]
        store.db.execute(f"""
            CREATE TEMP TABLE {self.name} AS
            SELECT rowid AS rid, {PARTNER_SQL} AS partner, {WEIGHT_SQL} AS weight, score, dimension, dataset,
                   hash(doc) AS doc, date
            FROM relations WHERE {where}""", params)

    def query(self, sql: str, params: list | dict | None = None) -> list[dict]:
        """Run a query in which ``{counted}`` names the table."""
        return self.store.query(sql.replace("{counted}", self.name), params)

    def rows(self, rids: list[int]) -> dict[int, dict]:
        """The full stored relations of the given row ids, with their partner and weight."""
        found = self.query("""
            SELECT r.* EXCLUDE (twin), c.partner, c.weight, c.rid FROM relations r
            JOIN {counted} c ON r.rowid = c.rid WHERE c.rid IN (SELECT unnest(?))""", [rids])
        return {row.pop("rid"): row for row in found}

    def __enter__(self) -> "Counted":
        return self

    def __exit__(self, *exc) -> None:
        self.store.db.execute(f"DROP TABLE IF EXISTS {self.name}")


def profile(store: Store, country: str, since: str | None = None, until: str | None = None,
            by: str | None = None, blocs: dict | None = None, evidence: int = 200,
            dimension: str | None = None, datasets: list[str] | None = None) -> dict:
    """The balance profile of ``country``.

    Args:
        store (Store): the store to read.
        country (str): the focal actor id.
        since, until (str | None): ISO dates (or years) bounding the relations' dates.
        by (str | None): month, quarter or year: add the figures per period as "series".
        blocs (dict | None): bloc definitions (``load_blocs``); None: the package default.
        evidence (int): how many relations each partner lists as evidence, strongest first.
        dimension (str | None): only relations of this dimension.
        datasets (list[str] | None): only relations from these data sets; facts and memberships,
            which come from text, only when "text" is among them.
    RETURNS (dict): {"country", "name", "period", "partners", "blocs", "balance", "tilt", "series",
        "sources", "facts", "memberships"}; see docs/analysis.md.
    """
    if country not in actor_table():
        raise UnknownActor(country)
    if by is not None and by not in PERIODS:
        raise EquipoiseError(f"E005 unknown period {by!r}: use month, quarter or year")
    if dimension is not None and dimension not in DIMENSIONS:
        raise EquipoiseError(f"E006 unknown dimension {dimension!r}: use one of {', '.join(DIMENSIONS)}")
    bloc_members = blocs_for(country, blocs or load_blocs())
    with_text = not datasets or "text" in datasets
    facts = store.facts_of(country) if with_text else []
    memberships = store.memberships_of(country) if with_text else []
    with Counted(store, country, since, until, dimension, datasets) as counted:
        partners, picks = _partner_figures(counted)
        rows = counted.rows(sorted({rid for pick in picks.values() for rid in (*pick["evidence"], pick["support"],
                                                                             pick["oppose"])}))
        series = _series(counted, by, bloc_members) if by else []
        sources = {r["dataset"]: r["n"] for r in counted.query(
            "SELECT dataset, count(*) AS n FROM {counted} GROUP BY dataset ORDER BY dataset")}
    for partner in partners:
        actor, pick = partner["actor"], picks[partner["actor"]]
        support, oppose = rows[pick["support"]], rows[pick["oppose"]]
        partner.update({
            "support": support if support["score"] > 0 else None,
            "oppose": oppose if oppose["score"] < 0 else None,
            "evidence": [rows[rid] for rid in pick["evidence"]],
            "facts": [f for f in facts if actor in (f["a"], f["b"])],
            "memberships": [m for m in memberships if actor in (m["member"], m["organization"])],
        })
    return {"country": country, "name": actor_name(country), "period": {"since": since, "until": until},
            "partners": partners, **bloc_balance({p["actor"]: p["score"] for p in partners}, bloc_members),
            "series": series, "sources": sources, "facts": facts, "memberships": memberships}


def balance_index(store: Store, actors: list[str], blocs: dict | None = None) -> dict[str, dict]:
    """Balance, tilt and partners of many actors at once, from one aggregate query (the figures of
    ``profile``, without evidence or series): {actor: {"balance", "tilt", "partners", "relations", "top"}}."""
    definition = blocs or load_blocs()
    rows = store.query(f"""
        WITH sides AS (
            SELECT source AS actor, target AS partner, modality, score FROM relations
            WHERE {COUNTS_SQL} AND source IN (SELECT unnest($actors))
            UNION ALL
            SELECT target, source, modality, score FROM relations
            WHERE {COUNTS_SQL} AND target IN (SELECT unnest($actors)))
        SELECT actor, partner, round(sum({WEIGHT_SQL} * score) / sum({WEIGHT_SQL}), 3) AS score, count(*) AS n
        FROM sides GROUP BY actor, partner""", {"actors": list(actors)})
    scores: dict[str, dict[str, float]] = defaultdict(dict)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        scores[row["actor"]][row["partner"]] = row["score"]
        counts[row["actor"]] += row["n"]
    figures = {}
    for actor in actors:
        mine = scores.get(actor, {})
        figures[actor] = {**bloc_balance(mine, blocs_for(actor, definition)), "partners": len(mine),
                          "relations": counts.get(actor, 0),
                          "top": min(mine, key=lambda p: (-mine[p], p)) if mine else None}
    return figures


def _partner_figures(counted: Counted, period: str | None = None,
                     evidence: int = 200) -> tuple[list[dict], dict[str, dict]]:
    """Partner scores overall and per dimension (per period when given), relations and documents,
    ranked; and each partner's strongest supporting and opposing relation and its evidence (row ids)."""
    key, where = (f"{period}", f"WHERE {period} IS NOT NULL") if period else ("NULL", "")
    overall = counted.query(f"""
        SELECT partner, {key} AS period, round(sum(weight * score) / sum(weight), 3) AS score,
               count(*) AS relations, count(DISTINCT doc) AS documents,
               arg_max(rid, weight * score) AS support, arg_min(rid, weight * score) AS oppose,
               max_by(rid, abs(weight * score) * 1e12 - rid, ?) AS evidence
        FROM {{counted}} {where} GROUP BY ALL""", [evidence])
    dimensions = counted.query(f"""
        SELECT partner, {key} AS period, dimension, round(sum(weight * score) / sum(weight), 3) AS score
        FROM {{counted}} {where} GROUP BY ALL""")
    by_key: dict[tuple, dict] = {}
    for row in dimensions:
        by_key.setdefault((row["partner"], row["period"]), {})[row["dimension"]] = row["score"]
    partners, picks = [], {}
    for row in overall:
        found = by_key.get((row["partner"], row["period"]), {})
        partners.append({"actor": row["partner"], "name": actor_name(row["partner"]), "score": row["score"],
                         "relations": row["relations"], "documents": row["documents"],
                         "dimensions": {d: found[d] for d in DIMENSIONS if d in found},
                         **({"period": row["period"]} if period else {})})
        picks[row["partner"]] = {"support": row["support"], "oppose": row["oppose"], "evidence": row["evidence"]}
    partners.sort(key=lambda p: (-p["score"], p["actor"]))
    return partners, picks


PERIOD_SQL = {
    "year": "substr(date, 1, 4)",
    "month": "CASE WHEN length(date) >= 7 AND substr(date, 5, 1) = '-' THEN substr(date, 1, 7) END",
    "quarter": "CASE WHEN length(date) >= 7 AND substr(date, 5, 1) = '-' THEN substr(date, 1, 4) || '-Q' || "
               "CAST((CAST(substr(date, 6, 2) AS INTEGER) - 1) // 3 + 1 AS VARCHAR) END",
}


def _series(counted: Counted, by: str, bloc_members: dict) -> list[dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for partner in _partner_figures(counted, PERIOD_SQL[by], evidence=1)[0]:
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
