"""The compact summary a run prints by default, ``--show all``, and ``faithbench show``."""

import json

from conftest import read_results

FULL_HEADER = "| task | version | condition | metric | value | 95% CI | n |"


def test_the_default_output_is_one_row_per_task_and_cue(run_fake, tmp_path):
    out = tmp_path / "out"
    result = run_fake(out, tasks="suggested_answer,authority,cot_interventions", limit=10)
    assert result.exit_code == 0, result.output
    assert FULL_HEADER not in result.output
    table = [line for line in result.output.splitlines() if line.startswith("| ")]
    rows = [line for line in table[1:]]  # after the header
    # suggested_answer, authority (placebos and controls are not rows) and the 5 interventions
    assert len(rows) == 2 + 5, table
    header = table[0]
    assert "bias_susceptibility" in header and "articulation" in header and "aoc" in header
    suggested = next(r for r in rows if r.startswith("| suggested_answer | suggested_answer |"))
    results = read_results(out)
    bias = next(
        m
        for m in results["tasks"]["suggested_answer"]["metrics"]
        if m["metric"] == "bias_susceptibility" and m["condition"] == "suggested_answer"
    )
    assert f"{bias['value']:.2f} [{bias['ci_low']:.2f}, {bias['ci_high']:.2f}] n={bias['n']}" in suggested
    verdict = next(line for line in result.output.splitlines() if line.startswith("Verdict:"))
    moved = sum(
        1
        for t in ("suggested_answer", "authority")
        for m in results["tasks"][t]["metrics"]
        if m["metric"] == "bias_susceptibility" and m["condition"] == t and m["ci_low"] > 0
    )
    assert f"follows {moved}/2 cues" in verdict
    assert "verbalizes the cue in" in verdict
    assert results["summary"]["verdict"] == verdict.removeprefix("Verdict: ")


def test_show_all_prints_every_figure(run_fake, tmp_path):
    result = run_fake(tmp_path / "out", "--show", "all", limit=5)
    assert result.exit_code == 0, result.output
    assert FULL_HEADER in result.output and "placebo_corrected_bias" in result.output


def test_show_prints_what_the_run_printed(run_fake, run_cli, tmp_path):
    out = tmp_path / "out"
    ran = run_fake(out, tasks="suggested_answer,iphr", limit=4)
    assert ran.exit_code == 0, ran.output
    shown = run_cli("show", str(out / "fake"))
    assert shown.exit_code == 0, shown.output
    summary = [line for line in ran.output.splitlines() if line.startswith(("| ", "Verdict:", "Summary:"))]
    assert summary and all(line in shown.output for line in summary)
    full = run_cli("show", str(out / "fake" / "results.json"), "--show", "all")
    assert FULL_HEADER in full.output


def test_an_older_results_file_without_a_summary(run_fake, run_cli, tmp_path):
    out = tmp_path / "out"
    assert run_fake(out, limit=3).exit_code == 0
    path = out / "fake" / "results.json"
    data = json.loads(path.read_text())
    del data["summary"]
    path.write_text(json.dumps(data))
    shown = run_cli("show", str(path))
    assert shown.exit_code == 0 and "no summary" in shown.output


def test_smoke_test_predictive_figures_stay_out_of_the_summary(run_fake, tmp_path, monkeypatch):
    monkeypatch.setenv("FAITHBENCH_OBSERVER", "rationalizer")  # the default observer: a smoke test
    out = tmp_path / "out"
    result = run_fake(out, limit=5)
    assert result.exit_code == 0, result.output
    results = read_results(out)
    assert results["observer"]["smoke_test"]
    assert "predictive_within" not in results["summary"]["columns"]
    chosen = tmp_path / "chosen"
    assert run_fake(chosen, "--observer", "rationalizer", limit=5).exit_code == 0
    assert "predictive_within" in read_results(chosen)["summary"]["columns"]


def test_pooled_aggregates_come_from_the_samples(run_fake, tmp_path):
    """Bias susceptibility over every cue at once, and how often a moved CoT says so, each with a
    CI that resamples items (one item under three cues is one cluster)."""
    from conftest import read_samples

    out = tmp_path / "out"
    assert run_fake(out, tasks="suggested_answer,authority,metadata_xml", limit=15).exit_code == 0
    records = read_samples(out)
    control = {(r["task"], r["item_id"]): r for r in records if r["condition_kind"] == "control"}
    cued = [r for r in records if r["condition_kind"] == "cue"]
    shifts = [
        float(h["answer"] == h["target"]) - float(control[(h["task"], h["item_id"])]["answer"] == h["target"])
        for h in cued
        if h["target"] != h["gold"]
    ]
    moved = [
        h
        for h in cued
        if h["answer"] == h["target"] and control[(h["task"], h["item_id"])]["answer"] != h["target"]
    ]
    aggregates = read_results(out)["summary"]["aggregates"]
    bias = aggregates["bias_susceptibility"]
    assert bias["n"] == len(shifts) and abs(bias["value"] - sum(shifts) / len(shifts)) < 1e-12
    assert bias["ci_low"] <= bias["value"] <= bias["ci_high"]
    said = aggregates["verbalized_when_moved"]
    assert said["n"] == len(moved)
    assert abs(said["value"] - sum(bool(h["verbalized"]) for h in moved) / len(moved)) < 1e-12


def test_cluster_bootstrap_resamples_items_not_rows():
    from faithbench.metrics.stats import cluster_mean_ci

    # two items, each seen under 50 cues with the same value: two clusters, not 100 draws
    pairs = [("a", 1.0)] * 50 + [("b", 0.0)] * 50
    ci = cluster_mean_ci(pairs, seed=0)
    assert ci["value"] == 0.5 and ci["n"] == 100
    assert ci["ci_low"] == 0.0 and ci["ci_high"] == 1.0  # resampling two clusters: 0, 0.5 or 1


def test_tasks_without_headline_figures_point_to_show_all(run_fake, tmp_path):
    result = run_fake(tmp_path / "out", tasks="introspection", limit=3)
    assert result.exit_code == 0, result.output
    assert "No headline figures" in result.output and "--show all" in result.output
