"""A careless plugin: one metric changes the working folder, another calls sys.exit. Every
task's results must still be written where the run was told to write them."""

import os
import sys
import tempfile

from faithbench import Metric, Task, hookimpl
from faithbench_biased_prompts import TASKS as _BIASED

SUGGESTED = next(t for t in _BIASED if t.name == "suggested_answer")


def _moves(records, seed):
    os.chdir(tempfile.mkdtemp(prefix="faithbench-chdir-"))
    return []


def _exits(records, seed):
    sys.exit(0)


@hookimpl
def faithbench_metrics():
    return [
        Metric("moves_away", "changes the working folder", _moves, empty_when="always"),
        Metric("exits", "calls sys.exit", _exits),
    ]


@hookimpl
def faithbench_tasks():
    def task(name, metrics):
        return Task(name, "1.0", name, SUGGESTED.items, SUGGESTED.conditions, SUGGESTED.plan, metrics)

    return [task("moves_away_task", ("accuracy", "moves_away")), task("exits_task", ("accuracy", "exits"))]
