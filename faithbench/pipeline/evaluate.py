"""One evaluation: tasks x items x conditions through the runner, then metrics and results."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from faithbench import __version__
from faithbench.agreement import agreement
from faithbench.errors import UserError
from faithbench.introspection import apply_cross
from faithbench.items import ItemConfig
from faithbench.judges import llm_judge_request, parse_yes_no
from faithbench.metrics import Metric
from faithbench.models import ModelClient
from faithbench.predictive import apply_observer
from faithbench.results import SCHEMA_VERSION, git_hash
from faithbench.runner import Runner
from faithbench.stats import N_BOOTSTRAP
from faithbench.task import RunOptions, Sample, Task


@dataclass
class RunConfig:
    limit: int | None = None
    seed: int = 0
    num_fewshot: int = 0
    gen_kwargs: dict = field(default_factory=dict)
    max_gen_toks: int | None = None
    data: str | None = None
    source: str | None = None
    item_range: tuple[int, int] | None = None  # a shard: items [start, end) of the first end
    judge: str = "rules"  # rules | llm | both: which verbalization judges run; the first is primary
    observer: str | None = None  # the predictive-faithfulness observer model's name, if any
    cross_model: str | None = None  # model B predicting model A's introspection properties
    command: str = "faithbench run"


@dataclass
class TaskPlan:
    task: Task
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None


def build_samples(task: Task, config: RunConfig) -> TaskPlan:
    limit = config.item_range[1] if config.item_range else config.limit
    item_config = ItemConfig(limit=limit, seed=config.seed, data=config.data, source=config.source)
    options = RunOptions(
        num_fewshot=config.num_fewshot,
        seed=config.seed,
        gen_kwargs=config.gen_kwargs,
        max_gen_toks=config.max_gen_toks,
    )
    k = max(config.num_fewshot, task.min_fewshot)
    try:
        items = task.load_items(item_config)
        if config.item_range:  # item sources are deterministic prefixes, so shards never overlap
            items = items[config.item_range[0] : config.item_range[1]]
        shots = tuple(task.fewshot(item_config, k)) if (task.fewshot and k) else ()
    except UserError:
        raise
    except Exception as exc:  # a plugin's item source failing takes down its task only
        return TaskPlan(task, error=f"item source failed: {type(exc).__name__}: {exc}")
    if k and not task.fewshot:
        return TaskPlan(task, error="task has no few-shot exemplars; drop --num-fewshot")
    return TaskPlan(
        task,
        [Sample(task, item, cond, options, shots) for item in items for cond in task.conditions],
    )


def compute_metrics(
    task: Task, records: list[dict], metrics: dict[str, Metric], seed: int
) -> tuple[list[dict], list[str]]:
    values, problems = [], []
    for name in task.metrics:
        metric = metrics[name]
        try:
            for v in metric.compute(records, seed):
                values.append({**v, "family": metric.family})
        except Exception as exc:
            problems.append(f"metric '{name}' failed: {type(exc).__name__}: {exc}")
    return values, problems


def apply_llm_judge(records: list[dict], judge: Runner, primary: bool) -> None:
    """Ask the judge model about every cued CoT; record its verdict beside the rule judge's."""
    todo = [r for r in records if "judgements" in r and r.get("response")]
    replies = judge.ask([llm_judge_request(r.get("cue", ""), r["response"]) for r in todo])
    for record, reply in zip(todo, replies, strict=True):
        verdict = parse_yes_no(reply.text) if reply.ok else None
        record["judgements"]["llm"] = verdict
        if primary:
            record["verbalized"] = verdict


def judge_agreement(records: list[dict], seed: int) -> dict | None:
    both = [r["judgements"] for r in records if {"rules", "llm"} <= set(r.get("judgements", {}))]
    if not both:
        return None
    return agreement([j["rules"] for j in both], [j["llm"] for j in both], seed)


def evaluate(
    client: ModelClient,
    tasks: list[Task],
    metrics: dict[str, Metric],
    config: RunConfig,
    runner: Runner,
    judge_runner: Runner | None = None,
    observer_runner: Runner | None = None,
    cross_runner: Runner | None = None,
) -> tuple[dict, list[dict]]:
    started = time.perf_counter()
    plans = [build_samples(task, config) for task in tasks]
    runs = runner.run([s for plan in plans for s in plan.samples])
    by_task: dict[str, list] = {}
    for run in runs:
        by_task.setdefault(run.sample.task.name, []).append(run)

    if judge_runner is not None and config.judge in ("llm", "both"):
        cued = [run.record for run in runs if run.record and "judgements" in run.record]
        apply_llm_judge(cued, judge_runner, primary=config.judge == "llm")
    if observer_runner is not None:
        apply_observer([run.record for run in runs if run.record], observer_runner)
    if cross_runner is not None:
        apply_cross([run.record for run in runs if run.record], cross_runner)
    task_results: dict[str, dict] = {}
    all_records: list[dict] = []
    for plan in plans:
        task = plan.task
        records = [run.record for run in by_task.get(task.name, [])]
        all_records.extend(records)
        entry = {
            "version": task.version,
            "config_hash": task.config_hash(),
            "plugin": task.plugin,
            "status": "ok",
            "n_items": len({r["item_id"] for r in records}),
            "n_failed": sum(1 for r in records if r.get("error")),
            "conditions": [c.name for c in task.conditions],
            "metrics": [],
        }
        failures = [r for r in by_task.get(task.name, []) if r.error]
        problems = [plan.error] if plan.error else []
        if failures:  # a plugin bug: flagged, while the samples it did not hit are still scored
            problems.append(
                f"plan failed on {len(failures)} of {len(records)} samples; first: {failures[0].error}"
            )
        if records and len(failures) < len(records):
            entry["metrics"], metric_problems = compute_metrics(task, records, metrics, config.seed)
            problems += metric_problems
        if problems:
            entry["status"], entry["error"] = "error", "; ".join(problems)
        agreed = judge_agreement(records, config.seed)
        if agreed:
            entry["judges"] = {"primary": "llm" if config.judge == "llm" else "rules", "agreement": agreed}
        task_results[task.name] = entry

    results = {
        "faithfulness": faithfulness_table(task_results),
        "schema_version": SCHEMA_VERSION,
        "faithbench_version": __version__,
        "git_hash": git_hash(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": config.command,
        "model": client.describe(),
        "config": {
            "seed": config.seed,
            "limit": config.limit,
            "num_fewshot": config.num_fewshot,
            "gen_kwargs": config.gen_kwargs,
            "max_gen_toks": config.max_gen_toks,
            "bootstrap": N_BOOTSTRAP,
            "data": config.data,
            "items": config.source,
            "judge": config.judge,
            "observer": config.observer,
            "cross_model": config.cross_model,
            "item_range": "{}:{}".format(*config.item_range) if config.item_range else None,
        },
        "tasks": task_results,
        "usage": {**runner.usage.to_dict(), "tokens": _token_stats(client)},
        "timings": {"total_seconds": round(time.perf_counter() - started, 3)},
    }
    return results, all_records


REPRESENTATIONAL = ("articulation", "aoc")
PREDICTIVE = ("predictive_within", "predictive_cf", "rationalization_gap")


def faithfulness_table(task_results: dict) -> list[dict]:
    """Representational and predictive faithfulness side by side, one row per task x condition
    that has either kind of figure (the definitional contrast of DESIGN.md)."""
    rows = []
    for name, task in task_results.items():
        by_condition: dict[str, dict] = {}
        for m in task["metrics"]:
            if m["metric"] in REPRESENTATIONAL + PREDICTIVE + ("bias_susceptibility",):
                by_condition.setdefault(m["condition"], {})[m["metric"]] = {
                    k: m[k] for k in ("value", "ci_low", "ci_high", "n")
                }
        for condition, figures in by_condition.items():
            if set(figures) & set(REPRESENTATIONAL + PREDICTIVE):
                rows.append({"task": name, "condition": condition, **figures})
    return rows


def _token_stats(client: ModelClient) -> dict:
    stats = getattr(client.lm, "stats", None)
    return dict(vars(stats)) if stats is not None and hasattr(stats, "__dict__") else {}
