"""Measuring verbalization judges against labeled CoTs (``faithbench judges evaluate``).

A labels file has one JSON object per line: ``cue`` (a task name, whose cue brings its own
vocabulary), ``cue_text`` (the cue as the model saw it), ``cot`` and ``verbalized`` (true/false),
optionally ``question``. Each judge is scored on the CoTs it gave a verdict on: precision, recall,
F1, raw agreement, Cohen's kappa and Gwet's AC2, each with a 95% bootstrap CI; how many CoTs it
left without a verdict is reported beside them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from faithbench.api.conditions import Cue, Kind
from faithbench.api.errors import UserError
from faithbench.api.judge import Asker, Judge, Verbalization
from faithbench.judges.agreement import agreement
from faithbench.judges.rules import rules_content_reused, rules_verbalizes
from faithbench.judges.stage import majority
from faithbench.metrics.stats import paired_ci
from faithbench.plans.placements import AFTER_CHOICES
from faithbench.strict_json import NotJSON, parse_json

DEFAULT_LABELS = Path(__file__).parent / "data" / "verbalization_labels.jsonl"


def read_labels(path: Path) -> list[dict]:
    rows = []
    if path.exists() and not path.is_file():  # a pipe or device would block the read
        raise UserError(f"cannot read labels file {path}: not a regular file")
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()  # a BOM (Notepad, Excel) is no error
    except FileNotFoundError:
        raise UserError(f"labels file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read labels file {path}: {exc}") from None
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = parse_json(line)
        except NotJSON as exc:
            raise UserError(f"{path}:{lineno}: {exc}") from None
        if isinstance(row, dict) and row.get("verbalized", False) is None:
            continue  # drawn by 'judges sample' and not labeled (or skipped)
        ok = (
            isinstance(row, dict)
            and isinstance(row.get("cot"), str)
            and isinstance(row.get("verbalized"), bool)
        )
        weight = row.get("weight", 1.0) if isinstance(row, dict) else 1.0
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not weight > 0:
            raise UserError(f"{path}:{lineno}: 'weight' must be a positive number")
        named = isinstance(row, dict) and isinstance(row.get("cue"), str) and row["cue"].strip()
        if not ok or not named or not isinstance(row.get("cue_text", ""), str):
            raise UserError(
                f"{path}:{lineno}: needs 'cot' (text), 'verbalized' (true/false), 'cue' and 'cue_text'"
            )
        rows.append({**row, "_at": f"{path}:{lineno}"})
    if not rows:
        raise UserError(f"{path}: no labeled CoTs")
    return rows


def cases_for(
    rows: list[dict], tasks: dict, allow_unknown: bool = False, warn: Callable[[str], None] | None = None
) -> list[Verbalization]:
    """Each labeled CoT as a judge sees it, with what the named task's cue declares counts as a
    reference to it. A cue name no installed task has is an error naming the file and line (judged
    silently without the cue's references, its recall would read as the judge's); with
    ``allow_unknown`` it is a warning and the CoT is judged with the cue text only."""

    def cue_of(row: dict) -> Cue:
        name, text = row.get("cue", ""), row.get("cue_text", "")
        task = tasks.get(name)
        cues = [c for c in task.conditions if c.kind is Kind.CUE and c.cue] if task else []
        # a task with several cues (monitor_cues): the row's condition, as 'judges sample' records it
        named = [c for c in cues if c.name == row.get("condition")]
        declared = (named or cues)[0].cue if cues else None
        if declared is None:
            where = row.get("_at", "labels")
            what = f"unknown cue '{name}'" if task is None else f"task '{name}' has no cue"
            close = difflib.get_close_matches(name, list(tasks), n=1)
            message = f"{where}: {what}" + (f" (did you mean '{close[0]}'?)" if close else "")
            if not allow_unknown:
                raise UserError(f"{message}; --allow-unknown-cues judges it with the cue text only")
            if warn:
                warn(f"Warning: {message}: judged with the cue text only")
        return declared or Cue(text, AFTER_CHOICES)

    return [Verbalization(r["cot"], r.get("cue_text", ""), cue_of(r), r.get("question", "")) for r in rows]


def without_reuse_rule(cases: list[Verbalization]) -> list[bool | None]:
    """The rule judge as it was before the reuse rule: five words of the cue in a row are a mention
    wherever they stand, quoted or not (for the with/without comparison)."""
    return [
        rules_verbalizes(c.cot, c.cue.mentions, c.cue_text, c.question, quotes_are_mentions=True)
        for c in cases
    ]


def content_reused(cases: list[Verbalization]) -> list[bool | None]:
    return [rules_content_reused(c.cot, c.cue.mentions, c.cue_text, c.question) for c in cases]


def verdicts_of(judges: list[Judge], cases: list[Verbalization], panel: dict[str, Asker]) -> dict[str, list]:
    """Every judge's verdicts (and each panel member's, for judges that ask a model)."""
    out: dict[str, list] = {}
    for judge in judges:
        if not judge.needs_model:
            out[judge.name] = list(judge.verdicts(cases, None))
            continue
        if not panel:
            raise UserError(f"judge '{judge.name}' needs --judge-model")
        members = {f"{judge.name}:{label}": list(judge.verdicts(cases, ask)) for label, ask in panel.items()}
        if len(members) > 1:
            out.update(members)
        out[judge.name] = [majority(list(vs)) for vs in zip(*members.values(), strict=True)]
    return out


def _ratio(num: np.ndarray, den: np.ndarray) -> float:
    return float(num.sum() / den.sum()) if den.sum() else float("nan")


def score_judge(labels: list[bool], verdicts: list, seed: int, weights: list[float] | None = None) -> dict:
    """Precision, recall and F1 weighted by each label's inclusion weight (so a stratified sample
    estimates its population); raw agreement, kappa and AC2 are the sample's own, unweighted."""
    weights = weights or [1.0] * len(labels)
    given = [
        (bool(lab), bool(v), float(w))
        for lab, v, w in zip(labels, verdicts, weights, strict=True)
        if v is not None
    ]
    y = np.array([float(a) for a, _, _ in given])
    v = np.array([float(b) for _, b, _ in given])
    w = np.array([c for _, _, c in given])
    w = w / w.max() if w.size else w  # ratios of weights: a huge weight must not overflow the sums

    def precision(y, v, w):
        return _ratio(w * y * v, w * v)

    def recall(y, v, w):
        return _ratio(w * y * v, w * y)

    def f1(y, v, w):
        p, r = precision(y, v, w), recall(y, v, w)
        return 2 * p * r / (p + r) if p + r > 0 else float("nan")

    stats = agreement([a for a, _, _ in given], [b for _, b, _ in given], seed)
    return {
        "n": len(labels),
        "no_verdict": len(labels) - len(given),
        "precision": paired_ci(precision, y, v, w, seed=seed),
        "recall": paired_ci(recall, y, v, w, seed=seed),
        "f1": paired_ci(f1, y, v, w, seed=seed),
        **stats,
    }


BEFORE_REUSE_RULE = "rules (quotes as mentions, before the reuse rule)"


def evaluate_judges(
    rows: list[dict], verdicts: dict[str, list], seed: int = 0, reused: list | None = None
) -> dict:
    labels = [r["verbalized"] for r in rows]
    weights = [float(r.get("weight", 1.0)) for r in rows]
    report = {
        "n": len(rows),
        "positives": sum(labels),
        "weighted": any(w != 1.0 for w in weights),
        "judges": {name: score_judge(labels, vs, seed, weights) for name, vs in verdicts.items()},
    }
    if reused is not None:  # how many CoTs reuse the cue's content unattributed, by their label
        report["content_reused"] = {
            "verbalized": sum(1 for lab, r in zip(labels, reused, strict=True) if r and lab),
            "not_verbalized": sum(1 for lab, r in zip(labels, reused, strict=True) if r and not lab),
        }
    return report


def format_report(report: dict) -> str:
    def cell(est: dict) -> str:
        if est["value"] is None:
            return "undefined"
        return f"{est['value']:.3f} [{est['ci_low']:.3f}, {est['ci_high']:.3f}]"

    columns = ("precision", "recall", "f1", "raw", "kappa", "ac2")
    lines = [
        f"{report['n']} labeled CoTs, {report['positives']} verbalized"
        + ("; precision, recall and F1 weighted by inclusion weights" if report.get("weighted") else ""),
        "| judge | " + " | ".join(columns) + " | no verdict |",
        "|---|" + "---|" * (len(columns) + 1),
    ]
    for name, scored in report["judges"].items():
        cells = " | ".join(cell(scored[c]) for c in columns)
        lines.append(f"| {name} | {cells} | {scored['no_verdict']} |")
    if "content_reused" in report:
        reused = report["content_reused"]
        lines.append(
            f"cue content reused without attribution (rule judge): {reused['not_verbalized']} CoTs labeled "
            f"not verbalized, {reused['verbalized']} labeled verbalized"
        )
    return "\n".join(lines)
