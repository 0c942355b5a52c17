"""The metrics stage: each task's declared metrics over its records, and the representational vs
predictive table built from the values metrics declare as headline figures."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import replace

from faithbench.api.framing import reference_framing
from faithbench.api.metric import Family, Metric
from faithbench.api.record import Record
from faithbench.api.task import Task
from faithbench.metrics.shape import shape_problem

SIDES = (Family.REPRESENTATIONAL.value, Family.PREDICTIVE.value)


def value_problem(v: object, n_records: int | None = None) -> str | None:
    """Why a metric value cannot go into results.json; None when it can. A figure is a finite
    number inside its own interval, on at most as many units as the records it was computed from
    (JSON has no NaN: one written as null would read as "undefined" with the task ok). Only an
    interval may be unbounded: ``ci_low`` -inf, ``ci_high`` +inf (a bootstrap-t at a few items)."""
    if not isinstance(v, dict):
        return f"a value must be a dict, not {type(v).__name__}"
    for key in ("metric", "condition"):
        if not isinstance(v.get(key), str):
            return f"'{key}' must be a string"
    for key in ("value", "ci_low", "ci_high"):
        x = v.get(key)
        if x is not None and (isinstance(x, bool) or not isinstance(x, (int, float))):
            return f"'{key}' must be a number or None, not {x!r:.40}"
        if isinstance(x, int) and abs(x) > _LARGEST:
            return f"'{key}' is too large for a float ({len(str(abs(x)))} digits)"
        if x is not None and not math.isfinite(x) and x != UNBOUNDED.get(key):
            return f"'{key}' is {x} (a figure with no value is None, with a note saying why)"
    n = v.get("n")
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        return f"'n' must be a whole number >= 0, not {n!r:.40}"
    if n_records is not None and n > n_records:
        return f"'n' is {n}, more than the {n_records} records it was computed from"
    return _interval_problem(v.get("value"), v.get("ci_low"), v.get("ci_high")) or shape_problem(v)


_LARGEST = int(sys.float_info.max)


UNBOUNDED = {"ci_low": -math.inf, "ci_high": math.inf}


def _interval_problem(x, low, high) -> str | None:
    """A value outside its own interval, or an interval upside down (rounding aside)."""
    if low is not None and high is not None and low > high + _slack(low, high):
        return f"'ci_low' {low} is above 'ci_high' {high}"
    if x is not None and low is not None and x < low - _slack(x, low):
        return f"'value' {x} is below its own 'ci_low' {low}"
    if x is not None and high is not None and x > high + _slack(x, high):
        return f"'value' {x} is above its own 'ci_high' {high}"
    return None


def _slack(a: float, b: float) -> float:
    return 1e-9 * max(1.0, abs(a), abs(b))


def compute_metrics(
    task: Task, records: Sequence[Record], metrics: dict[str, Metric], seed: int
) -> tuple[list[dict], list[str]]:
    """Every value the task's metrics compute, tagged with its family; a metric that raises is a
    problem of its task, not of the run."""
    return _apply([metrics[name] for name in dict.fromkeys(task.metrics)], records, seed)


class MetricWarning(str):
    """A problem that leaves its task's status ok (a metric that computed nothing): reported in
    the task's ``warnings`` and printed, where the other problems fail the task."""


def split_warnings(problems: list[str]) -> tuple[list[str], list[str]]:
    """(problems that fail the task, warnings) of a task's problems."""
    warnings = [str(p) for p in problems if isinstance(p, MetricWarning)]
    return [p for p in problems if not isinstance(p, MetricWarning)], warnings


def _apply(chosen: list[Metric], records: Sequence[Record], seed: int) -> tuple[list[dict], list[str]]:
    values, problems = [], []
    for metric in chosen:
        try:  # each metric its own list of the read-only records: none can change what the next reads
            computed = list(metric.compute(list(records), seed))
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # a plugin's sys.exit() or own BaseException ends its metric only
            problems.append(f"metric '{metric.name}' failed: {type(exc).__name__}: {exc}")
            continue
        if not computed and records and not metric.empty_when:
            problems.append(MetricWarning(
                f"metric '{metric.name}' computed no values (paired() compares only cue and placebo "
                "conditions unless given kinds=; set empty_when= on a metric that may have none)"
            ))
        bad = next(((v, p) for v in computed if (p := value_problem(v, len(records)))), None)
        if bad:  # one metric's bad values never cost the other metrics or tasks their results
            where = f" for condition '{bad[0]['condition']}'" if _named_condition(bad[0]) else ""
            problems.append(f"metric '{metric.name}' returned an invalid value{where}: {bad[1]}")
            continue
        values += [{**v, "family": Family(metric.family).value} for v in computed]
    return values, problems


def _named_condition(v: object) -> bool:
    return isinstance(v, dict) and isinstance(v.get("condition"), str)


def framings_of(records: Sequence[Record]) -> list[str]:
    """The visibility framings a task's records were run under, in first-seen order."""
    return list(dict.fromkeys(f for r in records if (f := r.get("framing")) is not None))


def score(task: Task, records: Sequence[Record], metrics: dict[str, Metric], seed: int, judges: list[str]):
    """The task's metric values (each verdict-based figure tagged with the judge that made it)
    and the problems met; the same for a run and for a merge of its shards. Records run under
    several visibility framings are scored per framing (values tagged ``framing``), and the
    metrics that compare framings (``across_framings``) run over all of them."""
    framings = framings_of(records)
    if framings:
        values, problems = [], []
        for framing in framings:
            got, trouble = _score(
                task, [r for r in records if r.get("framing") == framing], metrics, seed, judges
            )
            values += [{**v, "framing": framing} for v in got]
            problems += [type(p)(f"under framing '{framing}': {p}") for p in trouble]
        compared, trouble = _apply([m for m in metrics.values() if m.across_framings], records, seed)
        return values + compared, problems + trouble
    return _score(task, records, metrics, seed, judges)


def _score(task: Task, records: Sequence[Record], metrics: dict[str, Metric], seed: int, judges: list[str]):
    values, problems = compute_metrics(task, records, metrics, seed)
    verdict_figures = {h for n in task.metrics if metrics[n].reads_verdicts for h in metrics[n].headline}
    for value in values:
        if judges and value["metric"] in verdict_figures:
            value["judge"] = judges[0]
    return values, problems


def judge_entry(
    task: Task, records: Sequence[Record], metrics: dict[str, Metric], seed: int, judges: list[str]
):
    """The judges' part of a task's results: primary, missing verdicts, agreement, and the
    verdict-based figures under each judge when several gave verdicts."""
    from faithbench.judges.stage import judge_summary

    shown = reference_framing(framings_of(records))
    if shown is not None:  # one framing's records: the figures are recomputed, never mixed
        records = [r for r in records if r.get("framing") == shown]
    summary = judge_summary(records, judges, seed)
    if not summary:
        return None
    sensitivity = by_judge(task, records, metrics, seed)
    framing = {"framing": shown} if shown is not None else {}
    return {**summary, **framing, **({"by_judge": sensitivity} if sensitivity else {})}


def judge_warnings(judged: dict | None) -> list[str]:
    """A primary judge that gave no verdict on some CoTs (unreadable replies, failed calls): said,
    since the verdict-based figures then rest on fewer CoTs than were judged."""
    if not judged:
        return []
    missing, primary = judged["no_verdict"].get(judged["primary"], 0), judged["primary"]
    if not missing:
        return []
    return [
        f"judge '{primary}' gave no verdict on {missing} of {judged['judged']} judged CoT(s) (no "
        "readable verdict in its reply, or its call failed): the verdict-based figures leave them out"
    ]


def by_judge(task: Task, records: Sequence[Record], metrics: dict[str, Metric], seed: int) -> dict:
    """The headline values of the task's verdict-reading metrics under each judge that gave
    verdicts (each panel member too): {judge: [values]}, so a judge's effect is visible."""
    reading = [metrics[n] for n in dict.fromkeys(task.metrics) if metrics[n].reads_verdicts]
    names = sorted({name for r in records for name in (r.get("judgements") or {})})
    if not reading or len(names) < 2:
        return {}
    out = {}
    for name in names:
        as_judged = [
            replace(r, verbalized=r.judgements.get(name)) if r.judgements else r for r in records
        ]
        values = []
        for metric in reading:
            try:
                got = list(metric.compute(list(as_judged), seed))
            except KeyboardInterrupt:
                raise
            except BaseException:  # the metric's own failure is reported by compute_metrics
                continue
            if not any(value_problem(v, len(records)) for v in got):  # never a figure a task refuses
                values += [v for v in got if v.get("metric") in metric.headline]
        out[name] = [
            {k: v[k] for k in ("metric", "condition", "value", "ci_low", "ci_high", "n")} for v in values
        ]
    return out


def faithfulness_table(task_results: dict, metrics: dict[str, Metric]) -> list[dict]:
    """Representational and predictive faithfulness side by side (the definitional contrast of
    DESIGN.md): one row per task x condition with a headline figure of either kind, holding every
    headline figure of that row (bias susceptibility too, as context). A framed run has a row per
    condition and framing."""
    headline = {name for m in metrics.values() for name in m.headline}
    rows = []
    for task_name, task in task_results.items():
        by_condition: dict[tuple, dict] = {}
        sides: dict[tuple, bool] = {}
        for m in task["metrics"]:
            if m["metric"] not in headline:
                continue
            where = (m["condition"], m.get("framing"))
            by_condition.setdefault(where, {})[m["metric"]] = {
                k: m[k] for k in ("value", "ci_low", "ci_high", "n")
            }
            if m.get("family") in SIDES:
                sides[where] = True
        rows += [
            {
                "task": task_name,
                "condition": condition,
                **({"framing": framing} if framing else {}),
                **figures,
            }
            for (condition, framing), figures in by_condition.items()
            if sides.get((condition, framing))
        ]
        rows += _channel_rows(task_name, task)
    return rows


CHANNELS = ("thinking", "answer")


def _channel_rows(task_name: str, task: dict) -> list[dict]:
    """For a reasoning model, the verdict-based headline figures judged on each channel alone
    (the primary judge's ``@thinking`` and ``@answer`` verdicts), one row per channel."""
    judges = task.get("judges") or {}
    by_judge, primary = judges.get("by_judge") or {}, judges.get("primary")
    rows = []
    for channel in CHANNELS:
        for v in by_judge.get(f"{primary}@{channel}", []):
            figures = {v["metric"]: {k: v[k] for k in ("value", "ci_low", "ci_high", "n")}}
            rows.append({"task": task_name, "condition": v["condition"], "channel": channel, **figures})
    return rows
