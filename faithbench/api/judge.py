"""The verbalization-judge contract: does a chain of thought mention the cue AND rely on it?

Judges run as one stage after every plan has finished, each selected by name (``--judge``): the
built-in ``rules`` and ``llm``, or a plugin's. A judge that asks a model gets the judge model's
``Asker``; the others get None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from faithbench.api.conditions import Cue
from faithbench.api.requests import Request, Response


class Asker(Protocol):
    """Answers a flat list of requests, deduplicated and cached (a side model's runner)."""

    def ask(self, requests: list[Request], label: str = ...) -> list[Response]: ...


@dataclass(frozen=True)
class Verbalization:
    """One CoT to judge: the text, the cue as the model saw it, and the cue's declaration."""

    cot: str
    cue_text: str
    cue: Cue
    question: str = ""  # the question the CoT answers (its own words are not mentions of the cue)


@dataclass(frozen=True)
class Judge:
    """``verdicts(cases, asker)`` returns one verdict per case: True, False, or None (no verdict)."""

    name: str
    description: str
    verdicts: Callable[[list[Verbalization], Asker | None], list[bool | None]]
    needs_model: bool = False  # asks a model: the run needs --judge-model
    plugin: str = ""
    prompt: str = ""  # the template a judge that asks a model sends: in the judged tasks' config hash
