"""bench/coverage.py's simulations for the figures with their own bootstraps: g-mean², P_within
and AOC, each planted with a known value and scored with faithbench's own code.

    g-mean²   0.63   every instance: TPR 0.7 (the monitor flags a cue-caused hit with probability
                     0.7, a hit the cue did not cause never), TNR 0.9 (any negative flagged with
                     probability 0.1); effects vary by instance: P(Y=1|X=0) = u ~ Beta(mean 0.2),
                     P(Y=1|X=1) = u + (1 - u) s, s ~ Beta(mean 0.5); draws = rows per arm. Both
                     figures: the reference's and the pooled one (pooled.py)
    near-perfect 0.970  the same instances, a monitor of TPR 0.98, TNR 0.99 (pooled figure only):
                     a TNR or the capped TPR often reads 1, where the delta method alone gives a point
    TPR varies       the same, but the monitor flags a cue-caused hit with probability s, the
                     instance's cue strength: the mean of per-instance g-mean² is 0.9 E[s] = 0.45,
                     the pooled ratio 0.9 E[s (1 - u) s] / E[(1 - u) s] = 0.9 E[s²] / E[s] = 0.525
                     (the pooled figure weighs instances by their cue effect)
    P_within  0.40   the observer's NLL of the answer without the CoT b ~ Gamma(4, 0.35) per item,
                     with it b r, r ~ Beta(mean 0.6) independent of b: 1 - E[b r] / E[b] = 0.4
    gap       0.20   P_within - P_cf, P_cf = 0.2 planted the same way (r ~ Beta(mean 0.8), its own
                     Gamma NLLs); "(before)": the paired percentile bootstrap it had
    AOC       0.375  a CoT of L ~ U{3..10} steps; the answer is fixed from a point tau ~ U(0, 1)
                     on, before it a truncated answer agrees with chance 0.25, so E[f(x)] =
                     x + 0.25 (1 - x) and AOC = 1 - (1 + 0.25) / 2

P_within and AOC have one value per item by construction (one scored pair, one intervention
record per item and condition), so only their draws = 1 rows are simulated.
"""

from __future__ import annotations

import functools

import numpy as np

from faithbench.metrics.stats import batched, mean_ci, paired_ci
from faithbench_interventions.metrics import _aoc, _area
from faithbench_monitorability.gmean import Instance, Row, gmean2
from faithbench_monitorability.pooled import Select, instance_sums, pooled_ci, pooled_gmean2
from faithbench_predictive.metric import _gain, _gain_ci, _predictive

CONC = 5.0
G_TPR, G_FP, G_U, G_S = 0.7, 0.1, 0.2, 0.5
CHANCE = 0.25
S_MOMENTS = (G_S, G_S * (1 - G_S) / (CONC + 1) + G_S**2)  # E[s], E[s²] of s ~ Beta(mean 0.5)
VARYING = {"per-instance mean": (1 - G_FP) * S_MOMENTS[0], "pooled": (1 - G_FP) * S_MOMENTS[1] / S_MOMENTS[0]}
NEAR = (0.98, 0.99)  # a near-perfect monitor's TPR and TNR
TRUE = {"g-mean²": G_TPR * (1 - G_FP), "g-mean², near-perfect": NEAR[0] * NEAR[1], "P_within": 0.4,
        "rationalization gap": 0.2, "AOC": (1 - CHANCE) / 2}
ESTIMAND_INSTANCES = 200_000  # the very large run the pooled figure's estimand is computed on
MEANS: dict[tuple[int, int], dict] = {}  # (n, draws): {(figure, which): (target, mean over replicates)}
GAP = batched(lambda a, b, c, d: _gain(a, b) - _gain(c, d))  # as faithbench_predictive computes it


def _beta(rng: np.random.Generator, mean: float, shape) -> np.ndarray:
    return rng.beta(mean * CONC, (1 - mean) * CONC, size=shape)


def gmean_rows(
    rng: np.random.Generator, replicates: int, n: int, draws: int, vary: bool = False,
    tpr: float = G_TPR, fp: float = G_FP,
) -> tuple:
    """(y, z) of both arms, each (replicates, items, draws): x = 0 then x = 1; with ``vary`` the
    monitor catches a cue-caused hit with probability s, the instance's cue strength (else
    ``tpr``), and flags a negative with probability ``fp``."""
    u, s = _beta(rng, G_U, (replicates, n, 1)), _beta(rng, G_S, (replicates, n, 1))
    shape = (replicates, n, draws)
    y0 = rng.random(shape) < u
    base = rng.random(shape) < u
    caused = ~base & (rng.random(shape) < s)
    y1 = base | caused
    z0 = rng.random(shape) < fp  # every uncued row is a negative
    z1 = np.where(caused, rng.random(shape) < (s if vary else tpr), ~y1 & (rng.random(shape) < fp))
    return y0, z0, y1, z1


def _counts(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """(..., items, 6) cell counts 3 y + z of rows (..., items, draws)."""
    return np.stack([((y == a) & (z == b)).sum(-1) for a in (0, 1) for b in (0, 1, 2)], -1)


@functools.cache
def pooled_estimand(draws: int, vary: bool, instances: int = 200_000, seed: int = 1) -> float:
    """What the pooled g-mean² estimates at ``draws`` rows per arm: sum_i pi_i P(Z=1,Y=1|X=1)_i /
    sum_i pi_i TE_i (pi_i the chance instance i is eligible on 4/5 of its rows) times the pooled
    TNRs, computed on one very large run (its own sampling error ~0.002). With TPR fixed it is
    0.63 at any size; with TPR varying it depends on which instances eligibility keeps."""
    if not vary:
        return TRUE["g-mean²"]
    rng = np.random.default_rng([seed, draws])
    total = np.zeros(7)
    for _ in range(instances // 20_000):
        y0, z0, y1, z1 = gmean_rows(rng, 1, 20_000, draws, vary)
        total += instance_sums(_counts(y1, z1)[0], _counts(y0, z0)[0], seed, Select.ELIGIBLE).sum(0)
    return float(min(1.0, total[0] / total[1]) * np.sqrt(total[2] / total[3] * total[4] / total[5]))


def gmean_coverage(rng: np.random.Generator, replicates: int, n: int, draws: int, seed: int, n_boot: int):
    """Both g-mean² figures on the same planted runs, with TPR fixed and varying by instance: the
    reference's against the mean of per-instance g-mean² (0.63; 0.45), the pooled one against
    its estimand; and each figure's mean over the replicates."""
    rows, means = {}, {}
    for vary in (False, True):  # the varying model on its own stream: the other replicates stay as they were
        stream = np.random.default_rng([seed, n, draws, 28]) if vary else rng
        y0, z0, y1, z1 = gmean_rows(stream, replicates, n, draws, vary)
        target = {"reference": VARYING["per-instance mean"] if vary else TRUE["g-mean²"],
                  "pooled": pooled_estimand(draws, vary, ESTIMAND_INSTANCES) if draws > 1 else np.nan}
        hits: dict[str, list[float]] = {"reference": [], "pooled": []}
        values: dict[str, list[float]] = {"reference": [], "pooled": []}
        for r in range(replicates):
            found = [
                Instance(
                    f"i{i}", True, True, [], [],
                    ([Row(1, int(a), int(b)) for a, b in zip(y1[r, i], z1[r, i], strict=True)],
                     [Row(0, int(a), int(b)) for a, b in zip(y0[r, i], z0[r, i], strict=True)]),
                )
                for i in range(n)
            ]
            for name, ci in (("reference", gmean2(found, seed + r, n_boot)["gmean2"]),
                             ("pooled", pooled_gmean2(found, seed + r))):
                hits[name].append(_covers(ci["ci_low"], ci["ci_high"], target[name]))
                values[name].append(np.nan if ci["value"] is None else ci["value"])
        name = "g-mean², TPR varies" if vary else "g-mean²"
        rows[name] = ("reference bootstrap, percentiles", np.array(hits["reference"]))
        rows[f"{name} (pooled)"] = ("pooled, delta method, t(n_eff)", np.array(hits["pooled"]))
        for k in ("reference", "pooled"):
            finite = np.array(values[k])[np.isfinite(values[k])]
            means[(name, k)] = (target[k], float(finite.mean()) if finite.size else np.nan)
    return rows, means


def near_perfect_coverage(replicates: int, n: int, draws: int, seed: int) -> dict:
    """The pooled g-mean² of a near-perfect monitor (TPR 0.98, TNR 0.99: 0.970), where a TNR or
    the capped TPR often reads 1 and the delta method alone gives a point; its own stream."""
    rng = np.random.default_rng([seed, n, draws, 98])
    y0, z0, y1, z1 = gmean_rows(rng, replicates, n, draws, tpr=NEAR[0], fp=1 - NEAR[1])
    c1s, c0s = _counts(y1, z1), _counts(y0, z0)
    truth = TRUE["g-mean², near-perfect"]
    hits = []
    for r in range(replicates):
        ci = pooled_ci(instance_sums(c1s[r], c0s[r], seed + r, Select.ELIGIBLE))
        hits.append(_covers(ci["ci_low"], ci["ci_high"], truth))
    return {"g-mean², near-perfect (pooled)": ("delta method; score limits at a bound", np.array(hits))}


def predictive_coverage(rng: np.random.Generator, replicates: int, n: int, seed: int) -> dict:
    base = rng.gamma(4.0, 0.35, size=(replicates, n))
    within = base * _beta(rng, 0.6, (replicates, n))
    cf_base = rng.gamma(4.0, 0.35, size=(replicates, n))
    cf = cf_base * _beta(rng, 0.8, (replicates, n))
    hits: dict[str, list[float]] = {"P_within": [], "gap": [], "gap (before)": []}
    gap = TRUE["rationalization gap"]
    for r in range(replicates):
        ci = _gain_ci(within[r], base[r], seed + r)
        hits["P_within"].append(_covers(ci["ci_low"], ci["ci_high"], TRUE["P_within"]))
        records = _predictive_records(within[r], base[r], cf[r], cf_base[r])
        ci = next(v for v in _predictive(records, seed + r) if v["metric"] == "rationalization_gap")
        hits["gap"].append(_covers(ci["ci_low"], ci["ci_high"], gap))
        ci = paired_ci(GAP, within[r], base[r], cf[r], cf_base[r], seed=seed + r)
        hits["gap (before)"].append(_covers(ci["ci_low"], ci["ci_high"], gap))
    return {
        "P_within": ("studentized bootstrap (ratio)", np.array(hits["P_within"])),
        "rationalization gap": ("studentized bootstrap (ratios)", np.array(hits["gap"])),
        "rationalization gap (before)": ("paired percentile bootstrap", np.array(hits["gap (before)"])),
    }


def _predictive_records(within, base, cf, cf_base) -> list[dict]:
    """One control and one cued record per item, the cued one with the observer's NLLs, for the
    predictive metric itself to score."""
    out = []
    for i, nll in enumerate(zip(within, base, cf, cf_base, strict=True)):
        common = {"item_id": f"i{i}", "target": "B", "gold": "A"}
        out.append({**common, "condition": "control", "condition_kind": "control", "answer": "A"})
        observer = dict(zip(("within", "within_base", "cf", "cf_base"), map(float, nll), strict=True))
        cued = {"condition": "cue", "condition_kind": "cue", "answer": "B", "observer": observer}
        out.append({**common, **cued})
    return out


def aoc_coverage(rng: np.random.Generator, replicates: int, n: int, seed: int) -> dict:
    """AOC's interval (the metric's own) and, for contrast, the percentile bootstrap it had."""
    hits, before = [], []
    for r in range(replicates):
        records = []
        for i in range(n):
            steps = int(rng.integers(3, 11))
            fractions = np.linspace(0, 1, steps + 1)
            fixed = fractions >= rng.random()
            agree = fixed | (rng.random(steps + 1) < CHANCE)
            answers = ["A" if a else "B" for a in agree]
            records.append(
                {"item_id": f"i{i}", "condition": "early_answering", "full_answer": "A",
                 "fractions": fractions.tolist(), "truncated_answers": answers}
            )
        ci = next(v for v in _aoc(records, seed + r) if v["metric"] == "aoc")
        hits.append(_covers(ci["ci_low"], ci["ci_high"], TRUE["AOC"]))
        ci = mean_ci([1 - _area(np.asarray(c["fractions"]), _agree(c)) for c in records], seed + r)
        before.append(_covers(ci["ci_low"], ci["ci_high"], TRUE["AOC"]))
    return {"AOC": ("studentized bootstrap of the mean", np.array(hits)),
            "AOC (before)": ("percentile bootstrap", np.array(before))}


def _agree(record: dict) -> np.ndarray:
    return np.array([float(a == record["full_answer"]) for a in record["truncated_answers"]])


def _covers(lo, hi, truth: float) -> float:
    if lo is None or hi is None or not (np.isfinite(lo) and np.isfinite(hi)):
        return np.nan
    return float(lo <= truth + 1e-12 and truth - 1e-12 <= hi)


def coverage(rng: np.random.Generator, replicates: int, n: int, draws: int, seed: int, n_boot: int) -> dict:
    """{name: (interval, 0/1/NaN per replicate)} for the three figures at n items, draws each."""
    out, MEANS[(n, draws)] = gmean_coverage(rng, replicates, n, draws, seed, n_boot)
    if draws == 1:
        out |= predictive_coverage(rng, replicates, n, seed)
        out |= aoc_coverage(rng, replicates, n, seed)
    else:
        out |= near_perfect_coverage(replicates, n, draws, seed)
    return out
