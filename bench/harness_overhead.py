"""faithbench's own cost per request: `--tasks all` with the instant fake model, side by side with
an earlier commit.

For each --limit, runs the whole suite once with the code of ``--before`` (a git commit, extracted
to a temporary folder with ``git archive``) and once with this working tree, each in a fresh
process, alternating, and prints the requests asked by plans, the wall and CPU seconds, the time
spent inside the model, and faithbench's own time per request ((seconds - model) / requests): plan
driving, rendering, hashing, cache lookups and writes, record checks, metrics with their bootstrap
CIs, and writing results. CPU seconds are the figure to read on a shared machine (wall includes
waiting for a core). The default ``--before`` is the commit before issue 29's record-check work.
Usage: python bench/harness_overhead.py [--limits 10,40,160] [--before REF] [--repeat N]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "d38e137"  # main before the cheap record checks (issue 29)


def worker(limit: int) -> None:
    """One run in this process; prints its figures as one JSON line."""
    from click.testing import CliRunner

    import faithbench
    from faithbench.cli import cli

    os.environ["FAITHBENCH_OBSERVER"] = "none"
    with tempfile.TemporaryDirectory() as out:
        started, cpu = time.perf_counter(), time.process_time()
        result = CliRunner().invoke(
            cli, ["run", "--model", "fake", "--tasks", "all", "--limit", str(limit), "--output-path", out]
        )
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert result.exit_code == 0, result.output
        usage = json.loads(next(Path(out).rglob("results.json")).read_text())["usage"]
    code = str(Path(faithbench.__file__).resolve().parent.parent)
    print(json.dumps({"code": code, "requests": usage["requests"], "wall": wall, "cpu": cpu,
                      "model": usage["model_seconds"]}))


def measure(tree: Path, limit: int) -> dict:
    """One run of the code in ``tree`` (its faithbench and its task families first on the path)."""
    paths = [tree, tree / "tasks", tree / "leaderboard"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, paths))}
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", str(limit)],
        env=env, cwd=tree, capture_output=True, text=True, check=True,
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert Path(figures["code"]) == tree.resolve(), f"ran {figures['code']}, not {tree}"
    return figures


def own_ms(figures: dict, clock: str) -> float:
    return (figures[clock] - figures["model"]) / figures["requests"] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limits", default="10,40,160")
    parser.add_argument("--before", default=BEFORE, help="the git commit to compare with")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (medians printed)")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        return worker(args.worker)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; before = {args.before}")
    print("| --limit | requests | before ms/req (CPU) | after ms/req (CPU) | ratio | after ms/req (wall) |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as old:
        archive = subprocess.run(["git", "archive", args.before], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", old], input=archive.stdout, check=True)
        for limit in [int(x) for x in args.limits.split(",")]:
            before, after = [], []
            for _ in range(args.repeat):
                before.append(measure(Path(old), limit))
                after.append(measure(ROOT, limit))
            b = statistics.median(own_ms(f, "cpu") for f in before)
            a = statistics.median(own_ms(f, "cpu") for f in after)
            wall = statistics.median(own_ms(f, "wall") for f in after)
            requests = f"{after[0]['requests']:,}"
            if before[0]["requests"] != after[0]["requests"]:
                requests += f" (before: {before[0]['requests']:,})"
            print(f"| {limit} | {requests} | {b:.3f} | {a:.3f} | {a / b:.2f} | {wall:.3f} |")


if __name__ == "__main__":
    main()
