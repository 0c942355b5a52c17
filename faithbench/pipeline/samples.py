"""Stage: items -> samples. Each task's items (and exemplars) crossed with its conditions."""

from __future__ import annotations

from dataclasses import dataclass, field

from faithbench.api.errors import UserError
from faithbench.api.items import ItemUnits
from faithbench.api.task import Sample, Task
from faithbench.pipeline.config import RunConfig


@dataclass
class TaskPlan:
    task: Task
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None


def build_plans(tasks: list[Task], config: RunConfig) -> list[TaskPlan]:
    """Every task's samples. A run whose item range selects nothing in any task is a mistake,
    not an empty result."""
    plans = [build_samples(task, config) for task in tasks]
    if config.item_range and plans and not any(plan.samples for plan in plans):
        start, end = config.item_range
        raise UserError(
            f"--item-range {start}:{end} selects no items: the sources have fewer than {start + 1}"
        )
    return plans


def build_samples(task: Task, config: RunConfig) -> TaskPlan:
    k = max(config.num_fewshot, task.min_fewshot)
    try:
        items = task.items(config.items)
        if config.item_range:  # item sources are deterministic prefixes, so shards never overlap
            start, end = config.item_range
            items = items.units(start, end) if isinstance(items, ItemUnits) else items[start:end]
        shots = tuple(task.fewshot(config.items, k)) if (task.fewshot and k) else ()
    except UserError:
        raise
    except Exception as exc:  # a plugin's item source failing takes down its task only
        return TaskPlan(task, error=f"item source failed: {type(exc).__name__}: {exc}")
    if k and not task.fewshot:
        return TaskPlan(task, error="task has no few-shot exemplars; drop --num-fewshot")
    params = config.task_params.get(task.name, {})
    draws = range(1, params[task.draws] + 1) if task.draws else (0,)
    framings = config.options.framings if task.framable and config.options.framings else (None,)
    return TaskPlan(
        task,
        [
            Sample(task, item, cond, config.options, shots, draw, framing, params)
            for framing in framings
            for item in items
            for cond in task.conditions
            for draw in draws
        ],
    )
