"""Items: multiple-choice questions with a verified gold answer and a seeded cue target."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from faithbench.errors import UserError


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
    start: int = 0  # --item-range START:END keeps items [START, END) of the first END


ItemSource = Callable[[ItemConfig], list[Item]]


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


def load_jsonl_items(path: str | Path, seed: int, limit: int | None = None) -> list[Item]:
    """A user's items: one JSON object per line with question, options and gold (index or letter)."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"data file not found: {path}")
    items: list[Item] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UserError(f"{where}: not valid JSON ({exc.msg})") from None
            items.append(_item_from_row(row, where, seed, len(items)))
            if limit is not None and len(items) >= limit:
                break
    if not items:
        raise UserError(f"{path}: no items")
    return items


def _item_from_row(row: object, where: str, seed: int, index: int) -> Item:
    if not isinstance(row, dict):
        raise UserError(f"{where}: expected a JSON object")
    for key in ("question", "options", "gold"):
        if key not in row:
            raise UserError(f"{where}: missing field '{key}'")
    options = row["options"]
    if not (isinstance(options, list) and len(options) >= 2 and all(isinstance(o, str) for o in options)):
        raise UserError(f"{where}: 'options' must be a list of at least two strings")
    gold = row["gold"]
    if isinstance(gold, str) and len(gold) == 1 and gold.isalpha():
        gold = ord(gold.upper()) - ord("A")
    if not isinstance(gold, int) or not 0 <= gold < len(options):
        raise UserError(f"{where}: 'gold' must be an option index or letter")
    item_id = str(row.get("id", f"item-{index}"))
    return make_item(
        item_id,
        str(row["question"]),
        options,
        gold,
        seed,
        explanation=str(row.get("explanation", "")),
        permute=bool(row.get("permute", False)),
    )
