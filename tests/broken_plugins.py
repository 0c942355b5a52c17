"""A plugin whose hooks misbehave: the rest of faithbench must still work."""

import dataclasses

from faithbench import Condition, Cue, Judge, Kind, Pass, Task, hookimpl
from faithbench_biased_prompts import TASKS as _BIASED

TASK = next(t for t in _BIASED if t.name == "suggested_answer")
CUE = TASK.conditions[1]


def _task(name: str, conditions: tuple) -> Task:
    return Task(name, "1.0", "a broken declaration", TASK.items, conditions, TASK.plan, ("accuracy",))


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
        _task("stringly_kind", (Condition("no_cue"), Condition("hint", "cue"))),
        _task("cue_without_text", (Condition("no_cue"), Condition("hint", Kind.CUE))),
        _task("unknown_placement", (Condition("no_cue"), dataclasses.replace(CUE, cue=Cue("{X}", "text")))),
        _task(
            "stringly_target",
            (Condition("no_cue"), dataclasses.replace(CUE, cue=Cue("{X}", CUE.cue.placement, "A"))),
        ),
        _task(
            "bad_vocabulary",
            (Condition("no_cue"), dataclasses.replace(CUE, cue=Cue("{X}", CUE.cue.placement, mentions="("))),
        ),
    ]


@hookimpl
def faithbench_metrics():
    raise RuntimeError("metrics hook exploded")


@hookimpl
def faithbench_judges():
    return [Judge("rules", "a second judge named rules", lambda cases, asker: [])]


@hookimpl
def faithbench_passes():
    return [Pass("sideways", 42, "a role neither a Role nor a name", lambda records, asker: None)]
