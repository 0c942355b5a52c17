"""Merging shards of one run: the same model, tasks and settings split by task or item range
across machines (``--tasks``, ``--item-range``), recombined into one results.json.

Metrics are recomputed from the shards' samples (a CI cannot be merged from CIs), so the
merged file is what one run over all the items would have written.
"""

from __future__ import annotations

from pathlib import Path

from faithbench.api.errors import UserError
from faithbench.api.record import Record
from faithbench.api.task import RunOptions
from faithbench.metrics.compute import judge_entry, score, split_warnings
from faithbench.pipeline.results import add_usage, assemble
from faithbench.results.io import collect, load_records, load_results, write_results, write_samples
from faithbench.results.naming import same_observer


def merge(paths: list[str | Path], out: str | Path, registry) -> Path:
    files = collect(paths)
    shards = [(load_results(p), load_records(p)) for p in files]
    first = shards[0][0]
    for res, _ in shards[1:]:
        if res["model"] != first["model"]:
            raise UserError("shards come from different models or model args; merge one model at a time")
        if res["config"].get("seed") != first["config"].get("seed"):
            raise UserError("shards use different --seed values")
        if not same_observer(res.get("observer"), first.get("observer")):
            raise UserError(
                "shards' predictive figures come from different observers; merge one observer at a time"
            )
    tasks: dict[str, dict] = {}
    records: dict[tuple, Record] = {}
    for res, samples in shards:
        for name, entry in res["tasks"].items():
            seen = tasks.setdefault(name, entry)
            if (seen["version"], seen["config_hash"]) != (entry["version"], entry["config_hash"]):
                raise UserError(f"task '{name}' differs between shards (version or config hash)")
        for record in samples:
            key = (record["task"], record["item_id"], record["condition"], record.get("draw", 0))
            records[(*key, record.get("framing"))] = record
    merged_tasks = {}
    seed = first["config"]["seed"]
    judges = [j for j in str(first["config"].get("judge") or "").split(",") if j]
    for name, entry in tasks.items():
        task = registry.tasks.get(name)
        if task is None:
            raise UserError(f"task '{name}' is not installed here; install its plugin to merge it")
        keys = [key for key in records if key[0] == name]
        rows = [records[key] for key in keys]
        for post in (p for p in registry.passes.values() if p.role is None and p.wanted(task)):
            rows = post.run(rows, [task], None, RunOptions())  # needs no model: redone on all shards
        records.update(zip(keys, rows, strict=True))
        metrics, problems = score(task, rows, registry.metrics, seed, judges)
        problems, warnings = split_warnings(problems)
        judged = judge_entry(task, rows, registry.metrics, seed, judges)
        merged_tasks[name] = {
            **{k: v for k, v in entry.items() if k not in ("judges", "warnings")},
            **({"warnings": warnings} if warnings else {}),
            "status": "error" if problems else entry["status"],
            "n_items": len({r["item_id"] for r in rows}),
            "n_failed": sum(1 for r in rows if r.get("error")),
            "metrics": metrics,
            **({"error": "; ".join(problems)} if problems else {}),
            **({"judges": judged} if judged else {}),
        }
    usage: dict = {}
    for res, _ in shards:
        add_usage(usage, res["usage"])
    chosen = [registry.tasks[name] for name in merged_tasks]
    merged = assemble(
        tasks=chosen,
        entries=merged_tasks,
        records=list(records.values()),
        metrics=registry.metrics,
        seed=seed,
        model=first["model"],
        config={**first["config"], "limit": None, "item_range": None},
        command="faithbench merge " + " ".join(str(p.parent) for p in files),
        usage=usage,
        total_seconds=sum(res["timings"]["total_seconds"] for res, _ in shards),
        observer=first.get("observer"),
        extra={"merged_from": [res["command"] for res, _ in shards]},
    )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    write_results(out / "results.json", merged)
    write_samples(out / "samples.jsonl", sorted(records.values(), key=lambda r: (r["task"], r["item_id"])))
    return out / "results.json"
