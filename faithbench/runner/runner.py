"""The multi-stage runner: advances every sample's plan in lockstep, one stage at a time.

Each stage gathers the requests of all pending samples across all tasks, renders them, removes
duplicates, answers what the cache already holds, and sends the rest to the model in chunks
sorted so that requests sharing a prefix are adjacent (KV-cache reuse on local backends) and
grouped by gen_kwargs (API backends apply one batch's first kwargs to all of it). Each answered
chunk is committed to the cache before the next is sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from tqdm.auto import tqdm

from faithbench.api.errors import ModelError
from faithbench.api.requests import Generate, LogLikelihood, Request, Response
from faithbench.api.task import Sample
from faithbench.models import ModelClient
from faithbench.runner.cache import ResponseCache, request_key
from faithbench.runner.faults import EMPTY_MARKERS, Failure, backoff, classify


@dataclass
class SampleRun:
    sample: Sample
    gen: object = None
    pending: list[Request] | None = None
    record: dict | None = None
    error: str | None = None
    keys: list[str] = field(default_factory=list)  # cache keys of ``pending``
    outstanding: int = 0  # of those keys, how many are not answered yet


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
        }


@dataclass
class _Pending:
    key: str
    kind: str
    context: object
    params: object


class Runner:
    def __init__(
        self,
        client: ModelClient,
        cache: ResponseCache,
        gen_overrides: dict | None = None,
        chunk_size: int = 8,
        progress: bool = True,
        on_record=None,
        max_concurrency: int = 1,
        max_requests: int | None = None,
        max_retries: int = 3,
        retry_backoff: float = 1.0,
    ):
        self.client = client
        self.cache = cache
        self.gen_overrides = gen_overrides or {}
        self.chunk_size = max(1, chunk_size)
        self.progress = progress
        self.usage = Usage()
        self.on_record = on_record  # called with each finished record: the live samples log
        self.max_concurrency = max(1, max_concurrency)
        self.max_requests = max_requests  # model requests this run may send (attempts count)
        self.max_retries = max(0, max_retries)
        self.retry_backoff = retry_backoff
        self._lock = threading.Lock()

    # -- plan driving ---------------------------------------------------------------------------
    def run(self, samples: list[Sample]) -> list[SampleRun]:
        runs = [SampleRun(s) for s in samples]
        for run in runs:
            try:
                run.gen = run.sample.task.plan(run.sample)
                self._advance(run, None)
            except Exception as exc:
                self._fail(run, exc)
        while True:
            active = [r for r in runs if r.pending is not None]
            if not active:
                return runs
            self.usage.stages += 1
            self._round(active)

    def _advance(self, run: SampleRun, responses: list[Response] | None) -> None:
        try:
            requests = run.gen.send(responses)  # type: ignore[union-attr]
        except StopIteration as stop:
            run.pending = None
            run.record = self._finish(run.sample, stop.value or {})
            if self.on_record:
                self.on_record(run.record)
            return
        if isinstance(requests, (Generate, LogLikelihood)):
            requests = [requests]
        run.pending = list(requests)

    def _fail(self, run: SampleRun, exc: Exception) -> None:
        run.pending = None
        run.error = f"{type(exc).__name__}: {exc}"
        run.record = self._finish(run.sample, {"error": f"plan failed: {run.error}", "answer": None})
        if self.on_record:
            self.on_record(run.record)

    @staticmethod
    def _finish(sample: Sample, record: dict) -> dict:
        record = dict(record)
        record.setdefault("task", sample.task.name)
        record.setdefault("item_id", sample.item.id)
        record.setdefault("condition", sample.condition.name)
        record.setdefault("condition_kind", sample.condition.kind)
        record.setdefault("gold", sample.item.gold)
        record.setdefault("target", sample.item.cue_target)
        record.setdefault("n_options", len(sample.item.options))
        return record

    # -- one stage ------------------------------------------------------------------------------
    def _prepare(self, request: Request) -> _Pending:
        context = self.client.render(request.prompt)
        if isinstance(request, Generate):
            params: object = request.gen_kwargs(self.gen_overrides)
        else:
            params = request.continuation
        key = request_key(self.client.identity, request.kind, context, params)
        return _Pending(key, request.kind, context, params)

    def _round(self, active: list[SampleRun]) -> None:
        """Answer every pending request once; a sample advances as soon as all of its own
        requests are answered (so finished records reach the live samples log mid-stage)."""
        unique: dict[str, _Pending] = {}
        waiting: dict[str, list[SampleRun]] = {}
        for run in active:
            run.keys = []
            for request in run.pending or []:
                prepared = self._prepare(request)
                run.keys.append(prepared.key)
                self.usage.requests += 1
                if prepared.key in unique:
                    self.usage.duplicates += 1
                else:
                    unique[prepared.key] = prepared
            for key in set(run.keys):
                waiting.setdefault(key, []).append(run)
            run.outstanding = len(set(run.keys))
        answers: dict[str, Response] = {}

        def settle(keys) -> None:
            for key in keys:
                for run in waiting.pop(key, ()):
                    run.outstanding -= 1
                    if run.outstanding == 0:
                        self._resume(run, [answers[k] for k in run.keys])

        for run in active:
            if not run.keys:  # a plan that yielded an empty list
                self._resume(run, [])
        self._fetch(unique, answers, settle, f"stage {self.usage.stages}")

    def _fetch(self, unique: dict[str, _Pending], answers: dict[str, Response], settle, label: str) -> None:
        """Fill ``answers`` for ``unique`` from the cache, then from the model chunk by chunk,
        calling ``settle`` with the keys answered at each step."""
        stored = self.cache.get_many(list(unique))
        self.usage.cache_hits += len(stored)
        answers.update((k, _response(v)) for k, v in stored.items())
        settle(list(stored))
        misses = sorted((p for k, p in unique.items() if k not in stored), key=_locality)
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

    def ask(self, requests: list[Request], label: str = "judge") -> list[Response]:
        """Answer a flat list of requests (judges, post-processing): deduplicated and cached."""
        prepared = [self._prepare(r) for r in requests]
        unique = {p.key: p for p in prepared}
        self.usage.requests += len(prepared)
        self.usage.duplicates += len(prepared) - len(unique)
        answers: dict[str, Response] = {}
        self._fetch(unique, answers, lambda keys: None, label)
        return [answers[p.key] for p in prepared]

    def _resume(self, run: SampleRun, responses: list[Response]) -> None:
        try:
            self._advance(run, responses)
        except Exception as exc:
            self._fail(run, exc)

    def _take_budget(self, n: int) -> bool:
        with self._lock:
            if self.max_requests is not None and self.usage.sent + n > self.max_requests:
                return False
            self.usage.sent += n
            return True

    def _call_safely(self, chunk: list[_Pending]) -> dict[str, Response]:
        """Answer a chunk, retrying what failed; what still fails is answered with its reason.

        Successes are cached as they arrive, so a retry never repeats an answered request. A
        server that cannot be reached at all on any attempt stops the run (ModelError)."""
        done: dict[str, Response] = {}
        pending, last = list(chunk), None
        for attempt in range(self.max_retries + 1):
            if not self._take_budget(len(pending)):
                reason = f"not sent: request budget exhausted (--max-requests {self.max_requests})"
                done.update({p.key: Response(error=reason) for p in pending})
                return done
            try:
                got = self._call(pending)
            except ModelError as exc:
                last = classify(exc)
                if not last.retryable:
                    break
            else:
                done.update({k: r for k, r in got.items() if r.ok or r.error.startswith("unsupported")})
                pending = [p for p in pending if p.key not in done]
                if not pending:
                    return done
                last = Failure(got[pending[0].key].error or "failed")
            if attempt < self.max_retries:
                with self._lock:
                    self.usage.retries += len(pending)
                time.sleep(last.wait if last.wait is not None else backoff(attempt, self.retry_backoff))
        if last is not None and last.connection and len(done) == 0:
            raise ModelError(
                f"model '{self.client.name}' cannot be reached: {last.reason}; answers so far "
                "are cached, rerun the same command to resume"
            )
        reason = f"failed after {self.max_retries + 1} attempt(s): {last.reason if last else 'unknown'}"
        with self._lock:
            self.usage.failed += len(pending)
        done.update({p.key: Response(error=reason) for p in pending})
        return done

    def _call(self, chunk: list[_Pending]) -> dict[str, Response]:
        kind = chunk[0].kind
        started = time.perf_counter()
        if kind == "generate_until":
            texts = self.client.generate([p.context for p in chunk], dict(chunk[0].params))
            values = [{"text": t} for t in texts]
            empty = [p.key for p, t in zip(chunk, texts, strict=True) if t is None or t in EMPTY_MARKERS]
            if empty:  # a non-answer is not cached: it is retried, then reported
                kept = [(p, v) for p, v in zip(chunk, values, strict=True) if p.key not in empty]
                self._store(kind, kept, started)
                return {
                    **{p.key: _response(v) for p, v in kept},
                    **{k: Response(error="empty content") for k in empty},
                }
        else:
            try:
                pairs = self.client.loglikelihood([(p.context, p.params) for p in chunk])
            except NotImplementedError:
                return {p.key: Response(error="unsupported: model has no loglikelihood") for p in chunk}
            values = [{"logprob": float(lp), "is_greedy": bool(g)} for lp, g in pairs]
        kept = list(zip(chunk, values, strict=True))
        self._store(kind, kept, started)
        return {p.key: _response(v) for p, v in kept}

    def _store(self, kind: str, kept: list, started: float) -> None:
        with self._lock:
            self.usage.model_seconds += time.perf_counter() - started
            self.usage.calls[kind] += len(kept)
        if kept:
            self.cache.put_many([(p.key, kind, v) for p, v in kept])


def _response(value: dict) -> Response:
    return Response(
        text=value.get("text"),
        logprob=value.get("logprob"),
        is_greedy=value.get("is_greedy"),
        error=value.get("error"),
    )


def _locality(p: _Pending) -> tuple:
    """Generation requests grouped by kwargs, then by context; scoring requests by context, so
    every continuation of one context is scored while its prefix sits in the KV cache."""
    params = json.dumps(p.params, sort_keys=True, default=str)
    if p.kind == "generate_until":
        return (p.kind, params, str(p.context))
    return (p.kind, "", str(p.context), params)


def _chunks(items: list[_Pending], size: int):
    """Consecutive runs of at most ``size`` requests sharing kind and parameters."""
    chunk: list[_Pending] = []
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
