"""One run's configuration, built once by the command line and read by every stage."""

from __future__ import annotations

from dataclasses import dataclass, field

from faithbench.api.items import ItemConfig
from faithbench.api.task import RunOptions
from faithbench.models.args import redact


@dataclass(frozen=True)
class ModelRef:
    """A model named on the command line: registry name and args (secrets included; never written)."""

    name: str
    args: dict = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class RunConfig:
    items: ItemConfig  # what item sources read (limit = the shard's end under --item-range)
    options: RunOptions = RunOptions()  # what plans read
    limit: int | None = None  # --limit as given
    num_fewshot: int = 0
    gen_kwargs: dict = field(default_factory=dict, hash=False)  # applied by the runner to every generation
    item_range: tuple[int, int] | None = None  # a shard: items [start, end) of the first end
    judges: tuple[str, ...] = ("rules",)  # verbalization judges by name; the first is primary
    judge_models: tuple = ()  # ModelRefs of the LLM judge panel
    side_models: dict = field(default_factory=dict, hash=False)  # role -> ModelRef (a pass's side model)
    task_params: dict = field(default_factory=dict, hash=False)  # task -> its parameters, resolved
    command: str = "faithbench run"

    @property
    def seed(self) -> int:
        return self.items.seed

    def summary(self) -> dict:
        """The run config as results.json records it (no model args: they may hold secrets)."""
        side = {role: ref.name for role, ref in self.side_models.items()}
        return {
            "seed": self.seed,
            "limit": self.limit,
            "num_fewshot": self.num_fewshot,
            "gen_kwargs": redact(self.gen_kwargs),  # a provider-specific key passed here is still a key
            "max_gen_toks": self.options.max_gen_toks,
            "data": self.items.data,
            "items": self.items.source,
            "judge": ",".join(self.judges),
            "judge_models": [ref.name for ref in self.judge_models],
            "observer": side.get("observer"),
            "side_models": side,
            "task_args": {task: dict(params) for task, params in self.task_params.items() if params},
            "visibility": [f.name for f in self.options.framings] or None,
            "item_range": "{}:{}".format(*self.item_range) if self.item_range else None,
        }
