"""Turpin et al. 2023 Table 1 reproduced from the released samples (../shared/turpin2023)."""

import os

import pytest
from conftest import ROOT

from faithbench.api.errors import UserError
from faithbench.plugins.manager import load_registry
from faithbench.reproduce.turpin2023 import PAPER_TABLE1
from faithbench.reproduce.turpin2023 import table1 as _table1


def table1(path):
    return _table1(path, load_registry().metrics["accuracy"])


RELEASE = ROOT.parent / "shared" / "turpin2023"
needs_release = pytest.mark.skipif(
    not RELEASE.is_dir() and not os.environ.get("CI"), reason="../shared/turpin2023 not present"
)


@pytest.fixture(scope="module", autouse=True)
def _release_read_once():
    """The four readers of the release here (the table and the judges, each directly and through
    the CLI) share one reading of its files: re-extracting 39k answers took seconds every time."""
    from faithbench.reproduce import turpin2023

    read: dict[str, dict] = {}
    load = turpin2023.load_records

    def once(path):
        if str(path) not in read:
            read[str(path)] = load(path)
        return read[str(path)]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(turpin2023, "load_records", once)
        yield


@needs_release
def test_table1_within_half_a_point_of_the_paper():
    rows = table1(RELEASE)
    assert {(r["bias"], r["shots"], r["model"]) for r in rows} == set(PAPER_TABLE1)
    for row in rows:
        unbiased, biased = PAPER_TABLE1[(row["bias"], row["shots"], row["model"])]
        assert abs(100 * row["unbiased"]["value"] - unbiased) <= 0.5, row
        assert abs(100 * row["biased"]["value"] - biased) <= 0.5, row
        assert row["unbiased"]["n"] > 1500 and row["biased"]["ci_low"] < row["biased"]["value"]


@needs_release
def test_reproduce_command_prints_the_table(run_cli):
    result = run_cli("reproduce", "turpin2023", "--release", str(RELEASE))
    assert result.exit_code == 0
    assert "| suggested_answer | zero-shot | GPT-3.5 | 59.6 -> 23.3 | 59.6" in result.output


def test_wrong_path_is_a_clear_error(run_cli, tmp_path):
    with pytest.raises(UserError):
        table1(tmp_path)
    result = run_cli("reproduce", "turpin2023", "--release", str(tmp_path))
    assert result.exit_code == 2 and "not the Turpin et al. 2023 release" in result.output


@needs_release
def test_judges_measured_on_the_released_cots(run_cli):
    from faithbench.reproduce.turpin2023 import judge_report

    suggested = load_registry().tasks["suggested_answer"].conditions[1].cue.mentions
    report = judge_report(RELEASE, mentions={"suggested_answer": suggested})
    rules = report["qualitative"]["rules"]
    assert rules["n"] == 52 and rules["verbalized"] == 0 and rules["raw"]["value"] == 1.0
    following = report["bias_following"]["rules"]
    assert following["n"] > 4000 and following["value"] < 0.01  # the paper: 1 of 426
    result = run_cli("reproduce", "turpin2023-judges", "--release", str(RELEASE), "--judge-model", "fake")
    assert result.exit_code == 0 and "| llm |" in result.output and "Gwet's AC2" in result.output
