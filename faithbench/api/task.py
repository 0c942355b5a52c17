"""Task definitions: what a plugin declares (items, conditions, a plan per sample, metrics)."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from faithbench.api.conditions import Condition
from faithbench.api.framing import FRAMING_VERSION, Framing
from faithbench.api.items import Item, ItemConfig, ItemSource
from faithbench.api.parameters import Parameter
from faithbench.api.record import Record
from faithbench.api.requests import Request, Response


@dataclass(frozen=True)
class RunOptions:
    """Run-wide settings a plan reads."""

    max_gen_toks: int | None = None  # the CoT budget per request (--max-gen-toks)
    raw_text: bool = True  # the model continues raw text (not a chat-only API): a plan may prefill
    think_tags: tuple[str, str] = ("<think>", "</think>")  # how the model marks its thinking inline
    observer_samples: int = 10  # answers sampled per prompt from an observer with no log-probabilities
    framings: tuple = ()  # scratchpad-visibility framings crossed with framable tasks (--visibility)
    thinking: bool = False  # the model's thinking is requested: framings refer to the thinking


@dataclass(frozen=True)
class Sample:
    """One item under one condition, with the exemplars and options the run gives it."""

    task: Task
    item: Item
    condition: Condition
    options: RunOptions
    fewshot: tuple[Item, ...] = ()
    draw: int = 0  # which draw of a task drawn several times (1..its ``draws`` parameter); else 0
    framing: Framing | None = None  # who the prompt says will read the reasoning (--visibility)
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)  # the task's parameters, resolved


# A plan returns its record: a dict of fields (the runner adds the sample's identity) or a Record.
Plan = Callable[[Sample], Generator[list[Request], list[Response], dict | Record]]


class PromptedPlan:
    """A plan with the fixed texts it sends (instructions, templates), declared where the plan is
    defined: every task that uses it has them in its config hash, so editing one shows in results."""

    def __init__(self, plan: Plan, prompts: Mapping[str, str]):
        self.plan = plan
        self.prompts: Mapping[str, str] = MappingProxyType(dict(prompts))
        functools.update_wrapper(self, plan)

    def __call__(self, sample: Sample) -> Generator[list[Request], list[Response], dict | Record]:
        return self.plan(sample)


def sends(prompts: Mapping[str, str]) -> Callable[[Plan], PromptedPlan]:
    """Decorate a plan with the texts it sends: ``@sends({"instruction": INSTRUCTION})``. A plan
    built on another extends its texts: ``@sends({**cot_answer_plan.prompts, "ask": ASK})``."""
    return lambda plan: PromptedPlan(plan, prompts)


@dataclass(frozen=True)
class Task:
    """A task plugin's declaration.

    ``plan`` is a generator function run once per sample: it yields a list of requests, receives
    their responses, may yield again (stage 2 built from stage 1), and returns the sample's record.
    """

    name: str
    version: str
    description: str
    items: ItemSource
    conditions: tuple[Condition, ...]
    plan: Plan
    metrics: tuple[str, ...]
    tags: tuple[str, ...] = ()
    fewshot: Callable[[ItemConfig, int], list[Item]] | None = None  # exemplars for --num-fewshot
    min_fewshot: int = 0  # few-shot cues need exemplars whatever --num-fewshot says
    config: dict = field(default_factory=dict, hash=False)
    plugin: str = ""  # filled in by the plugin manager
    # Settings the family declares for this task (``-T name=value``), resolved into
    # ``Sample.params``; ``draws`` names the one that says how many times each item x condition
    # is drawn (``Sample.draw``; records carry ``draw``), for estimands over several samples.
    parameters: tuple[Parameter, ...] = ()
    draws: str | None = None
    # The task builds its prompts with the standard plan, so a scratchpad-visibility framing can
    # be put before its first turn: --visibility crosses it with the framings.
    framable: bool = False
    # The fixed texts the task sends besides its conditions' cues and its plan's own (a wording
    # table its items are asked in, say), by name: they are in the config hash.
    prompts: Mapping[str, str] = field(default_factory=dict, hash=False)

    def declaration(self) -> dict:
        """The declarative part, as validated by ``schemas/task.schema.json``."""
        return {
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "conditions": [
                c.declaration() if isinstance(c, Condition) else {"name": str(c)} for c in self.conditions
            ],
            "metrics": list(self.metrics),
            "tags": list(self.tags),
            "config": self.config,
        }

    def sent_prompts(self) -> dict[str, dict[str, str]]:
        """Every fixed text the task itself sends, beyond its declaration: its own, its plan's
        (a ``PromptedPlan``), and those its conditions' placements write around a cue."""
        sent = {"task": dict(self.prompts)}
        if isinstance(self.plan, PromptedPlan):
            sent["plan"] = dict(self.plan.prompts)
        for c in self.conditions:
            placement = c.cue.placement if isinstance(c, Condition) and c.cue is not None else None
            if placement is not None and placement.prompts:
                sent[f"placement:{placement.name}"] = dict(placement.prompts)
        return {k: v for k, v in sent.items() if v}

    def config_hash(
        self,
        framings: tuple = (),
        side: Mapping[str, Mapping[str, Any]] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> str:
        """Covers cue wording, placements, conditions, metrics and every prompt text the task sends
        (``sent_prompts``), with the framing texts when the run crosses the task with framings and
        ``side``: the prompts of the judges and passes that read its records, by their name.
        Editing any shows in results, and merge refuses shards whose hashes differ."""
        declared = self.declaration()
        if framings:
            declared["framings"] = {
                "version": FRAMING_VERSION,
                **{f.name: [f.scratchpad, f.thinking] for f in framings},
            }
        if params:  # the task's parameters as the run resolved them
            declared["parameters"] = dict(params)
        prompts = {**self.sent_prompts(), **{k: dict(v) for k, v in (side or {}).items() if v}}
        if prompts:
            declared["prompts"] = prompts
        blob = json.dumps(declared, sort_keys=True, default=_stable)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _stable(value: object) -> str:
    """A value JSON cannot hold, as text that is the same in every process: a function or class by
    its qualified name, never a repr carrying a memory address."""
    name = getattr(value, "__qualname__", None)
    if isinstance(name, str):
        return f"{getattr(value, '__module__', '')}.{name}"
    return re.sub(r" at 0x[0-9a-fA-F]+", "", str(value))
