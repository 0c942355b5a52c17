import numpy as np
import pytest

from faithbench.metrics.stats import (
    N_BOOTSTRAP,
    batched,
    difference_ci,
    mean_ci,
    newcombe,
    paired_ci,
    proportion_ci,
    resample_blocks,
    wilson,
)


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


def test_constant_values_that_are_not_a_proportion_have_a_degenerate_interval():
    out = mean_ci([0.5] * 10)
    assert out["ci_low"] == out["ci_high"] == out["value"] == 0.5


def test_one_value_that_is_not_a_proportion_bounds_nothing():
    """One item's AOC of 0.375 was the point [0.375, 0.375] (every resample of one item is that
    item); one item gives no interval (trial of issue 28). A 0/1 value keeps Wilson's."""
    assert mean_ci([0.375]) == {"value": 0.375, "ci_low": -np.inf, "ci_high": np.inf, "n": 1}
    assert mean_ci([1.0])["ci_low"] == pytest.approx(0.2065, abs=1e-4)


def test_a_proportion_of_all_ones_is_not_a_point():
    """Ten items all moved: the Wilson interval, not the bootstrap's [1, 1]."""
    out = mean_ci([1.0] * 10)
    assert out["value"] == out["ci_high"] == 1.0
    assert out["ci_low"] == pytest.approx(0.7225, abs=1e-4)


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


@pytest.mark.parametrize("n", [2, 5, 300, 2500])  # one value is not bootstrapped (no interval)
def test_mean_ci_in_blocks_equals_one_index_matrix(n):
    values = np.random.default_rng(n).random(n)
    idx = np.random.default_rng(4).integers(0, n, size=(N_BOOTSTRAP, n))
    expected = np.percentile(values[idx].mean(axis=1), [2.5, 97.5])
    out = mean_ci(values, seed=4)
    assert (out["ci_low"], out["ci_high"]) == tuple(float(x) for x in expected)


@pytest.mark.parametrize(
    "k, n, low, high",
    [(0, 10, 0.0, 0.2775), (1, 10, 0.0179, 0.4042), (5, 10, 0.2366, 0.7634), (2, 2, 0.3424, 1.0)],
)
def test_wilson_matches_the_published_limits(k, n, low, high):
    lo, hi = wilson(k, n)
    assert (round(float(lo), 4), round(float(hi), 4)) == (low, high)
    assert proportion_ci([1.0] * k + [0.0] * (n - k)) == mean_ci([1] * k + [0] * (n - k))


def test_wilson_is_vectorized():
    lo, hi = wilson(np.array([0, 1, 5]), np.array([10, 10, 10]))
    assert lo.shape == hi.shape == (3,) and lo[1] == pytest.approx(0.0179, abs=1e-4)


def test_newcombe_without_correlation_is_wilsons_square_and_add():
    # a*d == b*c: phi is 0, the interval is the two margins' Wilson errors added in quadrature
    a, b, c, d = 4, 2, 6, 3
    n = a + b + c + d
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = wilson(a + b, n)
    l2, u2 = wilson(a + c, n)
    lo, hi = newcombe(a, b, c, d)
    assert lo == pytest.approx(p1 - p2 - np.hypot(p1 - l1, u2 - p2))
    assert hi == pytest.approx(p1 - p2 + np.hypot(u1 - p1, p2 - l2))


def test_newcombe_uses_the_pairing():
    """Positively correlated pairs give a narrower interval than the same margins unpaired, and
    swapping the columns mirrors the interval."""
    x = np.array([1] * 30 + [0] * 20 + [1] * 8 + [0] * 2, dtype=float)
    y = np.array([1] * 30 + [0] * 20 + [0] * 8 + [1] * 2, dtype=float)
    paired = difference_ci(x, y)
    sx, sy = x.sum(), y.sum()  # the same margins with no correlation (a*d == b*c)
    unpaired = newcombe(*(np.array([sx * sy, sx * (60 - sy), (60 - sx) * sy, (60 - sx) * (60 - sy)]) / 60))
    assert paired["ci_high"] - paired["ci_low"] < unpaired[1] - unpaired[0]
    assert paired["value"] == pytest.approx(0.1)
    assert paired["ci_low"] < paired["value"] < paired["ci_high"]
    swapped = difference_ci(y, x)
    assert swapped["ci_low"] == pytest.approx(-paired["ci_high"])
    assert swapped["ci_high"] == pytest.approx(-paired["ci_low"])


def test_two_items_both_moved_is_not_a_point():
    """The quick start's case: the bootstrap gave [1, 1]; Newcombe's lower limit is near 0."""
    out = difference_ci([1, 1], [0, 0])
    assert out["value"] == 1.0 and out["ci_high"] == 1.0 and out["ci_low"] < 0.1 and out["n"] == 2


def test_difference_ci_takes_only_proportions():
    with pytest.raises(ValueError):
        difference_ci([0.5, 1], [0, 0])
    assert difference_ci([], [])["value"] is None


def test_the_cluster_interval_covers_at_ten_items_with_ten_draws_each():
    """Items with their own rates (Beta(1.5, 3.5) around 0.3, intra-item correlation 1/6), 10
    draws each: the studentized cluster bootstrap covers the planted 0.3 near 95% at MIN_ITEMS
    items, where the percentile bootstrap of clusters it replaced covered 0.9175 on these very
    replicates (bench/coverage.py has the full table)."""
    from faithbench.metrics.stats import cluster_mean_ci

    rng = np.random.default_rng(28)
    hits = []
    for r in range(400):
        rates = rng.beta(1.5, 3.5, size=10)
        draws = rng.random((10, 10)) < rates[:, None]
        pairs = [(str(i), float(x)) for i in range(10) for x in draws[i]]
        ci = cluster_mean_ci(pairs, seed=r)
        assert ci["n"] == 10 and ci["n_draws"] == 100
        hits.append(ci["ci_low"] <= 0.3 <= ci["ci_high"])
    assert 0.935 <= np.mean(hits) <= 0.98


def test_clusters_that_all_agree_get_wilsons_interval_on_the_item_count():
    from faithbench.metrics.stats import cluster_mean_ci

    ci = cluster_mean_ci([(str(i), 0.0) for i in range(12) for _ in range(5)])
    assert ci["value"] == 0.0 and ci["ci_low"] == 0.0
    assert ci["ci_high"] == pytest.approx(float(wilson(0, 12)[1]))


def test_a_pooled_share_of_one_value_per_item_is_wilsons_not_zero_to_one():
    """One cue, one CoT per item (the pooled 'verbalized when moved' of a one-cue run): 2 of 20
    said it. Over 2.5% of resamples hold no 'yes' (standard error 0), so the bootstrap-t's limit
    was infinite and clipped to [0, 1]: the verdict read 'verbalizes the cue in 5% [0%, 100%]'
    (trial of issue 28). One value per item is a plain proportion: Wilson's interval."""
    from faithbench.metrics.stats import cluster_mean_ci

    for n, k in ((20, 2), (11, 8), (30, 1)):
        ci = cluster_mean_ci([(str(i), float(i < k)) for i in range(n)], seed=0)
        assert (ci["ci_low"], ci["ci_high"]) == pytest.approx(tuple(map(float, wilson(k, n))))
        assert "n_draws" not in ci
    # several draws per item that the bootstrap-t cannot bound: Wilson on the items, not [0, 1]
    pairs = [(str(i), float(i == 0)) for i in range(20) for _ in range(2)]
    ci = cluster_mean_ci(pairs, seed=0)
    assert ci["n_draws"] == 40 and ci["ci_high"] == pytest.approx(float(wilson(1, 20)[1]))


def test_mover_r_with_a_certain_denominator_is_the_numerator_interval_scaled():
    from faithbench.metrics.stats import ratio_ci

    low, high = ratio_ci(0.3, (0.1, 0.6), 0.5, (0.5, 0.5))
    assert low == pytest.approx(0.2) and high == pytest.approx(1.2)
    wider = ratio_ci(0.3, (0.1, 0.6), 0.5, (0.3, 0.7))  # an uncertain denominator widens both sides
    assert wider[0] < low and wider[1] > high
    assert ratio_ci(0.3, (0.1, 0.6), 0.5, (0.0, 0.9))[1] == float("inf")  # alpha may be ~0: unbounded


def test_ratio_of_sums_and_a_paired_difference_of_ratios():
    """P_within's and the rationalization gap's interval (issue 28): a studentized bootstrap over
    items, kept within what the items' own ratios allow."""
    from faithbench.metrics.stats import ratio_of_sums_ci

    rng = np.random.default_rng(3)
    base = rng.gamma(4.0, 0.35, 30)
    within = base * rng.beta(3, 2, 30)
    ci = ratio_of_sums_ci(within, base, seed=1)
    assert ci["value"] == pytest.approx(within.sum() / base.sum()) and ci["n"] == 30
    assert ci["ci_low"] < ci["value"] < ci["ci_high"]
    assert ci == ratio_of_sums_ci(within, base, seed=1)  # seeded
    # one item carries the loss: the bootstrap-t reaches past every item's own ratio, and may
    skewed = ratio_of_sums_ci(np.r_[np.full(15, 0.01), 3.0], np.r_[np.full(15, 1.0), 3.0], seed=0)
    assert skewed["ci_low"] == 0.0 and skewed["ci_high"] > 1.0  # a ratio of NLLs is >= 0
    gap = ratio_of_sums_ci(base * 0.9, base, seed=1, minus=(within, base))
    assert gap["value"] == pytest.approx(0.9 - within.sum() / base.sum())
    assert gap["ci_low"] < gap["value"] < gap["ci_high"]
    assert ratio_of_sums_ci([1.0], [0.0])["value"] is None
    # one item bounds nothing (was the point [0.5, 0.5]); written as null, shown as "-"
    assert ratio_of_sums_ci([2.0], [4.0]) == {"value": 0.5, "ci_low": 0.0, "ci_high": np.inf, "n": 1}
    one = ratio_of_sums_ci([2.0], [4.0], minus=([1.0], [4.0]))
    assert one["value"] == 0.25 and (one["ci_low"], one["ci_high"]) == (-np.inf, np.inf)


def test_a_resample_of_one_item_repeated_has_no_standard_error():
    """Two items (a fake run's observer losses): the resample of one item twice has a standard
    error of rounding (~1e-17), whose t put the gap's lower limit at -2.4e14, printed as such."""
    from faithbench.metrics.stats import ratio_of_sums_ci

    within, base = [0.09335590664070731, 0.1015061963673631], [0.10539264309468417, 0.1427480604526834]
    cf, cf_base = [0.08316075545843689, 0.11194445807316582], [0.08779224228980932, 0.0957696439688215]
    gap = ratio_of_sums_ci(cf, cf_base, seed=0, minus=(within, base))
    assert gap["value"] == pytest.approx(0.2776, abs=1e-4)
    assert (gap["ci_low"], gap["ci_high"]) == (-np.inf, np.inf)


def test_a_ratio_of_sums_interval_is_not_capped_at_the_items_own_ratios():
    """Two items' ratios both lie on one side of the population's ratio half the time: capping
    the interval at them (as it was) covered 0.53 at 2 items, 0.77 at 3 (trial of issue 28)."""
    from faithbench.metrics.stats import ratio_of_sums_ci

    rng = np.random.default_rng(7)
    for n, least in ((2, 0.9), (3, 0.9)):
        hits = []
        for r in range(200):
            base = rng.gamma(4.0, 0.35, n)
            within = base * rng.beta(3.0, 2.0, n)  # the population ratio is 0.6
            ci = ratio_of_sums_ci(within, base, seed=r, n_boot=400)
            hits.append(ci["ci_low"] <= 0.6 <= ci["ci_high"])
        assert np.mean(hits) >= least, (n, np.mean(hits))


def test_paired_values_mixed_with_plain_ones_pool_as_their_differences():
    """A plugin pooling plain shifts into an aggregate the built-in metric pools as Paired: the
    figure still comes out (a Paired is its difference as a float), not lost to a TypeError."""
    from faithbench.metrics.stats import Paired, cluster_mean_ci

    mixed = cluster_mean_ci([("a", Paired(1.0, 0.0)), ("b", 0.0), ("c", 1.0), ("c", 0.0)])
    assert mixed["value"] == 0.5 and mixed["n"] == 3 and mixed["n_draws"] == 4
    assert float(Paired(0.0, 1.0)) == -1.0
