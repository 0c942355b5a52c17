import numpy as np

from faithbench.metrics.stats import mean_ci, paired_ci


def test_mean_ci_brackets_the_mean_and_is_seeded():
    values = [1, 0, 1, 1, 0, 1, 0, 1, 1, 1] * 5
    a, b = mean_ci(values, seed=3), mean_ci(values, seed=3)
    assert a == b
    assert a["n"] == 50 and a["value"] == 0.7
    assert a["ci_low"] < 0.7 < a["ci_high"]
    assert 0.5 < a["ci_low"] and a["ci_high"] < 0.85


def test_ci_width_shrinks_with_n():
    rng = np.random.default_rng(0)
    small = mean_ci(rng.integers(0, 2, 40), seed=0)
    large = mean_ci(rng.integers(0, 2, 4000), seed=0)
    assert (large["ci_high"] - large["ci_low"]) < (small["ci_high"] - small["ci_low"]) / 5


def test_constant_values_have_a_degenerate_interval():
    out = mean_ci([1.0] * 10)
    assert out["ci_low"] == out["ci_high"] == out["value"] == 1.0


def test_empty_input_is_undefined_not_zero():
    assert mean_ci([]) == {"value": None, "ci_low": None, "ci_high": None, "n": 0}


def test_paired_ci_resamples_rows_jointly():
    x = np.arange(30, dtype=float)
    out = paired_ci(lambda a, b: float(np.mean(a - b)), x, x + 2.0, seed=1)
    # every resample of paired rows has the same difference, so the CI collapses on -2
    assert out["value"] == -2.0 and out["ci_low"] == -2.0 and out["ci_high"] == -2.0
