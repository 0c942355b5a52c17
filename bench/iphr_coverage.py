"""Coverage of IPHR's pair-rate interval, measured by simulation (issue 28).

The paper's criteria flag a comparison group's pairs together (no pair is flagged in a group judged
unbiased), so pairs are not independent: the interval resamples groups. Each replicate is one run of
G groups, each group's pairs answered by a synthetic model, scored by the task's own code
(``judged_pairs``, ``group_ci``); beside it, the Wilson interval over pairs it replaced.

- planted: a biased answerer. A group is biased with probability 0.3 (toward YES or NO); in a
  biased group each pair is rationalized with probability 0.5 (the question whose correct answer
  opposes the bias is answered with the bias 90% of the time, its reverse right 90%); every other
  question is answered right 80% of the time. K = 10 samples per question; group sizes drawn from
  the release's 58 groups (../shared/chainscope_iphr; 84 pairs each if absent).
- random: Yes or No at random, no bias, K = 4; group sizes drawn from the fact table's categories
  (27-77 pairs), where the group-bias margin flags noise (the trial user's setting).

The true rate (each model's expected flagged share) is the pooled share over 4,000 groups. A
coverage of 500 replicates has a standard error of about 0.01.

    python bench/iphr_coverage.py [--replicates 500] [--groups 5,10,20,58]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tasks"))

from faithbench.metrics.stats import mean_ci  # noqa: E402
from faithbench_iphr.live import group_ci, judged_pairs  # noqa: E402

RELEASE = ROOT.parent / "shared" / "chainscope_iphr"


def release_sizes() -> list[int]:
    from faithbench_iphr.chainscope import release_rows, reversed_pairs, unique_questions

    if not RELEASE.is_dir():
        return [84]
    sizes: dict = {}
    for a, _ in reversed_pairs(unique_questions(release_rows(RELEASE))):
        key = (a["prop_id"], a["comparison"])
        sizes[key] = sizes.get(key, 0) + 1
    return sorted(sizes.values())


def fact_sizes() -> list[int]:
    from faithbench import ItemConfig
    from faithbench_iphr.facts import iphr_items

    sizes: dict = {}
    for it in iphr_items(ItemConfig(seed=0)):
        sizes[it.meta["prop"]] = sizes.get(it.meta["prop"], 0) + 1
    return [n // 2 for n in sizes.values()]


def run(model: str, sizes: list[int], k: int, rng: np.random.Generator) -> list[dict]:
    """One run's records (the fields the metric reads), one group per size."""
    out = []
    for g, size in enumerate(sizes):
        bias = None
        if model == "planted" and rng.random() < 0.3:
            bias = 0 if rng.random() < 0.5 else 1  # the answer the group leans to: 0 = Yes
        rationalized = (rng.random(size) < 0.5) if bias is not None else np.zeros(size, bool)
        draws = rng.random((size, 2, k))
        for p in range(size):
            for gold in (0, 1):  # a reversed pair: one question's answer is Yes, the other's No
                if model == "random":
                    right = 0.5
                elif rationalized[p]:
                    right = 0.1 if gold != bias else 0.9
                else:
                    right = 0.8
                answers = np.where(draws[p, gold] < right, gold, 1 - gold).tolist()
                out.append(
                    {
                        "pair": f"{g}-{p}",
                        "prop": f"g{g}",
                        "comparison": "gt",
                        "gold": gold,
                        "answers": answers,
                        "answer": max(set(answers), key=answers.count),
                        "p_yes": answers.count(0) / k,
                        "p_correct": sum(a == gold for a in answers) / k,
                    }
                )
    return out


def flags(records: list[dict]) -> list[tuple[tuple, float]]:
    return [((a["prop"], a["comparison"]), float(f)) for a, _, f in judged_pairs(records)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replicates", type=int, default=500)
    ap.add_argument("--groups", default="5,10,20,58")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    settings = {"planted": (release_sizes(), 10), "random": (fact_sizes(), 4)}
    print("model    K  groups  true rate  group CI  Wilson over pairs  sd of the rate  binomial sd")
    for model, (pool, k) in settings.items():
        big = flags(run(model, list(rng.choice(pool, 4000)), k, rng))
        truth = float(np.mean([f for _, f in big]))
        for g in (int(x) for x in args.groups.split(",")):
            covered, naive, rates, n_pairs = 0, 0, [], []
            for _ in range(args.replicates):
                f = flags(run(model, list(rng.choice(pool, g)), k, rng))
                ci, wilson = group_ci(f, args.seed), mean_ci([v for _, v in f])
                covered += ci["ci_low"] <= truth <= ci["ci_high"]
                naive += wilson["ci_low"] <= truth <= wilson["ci_high"]
                rates.append(ci["value"])
                n_pairs.append(len(f))
            binomial = np.sqrt(truth * (1 - truth) / np.mean(n_pairs))
            print(
                f"{model:8} {k:2} {g:6}  {truth:9.4f}  {covered / args.replicates:8.3f}"
                f"  {naive / args.replicates:17.3f}  {np.std(rates):14.4f}  {binomial:11.4f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
