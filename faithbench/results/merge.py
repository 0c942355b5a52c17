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
from faithbench.metrics.compute import judge_entry, judge_warnings, score, split_warnings
from faithbench.pipeline.results import add_usage, assemble
from faithbench.results import folder
from faithbench.results.io import collect, load_records, load_results, write_run
from faithbench.results.naming import same_observer

# Settings a shard may differ in: which items it ran. Everything else in ``config`` (max_gen_toks,
# judge, gen_kwargs, num_fewshot, items, data, bootstrap, ...) must be the same in every shard.
SHARD_SETTINGS = {"limit", "item_range"}


def merge(paths: list[str | Path], out: str | Path, registry, overwrite: bool = False) -> Path:
    files = collect(paths)
    out = Path(out).absolute()
    _check_out(out, files, overwrite)
    shards = [(load_results(p), load_records(p)) for p in files]
    first = shards[0][0]
    for path, (res, _) in zip(files[1:], shards[1:], strict=True):
        if res["model"] != first["model"]:
            raise UserError("shards come from different models or model args; merge one model at a time")
        if res["config"].get("seed") != first["config"].get("seed"):
            raise UserError("shards use different --seed values")
        if not same_observer(res.get("observer"), first.get("observer")):
            raise UserError(
                "shards' predictive figures come from different observers; merge one observer at a time"
            )
        _check_same_settings(first, res, files[0], path)
    tasks: dict[str, dict] = {}
    records: dict[tuple, Record] = {}
    origin: dict[tuple, Path] = {}
    shard_errors: dict[str, list[str]] = {}  # a failure in any shard (a judge, a pass) stays said
    for path, (res, samples) in zip(files, shards, strict=True):
        for name, entry in res["tasks"].items():
            if entry.get("status") == "error":
                said = shard_errors.setdefault(name, [])
                said += [e for e in str(entry.get("error") or "failed").split("; ") if e not in said]
            seen = tasks.setdefault(name, entry)
            if (seen["version"], seen["config_hash"]) != (entry["version"], entry["config_hash"]):
                raise UserError(f"task '{name}' differs between shards (version or config hash)")
        for record in samples:
            key = (record["task"], record["item_id"], record["condition"], record.get("draw", 0))
            key = (*key, record.get("framing"))
            if key in records:  # two shards (or one given twice) hold the same sample
                where = "twice in " + str(path) if origin[key] == path else f"in {origin[key]} and {path}"
                raise UserError(
                    f"shards overlap: task '{key[0]}' item '{key[1]}' ({key[2]}) is {where}; "
                    "merge shards of disjoint tasks or item ranges"
                )
            records[key], origin[key] = record, path
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
        problems += [e for e in shard_errors.get(name, []) if e not in problems]
        judged = judge_entry(task, rows, registry.metrics, seed, judges)
        warnings += judge_warnings(judged)
        merged_tasks[name] = {
            **{k: v for k, v in entry.items() if k not in ("judges", "warnings", "error")},
            **({"warnings": warnings} if warnings else {}),
            "status": "error" if problems else "ok",
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
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot write to {out}: {exc.strerror or exc}") from None
    with folder.locked(out):
        folder.check_outputs(out)
        ordered = sorted(records.values(), key=lambda r: (r["task"], r["item_id"]))
        return write_run(out, merged, ordered)


def _check_out(out: Path, files: list[Path], overwrite: bool) -> None:
    """``--out`` never replaces results without ``--overwrite`` (a shard's own, or another run's)."""
    if len({p.resolve() for p in files}) < len(files):
        raise UserError("a shard is given twice; give each shard once")
    existing = out / "results.json"
    if overwrite or not (existing.exists() or existing.is_symlink()):
        return
    shard = any(p.resolve() == existing.resolve() for p in files)
    what = "one of the shards being merged" if shard else "results of another run"
    raise UserError(f"{existing} holds {what}; pass --overwrite to replace them, or choose another --out")


def _check_same_settings(first: dict, other: dict, first_path: Path, path: Path) -> None:
    """Shards of one run differ only in which items they ran: any other setting (or faithbench
    version) that differs would make the merged figures belong to no run."""
    a = {k: v for k, v in first["config"].items() if k not in SHARD_SETTINGS}
    b = {k: v for k, v in other["config"].items() if k not in SHARD_SETTINGS}
    differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    if first.get("faithbench_version") != other.get("faithbench_version"):
        differ.append("faithbench version")
    if differ:
        raise UserError(
            f"shards {first_path} and {path} were run with different settings ({', '.join(differ)}); "
            "merge shards of one run only"
        )
