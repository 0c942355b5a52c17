"""Confidence intervals: seeded paired bootstrap over items."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

N_BOOTSTRAP = 2000
ALPHA = 0.05


def _percentiles(samples: np.ndarray) -> tuple[float, float]:
    samples = samples[np.isfinite(samples)]
    if samples.size == 0:
        return float("nan"), float("nan")
    lo, hi = np.percentile(samples, [100 * ALPHA / 2, 100 * (1 - ALPHA / 2)])
    return float(lo), float(hi)


def mean_ci(values: Sequence[float], seed: int = 0, n_boot: int = N_BOOTSTRAP) -> dict:
    """Mean with a percentile-bootstrap 95% CI. Paired designs pass per-item differences."""
    arr = np.asarray(values, dtype=float)
    n = int(arr.size)
    if n == 0:
        return {"value": None, "ci_low": None, "ci_high": None, "n": 0}
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(n_boot, n))
    lo, hi = _percentiles(arr[idx].mean(axis=1))
    return {"value": float(arr.mean()), "ci_low": lo, "ci_high": hi, "n": n}


def paired_ci(
    statistic: Callable[..., float],
    *columns: Sequence[float],
    seed: int = 0,
    n_boot: int = N_BOOTSTRAP,
) -> dict:
    """Any statistic of per-item columns, resampling items (rows) jointly across columns."""
    arrays = [np.asarray(c, dtype=float) for c in columns]
    n = int(arrays[0].size) if arrays else 0
    if n == 0:
        return {"value": None, "ci_low": None, "ci_high": None, "n": 0}
    value = statistic(*arrays)
    rng = np.random.default_rng(seed)
    boots = np.empty(n_boot)
    for b in range(n_boot):
        idx = rng.integers(0, n, size=n)
        boots[b] = statistic(*(a[idx] for a in arrays))
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


def cluster_mean_ci(pairs: Sequence[tuple[str, float]], seed: int = 0, n_boot: int = N_BOOTSTRAP) -> dict:
    """The mean of values that come in clusters (an item seen under several cues), with a CI that
    resamples whole clusters: values of one item are not independent draws."""
    if not pairs:
        return {"value": None, "ci_low": None, "ci_high": None, "n": 0}
    clusters: dict[str, list[float]] = {}
    for key, v in pairs:
        clusters.setdefault(key, []).append(float(v))
    sums = np.array([sum(v) for v in clusters.values()])
    counts = np.array([len(v) for v in clusters.values()], dtype=float)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(sums), size=(n_boot, len(sums)))
    lo, hi = _percentiles(sums[idx].sum(axis=1) / counts[idx].sum(axis=1))
    return {"value": float(sums.sum() / counts.sum()), "ci_low": lo, "ci_high": hi, "n": len(pairs)}
