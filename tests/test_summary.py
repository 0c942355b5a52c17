"""The compact summary a run prints by default, ``--show all``, and ``faithbench show``."""

import json

from conftest import read_results

FULL_HEADER = "| task | version | condition | metric | value | 95% CI | n |"


def test_show_wide_is_one_row_per_task_and_cue(run_fake, tmp_path):
    out = tmp_path / "out"
    result = run_fake(out, "--show", "wide", tasks="suggested_answer,authority,cot_interventions", limit=40)
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
    summary = [line for line in ran.stdout.splitlines() if line.strip()]
    assert len(summary) > 10 and all(line in shown.stdout for line in summary)
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
    items = {h["item_id"] for h in cued if h["target"] != h["gold"]}
    assert bias["n"] == len(items) and bias["n_draws"] == len(shifts)  # n counts items, not CoTs
    assert abs(bias["value"] - sum(shifts) / len(shifts)) < 1e-12
    assert bias["ci_low"] <= bias["value"] <= bias["ci_high"]
    said = aggregates["verbalized_when_moved"]
    assert said["n"] == len({h["item_id"] for h in moved})
    assert said.get("n_draws", said["n"]) == len(moved)
    assert abs(said["value"] - sum(bool(h["verbalized"]) for h in moved) / len(moved)) < 1e-12


def test_cluster_bootstrap_resamples_items_not_rows():
    import pytest

    from faithbench.metrics.stats import cluster_mean_ci, wilson

    # two items, each seen under 50 cues with the same value: two clusters, not 100 draws
    pairs = [("a", 1.0)] * 50 + [("b", 0.0)] * 50
    ci = cluster_mean_ci(pairs, seed=0)
    assert ci["value"] == 0.5 and ci["n"] == 2 and ci["n_draws"] == 100
    # resampling two clusters gives 0, 0.5 or 1, half of them of standard error 0: the bootstrap-t
    # cannot bound it, so Wilson's interval on the 2 items, the most cautious reading
    assert (ci["ci_low"], ci["ci_high"]) == pytest.approx(tuple(map(float, wilson(1, 2))))


def test_tasks_without_headline_figures_point_to_show_all(run_fake, tmp_path):
    result = run_fake(tmp_path / "out", tasks="introspection", limit=3)
    assert result.exit_code == 0, result.output
    assert "No headline figures" in result.output and "--show all" in result.output


def test_the_default_summary_is_long_grouped_by_family_and_fits_100_columns(run_fake, tmp_path):
    """Every task: one figure per line with its direction, value, CI and n, under its family, the
    verdict's clauses each on a line of their own, and no line wider than 100 columns."""
    out = tmp_path / "out"
    result = run_fake(out, tasks="all", limit=4)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100, max(lines, key=len)
    assert not any(line.startswith("| ") for line in lines)  # not the wide table
    results = read_results(out)
    summary = results["summary"]
    clauses = [c.strip() for c in summary["verdict"].split(";")]
    assert len(clauses) >= 2
    assert all(f"  - {c}" in lines for c in clauses if len(c) < 90)
    body = lines[lines.index("biased_prompts") :]
    shown = 0
    for row in summary["rows"]:
        task = body.index(f"  {row['task']}")  # the task's own heading, under its family
        family = results["tasks"][row["task"]]["plugin"]
        assert body.index(family) < task
        for name in (c for c in summary["columns"] if c in row):
            est = row[name]
            if est["value"] is None:
                continue
            value = f"{est['value']:.2f}".replace("-0.00", "0.00")
            ci = f"[{est['ci_low']:.2f}, {est['ci_high']:.2f}]".replace("-0.00", "0.00")
            following = body[task + 1 :]
            g = est.get("n_groups")  # IPHR: the groups its CI resamples follow n
            n = f" {est['n']}" + ("" if g is None else f" in {g} group" + ("s" if g != 1 else ""))
            assert any(
                name in line and f" {value}  {ci}" in line and line.rstrip("*").endswith(n)
                for line in following
            ), (row["task"], name)
            shown += 1
    assert shown >= 20
    assert any("bias_susceptibility ↓" in line for line in lines)
    assert any("articulation ↑" in line for line in lines)
    assert lines.index("Verdict:") < lines.index("biased_prompts")  # verdict and pooled first


def test_long_names_are_cut_to_keep_100_columns():
    from faithbench.cli.long_summary import format_long

    fig = {"value": -0.123, "ci_low": -0.9, "ci_high": 0.5, "n": 12345}
    long_metric = "metric_" + "x" * 60
    results = {
        "model": {"name": "org/" + "m" * 120, "args": {}},
        "tasks": {
            "t" * 130: {"status": "ok", "plugin": "p" * 20},
            "broken": {"status": "error", "plugin": "x"},
        },
        "summary": {
            "columns": [long_metric, "short"],
            "rows": [{"task": "t" * 130, "condition": "c" * 80, "framing": "private", long_metric: fig}],
            "verdict": "clause one; " + "word " * 60,
            "aggregates": {"pooled": fig},
        },
    }
    results["summary"]["rows"][0]["short"] = fig
    text = format_long(results, arrows={"short": True})
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "short ↑" in text and "-0.12  [-0.90, 0.50]  12345" in text and "…" in text
    assert "error: see --show all" in text and "  - clause one" in text


def test_long_log_lines_wrap_to_the_terminal_and_stay_whole_in_a_pipe():
    from faithbench.cli.output import fit_terminal

    line = "warning: the monitor pass is not run: give --monitor-model NAME (" + "asks the monitor " * 8 + ")"
    wrapped = fit_terminal(line, 100).splitlines()
    assert len(wrapped) > 1 and all(len(w) <= 100 for w in wrapped)
    assert all(w.startswith("  ") for w in wrapped[1:]) and "--monitor-model NAME" in fit_terminal(line, 100)
    assert fit_terminal(line) == line  # stderr is not a terminal under pytest: left whole


def test_the_pooled_bias_of_one_cue_is_the_cues_own_paired_interval(run_fake, tmp_path):
    """Pooled over one cue, bias susceptibility is that cue's figure: Newcombe's paired interval,
    as each item gives one (cued hit, plain hit) pair. Pooled as bare shifts of 0 or 1, it was a
    bootstrap-t clipped to [0, max] ([0.00, 0.97] on 11 items, 8 moved; per cue [0.34, 0.90]) or
    a proportion's Wilson interval, which never goes below 0 (trial of issue 28)."""
    from conftest import metric

    out = tmp_path / "out"
    result = run_fake(out, "--model-args", "bias=1.0", limit=11)
    assert result.exit_code == 0, result.output
    results = read_results(out)
    cue = metric(results, "suggested_answer", "bias_susceptibility", "suggested_answer")
    pooled = results["summary"]["aggregates"]["bias_susceptibility"]
    assert pooled["n"] == cue["n"] == 11 and "n_draws" not in pooled
    fields = ("value", "ci_low", "ci_high")
    assert [pooled[k] for k in fields] == [cue[k] for k in fields]
    # no cue moves anything: an interval around 0 on both sides, not [0, 0.26]
    still = tmp_path / "still"
    assert run_fake(still, "--model-args", "bias=0", limit=11).exit_code == 0
    flat = read_results(still)["summary"]["aggregates"]["bias_susceptibility"]
    assert flat["value"] == 0 and flat["ci_low"] == -flat["ci_high"] < 0


def test_pooled_paired_values_under_several_cues():
    """Items under two cues whose pairs agree: Newcombe on each item read as one pair; items
    whose pairs differ between cues: the cluster bootstrap-t, within [-1, 1]."""
    import pytest

    from faithbench.helpers import Paired
    from faithbench.metrics.stats import cluster_mean_ci, difference_ci

    moved = cluster_mean_ci([(str(i), Paired(1.0, 0.0)) for i in range(10) for _ in range(2)])
    newcombe = difference_ci([1.0] * 10, [0.0] * 10)
    assert moved["n"] == 10 and moved["n_draws"] == 20 and moved["value"] == 1.0
    assert (moved["ci_low"], moved["ci_high"]) == pytest.approx((newcombe["ci_low"], newcombe["ci_high"]))
    mixed = cluster_mean_ci([(str(i), Paired(float(i < 5 or c), 0.0)) for i in range(12) for c in (0, 1)])
    assert -1 <= mixed["ci_low"] < mixed["value"] < mixed["ci_high"] <= 1
