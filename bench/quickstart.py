"""The README's first command (its run part and the site build) against the previous one.

Runs, each in a fresh folder with an empty response cache and on the embedded model (its own
default observer), first the quick start (the README's first command since 2026-12-02) and then
the command it replaced:

    previous - faithbench run --tasks all --limit 2 --max-gen-toks 128 --samples-per-arm 4
    quick    - faithbench run --tasks all --limit 2 --max-gen-toks 48 --samples-per-arm 2
               --samples-per-question 2 (each followed by faithbench leaderboard build)

and prints for each the CPU-seconds of the child processes, wall time, requests and generated
tokens (results.json), whether every task finished ``ok`` and whether the site was written,
then the ratios previous/quick. CPU-seconds are the comparable figure on a shared machine.

What the quick setting cannot conclude: two items per task put every figure at n <= 2 (its
confidence interval spans nearly the whole range), CoTs cut at 48 tokens rarely state an answer
(answers are read by the forced log-likelihood read-out), and the 270M model reading itself is a
smoke test of the observer; it shows that every task, the summary and the site run end to end.
Usage:
    python bench/quickstart.py [--only quick,one-seq]  (one-seq: the quick start with n_seq=1;
    full-gen: with full_generations=true, no stop once a pass's answer is stated)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN = ["run", "--tasks", "all", "--limit", "2"]
SETTINGS = {
    "quick": RUN + ["--max-gen-toks", "48", "--samples-per-arm", "2", "--samples-per-question", "2"],
    "previous": RUN + ["--max-gen-toks", "128", "--samples-per-arm", "4"],
}
# The quick start with the embedded model decoding one sequence at a time (as before n_seq)
SETTINGS["one-seq"] = SETTINGS["quick"] + ["--model-args", "n_seq=1"]
# The quick start with every generation run to its budget (no stop once the answer is stated)
SETTINGS["full-gen"] = SETTINGS["quick"] + ["--model-args", "full_generations=true"]
FAITHBENCH = [sys.executable, "-m", "faithbench"]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(name: str, args: list[str]) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"quickstart-{name}-"))
    env = dict(os.environ)  # the response cache is the run's own (OUTPUT_PATH/<model>/), empty
    env.pop("FAITHBENCH_OBSERVER", None)  # the default observer, as a newcomer gets it
    cpu, wall = children_cpu(), time.perf_counter()
    run = subprocess.run([*FAITHBENCH, *args], cwd=folder, env=env, capture_output=True, text=True)
    site = subprocess.run(
        [*FAITHBENCH, "leaderboard", "build", "faithbench-results", "--out", "site"],
        cwd=folder, env=env, capture_output=True, text=True,
    )  # fmt: skip
    cpu, wall = children_cpu() - cpu, time.perf_counter() - wall
    results = json.loads((folder / "faithbench-results" / "llama-cpp" / "results.json").read_text())
    usage = results["usage"]
    statuses = {t: v["status"] for t, v in results["tasks"].items()}
    return {
        "cpu": cpu,
        "wall": wall,
        "exit": run.returncode,
        "requests": usage["sent"] + usage.get("side_models", {}).get("observer", {}).get("sent", 0),
        "generated": usage["tokens"]["generated"],
        "tasks": len(statuses),
        "ok": sum(s == "ok" for s in statuses.values()),
        "site": site.returncode == 0 and (folder / "site" / "index.html").is_file(),
        "folder": folder,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", help=f"comma-separated settings to run, of {', '.join(SETTINGS)}")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(SETTINGS)
    rows = {name: measure(name, SETTINGS[name]) for name in names}
    print(f"{'':8} {'CPU-s':>8} {'wall s':>8} {'requests':>9} {'gen. tok':>9} {'tasks ok':>9} site  exit")
    for name, r in rows.items():
        print(
            f"{name:8} {r['cpu']:8.1f} {r['wall']:8.1f} {r['requests']:9d} {r['generated']:9d} "
            f"{r['ok']:>4}/{r['tasks']:<4} {str(r['site']):5} {r['exit']}  ({r['folder']})"
        )
    for other in ("previous", "one-seq", "full-gen"):
        if other not in rows or "quick" not in rows:
            continue
        cur, quick = rows[other], rows["quick"]
        print(
            f"{other}/quick: CPU-seconds {cur['cpu'] / quick['cpu']:.2f}x, "
            f"wall {cur['wall'] / quick['wall']:.2f}x, "
            f"generated tokens {cur['generated'] / max(quick['generated'], 1):.2f}x"
        )


if __name__ == "__main__":
    main()
