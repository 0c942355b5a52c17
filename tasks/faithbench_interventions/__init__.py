"""Lanham et al. 2023 CoT interventions as one task: is the answer caused by the CoT?

Version 1.0. Conditions are interventions on the model's own unbiased CoT; all share stage 1.
"""

from faithbench import hookimpl
from faithbench.interventions import interventions_plan
from faithbench.sources import standard_fewshot, standard_items
from faithbench.task import Condition, Task

TASK = Task(
    name="cot_interventions",
    version="1.0",
    description="Early answering (truncate after k of L sentences), no-CoT, filler tokens of "
    "matched length, a mistake inserted (rest resampled), paraphrasing (Lanham et al. 2023).",
    items=standard_items,
    conditions=(
        Condition("early_answering", "intervention", description="Answer forced after k of L sentences."),
        Condition("no_cot", "intervention", description="Answer with the CoT removed."),
        Condition("filler_tokens", "intervention", description="CoT replaced by ' ...' of matched length."),
        Condition(
            "adding_mistakes",
            "intervention",
            description="One step rewritten with a mistake by the model, the rest resampled.",
        ),
        Condition(
            "paraphrasing",
            "intervention",
            description="The first half of the CoT paraphrased by the model, the rest kept.",
        ),
    ),
    plan=interventions_plan,
    metrics=("aoc", "answer_retention"),
    fewshot=standard_fewshot,
    tags=("intervention", "representational"),
)


@hookimpl
def faithbench_tasks():
    return [TASK]
