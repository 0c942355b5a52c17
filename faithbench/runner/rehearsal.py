"""The dry run's rehearsal: the whole run played through (plans, judges, side passes) with every
request the cache cannot answer counted and answered by a stand-in instead of being sent.

What a run asks after its first stage depends on the answers it gets: an answer is forced only
when a CoT states none, an intervention reads as many truncation points as the CoT has sentences,
a judge reads each channel there is. The stand-in says as little as a reply can, so that every
follow-up is asked: a chain of thought in both channels, of the whole token budget, in many
sentences, with no answer statement; an answer read after reasoning names an option (so the
passes that pair answers get their pairs); log-likelihoods where the backend has them and refused
where it has none, as a chat API refuses them (so the generation fallbacks are counted); no top
log-probabilities (so an observer falls back to sampling). For the built-in families a real
model's replies can only ask for fewer requests, so the rehearsal's counts are upper bounds.
"""

from __future__ import annotations

from collections import Counter

from faithbench.api.queries import AfterReasoning
from faithbench.api.requests import Failure, Response
from faithbench.runner.cache import as_response
from faithbench.runner.dispatch import Dispatcher, Pending

CHARS_PER_TOKEN = 4  # prompt tokens are estimated from the rendered text's length
MIN_SENTENCES = 16  # a stand-in CoT has at least this many sentences, whatever its token budget


def estimated_tokens(p: Pending) -> tuple[int, int]:
    """(prompt tokens, estimated at CHARS_PER_TOKEN; generated tokens, at most the budget)."""
    if p.kind == "loglikelihood":
        return (len(str(p.context)) + len(str(p.params))) // CHARS_PER_TOKEN + 1, 0
    return len(str(p.context)) // CHARS_PER_TOKEN + 1, int(p.params.get("max_gen_toks", 0))


def _filler(key: str, tokens: int, least: int) -> str:
    """Sentences that state no answer, unique to one request (so no later prompt built from them
    is deduplicated with another's), about ``tokens`` long and at least ``least`` of them."""
    out, length = [], 0
    while len(out) < least or length < tokens * CHARS_PER_TOKEN:
        out.append(f"Step {len(out) + 1} of {key[:12]} considered.")
        length += len(out[-1]) + 1
    return " ".join(out)


def stand_in(p: Pending, loglikelihood: bool) -> dict | None:
    """The reply that leaves every follow-up to be asked (see the module's docstring), as the
    cache stores it; None for a log-likelihood the backend cannot give."""
    if p.kind == "loglikelihood":
        return {"logprob": -1.0 - int(p.key[:6], 16) / 16**6, "is_greedy": False} if loglikelihood else None
    budget = int(p.params.get("max_gen_toks", 0))
    if isinstance(p.about, AfterReasoning):  # an answer read after (a prefix of) a reasoning
        return {"text": "A) " + _filler(p.key, budget, 0)}
    half = max(budget // 2, 1)
    return {
        "text": _filler(p.key, half, MIN_SENTENCES),
        "reasoning": _filler(p.key[::-1], half, MIN_SENTENCES),
    }


REFUSED = Response(error="unsupported: model has no loglikelihood", failure=Failure.UNSUPPORTED)


def refused_locally(dispatcher, p: Pending) -> bool:
    """A log-likelihood request the backend refuses before any network call (a chat API): the
    run neither sends nor counts it, and the plan falls back to generation at once."""
    return p.kind == "loglikelihood" and not getattr(dispatcher, "loglikelihood", True)


class Overlay:
    """The response cache as the rehearsal sees it: what the file holds, and the stand-in answers
    given so far, so a prompt asked again later in the run is a cache hit, as in a real run.
    Nothing reaches the file."""

    def __init__(self, cache):
        self.cache = cache
        self.given: dict[str, dict] = {}

    def get_many(self, keys: list[str]) -> dict:
        found = self.cache.get_many([k for k in keys if k not in self.given])
        found.update((k, self.given[k]) for k in keys if k in self.given)
        return found

    def put_many(self, items: list[tuple[str, str, dict]]) -> None:
        self.given.update((key, value) for key, _, value in items)


class RehearsalDispatcher(Dispatcher):
    """Answers from the cache (an :class:`Overlay`) like the live dispatcher; each request it
    lacks is counted (``usage`` tokens: requests, prompt, completion) and answered by the stand-in,
    never sent."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loglikelihood = self.client.supports_loglikelihood is not False and not self.client.chat_only

    def _call_safely(self, chunk: list[Pending]) -> dict[str, Response]:
        done, given = {}, []
        for p in chunk:
            value = stand_in(p, self.loglikelihood)
            if value is None:  # refused by the client: nothing reaches the model
                done[p.key] = REFUSED
                continue
            prompt, completion = estimated_tokens(p)
            counts = Counter(requests=1, prompt=prompt, completion=completion)
            self.fresh_tokens[p.key] = counts
            self.usage.add_tokens(counts, self.label)
            given.append((p.key, p.kind, value))
            done[p.key] = as_response(value)
        self.cache.put_many(given)
        return done
