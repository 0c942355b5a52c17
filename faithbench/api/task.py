"""Task definitions: what a plugin declares (items, conditions, a plan per sample, metrics)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Generator
from dataclasses import dataclass, field

from faithbench.api.conditions import Condition
from faithbench.api.framing import FRAMING_VERSION, Framing
from faithbench.api.items import Item, ItemConfig, ItemSource
from faithbench.api.requests import Request, Response


@dataclass(frozen=True)
class RunOptions:
    """Run-wide settings a plan reads."""

    max_gen_toks: int | None = None  # the CoT budget per request (--max-gen-toks)
    raw_text: bool = True  # the model continues raw text (not a chat-only API): a plan may prefill
    think_tags: tuple[str, str] = ("<think>", "</think>")  # how the model marks its thinking inline
    observer_samples: int = 10  # answers sampled per prompt from an observer with no log-probabilities
    samples_per_question: int | None = None  # CoTs sampled per question by tasks that sample several
    samples_per_arm: int = 10  # draws per item x condition of a repeated task (--samples-per-arm)
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
    draw: int = 0  # which draw of a repeated task (1..samples_per_arm); 0 for a task drawn once
    framing: Framing | None = None  # who the prompt says will read the reasoning (--visibility)


Plan = Callable[[Sample], Generator[list[Request], list[Response], dict]]


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
    # Each item x condition is drawn ``samples_per_arm`` times (``Sample.draw``; records carry
    # ``draw``): estimands defined over several samples per arm, such as an intervention's effect.
    repeated: bool = False
    # The task builds its prompts with the standard plan, so a scratchpad-visibility framing can
    # be put before its first turn: --visibility crosses it with the framings.
    framable: bool = False

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

    def config_hash(self, framings: tuple = ()) -> str:
        """Covers cue wording, placements, conditions and metrics (and the framing texts when the
        run crosses the task with framings): editing any shows in results."""
        declared = self.declaration()
        if framings:
            declared["framings"] = {
                "version": FRAMING_VERSION,
                **{f.name: [f.scratchpad, f.thinking] for f in framings},
            }
        blob = json.dumps(declared, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]
