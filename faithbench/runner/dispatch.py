"""Answering a set of unique requests: from the cache first, then from the model in chunks sorted
so that requests sharing a prefix are adjacent (KV-cache reuse on local backends) and grouped by
gen_kwargs (API backends apply one batch's first kwargs to all of it), with retries. Each answered
chunk is committed to the cache before the next is sent."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from tqdm.auto import tqdm

from faithbench.api.errors import ModelError
from faithbench.api.requests import Failure, Generate, Request, Response
from faithbench.models.channels import reply_of, split_text
from faithbench.models.client import ModelClient
from faithbench.runner.cache import ResponseCache, as_response, request_key
from faithbench.runner.faults import EMPTY_MARKERS, MAX_RETRY_AFTER, Cause, Fault, backoff, classify
from faithbench.runner.usage import Usage


@dataclass
class Pending:
    """A request rendered for the model: its cache key, kind, context, parameters and purpose."""

    key: str
    kind: str
    context: object
    params: object
    about: object = None


class Dispatcher:
    def __init__(
        self,
        client: ModelClient,
        cache: ResponseCache,
        usage: Usage,
        gen_overrides: dict | None = None,
        chunk_size: int = 8,
        progress: bool = True,
        max_concurrency: int = 1,
        max_requests: int | None = None,
        max_retries: int = 3,
        retry_backoff: float = 1.0,
    ):
        self.client = client
        self.cache = cache
        self.usage = usage
        self.gen_overrides = gen_overrides or {}
        self.chunk_size = max(1, chunk_size)
        self.progress = progress
        self.max_concurrency = max(1, max_concurrency)
        self.max_requests = max_requests  # model requests this run may send (attempts count)
        self.max_retries = max(0, max_retries)
        self.retry_backoff = retry_backoff
        self._lock = threading.Lock()
        self.label = ""  # the stage being answered, for token accounting
        self.fresh_tokens: dict[str, Counter] = {}  # key -> tokens its reply cost in this run

    def prepare(self, request: Request) -> Pending:
        context = self.client.render(request.prompt)
        if isinstance(request, Generate):
            params: object = request.gen_kwargs(self.gen_overrides, self.client.stops_after)
        else:
            params = request.continuation
        key = request_key(self.client.identity, request.kind, context, params)
        return Pending(key, request.kind, context, params, request.about)

    def fetch(self, unique: dict[str, Pending], answers: dict[str, Response], settle, label: str) -> None:
        """Fill ``answers`` for ``unique`` from the cache, then from the model chunk by chunk,
        calling ``settle`` with the keys answered at each step."""
        self.label = label
        misses = sorted(self.from_cache(unique, answers, settle).values(), key=_locality)
        bar = tqdm(
            total=len(misses), desc=label, unit="req", disable=not self.progress or not misses, leave=False
        )
        try:
            chunks = list(_chunks(misses, self.chunk_size))
            if self.max_concurrency <= 1 or len(chunks) <= 1:
                for chunk in chunks:
                    got = self._call_safely(chunk)
                    answers.update(got)
                    settle(list(got))
                    bar.update(len(chunk))
            else:
                with ThreadPoolExecutor(self.max_concurrency) as pool:
                    futures = [pool.submit(self._call_safely, chunk) for chunk in chunks]
                    try:
                        for future in as_completed(futures):
                            got = future.result()
                            answers.update(got)
                            settle(list(got))  # plans advance in this thread only
                            bar.update(len(got))
                    except BaseException:
                        for f in futures:
                            f.cancel()
                        raise
        finally:
            bar.close()

    def from_cache(self, unique: dict[str, Pending], answers: dict[str, Response], settle) -> dict:
        """Answer what the cache holds (settling it); returns the requests it does not."""
        stored = self.cache.get_many(list(unique))
        self.usage.cache_hits += len(stored)
        answers.update((k, as_response(v)) for k, v in stored.items())
        settle(list(stored))
        return {k: p for k, p in unique.items() if k not in stored}

    def _take_budget(self, n: int) -> bool:
        with self._lock:
            if self.max_requests is not None and self.usage.sent + n > self.max_requests:
                return False
            self.usage.sent += n
            return True

    def _call_safely(self, chunk: list[Pending]) -> dict[str, Response]:
        """Answer a chunk, retrying what failed; what still fails is answered with its reason.

        Successes are cached as they arrive, so a retry never repeats an answered request. A
        server that cannot be reached at all on any attempt stops the run (ModelError)."""
        client = self.client
        if chunk[0].kind == "loglikelihood" and (
            getattr(client, "chat_only", False) or getattr(client, "supports_loglikelihood", None) is False
        ):  # a chat API refuses these before any network call: never sent, no budget taken
            client.supports_loglikelihood = False  # as the client records a refusal (results' model block)
            reason = "unsupported: model has no loglikelihood"
            return {p.key: Response(error=reason, failure=Failure.UNSUPPORTED) for p in chunk}
        done: dict[str, Response] = {}
        pending, last = list(chunk), None
        for attempt in range(self.max_retries + 1):
            if not self._take_budget(len(pending)):
                reason = f"not sent: request budget exhausted (--max-requests {self.max_requests})"
                with self._lock:
                    self.usage.unsent += len(pending)
                done.update({p.key: Response(error=reason, failure=Failure.UNSENT) for p in pending})
                return done
            try:
                got = self._call(pending)
            except ModelError as exc:
                last = classify(exc)
                if not last.retryable:
                    break
            else:
                done.update({k: r for k, r in got.items() if r.failure is not Failure.FAILED})
                pending = [p for p in pending if p.key not in done]
                if not pending:
                    return done
                last = Fault(got[pending[0].key].error or "failed")
            if last.wait is not None and last.wait > MAX_RETRY_AFTER:
                last = Fault(
                    f"{last.reason}: the server asked to wait {last.wait:.0f} s, over the "
                    f"{MAX_RETRY_AFTER:.0f} s faithbench waits",
                    Cause.REFUSED,
                )
                break
            if attempt < self.max_retries:
                with self._lock:
                    self.usage.retries += len(pending)
                time.sleep(last.wait if last.wait is not None else backoff(attempt, self.retry_backoff))
        self._stop_if_hopeless(last, done)
        attempts = attempt + 1
        reason = f"failed after {attempts} attempt(s): {last.reason if last else 'unknown'}"
        with self._lock:
            self.usage.failed += len(pending)
        done.update({p.key: Response(error=reason, failure=Failure.FAILED) for p in pending})
        return done

    def _stop_if_hopeless(self, last: Fault | None, done: dict) -> None:
        """Stop the run (exit 3) when no further request can succeed: a configuration error, a
        server that cannot be reached, or client code that fails before anything succeeded."""
        if last is None:
            return
        name = self.client.name
        resume = "answers so far are cached, rerun the same command to resume"
        if last.cause is Cause.CONFIGURATION:
            raise ModelError(
                f"model '{name}' refused the request: {last.reason}; check the model name and key"
            )
        if last.connection and not done:
            raise ModelError(f"model '{name}' cannot be reached: {last.reason}; {resume}")
        if last.cause is Cause.CODE and not done and not self.usage.calls:
            raise ModelError(f"model '{name}' failed before answering anything: {last.reason}")

    def _call(self, chunk: list[Pending]) -> dict[str, Response]:
        kind = chunk[0].kind
        about = [p.about for p in chunk]
        started = time.perf_counter()
        if kind == "generate_until":
            texts = self.client.generate([p.context for p in chunk], dict(chunk[0].params), about)
            replies = self._replies(chunk, texts)
            values = [self._channels(t, r) for t, r in zip(texts, replies, strict=True)]
            # a non-answer is not cached: it is retried, then reported (a thinking with no answer
            # is an answer: the model was cut off while thinking, which is measured, not retried)
            empty = [p.key for p, v in zip(chunk, values, strict=True) if empty_answer(v)]
            if empty:
                kept = [(p, v) for p, v in zip(chunk, values, strict=True) if p.key not in empty]
                self._store(kind, kept, started)
                return {
                    **{p.key: as_response(v) for p, v in kept},
                    **{k: Response(error="empty content", failure=Failure.FAILED) for k in empty},
                }
        else:
            try:
                pairs = self.client.loglikelihood([(p.context, p.params) for p in chunk], about)
            except NotImplementedError:  # refused by the client, nothing sent: no budget spent
                with self._lock:
                    self.usage.sent -= len(chunk)
                reason = "unsupported: model has no loglikelihood"
                return {p.key: Response(error=reason, failure=Failure.UNSUPPORTED) for p in chunk}
            self._replies(chunk, pairs)
            values = [{"logprob": float(lp), "is_greedy": bool(g)} for lp, g in pairs]
        for p, v in zip(chunk, values, strict=True):
            if self.client.was_truncated(p.context):
                v["truncated"] = True
        kept = list(zip(chunk, values, strict=True))
        self._store(kind, kept, started)
        return {p.key: as_response(v) for p, v in kept}

    def _channels(self, text: str | None, reply) -> dict:
        """The answer and the thinking of one generation: an API's reasoning field, else tags in
        the text (``--think-tags``)."""
        thinking, answer = split_text(text, self.client.think_tags)
        value: dict = {"text": answer}
        if reply is not None and reply.reasoning:
            thinking = reply.reasoning
        if thinking is not None:
            value["reasoning"] = thinking
        if reply is not None and reply.redacted:
            value["reasoning_redacted"] = True
        if reply is not None and reply.top_logprobs:
            value["top_logprobs"] = reply.top_logprobs
        return value

    def _replies(self, chunk: list[Pending], answers: list) -> list:
        """Each request's reply details (thinking, token usage), carried by its answer where the
        backend attaches them (faithbench's API backends); their token usage is counted."""
        replies = [reply_of(a) for a in answers]
        if any(r is not None for r in replies):
            self._count_tokens(chunk, [r.usage if r is not None else Counter() for r in replies])
        return replies

    def _count_tokens(self, chunk: list[Pending], usages: list[Counter]) -> None:
        if len(usages) == len(chunk):
            shares = usages
        else:
            total = sum(usages, Counter())
            shares = [Counter() for _ in chunk]
            for name, count in total.items():
                base, extra = divmod(count, len(chunk))
                for i, share in enumerate(shares):
                    share[name] = base + (1 if i < extra else 0)
        with self._lock:
            for p, share in zip(chunk, shares, strict=True):
                self.fresh_tokens[p.key] = self.fresh_tokens.get(p.key, Counter()) + share
                self.usage.add_tokens(share, self.label)

    def _store(self, kind: str, kept: list, started: float) -> None:
        with self._lock:
            self.usage.model_seconds += time.perf_counter() - started
            self.usage.calls[kind] += len(kept)
        if kept:
            self.cache.put_many([(p.key, kind, v) for p, v in kept])


def empty_answer(value: dict) -> bool:
    """A generation with no answer and no thinking: retried, never cached."""
    return (value["text"] is None or value["text"] in EMPTY_MARKERS) and not value.get("reasoning")


def _locality(p: Pending) -> tuple:
    """Generation requests grouped by kwargs, then by context; scoring requests by context, so
    every continuation of one context is scored while its prefix sits in the KV cache."""
    params = json.dumps(p.params, sort_keys=True, default=str)
    if p.kind == "generate_until":
        return (p.kind, params, str(p.context))
    return (p.kind, "", str(p.context), params)


def _chunks(items: list[Pending], size: int):
    """Consecutive runs of at most ``size`` requests sharing kind and parameters."""
    chunk: list[Pending] = []
    for item in items:
        if chunk and (
            len(chunk) >= size
            or item.kind != chunk[0].kind
            or item.params != chunk[0].params
            and item.kind == "generate_until"
        ):
            yield chunk
            chunk = []
        chunk.append(item)
    if chunk:
        yield chunk
