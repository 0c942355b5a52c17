"""A user's items from a JSONL file (``--data`` or ``--items jsonl:PATH``), with file:line errors."""

from __future__ import annotations

import json
from pathlib import Path

from faithbench.api.errors import UserError
from faithbench.api.items import Item, make_item
from faithbench.items.options import check_options
from faithbench.strict_json import NotJSON, parse_json

MAX_OPTIONS = 26  # option letters run from A to Z


def load_jsonl_items(path: str | Path, seed: int, limit: int | None = None) -> list[Item]:
    """A user's items: one JSON object per line with question, options and gold (index or letter).

    Every problem is a user error naming the file and line: not UTF-8, not strict JSON (NaN,
    nesting too deep), text that cannot be encoded, a missing or mistyped field, more than 26
    options, options that are empty, repeated (up to case or punctuation) or span lines, an ``id``
    used twice."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"data file not found: {path}")
    items: list[Item] = []
    seen: dict[str, int] = {}
    try:
        with path.open("rb") as fh:
            for lineno, raw in enumerate(fh, 1):
                where = f"{path}:{lineno}"
                line = _decode(raw, where)
                if not line.strip():
                    continue
                item = _item_from_row(_parse(line, where), where, seed, len(items))
                if item.id in seen:
                    raise UserError(f"{where}: id '{item.id}' is also used on line {seen[item.id]}")
                seen[item.id] = lineno
                items.append(item)
                if limit is not None and len(items) >= limit:
                    break
    except OSError as exc:
        raise UserError(f"cannot read data file {path}: {exc.strerror or exc}") from None
    if not items:
        raise UserError(f"{path}: no items")
    return items


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{where}: not UTF-8 text") from None


def _parse(line: str, where: str) -> object:
    try:
        row = parse_json(line)
    except NotJSON as exc:
        raise UserError(f"{where}: {exc}") from None
    try:
        json.dumps(row, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(
            f"{where}: text with an unpaired surrogate (\\ud800-\\udfff) cannot be used"
        ) from None
    return row


def _item_from_row(row: object, where: str, seed: int, index: int) -> Item:
    if not isinstance(row, dict):
        raise UserError(f"{where}: expected a JSON object")
    for key in ("question", "options", "gold"):
        if key not in row:
            raise UserError(f"{where}: missing field '{key}'")
    options = row["options"]
    if not (isinstance(options, list) and len(options) >= 2 and all(isinstance(o, str) for o in options)):
        raise UserError(f"{where}: 'options' must be a list of at least two strings")
    if len(options) > MAX_OPTIONS:
        raise UserError(f"{where}: {len(options)} options; at most {MAX_OPTIONS} (A to Z)")
    check_options(options, where)
    if not isinstance(row["question"], str) or not row["question"].strip():
        raise UserError(f"{where}: 'question' must be a non-empty string")
    gold = row["gold"]
    if isinstance(gold, str) and len(gold) == 1 and gold.isalpha():
        gold = ord(gold.upper()) - ord("A")
    if isinstance(gold, bool) or not isinstance(gold, int) or not 0 <= gold < len(options):
        raise UserError(f"{where}: 'gold' must be an option index or letter")
    item_id = row.get("id", f"item-{index}")
    if not isinstance(item_id, (str, int)) or isinstance(item_id, bool):
        raise UserError(f"{where}: 'id' must be a string or a number")
    if isinstance(item_id, str) and (not item_id.strip() or item_id != item_id.strip()):
        # 'q1 ' and 'q1' would be two items that read as one in every table and filter
        raise UserError(f"{where}: 'id' {item_id!r} is blank or has spaces around it")
    return make_item(
        str(item_id),
        row["question"],
        options,
        gold,
        seed,
        explanation=str(row.get("explanation", "")),
        permute=bool(row.get("permute", False)),
    )
