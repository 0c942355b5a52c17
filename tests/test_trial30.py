"""Issue 30, checked as a hostile user and a careless plugin author before closing it: cases beyond
the issue's own examples, one test per class found open."""

import json

import pytest
from conftest import fails_cleanly


# -- a results file validate accepts must not crash the commands that read it -----------------------
@pytest.mark.parametrize("date", ["not a date", "2026-13-45T00:00:00", ""])
def test_a_results_date_that_is_no_date_fails_validation_and_export_cleanly(
    run_cli, results_file, tmp_path, date
):
    data = json.loads(results_file.read_text())
    data["date"] = date
    bad = tmp_path / "results.json"
    bad.write_text(json.dumps(data))
    fails_cleanly(run_cli("validate", str(bad)), 2, "'date-time'")
    fails_cleanly(run_cli("export", "--format", "eee", str(bad), "--out", str(tmp_path / "eee")), 2, "date")
    assert not (tmp_path / "eee").exists() or not any((tmp_path / "eee").rglob("*.json"))


# -- numbers that are no numbers, and bounds that keep a run finite ---------------------------------
@pytest.mark.parametrize("kwarg", ["temperature=nan", "temperature=inf", "top_p=nan", "temperature=-inf"])
def test_a_gen_kwarg_that_is_nan_or_infinite_is_refused(run_fake, tmp_path, kwarg):
    fails_cleanly(run_fake(tmp_path, "--gen-kwargs", kwarg, limit=1), 2, "invalid --gen-kwargs")
    assert not (tmp_path / "fake").exists()


def test_num_fewshot_is_bounded(run_fake, tmp_path):
    # unbounded, --num-fewshot 1000000 built prompts for about 20 minutes a task before one request
    fails_cleanly(run_fake(tmp_path, "--num-fewshot", "1000000", limit=1), 2, "--num-fewshot")
    assert not (tmp_path / "fake").exists()
