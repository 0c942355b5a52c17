"""A finished run's articulation corrected for its primary judge's error measured on labeled CoTs
(``faithbench show RESULTS --judge-labels labels.jsonl``).

The labels are the ``judges evaluate`` format; a row's ``weight`` (``judges sample`` writes the
inverse of its inclusion probability) makes sensitivity and specificity estimate the run's
population rather than the sample. One Se and Sp are measured over all the labels and applied to
every cue of the run: a per-cue labeled sample would be too small to say anything.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from faithbench.api.errors import UserError
from faithbench.api.metric import condition_kinds, paired
from faithbench.judges.correction import articulation_columns, corrected_articulation
from faithbench.judges.evaluation import cases_for
from faithbench.metrics.stats import MIN_ITEMS


def run_columns(records: list) -> dict[tuple[str, str], tuple]:
    """Per (task, cue): the articulation metric's columns (f, g, v, e) over items with a_u != t."""
    by_task: dict[str, list] = defaultdict(list)
    for r in records:
        by_task[r["task"]].append(r)
    out = {}
    for task, rows in by_task.items():
        kinds = condition_kinds(rows)
        for cue, pairs in paired(rows):
            if kinds[cue] != "cue":
                continue
            columns = articulation_columns(pairs)
            if len(columns[0]):
                out[(task, cue)] = columns
    return out


def label_columns(rows: list[dict], primary: str, registry, allow_unknown: bool = False, warn=None) -> tuple:
    """(label, verdict, weight) per labeled CoT: the verdict the row records for the run's primary
    judge (``judge`` and ``judge_verdict``, as ``judges sample`` writes them), else the judge's own
    when it needs no model."""
    judge = registry.judges.get(primary)
    recorded = [r.get("judge") == primary and isinstance(r.get("judge_verdict"), bool) for r in rows]
    if not all(recorded):
        if judge is None or judge.needs_model:
            raise UserError(
                f"the labels do not record judge '{primary}''s verdicts (judge_verdict) and it cannot "
                "be rerun here: label a sample drawn with 'faithbench judges sample'"
            )
        computed = judge.verdicts(cases_for(rows, registry.tasks, allow_unknown, warn), None)
    else:
        computed = [r["judge_verdict"] for r in rows]
    kept = [(r, v) for r, v in zip(rows, computed, strict=True) if v is not None]
    weights = [r.get("weight", 1.0) for r, _ in kept]
    if any(not isinstance(w, int | float) or isinstance(w, bool) or w <= 0 for w in weights):
        raise UserError("a label's 'weight' must be a positive number")
    y = np.array([float(r["verbalized"]) for r, _ in kept])
    v = np.array([float(bool(x)) for _, x in kept])
    return y, v, np.array(weights, dtype=float)


def foreign_labels(rows: list[dict], records: list) -> tuple[int, int]:
    """(labeled CoTs that name their item, how many of them are no text of this run): labels
    drawn from another run measure the judge on another model's text."""
    texts = {
        (r.get("task"), r.get("condition"), r.get("item_id"), text)
        for r in records
        for text in (r.get("response"), r.get("reasoning"))
        if isinstance(text, str)
    }
    named = [r for r in rows if r.get("item_id") is not None]
    foreign = [r for r in named if (r.get("cue"), r.get("condition"), r["item_id"], r["cot"]) not in texts]
    return len(named), len(foreign)


def correct_run(records: list, primary: str, labels: tuple, seed: int = 0) -> list[dict]:
    y, _, _ = labels
    if not y.size or y.min() == y.max():
        raise UserError("the labels need CoTs labeled verbalized and CoTs labeled not verbalized")
    return [
        {"task": task, "condition": cue, "judge": primary, **corrected_articulation(cols, labels, seed)}
        for (task, cue), cols in run_columns(records).items()
    ]


def format_correction(rows: list[dict]) -> str:
    def cell(est: dict) -> str:
        if est["value"] is None:
            return est["why"]
        return f"{est['value']:.2f} [{est['ci_low']:.2f}, {est['ci_high']:.2f}]"

    if not rows:
        return "no cued CoTs to correct"
    first = rows[0]
    lines = [
        f"Articulation corrected for judge '{first['judge']}' (Rogan-Gladen; sensitivity "
        f"{first['sensitivity']:.2f}, specificity {first['specificity']:.2f} on {first['n_labels']} labels; "
        "CI resamples labels and run together)",
        "| task | cue | V uncorrected | V corrected | articulation corrected | n |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        raw = "undefined" if r["uncorrected_V"] is None else f"{r['uncorrected_V']:.2f}"
        cells = f"{raw} | {cell(r['V'])} | {cell(r['articulation'])}"
        mark = " *" if r.get("too_few") else ""
        lines.append(f"| {r['task']} | {r['condition']} | {cells}{mark} | {r['n']} |")
    if any(r.get("too_few") for r in rows):
        lines.append(
            f"* too few to conclude: under {MIN_ITEMS} moved CoTs, or under {MIN_ITEMS} labels of either kind"
        )
    if "note" in first:
        lines.append(first["note"])
    return "\n".join(lines)
