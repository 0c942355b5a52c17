"""The restructure changed no number: every metric value and CI of a fixed fake-model run equals
the values recorded before it (tests/golden/), and the representational vs predictive table too."""

import json
from pathlib import Path

from conftest import read_results

GOLDEN = json.loads((Path(__file__).parent / "golden" / "fake_all_limit20.json").read_text())
FIELDS = ("value", "ci_low", "ci_high", "n")


def _by_key(metrics: list[dict]) -> dict:
    return {(m["metric"], m["condition"]): tuple(m[f] for f in FIELDS) for m in metrics}


def test_fake_run_reproduces_the_recorded_metrics(run_fake, tmp_path):
    out = tmp_path / "out"
    result = run_fake(out, tasks="all", limit=20)
    assert result.exit_code == 0, result.output
    results = read_results(out)
    builtin = [t for t in GOLDEN["tasks"] if not t.startswith("example_")]
    for task in builtin:
        assert task in results["tasks"], f"built-in task {task} missing"
    compared = [t for t in GOLDEN["tasks"] if t in results["tasks"]]
    for task in compared:
        expected, got = GOLDEN["tasks"][task], results["tasks"][task]
        assert got["version"] == expected["version"]
        assert got["n_items"] == expected["n_items"]
        assert _by_key(got["metrics"]) == _by_key(expected["metrics"]), task
    assert results["faithfulness"] == GOLDEN["faithfulness"]
