"""What a task plan asks of a model. Plans yield these; the runner batches, caches and answers them.

``about`` says, as a typed value, what a request is for (see :mod:`faithbench.api.queries`). Real
models never see it; synthetic models with planted behaviour act on it instead of recognising
prompts by their wording. It is not part of the cache key: the rendered prompt is.

``stop_after`` says where a plan needs no more of a generation: a regular expression whose first
match ends it, the match kept (unlike ``until``, whose stop string is dropped: here the answer is
in it). Only backends that stop mid-reply (``honours_stop_after``: the embedded model, the fakes)
are sent it, and for them it is part of the cache key; API models ignore it and read on to
``max_gen_toks`` (the answer is extracted either way).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from faithbench.api.prompts import Prompt

DEFAULT_MAX_GEN_TOKS = 512  # explicit, never lm-eval's 256, which cuts chains of thought short


@dataclass(frozen=True)
class Generate:
    prompt: Prompt
    max_gen_toks: int = DEFAULT_MAX_GEN_TOKS
    until: tuple[str, ...] = ()
    temperature: float = 0.0
    sample: int = 0  # distinguishes K samples of the same prompt (cache key and sampler seed)
    extra: tuple[tuple[str, object], ...] = field(default=())
    about: object = field(default=None, compare=False)
    stop_after: str | None = None  # a regex: the text is complete at its first match's end

    kind = "generate_until"

    def gen_kwargs(self, overrides: dict | None = None, stops: bool = False) -> dict:
        """The request's lm-eval generation kwargs; ``stop_after`` among them only where the
        backend ``stops`` at it (others would send it on to an API or refuse it)."""
        kwargs: dict = {
            "until": list(self.until),
            "max_gen_toks": self.max_gen_toks,
            "temperature": self.temperature,
            "do_sample": self.temperature > 0,
        }
        if stops and self.stop_after:
            kwargs["stop_after"] = self.stop_after
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
    about: object = field(default=None, compare=False)

    kind = "loglikelihood"


Request = Generate | LogLikelihood


class Failure(str, Enum):
    """Why a request has no answer."""

    FAILED = "failed"  # the model call failed after every retry
    UNSENT = "unsent"  # never sent: the run's request budget was spent
    UNSUPPORTED = "unsupported"  # the backend cannot answer this kind (no log-likelihoods)


@dataclass(frozen=True)
class Response:
    """A model's answer to one request; ``error`` (with its ``failure`` kind) is set instead when
    there is no answer."""

    text: str | None = None
    logprob: float | None = None
    is_greedy: bool | None = None
    error: str | None = None
    failure: Failure | None = None
    truncated: bool = False  # the backend cut the prompt's start to fit its context window
    reasoning: str | None = None  # the thinking channel of a reasoning model (``text`` is the answer)
    reasoning_redacted: bool = False  # the provider returned the thinking redacted or encrypted
    top_logprobs: dict | None = None  # the first token's alternatives {token: logprob}, where returned

    @property
    def ok(self) -> bool:
        return self.error is None
