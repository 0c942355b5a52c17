"""The multi-stage runner: advances every sample's plan in lockstep, one stage at a time.

Each stage gathers the requests of all pending samples across all tasks, renders them, removes
duplicates (the same prompt asked by two tasks is sent once) and hands the unique ones to the
dispatcher (cache, then model). A sample advances as soon as all of its own requests are
answered, so finished records reach the live samples log mid-stage.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from faithbench.api.record import Record
from faithbench.api.requests import Generate, LogLikelihood, Request, Response
from faithbench.api.task import Sample
from faithbench.models.client import ModelClient
from faithbench.runner.batches.dispatch import BatchDispatcher, BatchMode
from faithbench.runner.cache import ResponseCache
from faithbench.runner.dispatch import Dispatcher, Pending
from faithbench.runner.usage import Usage


def as_requests(value) -> list[Request]:
    """What a plan yielded, as a list: one request may be yielded alone."""
    return [value] if isinstance(value, (Generate, LogLikelihood)) else list(value)


@dataclass
class SampleRun:
    sample: Sample
    gen: object = None
    pending: list[Request] | None = None
    record: Record | None = None
    error: str | None = None
    keys: list[str] = field(default_factory=list)  # cache keys of ``pending``
    outstanding: int = 0  # of those keys, how many are not answered yet
    truncated: bool = False  # a prompt of this sample did not fit the model's context


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
        batch: BatchMode | None = None,
        dispatcher: type[Dispatcher] = Dispatcher,
    ):
        """``dispatcher`` answers each stage's unique requests (the dry run's rehearsal gives its
        own); ``batch`` sends them through a provider's batch API instead."""
        self.client = client
        self.usage = Usage()
        self.on_record = on_record  # called with each finished record: the live samples log
        extra = {"mode": batch} if batch is not None else {}
        self.dispatcher = (BatchDispatcher if batch is not None else dispatcher)(
            client,
            cache,
            self.usage,
            gen_overrides,
            chunk_size=chunk_size,
            progress=progress,
            max_concurrency=max_concurrency,
            max_requests=max_requests,
            max_retries=max_retries,
            retry_backoff=retry_backoff,
            **extra,
        )

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

    def ask(self, requests: list[Request], label: str = "judge") -> list[Response]:
        """Answer a flat list of requests (judges, post-processing passes): deduplicated and cached."""
        prepared = [self.dispatcher.prepare(r) for r in requests]
        unique = {p.key: p for p in prepared}
        self.usage.requests += len(prepared)
        self.usage.duplicates += len(prepared) - len(unique)
        answers: dict[str, Response] = {}
        self.dispatcher.fetch(unique, answers, lambda keys: None, label)
        self.dispatcher.fresh_tokens.clear()
        return [answers[p.key] for p in prepared]

    def _advance(self, run: SampleRun, responses: list[Response] | None) -> None:
        try:
            requests = run.gen.send(responses)  # type: ignore[union-attr]
        except StopIteration as stop:
            run.pending = None
            run.record = self._finish(run.sample, stop.value or {}, run.truncated)
            if self.on_record:
                self.on_record(run.record)
            return
        run.pending = as_requests(requests)

    def _fail(self, run: SampleRun, exc: Exception) -> None:
        run.pending = None
        run.error = f"{type(exc).__name__}: {exc}"
        run.record = self._finish(run.sample, {"error": f"plan failed: {run.error}", "answer": None})
        if self.on_record:
            self.on_record(run.record)

    def _resume(self, run: SampleRun, responses: list[Response]) -> None:
        run.truncated = run.truncated or any(r.truncated for r in responses)
        try:
            self._advance(run, responses)
        except Exception as exc:
            self._fail(run, exc)

    @staticmethod
    def _finish(sample: Sample, returned: Mapping, truncated: bool = False) -> Record:
        """The sample's record: a Record the plan returned, or one made of the dict it returned
        with the sample's identity filled in where the plan left it out. A value that cannot be a
        record's (not JSON, a field of the wrong type) fails the plan, as any plan error does."""
        if isinstance(returned, Record):
            record = returned
            if not record.same_sample(Record.for_sample(sample, {})):
                raise ValueError("the plan returned a record of another sample (Record.for_sample makes one)")
        elif isinstance(returned, Mapping):
            record = Record.for_sample(sample, returned)
        else:
            raise TypeError(f"the plan returned a {type(returned).__name__}, not a dict or a Record")
        return replace(record, truncated_prompt=True) if truncated else record

    def _round(self, active: list[SampleRun]) -> None:
        """Answer every pending request once."""
        unique: dict[str, Pending] = {}
        waiting: dict[str, list[SampleRun]] = {}
        for run in active:
            run.keys = []
            for request in run.pending or []:
                prepared = self.dispatcher.prepare(request)
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

        tasks_of = {key: {run.sample.task.name for run in runs} for key, runs in waiting.items()}
        for run in active:
            if not run.keys:  # a plan that yielded an empty list
                self._resume(run, [])
        label = f"stage {self.usage.stages}"
        self.dispatcher.fetch(unique, answers, settle, label)
        for key, tokens in self.dispatcher.fresh_tokens.items():
            for task in tasks_of.get(key, ()):
                self.usage.tokens_by_stage_task.setdefault((label, task), Counter()).update(tokens)
        self.dispatcher.fresh_tokens.clear()
