"""What a task plan asks of a model. Plans yield these; the runner batches, caches and answers them."""

from __future__ import annotations

from dataclasses import dataclass, field

from faithbench.prompts import Prompt

DEFAULT_MAX_GEN_TOKS = 512  # explicit, never lm-eval's 256, which cuts chains of thought short


@dataclass(frozen=True)
class Generate:
    prompt: Prompt
    max_gen_toks: int = DEFAULT_MAX_GEN_TOKS
    until: tuple[str, ...] = ()
    temperature: float = 0.0
    sample: int = 0  # distinguishes K samples of the same prompt (cache key and sampler seed)
    extra: tuple[tuple[str, object], ...] = field(default=())

    kind = "generate_until"

    def gen_kwargs(self, overrides: dict | None = None) -> dict:
        kwargs: dict = {
            "until": list(self.until),
            "max_gen_toks": self.max_gen_toks,
            "temperature": self.temperature,
            "do_sample": self.temperature > 0,
        }
        kwargs.update(dict(self.extra))
        if overrides:
            kwargs.update(overrides)
        if self.sample:
            kwargs["seed"] = self.sample
        return kwargs


@dataclass(frozen=True)
class LogLikelihood:
    """log P(continuation | prompt): the cheap way to read an answer off a model that exposes it."""

    prompt: Prompt
    continuation: str

    kind = "loglikelihood"


Request = Generate | LogLikelihood


@dataclass(frozen=True)
class Response:
    """A model's answer to one request; ``error`` is set instead when the call failed for good."""

    text: str | None = None
    logprob: float | None = None
    is_greedy: bool | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None
