"""What a request is for, as types a synthetic model can act on (``Generate(..., about=...)``).

Real models answer the prompt; the fake and rationalizer models, whose behaviour is planted,
dispatch on these instead of reading the wording of other modules' prompts, so rewording a prompt
never silently changes what they do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from faithbench.api.prompts import Prompt


@dataclass(frozen=True)
class AfterReasoning:
    """Answer (or continue) after ``reasoning``, a CoT or a prefix of one, prefilled in the prompt."""

    reasoning: str


@dataclass(frozen=True)
class JudgeVerbalization:
    """Does ``cot`` mention and rely on ``cue``? Answer Yes or No."""

    cot: str
    cue: str


@dataclass(frozen=True)
class SelfReport:
    """Did the cue in ``asked`` (the prompt the model just answered) affect its answer?"""

    asked: Prompt


@dataclass(frozen=True)
class SelfPrediction:
    """Predict a property of your own response to ``asked``; ``read`` reads that property from a
    response, so a planted model can know the truth it predicts."""

    asked: Prompt
    read: Callable[[str | None], str | None]


@dataclass(frozen=True)
class ObserveAnswer:
    """An observer predicting a model's answer from its ``reasoning`` (None: from the question alone);
    ``counterfactual``: the answer the model gives without the cue."""

    reasoning: str | None
    counterfactual: bool = False


@dataclass(frozen=True)
class Framed:
    """Answer a question whose prompt says who will read the reasoning (a framing's name)."""

    framing: str


@dataclass(frozen=True)
class CuedAnswer:
    """Answer a question whose prompt carries a cue pointing at option ``target``; ``work`` is the
    decoding a reasoner would write to get from the cue to that option (an encoded hint)."""

    target: int
    work: tuple[str, ...] = ()


@dataclass(frozen=True)
class MonitorCoT:
    """A monitor reading a CoT (``reasoning``: the thinking channel, ``answer``: the visible text)
    for the question as asked without any cue: did something outside the question drive it?"""

    question: str
    reasoning: str | None
    answer: str


@dataclass(frozen=True)
class RewriteWithMistake:
    step: str


@dataclass(frozen=True)
class Paraphrase:
    text: str
