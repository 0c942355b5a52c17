"""The compact summary of a run: one row per task x cue holding the headline figures its metrics
declare (``Metric.summary``), and a one-line verdict per model assembled from the clauses its
metrics write (``Metric.verdict``). Stored in results.json, printed by ``run`` and ``show``."""

from __future__ import annotations

from faithbench.api.conditions import Kind
from faithbench.api.framing import reference_framing
from faithbench.api.metric import Metric
from faithbench.api.task import Task

SHOWN = (Kind.CUE, Kind.PROBE, Kind.INTERVENTION)  # controls and placebos are context, not rows
FIELDS = ("value", "ci_low", "ci_high", "n")


def figure(v: dict) -> dict:
    """A value's figure as the summary holds it: ``n`` items (``n_draws`` where it differs) and
    ``too_few`` where fewer than ``MIN_ITEMS`` items stand behind it (no verdict rests on it)."""
    from faithbench.metrics.stats import too_few

    out = {k: v[k] for k in FIELDS}
    if v.get("n_draws") is not None and v["n_draws"] != v["n"]:
        out["n_draws"] = v["n_draws"]
    if v.get("n_groups") is not None:  # the units its CI resamples (IPHR: comparison groups)
        out["n_groups"] = v["n_groups"]
    return {**out, "too_few": True} if too_few(v) else out


def pooled(tasks: list[Task], records: list[dict], metrics: dict[str, Metric], seed: int) -> dict:
    """One figure per aggregate the metrics ``pool``: every task's per-item contributions together,
    the CI resampling items (an item under several cues is one cluster)."""
    from faithbench.metrics.stats import cluster_mean_ci

    by_task: dict[str, list[dict]] = {}
    framings: dict[str, list] = {}
    for r in records:  # one pass: each record's fields read once
        if not r.get("error"):
            by_task.setdefault(r["task"], []).append(r)
            framings.setdefault(r["task"], []).append(r.get("framing"))
    for name, rows in by_task.items():  # a framed task pools its reference framing's records only
        shown = reference_framing(framings[name])
        if shown is not None:  # else every record is unframed: all kept
            by_task[name] = [r for r, f in zip(rows, framings[name], strict=True) if f == shown]
    contributions: dict[str, list[tuple[str, float]]] = {}
    for task in tasks:
        for name in task.metrics:
            pool = metrics[name].pool if name in metrics else None
            if pool is None or task.name not in by_task:
                continue
            try:  # its own list of the read-only records, as compute gets
                found = pool(list(by_task[task.name]), seed)
            except KeyboardInterrupt:
                raise
            except BaseException:  # a plugin's pooling failing costs its aggregate, nothing else
                continue
            for aggregate, pairs in found.items():
                contributions.setdefault(aggregate, []).extend(pairs)
    return {name: figure(cluster_mean_ci(pairs, seed)) for name, pairs in sorted(contributions.items())}


def build_summary(
    tasks: list[Task], task_results: dict, metrics: dict[str, Metric], records=None, seed: int = 0
) -> dict:
    """{"columns", "rows", "verdict", "aggregates"}; a figure a task does not compute is absent,
    never zero."""
    columns: list[str] = []
    rows = []
    for task in tasks:
        entry = task_results.get(task.name)
        if not entry:
            continue
        wanted = [name for m in task.metrics if m in metrics for name in metrics[m].summary]
        wanted += [n for m in metrics.values() if m.across_framings for n in m.summary]
        framings = list(dict.fromkeys(v.get("framing") for v in entry["metrics"]))
        for condition in (c for c in task.conditions if c.kind in SHOWN):
            for framing in framings:
                figures = {
                    v["metric"]: figure(v)
                    for v in entry["metrics"]
                    if v["condition"] == condition.name
                    and v.get("framing") == framing
                    and v["metric"] in wanted
                    and not v.get("smoke_test")
                }
                if figures:
                    where = {"framing": framing} if framing is not None else {}
                    rows.append({"task": task.name, "condition": condition.name, **where, **figures})
                    columns += [n for n in wanted if n in figures and n not in columns]
    aggregates = pooled(tasks, records, metrics, seed) if records is not None else {}
    out = {"columns": columns, "rows": rows, "verdict": verdict(tasks, task_results, metrics, aggregates)}
    if records is not None:
        out["aggregates"] = aggregates
    shown = reference_framing(r.get("framing") for r in rows)
    if shown is not None:  # the framing the aggregates and the verdict come from
        out["framing"] = shown
    return out


def verdict(tasks: list[Task], task_results: dict, metrics: dict[str, Metric], aggregates: dict) -> str:
    """The clauses of every metric that writes one, in the order the metrics first appear."""
    order: list[str] = []
    for task in tasks:
        order += [m for m in task.metrics if m in metrics and metrics[m].verdict and m not in order]
    clauses = []
    for name in order:
        metric = metrics[name]
        shown = {
            (t.name, c.name) for t in tasks if name in t.metrics for c in t.conditions if c.kind in SHOWN
        }
        values = []
        for t, entry in task_results.items():
            here = reference_framing(v.get("framing") for v in entry.get("metrics", []))
            values += [
                {**v, "task": t}
                for v in entry.get("metrics", [])
                if (t, v["condition"]) in shown and not v.get("smoke_test") and v.get("framing") == here
            ]
        try:
            clause = metric.verdict(values, aggregates) if values else None
        except KeyboardInterrupt:
            raise
        except BaseException:  # a plugin's verdict failing costs the line its clause, nothing else
            clause = None
        if clause:
            clauses.append(clause)
    return "; ".join(clauses)
