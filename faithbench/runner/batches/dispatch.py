"""The batch dispatcher: answers a stage's requests through the provider's batch API instead of
live calls. Cached answers are used first; requests already waiting in a recorded batch (an
earlier run that was killed or stopped with ``--no-wait``) are polled, never submitted again; the
rest are built exactly as the live requests are (the backend's ``request_body``), submitted in
batches within the provider's limits, recorded at once, polled with backoff and collected. Each
reply body is read by lm-eval's own parser, so the answer, its thinking and its token usage are
what a live call gives; they go into the same cache. Requests a batch left unanswered (errored,
expired, cancelled) are submitted again, up to ``--max-retries`` times.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from tqdm.auto import tqdm

from faithbench.api.errors import MalformedResponse, ModelError
from faithbench.api.requests import Failure, Response
from faithbench.models.channels import reply_of
from faithbench.runner.batches.providers import ENDED, request_body
from faithbench.runner.batches.store import SUBMITTING, BatchStore
from faithbench.runner.cache import as_response
from faithbench.runner.dispatch import Dispatcher, Pending, empty_answer

POLL_CAP = 600.0  # seconds between polls at most


class BatchesPending(Exception):
    """``--no-wait``: the stage's batches are submitted (or still running); rerun to collect."""

    def __init__(self, batches: int, requests: int):
        super().__init__(f"{batches} batch(es) with {requests} request(s) submitted or still running")
        self.batches, self.requests = batches, requests


@dataclass
class BatchMode:
    store: BatchStore
    provider: object  # OpenAIBatches | AnthropicBatches
    wait: bool = True  # False: stop once the stage's batches are submitted (--no-wait)
    poll: float = 30.0  # first wait between polls (doubles up to POLL_CAP)


class BatchDispatcher(Dispatcher):
    def __init__(self, *args, mode: BatchMode, **kwargs):
        super().__init__(*args, **kwargs)
        self.mode = mode

    def fetch(self, unique: dict[str, Pending], answers: dict[str, Response], settle, label: str) -> None:
        self.label = label
        misses = self.from_cache(unique, answers, settle)
        scored = [k for k, p in misses.items() if p.kind != "generate_until"]
        for key in scored:  # chat batch APIs return no log-likelihoods: plans fall back to generation
            answers[key] = Response(
                error="unsupported: no log-likelihoods in batch mode", failure=Failure.UNSUPPORTED
            )
        settle(scored)
        todo = {k: p for k, p in misses.items() if p.kind == "generate_until"}
        if todo:
            self._resolve_submitting()
        while todo:
            already = self.mode.store.open_for(list(todo))
            fresh = [p for k, p in todo.items() if k not in already]
            if fresh:
                unsent = self._submit(fresh, label)
                for key in unsent:  # --max-requests: left for a later run, like live requests
                    answers[key] = Response(error=self.unsent_reason(), failure=Failure.UNSENT)
                    todo.pop(key)
                settle(unsent)
            waiting = self.mode.store.open_for(list(todo))
            batch_ids = sorted({b for b, _ in waiting.values()})
            states = self._poll(batch_ids)
            if not self.mode.wait and any(s not in ENDED for s in states.values()):
                raise BatchesPending(len(batch_ids), len(waiting))
            states = self._wait(states, label)
            retry: dict[str, Pending] = {}
            for batch_id in batch_ids:
                members = {k: cid for k, (b, cid) in waiting.items() if b == batch_id}
                retry.update(self._collect(batch_id, states[batch_id], members, todo, answers))
                settle([k for k in members if k in answers])
            todo = retry

    # -- submitting ------------------------------------------------------------------------------
    def _payload(self, p: Pending) -> dict:
        return request_body(self.client.lm, p.context, p.params)

    def _resolve_submitting(self) -> None:
        """Batches recorded as about to be submitted when a run stopped: adopt the ones the
        provider has, forget the others (their requests are submitted again)."""
        for local_id in self.mode.store.submitting():
            try:
                found = self.mode.provider.find(local_id)
            except Exception as exc:
                raise ModelError(f"cannot list the provider's batches: {type(exc).__name__}: {exc}") from None
            if found:
                self.mode.store.adopt(local_id, found)
            else:
                self.mode.store.forget(local_id)

    def unsent_reason(self) -> str:
        return f"not sent: request budget exhausted (--max-requests {self.max_requests})"

    def _submit(self, fresh: list[Pending], label: str) -> list[str]:
        """Submit ``fresh`` in batches within the provider's limits and the request budget;
        returns the keys the budget left unsent."""
        provider = self.mode.provider
        chunks, chunk, size = [], [], 0
        for p in fresh:
            cid, body = "fb-" + p.key[:40], self._payload(p)
            line = provider.line(cid, body)
            if chunk and (len(chunk) >= provider.max_requests or size + len(line) > provider.max_bytes):
                chunks.append(chunk)
                chunk, size = [], 0
            chunk.append((p, cid, body))
            size += len(line) + 1
        if chunk:
            chunks.append(chunk)
        endpoint = str(getattr(self.client.lm, "base_url", ""))
        store = self.mode.store
        unsent: list[str] = []
        for part in chunks:
            if not self._take_budget(len(part)):
                unsent += [p.key for p, _, _ in part]
                with self._lock:
                    self.usage.unsent += len(part)
                continue
            local_id = f"local-{uuid.uuid4().hex}"
            members = [(p.key, cid) for p, cid, _ in part]
            store.record(local_id, provider.name, endpoint, self.client.name, label, members, SUBMITTING)
            try:
                batch_id = provider.submit([(cid, body) for _, cid, body in part], local_id)
            except Exception as exc:
                store.forget(local_id)
                raise ModelError(
                    f"the batch API refused a batch: {type(exc).__name__}: {str(exc)[:300]}"
                ) from None
            store.adopt(local_id, batch_id)
        return unsent

    # -- waiting and collecting ------------------------------------------------------------------
    def _poll(self, batch_ids) -> dict[str, str]:
        """One poll of each batch: its provider state."""
        states = {}
        for batch_id in sorted(batch_ids):
            try:
                states[batch_id] = str(self.mode.provider.state(batch_id))
            except Exception as exc:
                raise ModelError(
                    f"cannot poll batch {batch_id}: {type(exc).__name__}: {str(exc)[:200]}; it is "
                    "recorded, rerun the same command to resume polling"
                ) from None
        return states

    def _wait(self, states: dict[str, str], label: str) -> dict[str, str]:
        """Poll, with backoff, until every batch has ended; returns their final states."""
        states, delay = dict(states), self.mode.poll
        running = [b for b, s in states.items() if s not in ENDED]
        bar = tqdm(
            total=len(states),
            initial=len(states) - len(running),
            desc=f"{label} batches",
            unit="batch",
            disable=not self.progress,
            leave=False,
        )
        try:
            while running:
                time.sleep(delay)
                delay = min(delay * 2, POLL_CAP)
                polled = self._poll(running)
                states.update(polled)
                running = [b for b, s in polled.items() if s not in ENDED]
                bar.update(len(polled) - len(running))
        finally:
            bar.close()
        return states

    def _collect(
        self, batch_id: str, state: str, members: dict[str, str], todo: dict, answers: dict
    ) -> dict[str, Pending]:
        """Store the batch's answers; returns the requests to submit again."""
        started = time.perf_counter()
        outcome = self.mode.provider.outcome(batch_id, list(members.values()))
        kept, retry, tokens, failed = [], {}, {}, 0
        for key, cid in members.items():
            p = todo[key]
            body, reason = outcome.replies.get(cid), outcome.failed.get(cid, "no answer")
            value = None
            if body is not None:
                try:
                    value, usage = self._read(p, body)
                    for name, n in usage.items():
                        tokens[name] = tokens.get(name, 0) + n
                except MalformedResponse as exc:
                    reason = str(exc)
                if value is not None and empty_answer(value):
                    value, reason = None, "empty content"
            if value is not None:
                kept.append((p, value))
                answers[key] = as_response(value)
                continue
            failed += 1
            attempts = self.mode.store.attempts(key)
            if attempts <= self.max_retries:
                retry[key] = p
            else:
                answers[key] = Response(
                    error=f"failed in {attempts} batch(es): {reason}", failure=Failure.FAILED
                )
                with self._lock:
                    self.usage.failed += 1
        self._store("generate_until", kept, started)
        self.mode.store.collected(batch_id, state, len(kept), failed, tokens)
        with self._lock:
            self.usage.retries += len(retry)
        return retry

    def _read(self, p: Pending, body: dict):
        """A reply body read as lm-eval reads a live one: its text, thinking and usage."""
        texts = self.client.lm.parse_generations(outputs=body, contexts=[p.context])
        reply = reply_of(texts[0]) if texts else None
        if reply is not None:
            self._count_tokens([p], [reply.usage])
        return self._channels(texts[0] if texts else None, reply), dict(reply.usage) if reply else {}
