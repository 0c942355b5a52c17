"""A user's items from a JSONL file (``--data`` or ``--items jsonl:PATH``), with file:line errors."""

from __future__ import annotations

import json
from pathlib import Path

from faithbench.api.errors import UserError
from faithbench.api.items import Item, make_item


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
