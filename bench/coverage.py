"""Coverage of faithbench's 95% intervals, measured by simulation rather than assumed.

A stochastic synthetic model answers cued and uncued questions with planted rates; every item has
its own rates (drawn around the planted ones, so an item's draws are correlated, as a real model's
are). Each replicate is one run of n items with D draws per item; the script computes each interval
with faithbench's own code (``faithbench.metrics.stats`` and the biased-prompt metrics) and counts
how often it contains the planted value. Planted (population) values:

    P(a_h = t)                 0.50   a proportion: Wilson (D = 1); cluster bootstrap-t (D = 10)
    bias susceptibility        0.30   P(a_h = t) - P(a_u = t): Newcombe (D = 1); pooled over an
                                      item's draws (cues): cluster bootstrap-t
    articulation V             0.30   P(verbalized | moved), per cue: Wilson on the moved items
    articulation (normalized)  0.353  min(V / alpha, 1), alpha = 1 - q / (2 p) = 0.85, per cue:
                                      MOVER-R from V's and alpha's intervals (the metric itself
                                      scores synthetic records)
    verbalized when moved      0.30   pooled over draws: cluster bootstrap-t
    a rare share               0.10   e.g. a lost answer (1 - retention): Wilson (D = 1); cluster
                                      bootstrap-t (D = 10)
    naive Wilson on draws      0.50   the wrong unit (every draw counted as an item), for contrast
    bias susceptibility        0.30   (before) the percentile bootstrap it had, for contrast

An item's rates: u = P(a_u = t) ~ Beta(mean 0.2), s = P(a_h = t | a_u != t) ~ Beta(mean 0.4),
w = P(verbalized | moved) ~ Beta(mean 0.3), each with concentration 5 (intra-item correlation
1/6); a cued answer that is not moved to t switches to a third option with probability 0.2, and a
cued answer already at t stays there with probability 0.9. With 1000 replicates (the default) a
coverage has a standard error of about 0.007.

g-mean² (the reference's and the pooled one, with TPR fixed and varying by instance; the pooled one
of a near-perfect monitor), P_within and AOC (their own intervals) are simulated in
bench/coverage_models.py; articulation's p, q and alpha,
cue self-report's balanced accuracy and normalized introspection in bench/coverage_articulation.py.

Usage: python bench/coverage.py [--replicates 1000] [--sizes 5,20,100] [--draws 1,10] [--seed 0]
                                [--gmean-draws 500] [--estimand-instances 200000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from faithbench.metrics.stats import MIN_ITEMS, batched, cluster_mean_ci, newcombe, paired_ci, wilson
from faithbench_biased_prompts.metrics import _articulation

sys.path.insert(0, str(Path(__file__).parent))
import coverage_articulation  # noqa: E402 (p, q, alpha, balanced accuracy, introspection)
import coverage_models  # noqa: E402 (bench/ is not a package)

U, S, W, THIRD, STAY, CONC = 0.2, 0.4, 0.3, 0.2, 0.9, 5.0
RARE = 0.1  # a rare share, e.g. a lost answer; IPHR has its own (bench/iphr_coverage.py)
TRUE = {
    "P(a_h = t)": STAY * U + (1 - U) * S,
    "bias susceptibility": STAY * U + (1 - U) * S - U,
    "articulation V": W,
    "articulation": min(W / (1 - (1 - S) * THIRD / (2 * S)), 1.0),
    "verbalized when moved": W,
    "a rare share": RARE,
}


def _beta(rng: np.random.Generator, mean: float, shape: tuple) -> np.ndarray:
    return rng.beta(mean * CONC, (1 - mean) * CONC, size=shape)


def simulate(rng: np.random.Generator, replicates: int, n: int, draws: int) -> dict[str, np.ndarray]:
    """0/1 arrays of shape (replicates, items, draws): a_u = t, a_h = t, a_h a third option,
    verbalized (meaningful where the cue moved the answer)."""
    items = (replicates, n, 1)
    u, s, w = _beta(rng, U, items), _beta(rng, S, items), _beta(rng, W, items)
    shape = (replicates, n, draws)
    base = rng.random(shape) < u
    moved = ~base & (rng.random(shape) < s)
    kept = base & (rng.random(shape) < STAY)
    third = ~base & ~moved & (rng.random(shape) < THIRD)
    said = rng.random(shape) < w
    rare = rng.random(shape) < _beta(rng, RARE, items)
    return {"base": base, "cued": kept | moved, "moved": moved, "third": third, "said": said, "rare": rare}


_mean = batched(lambda x: x.mean(-1))  # the percentile bootstrap every figure had before issue 28


def _covers(lo, hi, truth: float) -> np.ndarray:
    lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    ok = np.isfinite(lo) & np.isfinite(hi)
    return np.where(ok, (lo <= truth + 1e-12) & (truth - 1e-12 <= hi), np.nan)


def one_draw(sim: dict[str, np.ndarray], seed: int) -> dict[str, tuple[str, np.ndarray]]:
    """D = 1: one record per item and condition, as the biased-prompt task has."""
    base, cued = sim["base"][..., 0], sim["cued"][..., 0]
    n = base.shape[1]
    out = {}
    lo, hi = wilson(cued.sum(1), n)
    out["P(a_h = t)"] = ("Wilson", _covers(lo, hi, TRUE["P(a_h = t)"]))
    lo, hi = wilson(sim["rare"][..., 0].sum(1), n)
    out["a rare share"] = ("Wilson", _covers(lo, hi, RARE))
    counts = [(cued & base).sum(1), (cued & ~base).sum(1), (~cued & base).sum(1), (~cued & ~base).sum(1)]
    lo, hi = newcombe(*counts)
    out["bias susceptibility"] = ("Newcombe", _covers(lo, hi, TRUE["bias susceptibility"]))
    shift = cued.astype(float) - base
    before = [paired_ci(_mean, shift[r], seed=seed + r) for r in range(len(base))]
    lo, hi = (np.array([b[k] for b in before]) for k in ("ci_low", "ci_high"))
    truth = TRUE["bias susceptibility"]
    out["bias susceptibility (before)"] = ("percentile bootstrap", _covers(lo, hi, truth))
    hits: dict[str, list[float]] = {"articulation V": [], "articulation": []}
    for r in range(base.shape[0]):
        found = {v["metric"]: v for v in _articulation(_records(sim, r), seed + r)}
        for name, metric in (("articulation V", "articulation_V"), ("articulation", "articulation")):
            ci = found.get(metric, {})
            lo, hi = (np.nan if ci.get(k) is None else ci[k] for k in ("ci_low", "ci_high"))
            hits[name].append(float(_covers(lo, hi, TRUE[name])))
    out["articulation V"] = ("Wilson of the moved", np.array(hits["articulation V"]))
    out["articulation"] = ("MOVER-R (V / alpha)", np.array(hits["articulation"]))
    return out


def _records(sim: dict[str, np.ndarray], r: int) -> list[dict]:
    """One replicate's first draws as the biased-prompt task's records (control and one cue;
    target "B", options A-D), for the articulation metric itself to score."""
    out = []
    for i in range(sim["base"].shape[1]):
        base, cued, third = (bool(sim[k][r, i, 0]) for k in ("base", "cued", "third"))
        plain = "B" if base else "A"
        answer = "B" if cued else ("C" if third else plain)
        common = {"item_id": f"i{i}", "target": "B", "gold": "A", "n_options": 4}
        out.append({**common, "condition": "control", "condition_kind": "control", "answer": plain})
        out.append(
            {**common, "condition": "cue", "condition_kind": "cue", "answer": answer,
             "verbalized": bool(sim["said"][r, i, 0])}
        )
    return out


def _cluster(keys: np.ndarray, values: np.ndarray, mask: np.ndarray, truth: float, seed: int) -> float:
    picked = [(str(k), float(v)) for k, v in zip(keys[mask], values[mask], strict=True)]
    if not picked:
        return np.nan
    ci = cluster_mean_ci(picked, seed)
    return float(_covers(ci["ci_low"], ci["ci_high"], truth))


def many_draws(sim: dict[str, np.ndarray], seed: int) -> dict[str, tuple[str, np.ndarray]]:
    """D draws per item (cues, CoT samples): the pooled figures resample whole items."""
    base, cued, moved, said = sim["base"], sim["cued"], sim["moved"], sim["said"]
    replicates, n, draws = base.shape
    keys = np.repeat(np.arange(n), draws)
    shift, hit = cued.astype(float) - base, cued.astype(float)
    rows: dict[str, list[float]] = {
        "P(a_h = t)": [], "a rare share": [], "bias susceptibility": [], "verbalized when moved": []
    }
    for r in range(replicates):
        everything = np.ones(n * draws, dtype=bool)
        rows["P(a_h = t)"].append(_cluster(keys, hit[r].ravel(), everything, TRUE["P(a_h = t)"], seed + r))
        rare = sim["rare"][r].ravel().astype(float)
        rows["a rare share"].append(_cluster(keys, rare, everything, RARE, seed + r))
        rows["bias susceptibility"].append(
            _cluster(keys, shift[r].ravel(), everything, TRUE["bias susceptibility"], seed + r)
        )
        rows["verbalized when moved"].append(
            _cluster(keys, said[r].ravel().astype(float), moved[r].ravel(), W, seed + r)
        )
    out = {name: ("cluster bootstrap-t", np.array(v)) for name, v in rows.items()}
    lo, hi = wilson(cued.sum((1, 2)), n * draws)
    out["naive Wilson on draws"] = ("wrong unit", _covers(lo, hi, TRUE["P(a_h = t)"]))
    return out


def _log_factorials(n: int) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, n + 1)))])


def exact_wilson(p: float, n: int) -> float:
    """Wilson's coverage at one draw per item, summed over the binomial (no simulation noise)."""
    k, lf = np.arange(n + 1), _log_factorials(n)
    pmf = np.exp(lf[n] - lf[k] - lf[n - k] + k * np.log(p) + (n - k) * np.log1p(-p))
    lo, hi = wilson(k, n)
    return float((pmf * ((lo <= p) & (p <= hi))).sum())


def exact_newcombe(n: int) -> float:
    """Newcombe's coverage of bias susceptibility at one draw per item, summed over the
    multinomial of the paired 2x2 table (cued x uncued at the target)."""
    cells = np.array([STAY * U, (1 - U) * S, U * (1 - STAY), 1 - STAY * U - (1 - U) * S - U * (1 - STAY)])
    a, b, c = np.meshgrid(*(np.arange(n + 1),) * 3, indexing="ij")
    keep = a + b + c <= n
    a, b, c = a[keep], b[keep], c[keep]
    d, lf = n - a - b - c, _log_factorials(n)
    log_pmf = lf[n] - lf[a] - lf[b] - lf[c] - lf[d] + np.stack([a, b, c, d]).T @ np.log(cells)
    lo, hi = newcombe(a, b, c, d)
    truth = TRUE["bias susceptibility"]
    return float((np.exp(log_pmf) * ((lo <= truth + 1e-12) & (truth - 1e-12 <= hi))).sum())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--sizes", default="5,20,100")
    parser.add_argument("--draws", default="1,10")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--gmean-draws", type=int, default=500, help="g-mean²'s bootstrap draws")
    parser.add_argument("--estimand-instances", type=int, default=coverage_models.ESTIMAND_INSTANCES,
                        help="instances of the run the pooled g-mean²'s estimand is computed on")
    args = parser.parse_args(argv)
    coverage_models.ESTIMAND_INSTANCES = args.estimand_instances
    sizes = [int(x) for x in args.sizes.split(",")]
    draws = [int(x) for x in args.draws.split(",")]
    started = time.perf_counter()
    print(f"95% interval coverage of the planted value, {args.replicates} replicates per cell "
          f"(standard error ~{np.sqrt(0.95 * 0.05 / args.replicates):.3f}); undefined: share of "
          f"replicates with no interval (no moved CoT; for either g-mean², no instance eligible: "
          f"an arm of one row cannot be split to decide it); MIN_ITEMS = {MIN_ITEMS}\n")
    print("| metric | interval | draws/item | " + " | ".join(f"n={n}" for n in sizes) + " |")
    print("|---|---|---|" + "---|" * len(sizes))
    for d in draws:
        cells: dict[tuple[str, str], list[str]] = {}
        for n in sizes:
            rng = np.random.default_rng([args.seed, n, d])
            sim = simulate(rng, args.replicates, n, d)
            found = one_draw(sim, args.seed) if d == 1 else many_draws(sim, args.seed)
            found |= coverage_models.coverage(rng, args.replicates, n, d, args.seed, args.gmean_draws)
            if d == 1:  # its own stream: the figures above keep their replicates
                more = coverage_articulation.coverage(args.replicates, n, args.seed)
                found |= {k: (m, hits) for k, (m, hits, _) in more.items() if k != "articulation"}
            for name, (method, hits) in found.items():
                undefined = np.mean(np.isnan(hits))
                cover = np.nanmean(hits) if undefined < 1 else np.nan
                cell = f"{cover:.3f}" + (f" ({undefined:.0%} undef.)" if undefined >= 0.005 else "")
                cells.setdefault((name, method), []).append(cell)
        for (name, method), row in cells.items():
            print(f"| {name} | {method} | {d} | " + " | ".join(row) + " |")
        if d == 1:  # the closed-form intervals' exact coverage, for the simulated figures beside them
            exact = {
                ("P(a_h = t)", "Wilson"): [exact_wilson(TRUE["P(a_h = t)"], n) for n in sizes],
                ("a rare share", "Wilson"): [exact_wilson(RARE, n) for n in sizes],
                ("bias susceptibility", "Newcombe"): [exact_newcombe(n) for n in sizes],
            }
            for (name, method), row in exact.items():
                print(f"| {name} | {method}, exact | 1 | " + " | ".join(f"{c:.3f}" for c in row) + " |")
    print("\ng-mean²: each figure's mean over the replicates beside the value its interval is scored "
          "against (the reference's: the mean of per-instance g-mean²; the pooled one's: its estimand)\n")
    print("| figure | rows per arm, instances | reference: target, mean | pooled: target, mean |")
    print("|---|---|---|---|")
    for (n, d), found in sorted(coverage_models.MEANS.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        for name in dict.fromkeys(k[0] for k in found):
            pair = [found[(name, k)] for k in ("reference", "pooled")]
            print(f"| {name} | {d}, n={n} | " + " | ".join(f"{t:.3f}, {m:.3f}" for t, m in pair) + " |")
    print(f"\n{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
