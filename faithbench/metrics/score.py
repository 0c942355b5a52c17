"""Score and MOVER intervals for figures built from proportions (a ratio of two shares of the same
items, a sum of two independent shares, a ratio of two paired differences). Each is assembled
from Wilson limits, so it keeps Wilson's small-n behaviour: a figure on two items that agree is
never a point, where a percentile bootstrap of those items returns one. Coverage:
bench/coverage_articulation.py."""

from __future__ import annotations

import math

import numpy as np

from faithbench.metrics.stats import EMPTY, _binary, newcombe, wilson


def _limits(k: float, n: float) -> tuple[float, float]:
    lo, hi = wilson(k, n)
    return float(lo), float(hi)


def alpha_ci(f, g, e) -> dict:
    """Articulation's alpha = 1 - q / (c p) (p, q the shares of items moved onto the target and to a
    third option, c the mean number of third options) with a score interval: given the x + y items
    that left their answer (x onto the target, y elsewhere), y is binomial with theta = q / (p + q),
    so Wilson's limits of theta map onto q / p = theta / (1 - theta) and so onto alpha (one minus a
    conditional score interval of a ratio of multinomial shares). Nothing moved: undefined; no
    third option (c = 0): alpha is 1 by definition, not estimated."""
    f, g, e = (np.asarray(c, dtype=float) for c in (f, g, e))
    n = int(f.size)
    moved, switched, chance = float(f.sum()), float(g.sum()), float(e.mean()) if n else 0.0
    if n and chance == 0:
        return {"value": 1.0, "ci_low": 1.0, "ci_high": 1.0, "n": n}
    if moved == 0:
        return {**EMPTY, "n": n}
    lo, hi = _limits(switched, moved + switched)
    ratio_lo = lo / (1 - lo)
    ratio_hi = hi / (1 - hi) if hi < 1 else math.inf
    value = 1 - switched / (chance * moved)
    return {"value": value, "ci_low": 1 - ratio_hi / chance, "ci_high": 1 - ratio_lo / chance, "n": n}


def balanced_accuracy_ci(truth, said) -> dict:
    """(TPR + TNR) / 2 of 0/1 reports ``said`` against 0/1 ``truth``, with the MOVER interval of a
    sum of two independent proportions (Newcombe's method 10 for a sum): each rate's Wilson limits
    on its own items. Undefined (null) without both positives and negatives."""
    truth, said = np.asarray(truth, dtype=float), np.asarray(said, dtype=float)
    pos, neg = truth == 1, truth == 0
    if not pos.any() or not neg.any():
        return {**EMPTY, "n": int(truth.size)}
    rates = [(said[pos].sum(), pos.sum()), ((1 - said[neg]).sum(), neg.sum())]
    est = [k / m for k, m in rates]
    lims = [_limits(k, m) for k, m in rates]
    total = sum(est)
    low = total - math.sqrt(sum((p - lo) ** 2 for p, (lo, _) in zip(est, lims, strict=True)))
    high = total + math.sqrt(sum((hi - p) ** 2 for p, (_, hi) in zip(est, lims, strict=True)))
    lo, hi = max(low / 2, 0.0), min(high / 2, 1.0)
    return {"value": float(total / 2), "ci_low": float(lo), "ci_high": float(hi), "n": int(truth.size)}


def mover_difference(x, y) -> tuple[float, float]:
    """95% limits of mean(x) - mean(y), paired columns of values in [0, 1]: Newcombe's interval
    when both are 0/1; otherwise each mean's Wilson limits on (n mean, n), which are wide enough
    for any [0, 1] values (their variance is at most mean (1 - mean)), joined with the columns'
    correlation (MOVER, Zou & Donner 2008)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = x.size
    if _binary(x) and _binary(y):
        counts = [np.sum(x * y), np.sum(x * (1 - y)), np.sum((1 - x) * y), np.sum((1 - x) * (1 - y))]
        lo, hi = newcombe(*counts)
        return float(lo), float(hi)
    px, py = x.mean(), y.mean()
    (lx, ux), (ly, uy) = _limits(px * n, n), _limits(py * n, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.corrcoef(x, y)[0, 1] if n > 1 else 0.0
    r = float(r) if np.isfinite(r) else 0.0
    d = px - py
    low = d - math.sqrt(max((px - lx) ** 2 + (uy - py) ** 2 - 2 * r * (px - lx) * (uy - py), 0.0))
    high = d + math.sqrt(max((ux - px) ** 2 + (py - ly) ** 2 - 2 * r * (ux - px) * (py - ly), 0.0))
    return max(low, -1.0), min(high, 1.0)


def _roots(a: float, b: float, c: float) -> list[float]:
    if abs(a) < 1e-15:
        return [] if b == 0 else [-c / b]
    disc = b * b - 4 * a * c
    if disc < 0:
        return []
    s = math.sqrt(disc)
    return [(-b - s) / (2 * a), (-b + s) / (2 * a)]


def signed_ratio_ci(num: float, num_ci: tuple, den: float, den_ci: tuple, r: float = 0.0) -> tuple:
    """95% limits of ``num / den`` (den > 0; num of either sign) from each one's interval and the
    estimates' correlation ``r`` (Zou & Donner's MOVER-R with correlation): the MOVER set
    {R : 0 within the MOVER interval of num - R den}, solved on each sign
    of R (Donner & Zou 2012 in closed form where num >= 0), the part of it around num / den. A
    denominator interval reaching 0 leaves both ends unbounded (-inf, +inf)."""
    (l1, u1), (l2, u2) = num_ci, den_ci
    est = num / den
    if l2 <= 0:  # den may be 0: every R is consistent with the data at the far ends (Fieller)
        return -math.inf, math.inf

    def edge(upper: bool) -> float:
        # lower edge: num - R den = sqrt((num - l1)^2 + R^2 w^2) with num - R den >= 0, R < est
        # upper edge: R den - num = sqrt((u1 - num)^2 + R^2 w^2) with R den - num >= 0, R > est
        spread = (u1 - num) if upper else (num - l1)
        found = []
        for positive in (True, False):  # the sign of R picks which side of den's interval counts
            w = (den - l2) if positive == upper else (u2 - den)
            joint = 2 * r * spread * w  # the two estimates' correlation r (0: independent)
            for x in _roots(den * den - w * w, -2 * num * den + joint, num * num - spread * spread):
                if (x >= 0) == positive and ((x > est) if upper else (x < est)):
                    found.append(x)
        if not found:
            return math.inf if upper else -math.inf
        return min(found) if upper else max(found)

    return edge(False), edge(True)
