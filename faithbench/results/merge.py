"""Merging shards of one run: the same model, tasks and settings split by task or item range
across machines (``--tasks``, ``--item-range``), recombined into one results.json.

Metrics are recomputed from the shards' samples (a CI cannot be merged from CIs), so the
merged file is what one run over all the items would have written.
"""

from __future__ import annotations

from pathlib import Path

from faithbench.api.errors import UserError
from faithbench.metrics.compute import faithfulness_table, judge_entry, score, split_warnings
from faithbench.metrics.summary import build_summary
from faithbench.results.io import collect, load_results, load_samples, write_results, write_samples
from faithbench.results.naming import same_observer
from faithbench.results.observer_tags import tag_predictive


def merge(paths: list[str | Path], out: str | Path, registry) -> Path:
    files = collect(paths)
    shards = [(load_results(p), load_samples(p)) for p in files]
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
    records: dict[tuple, dict] = {}
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
        rows = [r for (t, *_), r in records.items() if t == name]
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
    usage = {
        k: sum(res["usage"].get(k, 0) for res, _ in shards)
        for k in ("requests", "cache_hits", "duplicates", "sent", "retries", "failed")
    }
    usage["model_calls"] = {}
    for res, _ in shards:
        for kind, n in res["usage"]["model_calls"].items():
            usage["model_calls"][kind] = usage["model_calls"].get(kind, 0) + n
    if first.get("observer"):  # recomputed figures carry their observer again
        tag_predictive({"tasks": merged_tasks}, first["observer"])
    chosen = [registry.tasks[name] for name in merged_tasks]
    merged = {
        **first,
        "summary": build_summary(chosen, merged_tasks, registry.metrics, list(records.values()), seed),
        "command": "faithbench merge " + " ".join(str(p.parent) for p in files),
        "config": {**first["config"], "limit": None, "item_range": None},
        "tasks": merged_tasks,
        "faithfulness": faithfulness_table(merged_tasks, registry.metrics),
        "usage": usage,
        "timings": {"total_seconds": sum(res["timings"]["total_seconds"] for res, _ in shards)},
        "merged_from": [res["command"] for res, _ in shards],
    }
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    write_results(out / "results.json", merged)
    write_samples(out / "samples.jsonl", sorted(records.values(), key=lambda r: (r["task"], r["item_id"])))
    return out / "results.json"
