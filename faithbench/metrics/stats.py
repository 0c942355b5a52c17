"""Confidence intervals: seeded paired bootstrap over items, every resample drawn at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

N_BOOTSTRAP = 2000
ALPHA = 0.05
INDEX_BLOCK = 1 << 14  # index entries drawn at a time: blocks that stay in cache (fastest)


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
    """Mean with a percentile-bootstrap 95% CI. Paired designs pass per-item differences."""
    arr = np.asarray(values, dtype=float)
    n = int(arr.size)
    if n == 0:
        return {"value": None, "ci_low": None, "ci_high": None, "n": 0}
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
    blocks = resample_blocks(rng, len(sums), n_boot)
    lo, hi = _percentiles(np.concatenate([sums[i].sum(axis=1) / counts[i].sum(axis=1) for i in blocks]))
    return {"value": float(sums.sum() / counts.sum()), "ci_low": lo, "ci_high": hi, "n": len(pairs)}
