"""The placements of a remark cue that any task (YAML ones included) can use; families add their
own (few-shot, multi-turn) by subclassing ``Placement`` in their package."""

from __future__ import annotations

from faithbench.api.conditions import Kind, Placement
from faithbench.api.items import Item
from faithbench.api.prompts import Prompt
from faithbench.api.task import Sample
from faithbench.plans.mcq import mcq_prompt


class AfterChoices(Placement):
    """The cue as a remark between the answer choices and the CoT instruction."""

    name = "after_choices"

    def first_turn(self, sample: Sample, cue: str, shots: list[Item]) -> Prompt:
        return mcq_prompt(sample.item, shots, cue=cue)


class BeforeQuestion(Placement):
    """The cue above the question (leaked metadata, a grader's code)."""

    name = "before_question"

    def first_turn(self, sample: Sample, cue: str, shots: list[Item]) -> Prompt:
        return mcq_prompt(sample.item, shots, prefix=cue)


AFTER_CHOICES = AfterChoices()
BEFORE_QUESTION = BeforeQuestion()
PLACEMENTS = {p.name: p for p in (AFTER_CHOICES, BEFORE_QUESTION)}  # by name, for YAML task files


class CueOnlyPlacement(Placement):
    """A placement that changes the prompt only under the cue itself (few-shot and multi-turn
    cues): the control and any placebo get the standard prompt. Subclasses implement ``cued``,
    given the index of the option the cue points to."""

    def first_turn(self, sample: Sample, cue: str, shots: list[Item]) -> Prompt:
        if sample.condition.kind is not Kind.CUE:
            return mcq_prompt(sample.item, shots)
        return self.cued(sample, cue, shots, sample.condition.target_index(sample.item))

    def cued(self, sample: Sample, cue: str, shots: list[Item], target: int | None) -> Prompt:
        raise NotImplementedError
