"""The orchestrator: items -> samples -> plans (runner) -> judges -> passes -> metrics -> results.

It knows the stages, never a family: judges and passes arrive from the registry by name and role,
metrics by the names tasks declare.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from faithbench.api.errors import ModelError
from faithbench.api.framing import FRAMING_VERSION
from faithbench.api.judge import Judge
from faithbench.api.metric import Metric
from faithbench.api.passes import Pass, Stage, role_name
from faithbench.api.task import Task
from faithbench.judges.stage import run_judges
from faithbench.metrics.compute import judge_entry, judge_warnings, score, split_warnings
from faithbench.models.client import ModelClient
from faithbench.pipeline.config import RunConfig
from faithbench.pipeline.hashing import side_prompts
from faithbench.pipeline.samples import TaskPlan, build_plans
from faithbench.runner.lockstep import Runner


@dataclass
class Components:
    """What the plugins provide that a run uses: metrics by name, the selected judges in order,
    and the post-processing passes."""

    metrics: dict[str, Metric]
    judges: list[Judge] = field(default_factory=list)
    passes: list[Pass] = field(default_factory=list)
    judge_panel: dict = field(default_factory=dict)  # judge models by label (runners), for LLM judges


def wanted_passes(passes: list[Pass], tasks: list[Task]) -> list[Pass]:
    """The passes that ask a side model for these tasks (those needing none run on every run)."""
    return [p for p in passes if p.role is not None and any(p.wanted(t) for t in tasks)]


def collect(
    plans: list[TaskPlan],
    parts: Components,
    config: RunConfig,
    runner: Runner,
    side: dict[str, Runner],
    problems: dict[str, list[str]] | None = None,
) -> list:
    """Every stage that asks a model: the plans (the runner), the judges, the passes. A dry run's
    rehearsal plays these same stages, so what it counts is what a run asks. A pass that fails
    (a plugin bug, or its side model failing) is a problem of the tasks it reads, put in
    ``problems`` by task; their records stay as they were and every other task goes on."""
    problems = {} if problems is None else problems
    tasks = [plan.task for plan in plans]
    runs = runner.run([s for plan in plans for s in plan.samples])
    records = [run.record for run in runs]
    records = _passes(Stage.AFTER_GENERATION, records, parts, config, tasks, side, problems)
    runs = [replace(run, record=record) for run, record in zip(runs, records, strict=True)]
    records = run_judges(runs, parts.judges, parts.judge_panel, problems)  # new records: the runs' are kept
    for stage in (Stage.AFTER_JUDGING, Stage.BEFORE_SCORING):
        records = _passes(stage, records, parts, config, tasks, side, problems)
    return [replace(run, record=record) for run, record in zip(runs, records, strict=True)]


def _passes(stage: Stage, records: list, parts: Components, config: RunConfig, tasks, side, problems) -> list:
    """The passes of one stage, in order: those needing no side model (on every run), then those
    whose role has a side model configured."""
    at_stage = [p for p in parts.passes if Stage(p.stage) is stage and any(p.wanted(t) for t in tasks)]
    chosen = [(p, None) for p in at_stage if p.role is None]
    chosen += [(p, side[role_name(p.role)]) for p in at_stage if role_name(p.role) in side]
    for post, asker in chosen:
        try:
            records = post.run(records, tasks, asker, config.options)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # one pass never costs the other tasks their results
            model = f" (its {role_name(post.role)} model)" if isinstance(exc, ModelError) else ""
            message = f"pass '{post.name}'{model} failed: {type(exc).__name__}: {exc}"
            for task in tasks:
                if post.wanted(task):
                    problems.setdefault(task.name, []).append(message)
    return records


@dataclass
class Collected:
    """What the stages produced: each task's results entry, every record, and the calls made."""

    entries: dict
    records: list
    usage: dict
    seconds: float


def evaluate(
    client: ModelClient,
    tasks: list[Task],
    parts: Components,
    config: RunConfig,
    runner: Runner,
    side: dict[str, Runner] | None = None,
) -> Collected:
    """Run every stage; ``side`` holds the side models' runners by pass role (judge models come in
    ``parts.judge_panel``). Returns each task's entry and every record; results.json is assembled
    from them by :func:`faithbench.pipeline.results.assemble`."""
    side = side or {}
    started = time.perf_counter()
    plans = build_plans(tasks, config)
    pass_problems: dict[str, list[str]] = {}
    runs = collect(plans, parts, config, runner, side, pass_problems)
    by_task: dict[str, list] = {}
    for run in runs:
        by_task.setdefault(run.sample.task.name, []).append(run)
    judge_names = [j.name for j in parts.judges]
    judge_models = {
        label: getattr(getattr(asker, "client", None), "identity", label)
        for label, asker in parts.judge_panel.items()
    }
    entries = {
        plan.task.name: _task_entry(
            plan, by_task.get(plan.task.name, []), parts.metrics, config, judge_names,
            side_prompts(plan.task, parts.judges, parts.passes, judge_models),
            pass_problems.get(plan.task.name, []),
        )
        for plan in plans
    }
    usage = {
        **runner.usage.to_dict(),
        "tokens": _token_stats(client),
        **({"side_models": {role: r.usage.to_dict() for role, r in side.items()}} if side else {}),
        **(
            {"judge_models": {k: r.usage.to_dict() for k, r in parts.judge_panel.items()}}
            if parts.judge_panel
            else {}
        ),
    }
    return Collected(entries, [run.record for run in runs], usage, time.perf_counter() - started)


def _task_entry(
    plan: TaskPlan,
    runs: list,
    metrics: dict,
    config: RunConfig,
    judges: list[str],
    side: dict | None = None,
    pass_problems: Sequence[str] = (),
) -> dict:
    task = plan.task
    records = [run.record for run in runs]
    entry = {
        "version": task.version,
        "config_hash": task.config_hash(
            config.options.framings if task.framable else (), side, config.task_params.get(task.name)
        ),
        "plugin": task.plugin,
        "status": "ok",
        "n_items": len({r["item_id"] for r in records}),
        "n_failed": sum(1 for r in records if r.get("error")),
        "conditions": [c.name for c in task.conditions],
        "metrics": [],
    }
    if task.framable and config.options.framings:
        entry["framings"] = {"version": FRAMING_VERSION, "names": [f.name for f in config.options.framings]}
    failures = [run for run in runs if run.error]
    problems = ([plan.error] if plan.error else []) + list(pass_problems)
    if failures:  # a plugin bug: flagged, while the samples it did not hit are still scored
        problems.append(
            f"plan failed on {len(failures)} of {len(records)} samples; first: {failures[0].error}"
        )
    if records and len(failures) < len(records):
        entry["metrics"], metric_problems = score(task, records, metrics, config.seed, judges)
        problems += metric_problems
    judged = judge_entry(task, records, metrics, config.seed, judges)
    problems, warnings = split_warnings(problems)
    warnings += judge_warnings(judged)
    if warnings:
        entry["warnings"] = warnings
    if problems:
        entry["status"], entry["error"] = "error", "; ".join(problems)
    if judged:
        entry["judges"] = judged
    return entry


def _token_stats(client: ModelClient) -> dict:
    stats = getattr(client.lm, "stats", None)
    return dict(vars(stats)) if stats is not None and hasattr(stats, "__dict__") else {}
