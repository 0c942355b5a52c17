"""The one results builder: a run, a merge of shards and ``faithbench.evaluate`` all assemble
results.json here, so no path forgets a field (usage counts, stages, token totals, the observer's
tags, the summary), and :class:`Results` is what the library hands back."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from faithbench.api.jsonvalue import freeze, thaw
from faithbench.api.metric import Metric
from faithbench.api.task import Task
from faithbench.metrics.compute import faithfulness_table
from faithbench.metrics.summary import build_summary
from faithbench.results.io import SCHEMA_VERSION, git_hash, json_text
from faithbench.results.observer_tags import tag_predictive
from faithbench.version import __version__


def assemble(
    *,
    tasks: list[Task],
    entries: dict,
    records: Sequence[Mapping],
    metrics: dict[str, Metric],
    seed: int,
    model: dict,
    config: dict,
    command: str,
    usage: dict,
    total_seconds: float,
    observer: dict | None = None,
    extra: dict | None = None,
) -> dict:
    """results.json from each task's entry and every record: the representational-vs-predictive
    table, the observer's name on its figures, the summary and the provenance."""
    if observer:  # before the table and summary, so a smoke test is never shown as a measurement
        tag_predictive({"tasks": entries}, observer)
    results = {
        "faithfulness": faithfulness_table(entries, metrics),
        "schema_version": SCHEMA_VERSION,
        "faithbench_version": __version__,
        "git_hash": git_hash(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "model": model,
        "config": config,
        "tasks": entries,
        "usage": usage,
        "timings": {"total_seconds": round(total_seconds, 3)},
        **({"observer": observer} if observer else {}),
        **(extra or {}),
    }
    results["summary"] = build_summary(tasks, entries, metrics, list(records), seed)
    return results


def add_usage(total: dict, part: Mapping) -> dict:
    """Usage of shards added up: every count at any depth (model calls, tokens by stage and task,
    side models'); stages are the most any shard ran, since shards run their stages side by side."""
    for key, value in part.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, Mapping):
            add_usage(total.setdefault(key, {}), value)
        elif isinstance(value, (int, float)) and key == "stages":
            total[key] = max(total.get(key, 0), value)
        elif isinstance(value, (int, float)):
            total[key] = round(total.get(key, 0) + value, 6)
        elif isinstance(value, list):
            total.setdefault(key, []).extend(value)
    return total


@dataclass(frozen=True)
class Results:
    """A finished run: results.json's document (``data``) and every sample's record.

    ``metrics`` lists every figure with its task; ``metric(task, name, condition)`` picks one;
    ``to_json()`` is results.json's text; ``path`` is where it was written (None when the run
    wrote nothing)."""

    data: Mapping
    records: tuple = ()
    path: Path | None = None

    def __post_init__(self) -> None:  # read-only, as the records are: a caller cannot change a figure
        object.__setattr__(self, "data", freeze(self.data, "results"))
        object.__setattr__(self, "records", tuple(self.records))

    def as_dict(self) -> dict:
        """results.json's document as plain, editable JSON values (a copy)."""
        return thaw(self.data)

    @property
    def tasks(self) -> dict:
        return self.data["tasks"]

    @property
    def metrics(self) -> list[dict]:
        return [{"task": name, **thaw(v)} for name, entry in self.tasks.items() for v in entry["metrics"]]

    def metric(self, task: str, name: str, condition: str | None = None, **where) -> dict:
        """The one figure of ``task`` named ``name`` (for ``condition``, and ``framing=`` etc.);
        a KeyError naming what there is when none or several match."""
        if task not in self.tasks:
            close = difflib.get_close_matches(task, list(self.tasks), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise KeyError(f"no task {task!r} in these results{hint}")
        found = [
            v
            for v in self.tasks[task]["metrics"]
            if v["metric"] == name
            and (condition is None or v["condition"] == condition)
            and all(v.get(k) == x for k, x in where.items())
        ]
        if len(found) != 1:
            names = sorted({v["metric"] for v in self.tasks[task]["metrics"]})
            conditions = sorted({v["condition"] for v in self.tasks[task]["metrics"] if v["metric"] == name})
            raise KeyError(
                f"{len(found)} figures of task {task!r} match {name!r}, condition {condition!r}"
                + (f", {where}" if where else "")
                + f"; its figures: {', '.join(names)}"
                + (f"; {name!r} has conditions: {', '.join(conditions)}" if conditions else "")
            )
        return thaw(found[0])

    @property
    def summary(self) -> dict:
        return self.data["summary"]

    @property
    def usage(self) -> dict:
        return self.data["usage"]

    @property
    def provenance(self) -> dict:
        keys = ("faithbench_version", "git_hash", "date", "command", "model", "config", "schema_version")
        return {k: self.data.get(k) for k in keys}

    @property
    def failed_tasks(self) -> list[str]:
        return [name for name, entry in self.tasks.items() if entry["status"] != "ok"]

    @property
    def unanswered(self) -> int:
        """Requests that failed after their retries or were never sent (--max-requests)."""
        return self.usage.get("failed", 0) + self.usage.get("unsent", 0)

    def to_json(self) -> str:
        return json_text(self.as_dict())

    def __repr__(self) -> str:
        return f"Results({self.data['model']['name']!r}, tasks={list(self.tasks)}, path={self.path})"
