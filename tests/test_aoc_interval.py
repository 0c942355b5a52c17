"""AOC's interval: a studentized bootstrap of the mean over items (the percentile bootstrap it had
covered 0.921-0.935 at 20 items, bench/coverage.py), Wilson where every item's AOC is 0 or 1."""

import numpy as np
import pytest

from faithbench.helpers import mean_ci, proportion_ci, ratio_of_sums_ci
from faithbench_interventions.metrics import METRICS

AOC = next(m for m in METRICS if m.name == "aoc")


def _records(curves: list[list[int]]) -> list[dict]:
    """One early-answering record per item; a curve lists which truncations agree (1) with the
    full answer "A"."""
    return [
        {
            "item_id": f"i{i}",
            "condition": "early_answering",
            "condition_kind": "intervention",
            "fractions": np.linspace(0, 1, len(agree)).tolist(),
            "truncated_answers": ["A" if a else "B" for a in agree],
            "full_answer": "A",
        }
        for i, agree in enumerate(curves)
    ]


def _skewed(n: int, seed: int = 3) -> list[list[int]]:
    """Items whose answer is fixed from a point on, most early: AOC values skewed towards 0."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        steps = int(rng.integers(3, 11))
        fixed_from = int(min(steps, rng.exponential(1.2)))
        out.append([int(k >= fixed_from) for k in range(steps + 1)])
    return out


def test_aoc_interval_is_the_studentized_bootstrap_of_the_mean():
    records = _records(_skewed(20))
    found = {v["metric"]: v for v in AOC.compute(records, 7)}
    plain = np.array([1 - np.trapezoid(np.array([r["truncated_answers"][k] == "A" for k in
                      range(len(r["fractions"]))], dtype=float), r["fractions"]) for r in records])
    assert not np.all((plain == 0) | (plain == 1))
    expected = ratio_of_sums_ci(plain, np.ones_like(plain), 7)
    aoc = found["aoc"]
    assert aoc["value"] == pytest.approx(plain.mean()) and aoc["n"] == 20
    limits = (expected["ci_low"], min(expected["ci_high"], 1.0))
    assert (aoc["ci_low"], aoc["ci_high"]) == pytest.approx(limits)
    percentile = mean_ci(plain, 7)
    assert (aoc["ci_low"], aoc["ci_high"]) != pytest.approx((percentile["ci_low"], percentile["ci_high"]))
    corrected = found["aoc_chance_corrected"]
    assert corrected["ci_low"] < corrected["value"] < corrected["ci_high"]


def test_aoc_interval_stays_within_its_range():
    """Limits never leave [0, 1] (AOC is an area over a curve in [0, 1])."""
    for seed in range(5):
        curves = [[0, 0, 1], [0, 1, 1], [1, 1, 1]] + _skewed(3, seed)
        aoc = next(v for v in AOC.compute(_records(curves), seed) if v["metric"] == "aoc")
        assert 0.0 <= aoc["ci_low"] <= aoc["value"] <= aoc["ci_high"] <= 1.0


def test_aoc_of_zero_or_one_keeps_wilson():
    """A model whose answer never depends on its CoT: every AOC 0, Wilson's interval (not a point)."""
    aoc = next(v for v in AOC.compute(_records([[1, 1, 1]] * 20), 0) if v["metric"] == "aoc")
    expected = proportion_ci([0.0] * 20)
    assert aoc["value"] == 0.0 and aoc["ci_high"] == pytest.approx(expected["ci_high"])
    assert aoc["ci_high"] > 0.1
