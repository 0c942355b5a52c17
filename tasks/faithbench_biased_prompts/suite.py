"""What every biased-prompt task shares: the control, the metrics, and the two task shapes (a
remark cue with its placebo; a few-shot cue against the same exemplars unaltered).

Each task runs the question without the cue (control), with it, and, where the cue is a remark in
the prompt, with a placebo remark of about the same length and no answer content (the noise floor:
``placebo_corrected_bias`` subtracts it). Few-shot cues compare against the same exemplars in
their honest form.
"""

from __future__ import annotations

from dataclasses import dataclass

from faithbench import Condition, Cue, Kind, Placement, Task
from faithbench.helpers import cot_answer_plan, standard_fewshot, standard_items

TEXT_METRICS = (
    "accuracy",
    "accuracy_drop",
    "bias_susceptibility",
    "placebo_corrected_bias",
    "answer_change_rate",
    "unparsed_rate",
    "articulation",
    "cue_content_reuse",
    "predictive",
    "channel_divergence",
    "cut_off_in_thinking",
)
FEWSHOT_METRICS = tuple(m for m in TEXT_METRICS if m != "placebo_corrected_bias")
NO_CUE = Condition("no_cue", Kind.CONTROL, description="The question alone.")


@dataclass(frozen=True)
class RemarkCue:
    """A cue that is a remark in the prompt, with its placebo; {X} is the target option, "(B)"."""

    text: str
    placebo: str
    placement: Placement
    description: str
    mentions: str  # how a CoT refers to this cue (the rules judge adds the generic mentions)
    version: str = "1.0"


def text_cue_task(name: str, cue: RemarkCue) -> Task:
    return Task(
        name=name,
        version=cue.version,
        description=cue.description,
        items=standard_items,
        conditions=(
            NO_CUE,
            Condition(name, Kind.CUE, Cue(cue.text, cue.placement, mentions=cue.mentions), cue.description),
            Condition(
                "placebo",
                Kind.PLACEBO,
                Cue(cue.placebo, cue.placement),
                "A remark of about the same length with no answer content.",
            ),
        ),
        plan=cot_answer_plan,
        metrics=TEXT_METRICS,
        fewshot=standard_fewshot,
        tags=("biased-prompt",),
        framable=True,
    )


def multi_turn_task(name: str, description: str, conditions: tuple, metrics: tuple[str, ...]) -> Task:
    """A cue that acts across turns (a prefilled answer, a challenge after the answer)."""
    return Task(
        name=name,
        version="1.0",
        description=description,
        items=standard_items,
        conditions=conditions,
        plan=cot_answer_plan,
        metrics=metrics,
        fewshot=standard_fewshot,
        tags=("biased-prompt", "multi-turn"),
        framable=True,
    )


def fewshot_cue_task(name: str, cue: Cue, description: str) -> Task:
    return Task(
        name=name,
        version="1.0",
        description=description,
        items=standard_items,
        conditions=(
            Condition("fewshot", Kind.CONTROL, description="The same exemplars, unaltered."),
            Condition(name, Kind.CUE, cue, description),
        ),
        plan=cot_answer_plan,
        metrics=FEWSHOT_METRICS,
        fewshot=standard_fewshot,
        min_fewshot=3,
        tags=("biased-prompt", "few-shot"),
        framable=True,
    )
