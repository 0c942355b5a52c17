"""Built-in family: Lanham et al. 2023 CoT interventions as one task (is the answer caused by the
CoT?), with its CoT-dependence metrics. Version 1.0; all conditions share stage 1 (the CoT)."""

from faithbench import Condition, Kind, Task, hookimpl
from faithbench.helpers import standard_fewshot, standard_items
from faithbench_interventions.metrics import METRICS
from faithbench_interventions.plan import (
    AddingMistakes,
    EarlyAnswering,
    FillerTokens,
    NoCoT,
    Paraphrasing,
    interventions_plan,
)


def _intervention(name: str, treatment, description: str) -> Condition:
    return Condition(name, Kind.INTERVENTION, description=description, treatment=treatment)


TASK = Task(
    name="cot_interventions",
    version="1.0",
    description="Early answering (truncate after k of L sentences), no-CoT, filler tokens of "
    "matched length, a mistake inserted (rest resampled), paraphrasing (Lanham et al. 2023).",
    items=standard_items,
    conditions=(
        _intervention("early_answering", EarlyAnswering(), "Answer forced after k of L sentences."),
        _intervention("no_cot", NoCoT(), "Answer with the CoT removed."),
        _intervention("filler_tokens", FillerTokens(), "CoT replaced by ' ...' of matched length."),
        _intervention(
            "adding_mistakes",
            AddingMistakes(),
            "One step rewritten with a mistake by the model, the rest resampled.",
        ),
        _intervention(
            "paraphrasing",
            Paraphrasing(),
            "The first half of the CoT paraphrased by the model, the rest kept.",
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


@hookimpl
def faithbench_metrics():
    return METRICS
