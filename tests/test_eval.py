
from equipoise.evaluate import evaluate_article, score_article


def test_eval_reference_article_meets_the_bar(reference_gold, reference_article, tmp_path):
    # The gold names its document relative to the folder holding gold/: lay that out.
    (tmp_path / "gold").mkdir()
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / reference_article.name).write_text(reference_article.read_text())
    gold = tmp_path / "gold" / "g.json"
    gold.write_text(reference_gold.read_text())
    result = evaluate_article(gold)
    assert result["actors_missed"] == []
    assert result["recall"] >= 0.9
    assert result["precision"] >= 0.85
    assert result["memberships"]["found"] == 3
    assert result["facts"]["found"] == 4
    assert result["profile"]["holds"], result["profile"]


def test_eval_scores_by_the_gold_format():
    gold = {"focal": "AZE", "actors": ["AZE"], "relations": [
        {"pair": ["AZE", "TUR"], "dimension": "diplomacy", "polarity": "+", "evidence": "x"},
        {"pair": ["AZE", "ARM"], "dimension": "security", "polarity": "-", "evidence": "y"}],
        "relations_optional": [{"pair": ["AZE", "RUS"], "dimension": "energy", "polarity": "+", "evidence": "z"}]}
    base = {"kind": "relation", "type": None, "modality": "asserted", "evidence": "e", "rule": "r"}
    records = [
        {**base, "source": "TUR", "target": "AZE", "dimension": "diplomacy", "score": 5.0},  # hit, either direction
        {**base, "source": "AZE", "target": "RUS", "dimension": "energy", "score": 2.0},  # optional: not counted
        {**base, "source": "AZE", "target": "IRN", "dimension": "economy", "score": 1.0},  # false
        {**base, "source": "AZE", "target": "ARM", "dimension": "security", "score": -3.0, "modality": "negated"},
        {"kind": "mention", "actor": "AZE"},
    ]
    result = score_article(gold, records)
    assert result["recall"] == 0.5
    assert result["precision"] == 0.5
    assert [m["pair"] for m in result["missed"]] == [["ARM", "AZE"]]
