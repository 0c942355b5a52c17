"""The sample browser's data: every record of a run, split by task and condition into pages of
``PAGE`` records, each a small script file (``window.FAITHBENCH_SAMPLES(...)``) that the browser
page loads only when that task, condition and page are asked for. Script files, not JSON fetched
over HTTP, because a page opened from the file system may not fetch; so a run of 10,000 samples
costs the first screen nothing."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

from faithbench.judges.sampling import population

PAGE = 50
SHOWN = (
    "item_id", "condition", "condition_kind", "draw", "prompt", "reasoning", "reasoning_redacted",
    "response", "answer", "answer_source", "gold", "target", "cue", "judgements", "verbalized",
    "error", "first_response", "monitor", "framing", "verbalized_by_channel", "control_answer", "moved",
    "cue_content_reused", "cut_off_in_thinking",
)  # fmt: skip


HIDDEN = ("task", "n_options", "condition_kind_version", "usage", "timing")  # not evidence a reader needs


def card(record: dict) -> dict:
    """What a card shows: the fields every card lays out (``SHOWN``), and under ``evidence`` every
    other field the task's records carry (IPHR's answers and unfaithful-pair flag, the
    interventions' truncated and corrupted answers, self-report and introspection's predicted vs
    actual, ...), so no task's own evidence is dropped on the way to the browser."""
    out = {key: record.get(key) for key in SHOWN if key in record}
    out["cut_off"] = cut_off(record)
    evidence = {k: v for k, v in record.items() if k not in SHOWN and k not in HIDDEN}
    if evidence:
        out["evidence"] = evidence
    return out


def cut_off(record: dict) -> bool | None:
    """Whether the generation stopped before stating an answer: cut off in the thinking
    (``cut_off_in_thinking``), or a CoT whose answer had to be forced after it (``answer_source``
    not ``cot``). Records keep no token count or stop reason, so this is what reaching the token
    budget leaves (a CoT that simply never states its answer reads the same); None without an
    answer to read (an error)."""
    if record.get("cut_off_in_thinking"):
        return True
    source = record.get("answer_source")
    return None if source is None else source != "cot"


def with_controls(records: list[dict]) -> list[dict]:
    """Each record of a cue or placebo with the answer its item got without the cue
    (``control_answer``) and whether the cue moved it onto its target (``moved``: the control
    answer was not the target and this one is; None where either is unknown), so a card shows
    both answers and the browser can filter on "moved" without the control's page."""
    control: dict[tuple, object] = {}
    for r in records:
        if r.get("condition_kind") == "control" and not r.get("error"):
            key = (r.get("task"), r.get("item_id"), r.get("framing"))
            control.setdefault(key + (r.get("draw"),), r.get("answer"))
            control.setdefault(key, r.get("answer"))
    out = []
    for r in records:
        if r.get("condition_kind") not in ("cue", "placebo"):
            out.append(r)
            continue
        key = (r.get("task"), r.get("item_id"), r.get("framing"))
        base = control.get(key + (r.get("draw"),), control.get(key))
        known = base is not None and r.get("answer") is not None and r.get("target") is not None
        moved = (base != r["target"] and r["answer"] == r["target"]) if known else None
        out.append({**r, "control_answer": base, "moved": moved})
    return out


def _script(payload: dict, receiver: str = "FAITHBENCH_SAMPLES") -> str:
    text = json.dumps(json.dumps(payload, default=str)).replace("<", "\\u003c")
    return f"window.{receiver}(JSON.parse({text}));\n"


def label_rows(records: list[dict], judge: str | None) -> dict[tuple[str, str], list[dict]]:
    """The labeling mode's rows per (task, condition): every cue-moved text with the primary
    judge's verdict, as ``judges sample`` finds them, in a seeded random order (so the first k a
    person labels are a simple random sample of the condition's); each row's ``weight`` is set
    when exported (the condition's N over the number labeled)."""
    primary = (judge or "rules").split(",")[0].strip() or "rules"
    out: dict[tuple[str, str], list[dict]] = {}
    for unit in population(records, primary):
        key = (str(unit["cue"]), str(unit["condition"]))
        out.setdefault(key, []).append({**unit, "stratum": f"browser|{key[0]}|{key[1]}"})
    for key, rows in out.items():
        random.Random("|".join(key)).shuffle(rows)
    return out


def write_sample_pages(folder: Path, records: list[dict], judge: str | None = None) -> dict:
    """Write the pages, and each cue condition's labeling rows (``judge``: the run's judges, the
    first primary); returns {task: {condition: {file, pages, records, judges, labels}}} (file
    names are indexes, so no task or condition name ever reaches the file system)."""
    to_label = label_rows(records, judge)
    groups: dict[str, dict[str, list[dict]]] = {}
    for r in with_controls(records):
        groups.setdefault(str(r.get("task")), {}).setdefault(str(r.get("condition")), []).append(r)
    index: dict[str, dict[str, dict]] = {}
    for t, (task, by_condition) in enumerate(sorted(groups.items())):
        for c, (condition, rows) in enumerate(sorted(by_condition.items())):
            pages = [rows[i : i + PAGE] for i in range(0, len(rows), PAGE)]
            for k, chunk in enumerate(pages):
                path = folder / f"t{t}-c{c}-p{k}.js"
                path.parent.mkdir(parents=True, exist_ok=True)
                shown = [card(r) for r in chunk]
                payload = {"task": task, "condition": condition, "page": k, "records": shown}
                path.write_text(_script(payload), encoding="utf-8")
            judges = sorted({j for r in rows for j in (r.get("judgements") or {})})
            labels = to_label.get((task, condition), [])
            if labels:
                digest = hashlib.sha256(json.dumps(labels, sort_keys=True).encode()).hexdigest()[:16]
                payload = {"task": task, "condition": condition, "key": digest, "rows": labels}
                script = _script(payload, "FAITHBENCH_LABELS")
                (folder / f"t{t}-c{c}-label.js").write_text(script, encoding="utf-8")
            index.setdefault(task, {})[condition] = {
                "judges": judges,  # the browser's "verbalized" filter: each judge and channel
                "file": f"t{t}-c{c}",
                "pages": len(pages),
                "records": len(rows),
                "labels": len(labels),  # cue-moved texts to label (t*-c*-label.js)
            }
    return index
