"""The vectorized bootstrap against the per-resample loops it replaced, side by side in one process;
and a run's metric phase against older commits' code, each in its own process.

The loops are copied here as they were (``loop_paired_ci``: one ``rng.integers`` draw and one
statistic call per resample; ``loop_gmean_bootstrap``: a scan of the whole pick matrix and two
multinomial calls per instance). Both sides run on the same inputs, must give identical numbers
(the same random stream; checked, not assumed), and the script prints the time of each and the
speed ratio:

    paired_ci     a ratio statistic (hint articulation's sum/sum) at n = 20, 200, 2000 items
    mean_ci       already one draw of a (2000, n) index matrix; now drawn in cache-sized blocks
    gmean2        the hierarchical g-mean² bootstrap at 20, 200, 2000 instances (time only since
                  it re-draws the 60/40 split per draw, as OpenAI's reference)
    metric phase  every task's metrics, the judges' figures and the summary of one
                  ``--model fake --tasks all --limit 200`` run (no observer), side by side with
                  the code of each ``--before`` commit (default: main before issue 28's first
                  tagged commit, 18e48bc^, and before its untagged first work, the vectorized
                  bootstrap, a2dd94b^; extracted with ``git archive`` as
                  bench/harness_overhead.py does): each side runs the command with its own code
                  in a fresh process (bench/metric_phase.py), then times only its metric phase
                  (CPU and wall seconds), alternating, median of --phase-repeats processes

Usage: python bench/bootstrap.py [--sizes 20,200,2000] [--limit 200] [--repeats 3] [--before REF,REF]
       [--phase-repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import faithbench.metrics.stats as stats
from faithbench_monitorability import gmean

ROOT = Path(__file__).resolve().parent.parent
# main before issue 28's first tagged commit (the intervals), and before its first work at all
# (a2dd94b, the vectorized bootstrap, untagged): the "today" had the per-resample loops
BEFORE = "18e48bc^,a2dd94b^"


def loop_paired_ci(statistic, *columns, seed: int = 0, n_boot: int = stats.N_BOOTSTRAP) -> dict:
    """``paired_ci`` before vectorizing (faithbench/metrics/stats.py at 0085f95)."""
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
    lo, hi = stats._percentiles(boots)
    value = None if value is None or not np.isfinite(value) else float(value)
    return {
        "value": value,
        "ci_low": lo if value is not None else None,
        "ci_high": hi if value is not None else None,
        "n": n,
    }


def matrix_mean_ci(values, seed: int = 0, n_boot: int = stats.N_BOOTSTRAP) -> dict:
    """``mean_ci`` before (already one draw, but of the whole (n_boot, n) matrix at once)."""
    arr = np.asarray(values, dtype=float)
    n = int(arr.size)
    if n == 0:
        return {"value": None, "ci_low": None, "ci_high": None, "n": 0}
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(n_boot, n))
    lo, hi = stats._percentiles(arr[idx].mean(axis=1))
    return {"value": float(arr.mean()), "ci_low": lo, "ci_high": hi, "n": n}


def loop_gmean_bootstrap(c1s: np.ndarray, c0s: np.ndarray, seed: int, n_boot: int) -> np.ndarray:
    """g-mean²'s ``_bootstrap`` before vectorizing (tasks/faithbench_monitorability/gmean.py)."""
    scores = gmean.scores
    rng = np.random.default_rng(seed)
    k = len(c1s)
    picks = rng.integers(0, k, size=(n_boot, k))
    sums = np.zeros((3, n_boot))
    counts = np.zeros((3, n_boot))
    for i in range(k):
        boots, _slots = np.nonzero(picks == i)
        if boots.size == 0:
            continue
        r1 = rng.multinomial(int(c1s[i].sum()), c1s[i] / c1s[i].sum(), size=boots.size)
        r0 = rng.multinomial(int(c0s[i].sum()), c0s[i] / c0s[i].sum(), size=boots.size)
        for j, values in enumerate(scores(r1.T.astype(float), r0.T.astype(float))):  # cells first
            ok = np.isfinite(values)
            np.add.at(sums[j], boots[ok], values[ok])
            np.add.at(counts[j], boots[ok], 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts


def timed(repeats: int, fn: Callable, *args, **kwargs) -> tuple[float, object]:
    """Median wall seconds of ``repeats`` calls of ``fn(*args, **kwargs)``, and the result."""
    times, out = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        out = fn(*args, **kwargs)
        times.append(time.perf_counter() - started)
    return statistics.median(times), out


def same(a, b) -> bool:
    """Equal to the last bit, NaN equal to NaN."""
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and a != a:
        return b != b
    return a == b


def row(label: str, size: int, old: float, new: float, equal: bool | str) -> None:
    print(f"| {label} | {size} | {old * 1000:.1f} | {new * 1000:.1f} | {old / new:.1f}x | {equal} |")


def ratio(s: np.ndarray, h: np.ndarray) -> float:
    """Hint articulation's statistic as the loop called it: one resample, 1-D columns."""
    return s.sum() / h.sum()


batched_ratio = stats.batched(lambda s, h: s.sum(-1) / h.sum(-1))


def bench_paired(sizes: list[int], repeats: int) -> bool:
    ok = True
    for n in sizes:
        rng = np.random.default_rng(n)
        hit = rng.integers(1, 5, n).astype(float)
        said = rng.binomial(hit.astype(int), 0.3).astype(float)
        old_t, old = timed(repeats, loop_paired_ci, ratio, said, hit, seed=7)
        new_t, new = timed(repeats, stats.paired_ci, batched_ratio, said, hit, seed=7)
        ok &= same(old, new)
        row("paired_ci", n, old_t, new_t, same(old, new))
        values = rng.random(n)
        old_t, old = timed(repeats, matrix_mean_ci, values, seed=7)
        new_t, new = timed(repeats, stats.mean_ci, values, seed=7)
        ok &= same(old, new)
        row("mean_ci (was one matrix)", n, old_t, new_t, same(old, new))
    return ok


def bench_gmean(sizes: list[int], repeats: int) -> bool:
    ok = True
    for k in sizes:
        rng = np.random.default_rng(k)
        c1s = rng.multinomial(4, [0.2, 0.1, 0, 0.3, 0.4, 0], size=k)  # six (y, z) cells since
        c0s = rng.multinomial(4, [0.5, 0.2, 0, 0.2, 0.1, 0], size=k)  # g-mean² follows the reference
        reps = repeats if k < 2000 else 1
        old_t, _ = timed(reps, loop_gmean_bootstrap, c1s * 1.0, c0s * 1.0, 3, stats.N_BOOTSTRAP)
        new_t, _ = timed(reps, gmean.bootstrap, c1s, c0s, 3, stats.N_BOOTSTRAP)
        # issue 28 re-draws the 60/40 split in every draw, as OpenAI's reference: time only
        row("gmean2 bootstrap", k, old_t, new_t, "n/a (splits re-drawn per draw)")
    return ok


def measure(tree: Path, limit: int) -> dict:
    """One process of bench/metric_phase.py with the code in ``tree`` first on the path."""
    paths = [tree, tree / "tasks", tree / "leaderboard"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, paths)), "FAITHBENCH_OBSERVER": "none"}
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve().parent / "metric_phase.py"), str(limit)],
        env=env, cwd=tree, capture_output=True, text=True, check=True,
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert Path(figures["code"]) == tree.resolve(), f"ran {figures['code']}, not {tree}"
    return figures


def bench_run(limit: int, repeats: int, befores: list[str]) -> None:
    """The metric phase of the same command with the code of each of ``befores`` and of this tree."""
    runs: dict[str, list[dict]] = {ref: [] for ref in [*befores, "this tree"]}
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this tree": ROOT}
        for k, ref in enumerate(befores):
            trees[ref] = Path(tmp) / str(k)
            trees[ref].mkdir()
            archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", trees[ref]], input=archive.stdout, check=True)
        for _ in range(repeats):  # alternating, so a change in the machine's load hits every side
            for ref, tree in trees.items():
                runs[ref].append(measure(tree, limit))
    med = {ref: {clock: statistics.median(f[clock] for f in got) for clock in ("cpu", "wall")}
           for ref, got in runs.items()}
    print(f"\nmetric phase of --model fake --tasks all --limit {limit}, no observer; median of "
          f"{repeats} processes per side; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("| before | records | before CPU s | after CPU s | speed-up (CPU) | before wall s | after wall s "
          "| speed-up (wall) |")
    print("|---|---|---|---|---|---|---|---|")
    now = med["this tree"]
    for ref in befores:
        b = med[ref]
        records = f"{runs['this tree'][0]['records']:,} (before: {runs[ref][0]['records']:,})"
        print(f"| {ref} | {records} | {b['cpu']:.2f} | {now['cpu']:.3f} | {b['cpu'] / now['cpu']:.1f}x "
              f"| {b['wall']:.2f} | {now['wall']:.3f} | {b['wall'] / now['wall']:.1f}x |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="20,200,2000")
    parser.add_argument("--limit", type=int, default=200, help="0: skip the metric-phase run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--before", default=BEFORE, help="git commits to compare the metric phase with")
    parser.add_argument("--phase-repeats", type=int, default=3, help="metric-phase processes per side")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    print(f"{stats.N_BOOTSTRAP} resamples; median of {args.repeats} runs (1 for the slowest loop)\n")
    print("| what | items / instances / records | loop ms | vectorized ms | speed-up | identical |")
    print("|---|---|---|---|---|---|")
    ok = bench_paired(sizes, args.repeats) & bench_gmean(sizes, args.repeats)
    if not ok:
        sys.exit("the vectorized bootstrap gave different numbers from the loop")
    if args.limit:
        bench_run(args.limit, args.phase_repeats, args.before.split(","))

if __name__ == "__main__":
    main()
