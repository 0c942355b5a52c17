"""Agreement between two raters (judges, or a judge and humans): raw, Cohen's kappa, Gwet's AC2."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from faithbench.metrics.stats import paired_ci


def _codes(a: Sequence, b: Sequence) -> tuple[np.ndarray, np.ndarray, int]:
    categories = sorted({*a, *b}, key=str)
    index = {c: i for i, c in enumerate(categories)}
    return (np.array([index[x] for x in a]), np.array([index[x] for x in b]), max(len(categories), 2))


def raw_agreement(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(x == y)) if len(x) else float("nan")


def cohen_kappa(x: np.ndarray, y: np.ndarray, q: int) -> float:
    if not len(x):
        return float("nan")
    pa = np.mean(x == y)
    pe = sum(np.mean(x == k) * np.mean(y == k) for k in range(q))
    return float("nan") if pe >= 1 else float((pa - pe) / (1 - pe))


def gwet_ac2(x: np.ndarray, y: np.ndarray, q: int, weights: np.ndarray | None = None) -> float:
    """Gwet's AC2 for two raters; with identity weights (nominal categories) it equals AC1."""
    if not len(x):
        return float("nan")
    w = np.eye(q) if weights is None else weights
    pa = float(np.mean(w[x, y]))
    pi = np.array([(np.mean(x == k) + np.mean(y == k)) / 2 for k in range(q)])
    tw = w.sum()
    pe = tw / (q * (q - 1)) * float(np.sum(pi * (1 - pi)))
    return float("nan") if pe >= 1 else float((pa - pe) / (1 - pe))


def agreement(a: Sequence, b: Sequence, seed: int = 0) -> dict:
    """Raw agreement, Cohen's kappa and Gwet's AC2 (nominal weights), each with a bootstrap CI."""
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    if not pairs:
        empty = {"value": None, "ci_low": None, "ci_high": None, "n": 0}
        return {"raw": empty, "kappa": empty, "ac2": empty}
    x, y, q = _codes([p[0] for p in pairs], [p[1] for p in pairs])
    return {
        "raw": paired_ci(raw_agreement, x, y, seed=seed),
        "kappa": paired_ci(lambda i, j: cohen_kappa(i.astype(int), j.astype(int), q), x, y, seed=seed),
        "ac2": paired_ci(lambda i, j: gwet_ac2(i.astype(int), j.astype(int), q), x, y, seed=seed),
    }
