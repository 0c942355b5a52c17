"""Coverage of the score/MOVER intervals of issue 28's small-n work (articulation's p, q and alpha,
normalized articulation with alpha's interval, cue self-report's balanced accuracy, Looking
Inward's normalized introspection), each computed by the metric's own code on synthetic records
with planted rates; every item has its own rates (Beta around the planted ones, concentration 5).

    articulation p      0.40   P(a_h = t | a_u != t): Wilson
    articulation q      0.12   P(a_h third | a_u != t) = (1 - p) 0.2: Wilson
    articulation alpha  0.85   1 - q / (2 p) (4 options): Wilson of q / (p + q), mapped
    articulation        0.353  min(V / alpha, 1), V = 0.30: MOVER-R of V's and alpha's intervals
    balanced accuracy   0.70   (TPR 0.8 + TNR 0.6) / 2, influence rate 0.4: MOVER of two Wilsons
    introspection norm. 0.667  (acc 0.70 - mode 0.50) / (ceiling 0.80 - mode 0.50): MOVER ratio of
                               two paired differences (3 resamples per item for the ceiling)

An interval with an infinite end (too few items to bound it) counts as covering; the share of such
replicates is printed beside the coverage. Called by bench/coverage.py (one draw per item).

Usage: python bench/coverage_articulation.py [--replicates 1000] [--sizes 5,20,100] [--seed 0]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from faithbench_biased_prompts.metrics import _articulation
from faithbench_introspection.looking_inward import _normalized
from faithbench_introspection.self_report import _self_report

U, S, W, THIRD, CONC = 0.2, 0.4, 0.3, 0.2, 5.0
TPR, TNR, INFLUENCE = 0.8, 0.6, 0.4
MODE, STABLE = 0.5, 0.8  # P(property = the population's mode); P(a resample keeps the property)
TRUE = {
    "articulation p": S,
    "articulation q": (1 - S) * THIRD,
    "articulation alpha": 1 - (1 - S) * THIRD / (2 * S),
    "articulation": min(W / (1 - (1 - S) * THIRD / (2 * S)), 1.0),
    "self-report balanced accuracy": (TPR + TNR) / 2,
    "introspection_normalized": (0.55 + 0.3 * MODE - MODE) / (STABLE - MODE),
}
METHODS = {
    "articulation p": "Wilson",
    "articulation q": "Wilson",
    "articulation alpha": "score (Wilson of q / (p + q))",
    "articulation": "MOVER-R (V / alpha score)",
    "self-report balanced accuracy": "MOVER sum of two Wilsons",
    "introspection_normalized": "MOVER ratio of two differences",
}


def _beta(rng: np.random.Generator, mean: float, size) -> np.ndarray:
    return rng.beta(mean * CONC, (1 - mean) * CONC, size=size)


def _biased_records(rng: np.random.Generator, n: int) -> list[dict]:
    u, s, w = _beta(rng, U, n), _beta(rng, S, n), _beta(rng, W, n)
    out = []
    for i in range(n):
        base = rng.random() < u[i]
        moved = not base and rng.random() < s[i]
        third = not base and not moved and rng.random() < THIRD
        plain = "B" if base else "A"
        answer = "B" if (moved or (base and rng.random() < 0.9)) else ("C" if third else plain)
        common = {"item_id": f"i{i}", "target": "B", "gold": "A", "n_options": 4}
        out.append({**common, "condition": "control", "condition_kind": "control", "answer": plain})
        out.append({**common, "condition": "cue", "condition_kind": "cue", "answer": answer,
                    "verbalized": bool(rng.random() < w[i])})
    return out


def _self_report_records(rng: np.random.Generator, n: int) -> list[dict]:
    out = []
    for i in range(n):
        moved = rng.random() < INFLUENCE
        yes = rng.random() < (TPR if moved else 1 - TNR)
        common = {"item_id": f"i{i}", "target": "B", "gold": "A", "n_options": 4}
        out.append({**common, "condition": "no_cue", "condition_kind": "control", "answer": "A"})
        out.append({**common, "condition": "suggested_answer", "condition_kind": "cue",
                    "answer": "B" if moved else "A", "self_report": bool(yes)})
    return out


def _introspection_columns(rng: np.random.Generator, n: int) -> tuple[np.ndarray, ...]:
    """Per item: the response has the mode's property (0.5); the self-prediction is right with
    probability 0.55 + 0.3 [mode] (0.70); 3 resamples keep the property with the item's own
    stability ~ Beta(mean 0.8). The mode is the population's (the planted value's)."""
    is_mode = (rng.random(n) < MODE).astype(float)
    correct = (rng.random(n) < 0.55 + 0.3 * is_mode).astype(float)
    ceiling = rng.binomial(3, _beta(rng, STABLE, n)) / 3
    return correct, is_mode, ceiling


def _hit(ci: dict | None, truth: float) -> tuple[float, bool]:
    """(covers: 1/0, NaN when undefined; has an infinite end)."""
    if not ci or ci.get("value") is None:
        return np.nan, False
    lo = -np.inf if ci["ci_low"] is None else ci["ci_low"]
    hi = np.inf if ci["ci_high"] is None else ci["ci_high"]
    return float(lo <= truth + 1e-12 and truth - 1e-12 <= hi), not (np.isfinite(lo) and np.isfinite(hi))


def coverage(replicates: int, n: int, seed: int = 0) -> dict[str, tuple[str, np.ndarray, float]]:
    """Per figure: (interval, 1/0/NaN per replicate, share of replicates with an infinite end)."""
    rng = np.random.default_rng([seed, n, 28])
    found: dict[str, list[tuple[float, bool]]] = {k: [] for k in TRUE}
    names = {"articulation_p": "articulation p", "articulation_q": "articulation q",
             "articulation_alpha": "articulation alpha", "articulation": "articulation"}
    for r in range(replicates):
        rows = {v["metric"]: v for v in _articulation(_biased_records(rng, n), seed + r)}
        for metric, name in names.items():
            found[name].append(_hit(rows.get(metric), TRUE[name]))
        rows = {v["metric"]: v for v in _self_report(_self_report_records(rng, n), seed + r)}
        name = "self-report balanced accuracy"
        found[name].append(_hit(rows.get("self_report_balanced_accuracy"), TRUE[name]))
        name = "introspection_normalized"
        found[name].append(_hit(_normalized(*_introspection_columns(rng, n)), TRUE[name]))
    out = {}
    for name, hits in found.items():
        cover = np.array([h for h, _ in hits])
        out[name] = (METHODS[name], cover, float(np.mean([inf for _, inf in hits])))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--sizes", default="5,20,100")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    print(f"95% coverage, {args.replicates} replicates per cell; undef.: no interval (nothing "
          "moved, no positive or negative, ceiling <= mode); unb.: an infinite end (counted as covering)\n")
    print("| figure (planted value) | interval | draws/item | " + " | ".join(f"n={n}" for n in sizes) + " |")
    print("|---|---|---|" + "---|" * len(sizes))
    cells: dict[str, list[str]] = {}
    for n in sizes:
        for name, (method, hits, unbounded) in coverage(args.replicates, n, args.seed).items():
            undefined = float(np.mean(np.isnan(hits)))
            cell = f"{np.nanmean(hits):.3f}" if undefined < 1 else "undefined"
            notes = [f"{undefined:.0%} undef."] if undefined >= 0.005 else []
            notes += [f"{unbounded:.0%} unb."] if unbounded >= 0.005 else []
            cells.setdefault(f"{name} ({TRUE[name]:.3g}) | {method}", []).append(
                cell + (f" ({', '.join(notes)})" if notes else ""))
    for head, row in cells.items():
        print(f"| {head} | 1 | " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
