"""Call accounting for one run: what was asked, served from the cache, sent, retried, failed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Usage:
    calls: Counter = field(default_factory=Counter)  # model calls made in this process, by kind
    cache_hits: int = 0  # requests answered from an earlier run's cache
    duplicates: int = 0  # requests answered by an identical request in the same stage
    requests: int = 0  # requests asked by plans in total
    stages: int = 0
    model_seconds: float = 0.0
    sent: int = 0  # requests sent to the model, retries included
    retries: int = 0
    failed: int = 0  # requests that still failed after every retry (reported in their records)
    unsent: int = 0  # requests never sent because the request budget was spent
    tokens: Counter = field(default_factory=Counter)  # API token usage of this run's replies
    tokens_by_stage: dict = field(default_factory=dict)  # stage label -> Counter
    # (stage label, task) -> Counter; a request two tasks share counts for each
    tokens_by_stage_task: dict = field(default_factory=dict)

    def add_tokens(self, counts: Counter, stage: str) -> None:
        self.tokens.update(counts)
        self.tokens_by_stage.setdefault(stage, Counter()).update(counts)

    def to_dict(self) -> dict:
        return {
            "model_calls": dict(self.calls),
            "requests": self.requests,
            "cache_hits": self.cache_hits,
            "duplicates": self.duplicates,
            "stages": self.stages,
            "model_seconds": round(self.model_seconds, 3),
            "sent": self.sent,
            "retries": self.retries,
            "failed": self.failed,
            "unsent": self.unsent,
            **({"api_tokens": self.api_tokens()} if self.tokens else {}),
        }

    def api_tokens(self) -> dict:
        """Prompt, completion and reasoning tokens the API reported, in all and per stage and task."""
        return {
            "total": dict(self.tokens),
            "by_stage": {k: dict(v) for k, v in self.tokens_by_stage.items()},
            "by_task": {k: dict(v) for k, v in sorted(self.tokens_by_task().items())},
        }

    def tokens_by_task(self) -> dict[str, Counter]:
        by_task: dict[str, Counter] = {}
        for (_, task), counts in self.tokens_by_stage_task.items():
            by_task.setdefault(task, Counter()).update(counts)
        return by_task


def cost_of(tokens: dict, prices: tuple[float, float]) -> float:
    """USD for prompt and completion tokens at IN,OUT dollars per million."""
    return tokens.get("prompt", 0) * prices[0] / 1e6 + tokens.get("completion", 0) * prices[1] / 1e6
