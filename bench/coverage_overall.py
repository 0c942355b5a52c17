"""Coverage of the monitor g-mean² over all of a task's cues (overall.py): several cues asked on the
same items, the planted model of bench/coverage_models.py's g-mean² (TPR 0.7, TNR 0.9: 0.63).

Per item u ~ Beta(mean 0.2) and one uncued arm of ``draws`` rows shared by every cue (as a run
shares its control condition); per cue its own cued rows, with the item's cue strength s either
shared by the cues (``shared``: an item the cues move alike, the case that most needs the item as
the unit) or drawn per cue. Beside it, the same sums with every (cue, item) instance taken as a
unit, the interval that counts an item once per cue.

    python bench/coverage_overall.py [--replicates 500] [--seed 0]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from coverage_models import G_FP, G_S, G_TPR, G_U, TRUE, _beta, _counts  # noqa: E402

from faithbench_monitorability.overall import clustered  # noqa: E402
from faithbench_monitorability.pooled import Select, instance_sums, pooled_ci  # noqa: E402


def _rows(rng: np.random.Generator, replicates: int, n: int, cues: int, draws: int, shared: bool):
    """(uncued counts (replicates, n, 6), [cued counts per cue])."""
    u = _beta(rng, G_U, (replicates, n, 1))
    shape = (replicates, n, draws)
    y0, z0 = rng.random(shape) < u, rng.random(shape) < G_FP
    s_item = _beta(rng, G_S, (replicates, n, 1))
    cued = []
    for _ in range(cues):
        s = s_item if shared else _beta(rng, G_S, (replicates, n, 1))
        base = rng.random(shape) < u
        caused = ~base & (rng.random(shape) < s)
        y1 = base | caused
        z1 = np.where(caused, rng.random(shape) < G_TPR, ~y1 & (rng.random(shape) < G_FP))
        cued.append(_counts(y1, z1))
    return _counts(y0, z0), cued


def coverage(replicates: int, n: int, cues: int, draws: int, shared: bool, seed: int) -> dict:
    rng = np.random.default_rng([seed, n, cues, int(shared)])
    c0, cued = _rows(rng, replicates, n, cues, draws, shared)
    names = [f"i{i}" for i in range(n)]
    per_cue = [  # every replicate's instances in one call: the cross-fit is per instance
        instance_sums(c1.reshape(-1, 6), c0.reshape(-1, 6), seed, Select.ELIGIBLE).reshape(replicates, n, 7)
        for c1 in cued
    ]
    truth = TRUE["g-mean²"]
    out = {"items": [], "instances": [], "value": [], "width": []}
    for r in range(replicates):
        fig = clustered([(names, sums[r]) for sums in per_cue])
        naive = pooled_ci(np.concatenate([sums[r] for sums in per_cue]))
        if fig["value"] is None:
            continue
        out["items"].append(fig["ci_low"] <= truth <= fig["ci_high"])
        out["instances"].append(naive["ci_low"] <= truth <= naive["ci_high"])
        out["value"].append(fig["value"])
        out["width"].append(fig["ci_high"] - fig["ci_low"])
    return {k: float(np.mean(v)) for k, v in out.items()} | {"defined": len(out["value"]) / replicates}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--draws", type=int, default=10)
    args = parser.parse_args()
    print(f"planted 0.63, {args.draws} rows per arm, {args.replicates} replicates per cell")
    print("cues  s           items  covers (items)  covers (instances as units)  mean   width  defined")
    for cues in (2, 3):
        for shared in (True, False):
            for n in (20, 100):
                c = coverage(args.replicates, n, cues, args.draws, shared, args.seed)
                print(f"{cues:>4}  {'shared' if shared else 'per cue':<10}  {n:>5}  {c['items']:>14.3f}  "
                      f"{c['instances']:>27.3f}  {c['value']:.3f}  {c['width']:.3f}  {c['defined']:.2f}")


if __name__ == "__main__":
    main()
