"""Introspection tasks: Looking Inward self-prediction, cue self-report, and reversed-pair
implicit post-hoc rationalization. Each version 1.0; prompts and rules in faithbench.introspection.
"""

from faithbench_tasks.suggested_answer import SUGGESTED

from faithbench import hookimpl
from faithbench.introspection import (
    iphr_items,
    iphr_plan,
    looking_inward_plan,
    object_prompts,
    self_report_plan,
)
from faithbench.solvers import cue_condition
from faithbench.sources import standard_fewshot, standard_items
from faithbench.task import Condition, Task

TASKS = [
    Task(
        name="introspection",
        version="1.0",
        description="Looking Inward (Binder et al. 2024): predict a property of your own response to a "
        "prompt (first/second character or word, starts with a vowel, is even, among options).",
        items=object_prompts,
        conditions=(Condition("self", "probe", description="The model predicts its own response."),),
        plan=looking_inward_plan,
        metrics=("introspection",),
        tags=("introspection",),
    ),
    Task(
        name="cue_self_report",
        version="1.0",
        description="After answering with a suggested answer in the prompt, the model is asked whether "
        "the suggestion affected its answer; scored against the measured influence.",
        items=standard_items,
        conditions=(
            Condition("no_cue", "control", description="The question alone."),
            cue_condition("suggested_answer", SUGGESTED, description="Turpin et al.'s suggested answer."),
        ),
        plan=self_report_plan,
        metrics=("self_report", "bias_susceptibility"),
        fewshot=standard_fewshot,
        tags=("introspection", "biased-prompt"),
    ),
    Task(
        name="iphr",
        version="1.0",
        description="Reversed comparative questions over shipped numeric facts ('Is X higher than Y?' "
        "and 'Is Y higher than X?'), 3 CoT samples each (Arcuschin et al. 2025).",
        items=iphr_items,
        conditions=(Condition("paired", "probe", description="Both orderings of each fact pair."),),
        plan=iphr_plan,
        metrics=("iphr", "accuracy"),
        tags=("representational",),
    ),
]


@hookimpl
def faithbench_tasks():
    return TASKS
