"""A plugin whose metric returns values results.json cannot hold, whose other metric raises,
and whose CLI hook raises: every other task's results must still be written."""

from faithbench import Metric, Task, hookimpl
from faithbench_biased_prompts import TASKS as _BIASED

SUGGESTED = next(t for t in _BIASED if t.name == "suggested_answer")


def _bad_values(records, seed):
    return [{"metric": "bad_values", "condition": "no_cue", "value": "not-a-number", "n": -1}]


def _raises(records, seed):
    raise ZeroDivisionError("metric bug on purpose")


@hookimpl
def faithbench_metrics():
    return [Metric("bad_values", "returns invalid values", _bad_values), Metric("raises", "raises", _raises)]


@hookimpl
def faithbench_tasks():
    return [
        Task(
            "bad_metric",
            "1.0",
            "uses the bad metrics",
            SUGGESTED.items,
            SUGGESTED.conditions,
            SUGGESTED.plan,
            ("accuracy", "bad_values", "raises"),
        ),
    ]


@hookimpl
def faithbench_register_commands(cli):
    raise RuntimeError("commands hook exploded")
