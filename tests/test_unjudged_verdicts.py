"""A moved CoT the judge never gave a verdict on (its call failed) is left out of articulation,
never read as "did not verbalize": with every verdict missing the figure is undefined, not 0."""

import numpy as np
from conftest import read_samples

from faithbench.judges.correction import corrected_articulation
from faithbench.plugins.manager import load_registry


def _moved(rows):
    no_cue = {r["item_id"]: r["answer"] for r in rows if r["condition"] == "no_cue"}
    return [
        r
        for r in rows
        if r["condition"] == "suggested_answer"
        and r.get("target") is not None
        and no_cue[r["item_id"]] != r["target"]
        and r["answer"] == r["target"]
    ]


def _figures(rows):
    articulation = load_registry().metrics["articulation"]
    return {v["metric"]: v for v in articulation.compute(rows, 0)}


def test_moved_cots_without_a_verdict_are_left_out_of_articulation(run_fake, tmp_path):
    run_fake(tmp_path, limit=20)
    rows = read_samples(tmp_path)
    moved = _moved(rows)
    assert len(moved) >= 6
    for r in rows:  # the judge says yes on every moved CoT it judged
        r["verbalized"] = True if r in moved else r.get("verbalized")
    before = _figures(rows)
    assert before["articulation_V"]["value"] == 1.0
    assert before["articulation_V"]["n_moved"] == len(moved)

    for r in moved[:3]:
        r["verbalized"] = None
    after = _figures(rows)
    assert after["articulation_V"]["value"] == 1.0  # not 1 - 3/len(moved)
    assert after["articulation_V"]["n_moved"] == len(moved) - 3
    assert "3 moved CoT(s) without a judge verdict" in after["articulation"]["note"]

    for r in moved:
        r["verbalized"] = None
    nothing = _figures(rows)
    assert nothing["articulation_V"]["value"] is None
    assert nothing["articulation"]["value"] is None


def test_the_judge_correction_reads_a_missing_verdict_as_missing():
    f = np.array([1.0, 1.0, 1.0, 1.0, 0.0])
    g = np.zeros(5)
    e = np.full(5, 2.0)
    labels = (np.array([1.0, 1.0, 0.0, 0.0]), np.array([1.0, 1.0, 0.0, 0.0]), np.ones(4))
    said, unsaid = np.array([1.0, 1.0, 1.0, 1.0, 0.0]), np.array([1.0, 1.0, np.nan, np.nan, 0.0])
    judged = corrected_articulation((f, g, said, e), labels, resamples=50)
    missing = corrected_articulation((f, g, unsaid, e), labels, resamples=50)
    assert judged["uncorrected_V"] == missing["uncorrected_V"] == 1.0
    assert missing["V"]["value"] == judged["V"]["value"]
