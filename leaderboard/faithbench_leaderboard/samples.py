"""The sample browser's data: every record of a run, split by task and condition into pages of
``PAGE`` records, each a small script file (``window.FAITHBENCH_SAMPLES(...)``) that the browser
page loads only when that task, condition and page are asked for. Script files, not JSON fetched
over HTTP, because a page opened from the file system may not fetch; so a run of 10,000 samples
costs the first screen nothing."""

from __future__ import annotations

import json
from pathlib import Path

PAGE = 50
SHOWN = (
    "item_id", "condition", "condition_kind", "draw", "prompt", "reasoning", "reasoning_redacted",
    "response", "answer", "answer_source", "gold", "target", "cue", "judgements", "verbalized",
    "error", "first_response", "monitor",
)  # fmt: skip


def _script(payload: dict) -> str:
    text = json.dumps(json.dumps(payload, default=str)).replace("<", "\\u003c")
    return f"window.FAITHBENCH_SAMPLES(JSON.parse({text}));\n"


def write_sample_pages(folder: Path, records: list[dict]) -> dict:
    """Write the pages; returns {task: {condition: number of pages}} (file names are indexes, so
    no task or condition name ever reaches the file system)."""
    groups: dict[str, dict[str, list[dict]]] = {}
    for r in records:
        groups.setdefault(str(r.get("task")), {}).setdefault(str(r.get("condition")), []).append(r)
    index: dict[str, dict[str, dict]] = {}
    for t, (task, by_condition) in enumerate(sorted(groups.items())):
        for c, (condition, rows) in enumerate(sorted(by_condition.items())):
            pages = [rows[i : i + PAGE] for i in range(0, len(rows), PAGE)]
            for k, chunk in enumerate(pages):
                path = folder / f"t{t}-c{c}-p{k}.js"
                path.parent.mkdir(parents=True, exist_ok=True)
                shown = [{key: r.get(key) for key in SHOWN if key in r} for r in chunk]
                payload = {"task": task, "condition": condition, "page": k, "records": shown}
                path.write_text(_script(payload), encoding="utf-8")
            index.setdefault(task, {})[condition] = {
                "file": f"t{t}-c{c}",
                "pages": len(pages),
                "records": len(rows),
            }
    return index
