"""Issue 28, item 2: figures on a few items that all agree get an interval, never a point (a
percentile bootstrap of them returns one): articulation's p, q and alpha, normalized articulation
through alpha's interval, cue self-report's balanced accuracy, Looking Inward's normalized
introspection; and an end the data cannot bound is printed (-∞ / +∞), not dropped."""

import math

import numpy as np
import pytest

from faithbench.cli.long_summary import _figure
from faithbench.cli.output import _cell, format_table
from faithbench.helpers import alpha_ci, balanced_accuracy_ci, ratio_ci, signed_ratio_ci
from faithbench.metrics.stats import Z, wilson
from faithbench_biased_prompts.metrics import _articulation
from faithbench_introspection.looking_inward import _introspection
from faithbench_introspection.self_report import _self_report


def _records(answers: list[str], said: list[bool]) -> list[dict]:
    """Control answer A, cue target B, 4 options; one cued answer per item."""
    out = []
    for i, (answer, verbalized) in enumerate(zip(answers, said, strict=True)):
        common = {"item_id": f"i{i}", "target": "B", "gold": "A", "n_options": 4}
        out.append({**common, "condition": "control", "condition_kind": "control", "answer": "A"})
        out.append({**common, "condition": "cue", "condition_kind": "cue", "answer": answer,
                    "verbalized": verbalized})
    return out


def _figures(records: list[dict]) -> dict:
    return {v["metric"]: v for v in _articulation(records, 0)}


def test_articulation_parts_on_two_items_that_agree_are_not_points():
    found = _figures(_records(["B", "B"], [True, True]))
    for name in ("articulation_p", "articulation_q", "articulation_alpha"):
        assert found[name]["ci_low"] < found[name]["ci_high"], (name, found[name])
    for name, k in (("articulation_p", 2), ("articulation_q", 0)):  # both moved, none switched
        limits = tuple(float(x) for x in wilson(k, 2))
        assert (found[name]["ci_low"], found[name]["ci_high"]) == pytest.approx(limits)


def test_alpha_score_interval_by_hand():
    """5 items moved, none to a third option, 2 third options: theta = 0 of 5 leavers, Wilson's
    upper limit z^2 / (5 + z^2), q / p up to theta / (1 - theta), alpha down to 1 - that / 2."""
    theta = Z * Z / (5 + Z * Z)
    ci = alpha_ci(np.ones(5), np.zeros(5), np.full(5, 2.0))
    assert ci["value"] == 1.0 and ci["ci_high"] == pytest.approx(1.0)
    assert ci["ci_low"] == pytest.approx(1 - theta / (1 - theta) / 2) == pytest.approx(0.61585, abs=1e-5)
    # 6 moved, 2 to a third option: alpha = 1 - 2 / (2 * 6); theta's Wilson limits on 2 of 8
    lo, hi = (float(x) for x in wilson(2, 8))
    ci = alpha_ci([1] * 6 + [0] * 4, [0] * 6 + [1] * 2 + [0] * 2, [2.0] * 10)
    assert ci["value"] == pytest.approx(1 - 2 / 12)
    assert (ci["ci_low"], ci["ci_high"]) == pytest.approx((1 - hi / (1 - hi) / 2, 1 - lo / (1 - lo) / 2))
    assert alpha_ci([0, 0], [1, 0], [2, 2])["value"] is None  # nothing moved


def test_normalized_articulation_uses_alphas_interval():
    answers = ["B"] * 6 + ["C"] * 2 + ["A"] * 2
    found = _figures(_records(answers, [True] * 3 + [False] * 7))
    said, alpha = found["articulation_V"], found["articulation_alpha"]
    score = alpha_ci([1] * 6 + [0] * 4, [0] * 6 + [1] * 2 + [0] * 2, [2.0] * 10)
    assert (alpha["ci_low"], alpha["ci_high"]) == pytest.approx((score["ci_low"], score["ci_high"]))
    ends = (alpha["ci_low"], alpha["ci_high"])
    low, high = ratio_ci(0.5, (said["ci_low"], said["ci_high"]), alpha["value"], ends)
    norm = found["articulation"]
    assert norm["value"] == pytest.approx(0.5 / (1 - 2 / 12))
    assert (norm["ci_low"], norm["ci_high"]) == pytest.approx((min(low, 1), min(high, 1)))


def test_balanced_accuracy_on_two_items_by_hand():
    """One influenced item reported yes, one uninfluenced reported no: each rate 1 of 1, Wilson
    (1/(1+z^2), 1); the MOVER sum's lower limit 2 - sqrt(2) (1 - 1/(1+z^2)), halved."""
    ci = balanced_accuracy_ci([1, 0], [1, 0])
    w = 1 / (1 + Z * Z)
    assert ci["value"] == 1.0 and ci["ci_high"] == 1.0
    assert ci["ci_low"] == pytest.approx((2 - math.sqrt(2) * (1 - w)) / 2) == pytest.approx(0.43895, abs=1e-4)
    assert balanced_accuracy_ci([1, 1], [1, 0])["value"] is None  # no uninfluenced item


def test_self_report_metric_is_not_a_point_on_two_items():
    records = []
    for i, (answer, yes) in enumerate([("B", True), ("A", False)]):
        common = {"item_id": f"i{i}", "target": "B", "gold": "A", "n_options": 4}
        records.append({**common, "condition": "no_cue", "condition_kind": "control", "answer": "A"})
        records.append({**common, "condition": "suggested_answer", "condition_kind": "cue",
                        "answer": answer, "self_report": yes})
    row = {v["metric"]: v for v in _self_report(records, 0)}["self_report_balanced_accuracy"]
    assert row["value"] == 1.0 and row["ci_low"] == pytest.approx(0.43895, abs=1e-4)


def _normalized(n: int, values: list[str] | None = None) -> dict:
    """Looking Inward's normalized figure on n items, every self-prediction right, no resample;
    the properties alternate "a", "b" (the mode "a" on half the items) unless given."""
    values = values or ["a", "b"] * (n // 2)
    records = [
        {"item_id": f"i{i}", "property": "p", "actual": v, "predicted": v, "resampled": []}
        for i, v in enumerate(values)
    ]
    return {v["metric"]: v for v in _introspection(records, 0)}["introspection_normalized"]


def test_normalized_introspection_is_not_a_point():
    for n in (2, 4):  # the ceiling's margin over the mode cannot be told from 0: unbounded
        ci = _normalized(n)
        assert ci["value"] == 1.0 and ci["ci_low"] == -math.inf and ci["ci_high"] == math.inf
    ci = _normalized(20)
    assert ci["ci_low"] < 0.9 < 1.0 < 1.1 < ci["ci_high"] < math.inf
    assert _normalized(2, ["a", "a"])["value"] is None  # ceiling = mode


def test_signed_ratio_handles_a_negative_numerator():
    low, high = signed_ratio_ci(-0.2, (-0.5, 0.1), 0.5, (0.3, 0.7))
    assert low < -0.4 < high and 0 < high < 0.5
    assert signed_ratio_ci(0.2, (0.1, 0.3), 0.5, (-0.1, 0.7)) == (-math.inf, math.inf)


def test_an_unbounded_end_is_printed():
    fig = {"value": 0.28, "ci_low": None, "ci_high": 1.0, "n": 2, "too_few": True}
    assert _figure(fig) == ("0.28", "[-∞, 1.00]", "2*")
    assert _cell(fig) == "0.28 [-∞, 1.00] n=2*"
    assert _figure({**fig, "ci_low": 0.1, "ci_high": None})[1] == "[0.10, +∞]"
    assert _figure({"value": None, "ci_low": None, "ci_high": None, "n": 0})[1] == ""
    metric = {"metric": "rationalization_gap", "condition": "cue", **fig}
    results = {"tasks": {"t": {"status": "ok", "version": "1", "metrics": [metric]}}}
    assert "| [-∞, 1.000] |" in format_table(results)
