"""A plugin whose hooks misbehave: the rest of faithbench must still work."""

from faithbench import Condition, Task, hookimpl
from faithbench_biased_prompts import TASKS as _BIASED

TASK = next(t for t in _BIASED if t.name == "suggested_answer")


@hookimpl
def faithbench_tasks():
    return [
        Task("Bad Name!", "1.0", "invalid name", TASK.items, TASK.conditions, TASK.plan, TASK.metrics),
        Task(
            "needs_missing_metric",
            "1.0",
            "unknown metric",
            TASK.items,
            (Condition("x"),),
            TASK.plan,
            ("no_such_metric",),
        ),
    ]


@hookimpl
def faithbench_metrics():
    raise RuntimeError("metrics hook exploded")
