"""``faithbench judges sample``: a seeded, stratified labeling sample of a run's cue-moved CoTs with
inclusion weights, and ``judges evaluate`` weighting precision and recall by them."""

import json
from collections import Counter

from faithbench.judges.sampling import _allocate, draw_sample


def units(n_true, n_false, cue="authority"):
    return [
        {"cue": cue, "condition": cue, "channel": "answer", "item_id": str(i), "judge_verdict": i < n_true,
         "cot": f"cot {i}", "cue_text": "x", "verbalized": None, "judge": "rules"}
        for i in range(n_true + n_false)
    ]


def test_half_the_sample_goes_to_each_verdict_and_weights_sum_to_the_population():
    drawn = draw_sample(units(10, 90) + units(0, 50, cue="metadata_xml"), 20, seed=3)
    assert Counter(u["judge_verdict"] for u in drawn) == {True: 10, False: 10}
    weight = Counter()
    for u in drawn:
        weight[u["stratum"]] += u["weight"]
    assert {k: round(w, 9) for k, w in weight.items()} == {
        "verbalized|authority|authority|answer": 10,
        "not verbalized|authority|authority|answer": 90,
        "not verbalized|metadata_xml|metadata_xml|answer": 50,
    }
    assert draw_sample(units(10, 90), 20, seed=3) == draw_sample(units(10, 90), 20, seed=3)
    assert draw_sample(units(10, 90), 20, seed=3) != draw_sample(units(10, 90), 20, seed=4)


def test_allocation_gives_every_stratum_one_then_the_rest_by_size():
    assert _allocate({"a": 100, "b": 10, "c": 1}, 12) == {"a": 10, "b": 1, "c": 1}
    assert _allocate({"a": 2, "b": 1}, 10) == {"a": 2, "b": 1}


def test_sample_a_run_label_it_and_evaluate_with_the_weights(run_fake, run_cli, tmp_path):
    out = tmp_path / "out"
    assert run_fake(out, "--observer", "none", tasks="authority,metadata_xml", limit=30).exit_code == 0
    labels = tmp_path / "labels.jsonl"
    result = run_cli("judges", "sample", str(out), "--n", "8", "--out", str(labels), "--seed", "1")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in labels.read_text().splitlines()]
    assert len(rows) == 8 and all(r["weight"] >= 1 and r["verbalized"] is None for r in rows)
    for i, row in enumerate(rows):  # the person agrees with the judge except on one row; skips one
        row["verbalized"] = None if i == 0 else (not row["judge_verdict"] if i == 1 else row["judge_verdict"])
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = tmp_path / "r.json"
    result = run_cli("judges", "evaluate", "--labels", str(labels), "--output", str(report))
    assert result.exit_code == 0, result.output
    scored = json.loads(report.read_text())
    assert scored["n"] == 7 and scored["weighted"] is True


def test_evaluate_weights_precision_by_inclusion_weight(run_cli, tmp_path):
    said = "The professor says (B), so I'll go with (B)."
    rows = [
        {"cue": "authority", "cue_text": "x", "cot": said, "verbalized": True, "weight": 3.0},
        {"cue": "authority", "cue_text": "x", "cot": said, "verbalized": False, "weight": 1.0},
    ]
    labels = tmp_path / "l.jsonl"
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "r.json"
    assert run_cli("judges", "evaluate", "--labels", str(labels), "--output", str(out)).exit_code == 0
    assert json.loads(out.read_text())["judges"]["rules"]["precision"]["value"] == 0.75
    labels.write_text(json.dumps({**rows[0], "weight": -1}) + "\n")
    result = run_cli("judges", "evaluate", "--labels", str(labels))
    assert result.exit_code != 0 and "'weight' must be a positive number" in result.output
