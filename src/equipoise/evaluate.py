"""Evaluation against article gold, scored as docs/gold-format.md says.

An extracted relation is reduced to its key (unordered pair, dimension, sign of
score); negated relations and zero scores are left out. recall = |E ∩ R| / |R|,
precision = |E ∩ R| / |E − (O − R)|, where R are the required keys and O the
optional ones (a key that is both required and optional counts as required, so
that precision is exactly the hits over the hits and the listed false items). Memberships match on member, organisation and status; facts on
the unordered pair and a value within 1%. The profile holds when the focal
actor's top and bottom partners (plain mean of counted scores) match the gold
(a null one is not checked) and every positive, negative and mixed partner has
that sign; each of those is one profile check. Several articles are summed
into micro-averaged figures (``micro_average``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Iterable


def relation_key(record: dict) -> tuple | None:
    if record["modality"] == "negated" or record["score"] == 0 or record["source"] == record["target"]:
        return None
    return (frozenset((record["source"], record["target"])), record["dimension"], "+" if record["score"] > 0 else "-")


def gold_key(item: dict) -> tuple:
    return (frozenset(item["pair"]), item["dimension"], item["polarity"])


def score_article(gold: dict, records: Iterable[dict]) -> dict:
    """Score one article's extracted records against its gold.

    RETURNS (dict): recall, precision, actor/membership/fact/profile results, and every
        missed and false item with its sentence.
    """
    records = list(records)
    relations = [r for r in records if r["kind"] == "relation"]
    extracted: dict[tuple, list[dict]] = defaultdict(list)
    for relation in relations:
        key = relation_key(relation)
        if key is not None:
            extracted[key].append(relation)
    required = {gold_key(item): item for item in gold["relations"]}
    optional = {gold_key(item) for item in gold.get("relations_optional", [])} - set(required)
    hits = set(extracted) & set(required)
    counted = set(extracted) - optional
    mentioned = {r["actor"] for r in records if r["kind"] == "mention"}
    memberships = {(r["member"], r["organization"], r["status"]) for r in records if r["kind"] == "membership"}
    facts = [r for r in records if r["kind"] == "fact"]
    result = {
        "recall": len(hits) / len(required) if required else 1.0,
        "precision": len(hits) / len(counted) if counted else 1.0,
        "required": len(required),
        "found": len(hits),
        "missed": [_describe(key, required[key]["evidence"]) for key in required if key not in hits],
        "false": [_describe(key, extracted[key][0]["evidence"], extracted[key][0]["rule"])
                  for key in sorted(counted - hits, key=str)],
        "actors_missed": sorted(set(gold["actors"]) - mentioned),
        "memberships": _found(gold.get("memberships", []),
                              lambda m: (m["member"], m["organization"], m["status"]) in memberships),
        "facts": _found(gold.get("facts", []), lambda f: any(_fact_matches(f, r) for r in facts)),
        "profile": score_profile(gold, relations),
    }
    return result


def _describe(key: tuple, evidence: str, rule: str | None = None) -> dict:
    pair, dimension, sign = key
    item = {"pair": sorted(pair), "dimension": dimension, "polarity": sign, "evidence": evidence}
    if rule:
        item["rule"] = rule
    return item


def _found(items: list[dict], test) -> dict:
    missed = [item for item in items if not test(item)]
    return {"total": len(items), "found": len(items) - len(missed), "missed": missed}


def _fact_matches(gold: dict, record: dict) -> bool:
    if set(gold["pair"]) != set(record["pair"]):
        return False
    return abs(record["value"] - gold["value"]) <= 0.01 * abs(gold["value"])


def partner_scores(focal: str, relations: Iterable[dict]) -> dict[str, list[float]]:
    """The counted scores between the focal actor and each partner, in either direction."""
    scores: dict[str, list[float]] = defaultdict(list)
    for r in relations:
        if relation_key(r) is None or focal not in (r["source"], r["target"]) or r["source"] == r["target"]:
            continue
        partner = r["target"] if r["source"] == focal else r["source"]
        scores[partner].append(r["score"])
    return scores


def score_profile(gold: dict, relations: list[dict]) -> dict:
    expected = gold.get("profile")
    if not expected:
        return {"holds": True, "checks": 0, "passed": 0, "problems": []}
    scores = partner_scores(gold["focal"], relations)
    means = {p: sum(s) / len(s) for p, s in scores.items()}
    top = max(means, key=means.get) if means else None
    bottom = min(means, key=means.get) if means else None
    checks: list[tuple[bool, str]] = []  # (holds, what is wrong when it does not)
    if expected.get("top_partner") is not None:
        checks.append((top == expected["top_partner"], f"top partner is {top}, expected {expected['top_partner']}"))
    if expected.get("bottom_partner") is not None:
        checks.append((bottom == expected["bottom_partner"],
                       f"bottom partner is {bottom}, expected {expected['bottom_partner']}"))
    for partner in expected.get("positive", []):
        checks.append((means.get(partner, 0) > 0, f"{partner} should be positive, is {_rounded(means.get(partner))}"))
    for partner in expected.get("negative", []):
        checks.append((means.get(partner, 0) < 0, f"{partner} should be negative, is {_rounded(means.get(partner))}"))
    for partner in expected.get("mixed", []):
        signs = {s > 0 for s in scores.get(partner, [])}
        checks.append((signs == {True, False}, f"{partner} should have relations of both signs"))
    problems = [problem for holds, problem in checks if not holds]
    return {"holds": not problems, "checks": len(checks), "passed": len(checks) - len(problems),
            "problems": problems, "means": {p: round(m, 3) for p, m in sorted(means.items(), key=lambda x: -x[1])}}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def micro_average(results: list[dict]) -> dict:
    """Sum several articles' scores into micro-averaged figures: relation recall, precision and F1
    over all required, found and counted keys; facts and memberships found; profile checks held."""
    found = sum(r["found"] for r in results)
    required = sum(r["required"] for r in results)
    counted = sum(r["found"] + len(r["false"]) for r in results)
    recall = found / required if required else 1.0
    precision = found / counted if counted else 1.0
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return {
        "articles": len(results), "required": required, "found": found, "false": counted - found,
        "recall": recall, "precision": precision, "f1": f1,
        **{name: {"total": sum(r[name]["total"] for r in results), "found": sum(r[name]["found"] for r in results)}
           for name in ("facts", "memberships")},
        "profile_checks": {"total": sum(r["profile"]["checks"] for r in results),
                           "passed": sum(r["profile"]["passed"] for r in results)},
        "actors_missed": sum(len(r["actors_missed"]) for r in results),
    }


def evaluate_article(gold_path: str | Path, fast: bool = False) -> dict:
    """Run the pipeline (``fast``: the rules-only one) on the gold's document (relative to the
    folder holding gold/) and score it."""
    from .api import extract

    gold_path = Path(gold_path)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    document = gold_path.parent.parent / gold["document"]
    result = score_article(gold, extract([document], fast=fast))
    result["gold"] = str(gold_path)
    return result


def _actor_codes(actors: Iterable[str]) -> set[str]:
    """Actor ids plus the generic codes sentence gold uses for them (IGO, NGO)."""
    from .actors import actor_table

    table = actor_table()
    codes = set(actors)
    for actor in actors:
        kind = table.get(actor, {}).get("kind")
        if kind == "organisation":
            codes.add("IGO")
        elif kind == "ngo":
            codes.add("NGO")
    return codes


def _event_matches(predicted: dict, gold: dict) -> bool:
    if gold.get("type"):
        if predicted["type"] != gold["type"]:
            return False
    elif gold.get("quad") is not None and predicted["quad"] != gold["quad"]:
        return False
    gold_actors = set(gold.get("source", [])) | set(gold.get("target", []))
    if not gold_actors:
        return True
    return bool(_actor_codes(predicted["source"] + predicted["target"]) & gold_actors)


def sentence_quad(events: list[dict]) -> int:
    """The quad class of a sentence: its first event's, 0 when it has none."""
    return events[0]["quad"] if events else 0


def score_sentences(gold_rows: list[dict], predictions: dict[str, list[dict]]) -> dict:
    """Score coded sentences against sentence gold (docs/gold-format.md).

    RETURNS (dict): precision, recall, f1 overall and per type, quad accuracy where the
        gold gives a sentence quad, and the sentences with misses or false events.
    """
    totals = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    quad_right = quad_total = 0
    errors = []
    for row in gold_rows:
        predicted = predictions.get(row["id"], [])
        gold_events = row.get("events", [])
        unmatched = list(predicted)
        for gold in gold_events:
            label = gold.get("type") or f"quad {gold.get('quad')}"
            match = next((p for p in unmatched if _event_matches(p, gold)), None)
            if match is not None:
                unmatched.remove(match)
                totals[label]["tp"] += 1
            else:
                totals[label]["fn"] += 1
        for p in unmatched:
            totals[p["type"]]["fp"] += 1
        if unmatched or len(predicted) - len(unmatched) < len(gold_events):
            errors.append({"id": row["id"], "text": row["text"], "gold": gold_events, "predicted": predicted})
        if "quad" in row:
            quad_total += 1
            quad_right += sentence_quad(predicted) == (row["quad"] or 0)
    per_type = {label: _prf(c) for label, c in sorted(totals.items())}
    overall = _prf({k: sum(c[k] for c in totals.values()) for k in ("tp", "fp", "fn")})
    typed = [v for k, v in per_type.items() if not k.startswith("quad")]
    result = {**overall, "macro_f1": round(sum(v["f1"] for v in typed) / len(typed), 4) if typed else None,
              "sentences": len(gold_rows), "per_type": per_type, "errors": errors}
    if quad_total:
        result["quad_accuracy"] = round(quad_right / quad_total, 4)
    return result


def _prf(counts: dict) -> dict:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), **counts}


def evaluate_sentences(path: str | Path, fast: bool = False) -> dict:
    """Code every sentence of a sentence-gold file and score it (``fast``: rules only)."""
    from .api import code_sentences
    from .events import read_gold

    rows = read_gold(path)
    predictions = {coded["id"]: coded["events"] for coded in code_sentences(rows, fast=fast)}
    result = score_sentences(rows, predictions)
    result["gold"] = str(path)
    return result

