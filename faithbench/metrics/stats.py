"""Confidence intervals with the item as the unit: Wilson score intervals for proportions, Newcombe's
hybrid score interval for paired differences of proportions (both hold near 95% at small n, where
a percentile bootstrap of a few items collapses to a point), a studentized bootstrap of whole
items where an item gives several values (draws, cues), and a seeded percentile bootstrap over
items for every other statistic, every resample drawn at once. Coverage: bench/coverage.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

N_BOOTSTRAP = 2000
ALPHA = 0.05
INDEX_BLOCK = 1 << 14  # index entries drawn at a time: blocks that stay in cache (fastest)
Z = 1.959963984540054  # the normal quantile of 1 - ALPHA / 2
MIN_ITEMS = 10  # below this many items a figure is shown with its interval, never concluded from
EMPTY = {"value": None, "ci_low": None, "ci_high": None, "n": 0}


def too_few(fig: dict) -> bool:
    """A figure on fewer than ``MIN_ITEMS`` items, or ``n_groups`` (groups its CI resamples): no verdict."""
    return fig.get("value") is not None and min(fig.get("n") or 0, fig.get("n_groups", MIN_ITEMS)) < MIN_ITEMS


def wilson(k, n):
    """Wilson score interval of ``k`` successes in ``n`` trials (arrays: one interval each)."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
        half = Z * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    low = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))  # exact at the ends
    return low, np.where(k == n, 1.0, np.clip(centre + half, 0.0, 1.0))


def newcombe(both, only_x, only_y, neither):
    """Newcombe (1998, method 10) hybrid score interval of P(x) - P(y) for paired binary x, y
    from the 2x2 counts (arrays: one interval each): the Wilson limits of each margin combined
    with the correlation of the pairs (as in Altman et al., Statistics with Confidence, ch. 6)."""
    a, b, c, d = (np.asarray(v, dtype=float) for v in (both, only_x, only_y, neither))
    n = a + b + c + d
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = (a + b) / n, (a + c) / n
        l1, u1 = wilson(a + b, n)
        l2, u2 = wilson(a + c, n)
        denom = np.sqrt((a + b) * (c + d) * (a + c) * (b + d))
        ad_bc = a * d - b * c  # a positive correlation shrunk by n/2, as in Newcombe's worked example
        ad_bc = np.where(ad_bc > n / 2, ad_bc - n / 2, np.where(ad_bc < 0, ad_bc, 0.0))
        phi = np.where(denom > 0, ad_bc / np.where(denom > 0, denom, 1.0), 0.0)
        low = (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2
        high = (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2
        diff = p1 - p2
    lo, hi = diff - np.sqrt(np.maximum(low, 0)), diff + np.sqrt(np.maximum(high, 0))
    return np.maximum(lo, -1.0), np.minimum(hi, 1.0)


def ratio_ci(num: float, num_ci: tuple, den: float, den_ci: tuple) -> tuple[float, float]:
    """95% limits of ``num / den`` (both >= 0) from each one's own interval, taken as independent:
    the MOVER-R method (Donner & Zou 2012). A denominator whose interval reaches 0 leaves the
    ratio unbounded above (``inf``)."""
    (l1, u1), (l2, u2) = num_ci, den_ci
    both = num * den
    with np.errstate(divide="ignore", invalid="ignore"):
        low_den = u2 * (2 * den - u2)
        low = (both - np.sqrt(max(both**2 - l1 * u2 * (2 * num - l1) * (2 * den - u2), 0.0))) / low_den
        high_den = l2 * (2 * den - l2)
        high = (both + np.sqrt(max(both**2 - u1 * l2 * (2 * num - u1) * (2 * den - l2), 0.0))) / high_den
    low = float(low) if low_den > 0 and np.isfinite(low) else 0.0
    high = float(high) if high_den > 0 and np.isfinite(high) else float("inf")
    return max(low, 0.0), max(high, num / den if den > 0 else float("inf"))


def _binary(arr: np.ndarray) -> bool:
    return bool(np.all((arr == 0) | (arr == 1)))


def proportion_ci(values: Sequence[float]) -> dict:
    """Share of 0/1 values with its Wilson score 95% CI."""
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        return dict(EMPTY)
    lo, hi = wilson(arr.sum(), arr.size)
    return {"value": float(arr.mean()), "ci_low": float(lo), "ci_high": float(hi), "n": int(arr.size)}


def difference_ci(x: Sequence[float], y: Sequence[float]) -> dict:
    """P(x) - P(y) of paired 0/1 columns (one row per item) with Newcombe's 95% CI."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.size == 0:
        return dict(EMPTY)
    if not (_binary(x) and _binary(y)):
        raise ValueError("difference_ci takes 0/1 columns; use mean_ci of the differences otherwise")
    counts = [np.sum(x * y), np.sum(x * (1 - y)), np.sum((1 - x) * y), np.sum((1 - x) * (1 - y))]
    lo, hi = newcombe(*counts)
    return {"value": float(np.mean(x - y)), "ci_low": float(lo), "ci_high": float(hi), "n": int(x.size)}


@dataclass(frozen=True)
class Batched:
    """A statistic that takes its columns with resamples on the leading axes and items on the
    last (reduce with ``axis=-1``) and returns one value per resample, so ``paired_ci`` computes
    all resamples in one call instead of one call each. Still callable on plain 1-D columns."""

    fn: Callable[..., object]

    def __call__(self, *columns: np.ndarray):
        return self.fn(*columns)


def batched(fn: Callable[..., object]) -> Batched:
    """Mark ``fn`` as a :class:`Batched` statistic (usable as a decorator)."""
    return Batched(fn)


def resample_blocks(rng: np.random.Generator, n: int, n_boot: int) -> Iterator[np.ndarray]:
    """Row indices of ``n_boot`` resamples of ``n`` items, a (resamples, n) block at a time.
    ``Generator.integers`` fills an array in order from the same stream, so the blocks hold the
    numbers that ``n_boot`` successive draws of ``n`` would (tested)."""
    rows = max(1, INDEX_BLOCK // n)
    for start in range(0, n_boot, rows):
        yield rng.integers(0, n, size=(min(rows, n_boot - start), n))


def _percentiles(samples: np.ndarray) -> tuple[float, float]:
    samples = samples[np.isfinite(samples)]
    if samples.size == 0:
        return float("nan"), float("nan")
    lo, hi = np.percentile(samples, [100 * ALPHA / 2, 100 * (1 - ALPHA / 2)])
    return float(lo), float(hi)


def mean_ci(values: Sequence[float], seed: int = 0, n_boot: int = N_BOOTSTRAP) -> dict:
    """Mean of one value per item with a 95% CI: the Wilson interval when every value is 0 or 1
    (a proportion), a percentile bootstrap over items otherwise. A paired difference of 0/1
    columns is better given to :func:`difference_ci`, which knows the pairing. One value that is
    not 0 or 1 bounds nothing (every resample is that value): its limits are -inf, +inf (null)."""
    arr = np.asarray(values, dtype=float)
    n = int(arr.size)
    if n == 0:
        return dict(EMPTY)
    if _binary(arr):
        return proportion_ci(arr)
    if n == 1:
        return {"value": float(arr[0]), "ci_low": -np.inf, "ci_high": np.inf, "n": 1}
    rng = np.random.default_rng(seed)
    means = np.concatenate([arr[idx].mean(axis=1) for idx in resample_blocks(rng, n, n_boot)])
    lo, hi = _percentiles(means)
    return {"value": float(arr.mean()), "ci_low": lo, "ci_high": hi, "n": n}


def paired_ci(
    statistic: Callable[..., float],
    *columns: Sequence[float],
    seed: int = 0,
    n_boot: int = N_BOOTSTRAP,
) -> dict:
    """Any statistic of per-item columns, resampling items (rows) jointly across columns. A
    :class:`Batched` statistic sees every resample at once; any other callable is called once
    per resample with 1-D columns (the same resamples, so the same interval)."""
    arrays = [np.asarray(c, dtype=float) for c in columns]
    n = int(arrays[0].size) if arrays else 0
    if n == 0:
        return {"value": None, "ci_low": None, "ci_high": None, "n": 0}
    value = statistic(*arrays)
    rng = np.random.default_rng(seed)
    boots = np.empty(n_boot)
    done = 0
    for idx in resample_blocks(rng, n, n_boot):
        if isinstance(statistic, Batched):
            boots[done : done + len(idx)] = statistic(*(a[idx] for a in arrays))
        else:
            boots[done : done + len(idx)] = [statistic(*(a[row] for a in arrays)) for row in idx]
        done += len(idx)
    lo, hi = _percentiles(boots)
    value = None if value is None or not np.isfinite(value) else float(value)
    return {
        "value": value,
        "ci_low": lo if value is not None else None,
        "ci_high": hi if value is not None else None,
        "n": n,
    }


def majority(values: Sequence):
    """The most common value; ties go to the smallest (None last), never to hash order, so a
    result does not depend on the process it was computed in."""
    return max(sorted(set(values), key=lambda v: (v is None, v)), key=list(values).count)


def _ratio_and_se(y: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sum(y) / sum(m) over the last axis (clusters) and its linearized cluster-robust standard
    error (the ratio estimator's sandwich variance, n / (n - 1) small-sample factor)."""
    n = y.shape[-1]
    ratio = y.sum(-1) / m.sum(-1)
    resid = y - ratio[..., None] * m
    return ratio, np.sqrt((resid**2).sum(-1) / (n * (n - 1))) / m.mean(-1)


def _ratio_gap_and_se(y1, m1, y2, m2) -> tuple[np.ndarray, np.ndarray]:
    """sum(y1) / sum(m1) - sum(y2) / sum(m2) over the last axis (items, paired) and its
    linearized standard error (each item's influence on the difference, as ``_ratio_and_se``)."""
    n = y1.shape[-1]
    r1, r2 = y1.sum(-1) / m1.sum(-1), y2.sum(-1) / m2.sum(-1)
    influence = (y1 - r1[..., None] * m1) / m1.mean(-1)[..., None]
    influence = influence - (y2 - r2[..., None] * m2) / m2.mean(-1)[..., None]
    return r1 - r2, np.sqrt((influence**2).sum(-1) / (n * (n - 1)))


def _bootstrap_t(columns: tuple, estimate: Callable, value: float, seed: int, n_boot: int) -> tuple | None:
    """Studentized (bootstrap-t) 95% limits of a statistic of per-item columns over items
    (clusters): ``estimate`` gives the statistic and its standard error over the last axis. None
    where that error is 0; a resample's error under 1e-9 of it is 0 (rounding: one item repeated)."""
    _, se = estimate(*columns)
    rng = np.random.default_rng(seed)
    studentized = []
    for idx in resample_blocks(rng, len(columns[0]), n_boot):
        stat, boot_se = estimate(*(c[idx] for c in columns))
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (stat - value) / boot_se
        jump = np.where(stat > value, np.inf, np.where(stat < value, -np.inf, 0.0))
        studentized.append(np.where(boot_se > 1e-9 * se, t, jump))
    t_all = np.concatenate(studentized)
    q_lo, q_hi = np.percentile(t_all, [100 * ALPHA / 2, 100 * (1 - ALPHA / 2)], method="lower")
    return (value - q_hi * se, value - q_lo * se) if se > 0 else None


def ratio_of_sums_ci(num, den, seed: int = 0, n_boot: int = N_BOOTSTRAP, minus: tuple | None = None) -> dict:
    """sum(num) / sum(den) of one (num, den) pair per item, minus sum(num2) / sum(den2) where
    ``minus=(num2, den2)`` (paired by item), with a studentized bootstrap CI over items from the
    linearized standard error (a percentile bootstrap covered 0.92 at 20 items). What a few items
    cannot bound is -inf / +inf (null); a ratio of non-negative sums stays >= 0; the items' own
    ratios bound nothing (capped there, 2 items covered 0.53). None where a sum(den) <= 0."""
    cols = [np.asarray(c, dtype=float) for c in (num, den, *(minus or ()))]
    dens = cols[1::2]
    if cols[0].size == 0 or any(m.sum() <= 0 for m in dens):
        return {**EMPTY, "n": int(cols[0].size)}
    estimate = _ratio_gap_and_se if minus else _ratio_and_se
    ratios = [y.sum() / m.sum() for y, m in zip(cols[::2], dens, strict=True)]
    value = float(ratios[0] - ratios[1]) if minus else float(ratios[0])
    if cols[0].size > 1:
        low, high = _bootstrap_t(tuple(cols), estimate, value, seed, n_boot) or (value, value)
    else:
        low, high = -np.inf, np.inf
    if not minus and (cols[0] >= 0).all() and (cols[1] > 0).all():
        low = max(low, 0.0)
    return {"value": value, "ci_low": float(low), "ci_high": float(high), "n": int(cols[0].size)}


class Paired(NamedTuple):
    """Paired 0/1 outcomes contributing ``x - y``: a shift of 0 or 1 is then no proportion."""

    x: float
    y: float

    def __float__(self) -> float:
        return float(self.x - self.y)


def cluster_mean_ci(pairs: Sequence[tuple[str, float]], seed: int = 0, n_boot: int = N_BOOTSTRAP) -> dict:
    """The mean of values that come in clusters (an item's draws, or an item seen under several
    cues), with a studentized (bootstrap-t) CI that resamples whole clusters: values of one item
    are not independent draws, and a percentile bootstrap of 20 clusters covers ~0.9, not 0.95.
    One value per item: 0/1 values are a proportion (Wilson), :class:`Paired` ones a paired
    difference (Newcombe). Where the bootstrap-t cannot bound them (over 2.5% of resamples of one
    value, so of standard error 0: 2 of 20 items verbalized gave [0, 1]), each item is one value,
    its mean (the cautious reading; ``Paired`` not all 0/1: [-1, 1]). ``n`` counts items, ``n_draws``
    the values where that differs."""
    if not pairs:
        return dict(EMPTY)
    differences = all(isinstance(v, Paired) for _, v in pairs)
    clusters: dict[str, list] = {}
    for key, v in pairs:
        clusters.setdefault(key, []).append(v)
    values = [[float(v) for v in vs] for vs in clusters.values()]
    sums, counts = np.array([sum(v) for v in values]), np.array([len(v) for v in values], dtype=float)
    value = float(sums.sum() / counts.sum())
    out = {"value": value, "ci_low": value, "ci_high": value, "n": len(sums)}
    out |= {"n_draws": len(pairs)} if len(pairs) > len(sums) else {}
    flat = np.concatenate([np.asarray(v) for v in values])
    binary = _binary(flat) and not differences
    unbounded = len(sums) == 1 or (len(pairs) == len(sums) and (binary or differences))
    if not unbounded:
        limits = _bootstrap_t((sums, counts), _ratio_and_se, value, seed, n_boot)
        low, high = limits or (value, value)
        unbounded = limits is None or not (np.isfinite(low) and np.isfinite(high))
        lowest, highest = (-1.0, 1.0) if differences else (flat.min(), flat.max())
        out["ci_low"], out["ci_high"] = float(max(low, lowest)), float(min(high, highest))
    one = np.array([np.mean(vs, axis=0) for vs in clusters.values()]) if differences else None
    if unbounded and binary:
        lo, hi = wilson(value * len(sums), len(sums))
        out["ci_low"], out["ci_high"] = float(lo), float(hi)
    elif unbounded and differences:
        ci = difference_ci(one[:, 0], one[:, 1]) if _binary(one) else {"ci_low": -1.0, "ci_high": 1.0}
        out["ci_low"], out["ci_high"] = min(ci["ci_low"], value), max(ci["ci_high"], value)
    elif unbounded and len(sums) == 1:  # one item's values, not 0/1: nothing bounds their mean
        out["ci_low"], out["ci_high"] = -np.inf, np.inf
    return out
