"""Coverage of the judge-corrected articulation, by simulation (issue 27).

Each simulated run plants a true verbalization rate, a judge with known sensitivity and
specificity, the run's cue-moved CoTs (true label, then the judge's verdict) and an independent
labeled sample of CoTs from the same population; ``faithbench.judges.correction`` then estimates
the rate with a 95% CI from the two. Reported per setting: how often the CI covers the planted
rate, and the uncorrected figure's mean bias beside the analytic one,
Se V + (1 - Sp)(1 - V) - V.

Usage: python bench/judge_correction.py [--sims 1000] [--resamples 1000] [--seed 0]
"""

from __future__ import annotations

import argparse

import numpy as np

from faithbench.judges.correction import corrected_articulation

# (planted rate, sensitivity, specificity, run CoTs, labeled CoTs)
SETTINGS = [
    (0.30, 0.75, 0.80, 400, 200),
    (0.10, 0.70, 0.95, 600, 300),
    (0.50, 0.90, 0.70, 300, 150),
    (0.30, 0.80, 0.90, 20, 40),  # small: 20 moved CoTs, 40 labels
    (0.20, 0.90, 0.95, 8, 20),  # too few (marked): what the interval does there
]


def simulate(rate, se, sp, n_run, n_labels, sims, resamples=1000, seed=0) -> dict:
    """Coverage of the corrected CI and the uncorrected figure's mean bias over ``sims`` runs."""
    rng = np.random.default_rng(seed)
    covered, identified, uncorrected = 0, 0, []
    ones, zeros, twos = np.ones(n_run), np.zeros(n_run), np.full(n_run, 2.0)  # alpha = 1: V itself
    for i in range(sims):
        truth = rng.random(n_run) < rate
        verdict = np.where(truth, rng.random(n_run) < se, rng.random(n_run) >= sp).astype(float)
        y = rng.random(n_labels) < rate
        v = np.where(y, rng.random(n_labels) < se, rng.random(n_labels) >= sp).astype(float)
        est = corrected_articulation(
            (ones, zeros, verdict, twos), (y.astype(float), v, np.ones(n_labels)), seed=i, resamples=resamples
        )
        uncorrected.append(est["uncorrected_V"])
        ci = est["V"]
        if ci["value"] is not None:
            identified += 1
            covered += ci["ci_low"] <= rate <= ci["ci_high"]
    analytic = se * rate + (1 - sp) * (1 - rate) - rate
    spread = float(np.std(uncorrected) / np.sqrt(sims))
    return {
        "coverage": covered / sims,
        "identified": identified / sims,
        "bias": float(np.mean(uncorrected)) - rate,
        "bias_se": spread,
        "analytic_bias": analytic,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sims", type=int, default=1000)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print("| planted V | Se | Sp | run CoTs | labels | coverage | uncorrected bias (MC s.e.) | analytic |")
    print("|---|---|---|---|---|---|---|---|")
    for rate, se, sp, n_run, n_labels in SETTINGS:
        r = simulate(rate, se, sp, n_run, n_labels, args.sims, args.resamples, args.seed)
        print(
            f"| {rate} | {se} | {sp} | {n_run} | {n_labels} | {r['coverage']:.3f} | "
            f"{r['bias']:+.4f} ({r['bias_se']:.4f}) | {r['analytic_bias']:+.4f} |"
        )


if __name__ == "__main__":
    main()
