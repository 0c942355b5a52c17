"""Conditions: how one item is presented. A cue is typed: its text, where it goes, what it points to,
and how a chain of thought would refer to it.

A family adds a placement by subclassing :class:`Placement` in its own package; the standard CoT plan
asks the condition's placement for the prompt, so a new cue with its own placement and mention
vocabulary is one file in its family. Every field is checked when the task loads
(:func:`condition_problem`), so a wrong value is an error naming the task, never a silent default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, ClassVar

from faithbench.api.prompts import letter

if TYPE_CHECKING:
    from faithbench.api.items import Item
    from faithbench.api.prompts import Prompt
    from faithbench.api.task import Sample


class Kind(str, Enum):
    """What a condition is to the metrics: the baseline, a cue, its placebo, an intervention, a probe."""

    CONTROL = "control"
    CUE = "cue"
    PLACEBO = "placebo"
    INTERVENTION = "intervention"
    PROBE = "probe"


class Target(str, Enum):
    """The option a cue pushes towards."""

    ITEM = "item"  # the item's seeded cue target X, a non-gold option shared by every condition
    FIRST = "A"  # always option (A) (answer-always-A exemplars)
    NONE = "none"  # no option (are-you-sure: a challenge, not a suggestion)
    GOLD = "gold"  # the correct option (hint-necessity designs: the hint is the way to the answer)

    def option(self, item: Item) -> int | None:
        """The index of the option this target names for ``item`` (None: no option)."""
        if self is Target.ITEM:
            return item.cue_target
        if self is Target.GOLD:
            return item.gold
        return 0 if self is Target.FIRST else None


class Placement:
    """Where a cue goes in the prompt. ``name`` is part of the task's declaration (and config hash).

    ``first_turn`` builds the prompt the CoT answers; ``second_turn`` may add a turn after the model's
    first answer (a challenge). ``body`` is the standard question text with the CoT instruction, and
    ``shots`` the exemplar block, both built by the plan, so a placement only decides where the cue goes.
    """

    name: ClassVar[str] = ""
    # Fixed texts the placement writes around the cue (a turn of its own), by name: in the config hash.
    prompts: ClassVar[Mapping[str, str]] = {}

    def first_turn(self, sample: Sample, cue: str, shots: list[Item]) -> Prompt:
        raise NotImplementedError

    def second_turn(self, sample: Sample, cue: str, prompt: Prompt, response: str) -> Prompt | None:
        return None

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


_PLACEHOLDER = re.compile(r"\{X(?:_letter|_text)?\}")
_DECLARED: dict[str, re.Pattern[str]] = {}  # every cue's pattern, as cues are declared


def declared_cues() -> tuple[re.Pattern[str], ...]:
    """The patterns of every cue declared in this process that names an option's letter (plugins',
    YAML tasks', a test's own): what a planted model recognises as a cue in a prompt."""
    return tuple(_DECLARED.values())


@dataclass(frozen=True)
class Cue:
    """A cue (or its placebo). In ``text``, {X} becomes "(B)", {X_letter} "B", {X_text} the option.

    ``mentions`` is a regular expression for the ways a CoT refers to this cue *as a source*
    ("professor", "metadata", "the argument", ...); the rules judge adds the generic references (the
    user's view, "the hint", "the argument I was given"). It declares references, not the cue's
    content: a CoT reproducing what the cue says without naming it is ``cue_content_reused``.
    """

    text: str
    placement: Placement
    target: Target = Target.ITEM
    mentions: str = ""

    def __post_init__(self) -> None:
        pattern = self.pattern()
        if pattern is not None:
            _DECLARED.setdefault(pattern.pattern, pattern)

    def pattern(self) -> re.Pattern[str] | None:
        """How this cue reads in a prompt once rendered, with the letter of the option it names
        captured as ``letter``: the cue's own statement of where it points, which planted models
        (``faithbench.testing``) read instead of guessing at phrasings. None when the text names no
        option's letter ({X} or {X_letter}): a placebo, a challenge, a cue made of the prompt's
        structure or of the option's text alone. A subclass that renders otherwise overrides it."""
        if self.target is Target.NONE or not isinstance(self.text, str):
            return None
        parts: list[str] = []
        named, literal, start = False, "", 0
        for m in _PLACEHOLDER.finditer(self.text):
            literal += self.text[start : m.start()]
            parts.append(re.escape(self.text[start : m.start()]))
            start = m.end()
            if m.group() == "{X_text}":
                parts.append(".+?")
            elif named:  # the same letter again
                parts.append(r"\((?P=letter)\)" if m.group() == "{X}" else "(?P=letter)")
            else:
                parts.append(r"\((?P<letter>[A-Z])\)" if m.group() == "{X}" else "(?P<letter>[A-Z])")
                named = True
        literal += self.text[start:]
        parts.append(re.escape(self.text[start:]))
        if not named or not literal.strip():  # a bare letter cannot be told from the options
            return None
        return re.compile("".join(parts), re.DOTALL)

    def render(self, item: Item) -> str:
        x = self.target.option(item)
        if x is None or not self.text:
            return self.text
        return (
            self.text.replace("{X}", f"({letter(x)})")
            .replace("{X_letter}", letter(x))
            .replace("{X_text}", item.options[x])
        )


@dataclass(frozen=True)
class Condition:
    """One way of presenting an item. ``treatment`` is a family's typed payload (an intervention);
    the family's plan dispatches on its type."""

    name: str
    kind: Kind = Kind.CONTROL
    cue: Cue | None = None
    description: str = ""
    treatment: object = None

    def target_index(self, item: Item) -> int | None:
        """The option this condition's records are scored against (the item's X without a cue)."""
        return (self.cue.target if self.cue else Target.ITEM).option(item)

    def rendered_cue(self, item: Item) -> str:
        return self.cue.render(item) if self.cue else ""

    def declaration(self) -> dict:
        cue = self.cue
        return {
            "name": self.name,
            "kind": self.kind.value if isinstance(self.kind, Kind) else self.kind,
            "text": cue.text if cue else "",
            "description": self.description,
            "placement": cue.placement.name if cue and isinstance(cue.placement, Placement) else None,
            "target": cue.target.value if cue and isinstance(cue.target, Target) else None,
            "treatment": type(self.treatment).__name__ if self.treatment is not None else None,
        }


def condition_problem(condition: object) -> str | None:
    """What is wrong with a condition, in words; None when it is well formed."""
    if not isinstance(condition, Condition):
        return f"a condition must be a faithbench Condition, not {type(condition).__name__}"
    name = condition.name
    if not isinstance(condition.kind, Kind):
        known = ", ".join(f"Kind.{k.name}" for k in Kind)
        return f"condition '{name}': kind must be one of {known}, not {condition.kind!r}"
    cue = condition.cue
    if condition.kind in (Kind.CUE, Kind.PLACEBO) and cue is None:
        return f"condition '{name}': a {condition.kind.value} condition needs a Cue"
    if cue is None:
        return None
    if not isinstance(cue, Cue):
        return f"condition '{name}': cue must be a faithbench Cue, not {type(cue).__name__}"
    if not isinstance(cue.placement, Placement) or not cue.placement.name:
        return f"condition '{name}': placement {cue.placement!r} is not a named faithbench Placement"
    if not isinstance(cue.target, Target):
        known = ", ".join(f"Target.{t.name}" for t in Target)
        return f"condition '{name}': target must be one of {known}, not {cue.target!r}"
    try:
        re.compile(cue.mentions)
    except (re.error, TypeError) as exc:
        return f"condition '{name}': mentions is not a valid regular expression ({exc})"
    return None
