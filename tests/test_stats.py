import numpy as np
import pytest

from faithbench.metrics.stats import N_BOOTSTRAP, batched, mean_ci, paired_ci, resample_blocks


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


def _loop_paired_ci(statistic, *columns, seed, n_boot=N_BOOTSTRAP):
    """paired_ci as it was: one draw of n indices and one statistic call per resample."""
    arrays = [np.asarray(c, dtype=float) for c in columns]
    n = arrays[0].size
    rng = np.random.default_rng(seed)
    boots = np.empty(n_boot)
    for b in range(n_boot):
        idx = rng.integers(0, n, size=n)
        boots[b] = statistic(*(a[idx] for a in arrays))
    boots = boots[np.isfinite(boots)]
    return tuple(float(x) for x in np.percentile(boots, [2.5, 97.5]))


@pytest.mark.parametrize("n", [1, 2, 3, 7, 20, 201, 3000])
def test_resample_blocks_hold_the_numbers_of_one_draw_per_resample(n):
    loop = np.random.default_rng(5)
    one_per_resample = np.stack([loop.integers(0, n, size=n) for _ in range(300)])
    blocks = list(resample_blocks(np.random.default_rng(5), n, 300))
    assert sum(len(b) for b in blocks) == 300
    assert np.array_equal(np.concatenate(blocks), one_per_resample)
    matrix = np.random.default_rng(5).integers(0, n, size=(300, n))
    assert np.array_equal(matrix, one_per_resample)


@batched
def _ratio_gap(s, h, t, g):
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = s.sum(-1) / h.sum(-1) - t.mean(-1) / g.mean(-1)
    return np.where(h.sum(-1) > 0, gap, np.nan)


@pytest.mark.parametrize("n", [2, 9, 60, 2500])
def test_a_batched_statistic_gives_the_loops_interval_to_the_last_bit(n):
    rng = np.random.default_rng(n)
    hits = rng.integers(0, 2, n)
    hits[0] = 1  # some resamples have none: NaN, left out
    cols = (rng.integers(0, 3, n), hits, rng.random(n), rng.random(n) + 0.1)
    batched_out = paired_ci(_ratio_gap, *cols, seed=11)
    plain_out = paired_ci(lambda *c: float(_ratio_gap(*c)), *cols, seed=11)
    assert batched_out == plain_out
    assert (batched_out["ci_low"], batched_out["ci_high"]) == _loop_paired_ci(_ratio_gap, *cols, seed=11)


def test_a_batched_statistic_sees_all_resamples_in_few_calls():
    shapes = []

    @batched
    def mean(x):
        shapes.append(x.shape)
        return x.mean(-1)

    paired_ci(mean, np.arange(50.0), seed=0)
    assert shapes[0] == (50,) and len(shapes) <= 8 and sum(s[0] for s in shapes[1:]) == N_BOOTSTRAP


@pytest.mark.parametrize("n", [1, 5, 300, 2500])
def test_mean_ci_in_blocks_equals_one_index_matrix(n):
    values = np.random.default_rng(n).random(n)
    idx = np.random.default_rng(4).integers(0, n, size=(N_BOOTSTRAP, n))
    expected = np.percentile(values[idx].mean(axis=1), [2.5, 97.5])
    out = mean_ci(values, seed=4)
    assert (out["ci_low"], out["ci_high"]) == tuple(float(x) for x in expected)
