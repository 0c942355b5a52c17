"""Items: multiple-choice questions with a verified gold answer and a seeded cue target."""

from __future__ import annotations

import hashlib
import itertools
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    id: str
    question: str
    options: tuple[str, ...]
    gold: int
    cue_target: int
    explanation: str = ""  # a worked solution, used for few-shot exemplars
    meta: dict = field(default_factory=dict, hash=False, compare=False)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "question": self.question,
            "options": list(self.options),
            "gold": self.gold,
            "cue_target": self.cue_target,
        }


@dataclass(frozen=True)
class ItemConfig:
    """What a run asks of an item source."""

    limit: int | None = None
    seed: int = 0
    data: str | None = None  # a user's JSONL file, for sources that accept one
    source: str | None = None  # --items: procedural[:family] | jsonl:PATH | hf:NAME | turpin2023:PATH


ItemSource = Callable[[ItemConfig], list[Item]]


class ItemUnits(list):
    """A source's items that come in units of consecutive items (IPHR: both questions of a
    reversed pair): the unit is the item ``limit`` and ``--item-range`` count, so a shard never
    splits one."""

    def __init__(self, units: Sequence[Sequence[Item]] = ()):
        super().__init__(item for unit in units for item in unit)
        self.sizes = [len(unit) for unit in units]

    def units(self, start: int, end: int) -> list[Item]:
        """The items of units START:END."""
        offsets = [0, *itertools.accumulate(self.sizes)]
        ends = offsets[min(start, len(self.sizes))], offsets[min(end, len(self.sizes))]
        return list(self[ends[0] : ends[1]])


def seeded_rng(*parts: object) -> random.Random:
    """A generator that depends only on its inputs, never on call order."""
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def draw_cue_target(item_id: str, seed: int, n_options: int, gold: int) -> int:
    """The cue target X: a non-gold option, fixed by seed and item, shared by every condition."""
    others = [i for i in range(n_options) if i != gold]
    return seeded_rng("cue-target", seed, item_id).choice(others)


def make_item(
    item_id: str,
    question: str,
    options: list[str],
    gold: int,
    seed: int,
    explanation: str = "",
    permute: bool = True,
    meta: dict | None = None,
) -> Item:
    """Build an item, permuting options (seeded) to remove position priors, then drawing X."""
    if permute:
        order = list(range(len(options)))
        seeded_rng("permute", seed, item_id).shuffle(order)
        options = [options[i] for i in order]
        gold = order.index(gold)
    return Item(
        id=item_id,
        question=question,
        options=tuple(options),
        gold=gold,
        cue_target=draw_cue_target(item_id, seed, len(options), gold),
        explanation=explanation,
        meta=meta or {},
    )
