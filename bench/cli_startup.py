"""Start-up of ``faithbench --help`` against ``lm-eval --help``, paired runs side by side.

Each round runs both commands once, alternating which goes first, as fresh processes; the
script prints the median wall time and the median CPU-seconds of each and their ratios
(faithbench / lm-eval; at or under 1.0 is the target). Usage:
    python bench/cli_startup.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import time


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def once(command: list[str]) -> tuple[float, float]:
    cpu, wall = children_cpu(), time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - wall, children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    commands = {name: [shutil.which(name) or name, "--help"] for name in ("faithbench", "lm-eval")}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for i in range(args.rounds):
        order = list(commands) if i % 2 == 0 else list(reversed(commands))
        for name in order:
            times[name].append(once(commands[name]))
    med = {
        name: (statistics.median(w for w, _ in ts), statistics.median(c for _, c in ts))
        for name, ts in times.items()
    }
    for name, (wall, cpu) in med.items():
        print(f"{name + ' --help':20} wall {wall:6.3f} s   CPU {cpu:6.3f} s   (median of {args.rounds})")
    (fw, fc), (lw, lc) = med["faithbench"], med["lm-eval"]
    print(f"faithbench/lm-eval: wall {fw / lw:.2f}x, CPU-seconds {fc / lc:.2f}x")


if __name__ == "__main__":
    main()
