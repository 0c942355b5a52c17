"""One run's metric phase, timed in this process with whichever faithbench is first on the path.

bench/bootstrap.py starts this once per side (this tree, an older commit) with that side's code on
PYTHONPATH; it only uses names both sides have (``score``, ``judge_entry``, ``build_summary``,
``load_registry``), so the same file times either. It runs ``--model fake --tasks all --limit N``
with no observer, then times the metric phase of that run's records once (the first call, so no
cache of an earlier call helps) and prints one JSON line.
Usage: python bench/metric_phase.py LIMIT
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path


def metric_phase(registry, records: list, seed: int, judges: list[str]) -> dict:
    """What a run computes after its samples: each task's metrics and judges' figures, then the
    summary (faithbench.pipeline.evaluate._task_entry and pipeline.results.assemble)."""
    from faithbench.metrics.compute import judge_entry, score
    from faithbench.metrics.summary import build_summary

    by_task: dict[str, list] = {}
    for r in records:
        by_task.setdefault(r["task"], []).append(r)
    entries = {}
    for name, rows in by_task.items():
        task = registry.tasks[name]
        values, problems = score(task, rows, registry.metrics, seed, judges)
        entries[name] = {"metrics": values, "problems": problems,
                         "judges": judge_entry(task, rows, registry.metrics, seed, judges)}
    tasks = [registry.tasks[name] for name in entries]
    return {"tasks": entries, "summary": build_summary(tasks, entries, registry.metrics, records, seed)}


def main(limit: int) -> None:
    from click.testing import CliRunner

    import faithbench
    from faithbench.cli import cli
    from faithbench.plugins.manager import load_registry
    from faithbench.results.io import load_records, load_results

    os.environ["FAITHBENCH_OBSERVER"] = "none"
    with tempfile.TemporaryDirectory() as out:
        result = CliRunner().invoke(
            cli, ["run", "--model", "fake", "--tasks", "all", "--limit", str(limit), "--output-path", out]
        )
        assert result.exit_code == 0, result.output
        path = next(Path(out).rglob("results.json"))
        config = load_results(path)["config"]
        records = load_records(path)
    registry = load_registry()
    judges = [j for j in str(config.get("judge") or "").split(",") if j]
    started, cpu = time.perf_counter(), time.process_time()
    metric_phase(registry, records, config["seed"], judges)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    code = str(Path(faithbench.__file__).resolve().parent.parent)
    print(json.dumps({"code": code, "records": len(records), "wall": wall, "cpu": cpu}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
