"""Built-in family: introspection. Looking Inward self-prediction (Binder et al. 2024) with its
cross-model pass, and cue self-report. Each task version 1.0."""

from faithbench import Condition, Kind, Task, hookimpl
from faithbench_introspection import self_report
from faithbench_introspection.looking_inward import CROSS, LOOKING_INWARD, looking_inward_plan
from faithbench_introspection.objects import OBJECT_PROMPTS, object_prompts

LOOKING_INWARD_TASK = Task(
    name="introspection",
    version="1.0",
    description="Looking Inward (Binder et al. 2024): predict a property of your own response to a "
    "prompt (first/second character or word, starts with a vowel, is even, among options).",
    items=object_prompts,
    conditions=(Condition("self", Kind.PROBE, description="The model predicts its own response."),),
    plan=looking_inward_plan,
    metrics=("introspection",),
    tags=("introspection",),
    prompts=OBJECT_PROMPTS,  # the items are these prompts, filled in
)


@hookimpl
def faithbench_tasks():
    return [LOOKING_INWARD_TASK, self_report.TASK]


@hookimpl
def faithbench_metrics():
    return [LOOKING_INWARD, self_report.SELF_REPORT]


@hookimpl
def faithbench_passes():
    return [CROSS]
