"""The providers' batch APIs through their official SDKs: OpenAI's Batch API (a JSONL file of
requests, uploaded, then a batch over it) and Anthropic's Message Batches. Both answer with the
same reply bodies their live endpoints return, so the backend's parsing reads them unchanged.

``base_url`` is the live endpoint lm-eval was given (``.../v1/chat/completions``,
``.../v1/messages``); the SDK client is pointed at the server it belongs to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlparse

from faithbench.api.errors import ModelError, UserError

ENDED = {"completed", "failed", "expired", "cancelled", "ended"}


@dataclass
class Outcome:
    """What a finished batch gave: reply bodies by custom id, and why the others have none."""

    replies: dict[str, dict] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def _sdk(name: str):
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        raise UserError(f"--batch-api needs the {name} package: pip install {name}") from None


class OpenAIBatches:
    name = "openai"
    key_env = "OPENAI_API_KEY"
    max_requests = 50_000  # per batch file (OpenAI's documented limits)
    max_bytes = 200 * 1024 * 1024

    def __init__(self, base_url: str, api_key: str | None):
        parsed = urlparse(base_url)
        self.path = parsed.path  # e.g. /v1/chat/completions: the batch's endpoint
        root = base_url[: base_url.index(parsed.path)] if parsed.path else base_url
        prefix = parsed.path.split("/")[1] if parsed.path.count("/") > 1 else "v1"
        self.client = _sdk("openai").OpenAI(api_key=api_key or "none", base_url=f"{root}/{prefix}")

    def line(self, custom_id: str, body: dict) -> bytes:
        return json.dumps({"custom_id": custom_id, "method": "POST", "url": self.path, "body": body}).encode()

    def submit(self, items: list[tuple[str, dict]], local_id: str) -> str:
        data = b"\n".join(self.line(cid, body) for cid, body in items) + b"\n"
        uploaded = self.client.files.create(file=("faithbench-batch.jsonl", data), purpose="batch")
        batch = self.client.batches.create(
            input_file_id=uploaded.id,
            endpoint=self.path,
            completion_window="24h",
            metadata={"faithbench": local_id},
        )
        return batch.id

    def find(self, local_id: str) -> str | None:
        """The batch submitted under ``local_id`` (its metadata says so), if the provider has it."""
        for batch in self.client.batches.list(limit=100):
            if (batch.metadata or {}).get("faithbench") == local_id:
                return batch.id
        return None

    def state(self, batch_id: str) -> str:
        return str(self.client.batches.retrieve(batch_id).status)

    def outcome(self, batch_id: str, custom_ids: list[str]) -> Outcome:
        batch = self.client.batches.retrieve(batch_id)
        out = Outcome()
        for file_id in (batch.output_file_id, batch.error_file_id):
            if not file_id:
                continue
            read_result_lines(self.client.files.content(file_id).text, out)
        for cid in custom_ids:
            if cid not in out.replies and cid not in out.failed:
                out.failed[cid] = f"no answer in the batch (batch {batch.status})"
        return out

    def cancel(self, batch_id: str) -> None:
        self.client.batches.cancel(batch_id)


def read_result_lines(text: str, out: Outcome) -> None:
    """An OpenAI batch result file into ``out``. A line that is not JSON, not an object or names
    no custom id answers nothing (its request is then reported as unanswered, never a traceback)."""
    for line in text.splitlines():
        try:
            row = json.loads(line) if line.strip() else None
        except ValueError:
            continue
        cid = row.get("custom_id") if isinstance(row, dict) else None
        if not isinstance(cid, str):
            continue
        response = row.get("response") if isinstance(row.get("response"), dict) else {}
        body = response.get("body")
        if response.get("status_code") == 200 and isinstance(body, dict):
            out.replies[cid] = body
            continue
        error = row.get("error") or (body.get("error") if isinstance(body, dict) else body) or "no reply"
        message = error.get("message") if isinstance(error, dict) else error
        out.failed[cid] = str(message or error)[:500]


class AnthropicBatches:
    name = "anthropic"
    key_env = "ANTHROPIC_API_KEY"
    max_requests = 100_000  # per batch (Anthropic's documented limits)
    max_bytes = 256 * 1024 * 1024

    def __init__(self, base_url: str, api_key: str | None):
        parsed = urlparse(base_url)
        root = base_url[: base_url.index(parsed.path)] if parsed.path else base_url
        self.client = _sdk("anthropic").Anthropic(api_key=api_key or "none", base_url=root)

    def line(self, custom_id: str, body: dict) -> bytes:
        return json.dumps({"custom_id": custom_id, "params": body}).encode()

    def submit(self, items: list[tuple[str, dict]], local_id: str) -> str:
        requests = [{"custom_id": cid, "params": body} for cid, body in items]
        return self.client.messages.batches.create(requests=requests).id

    def find(self, local_id: str) -> str | None:
        """Message batches carry no metadata to find one by: a batch whose acceptance was never
        recorded counts as not submitted (its requests go out again)."""
        return None

    def state(self, batch_id: str) -> str:
        return str(self.client.messages.batches.retrieve(batch_id).processing_status)

    def outcome(self, batch_id: str, custom_ids: list[str]) -> Outcome:
        out = Outcome()
        for entry in self.client.messages.batches.results(batch_id):
            result = entry.result
            if result.type == "succeeded":
                out.replies[entry.custom_id] = result.message.model_dump(mode="json")
            else:
                error = getattr(result, "error", None)
                out.failed[entry.custom_id] = f"{result.type}" + (f": {error}" if error else "")
        for cid in custom_ids:
            if cid not in out.replies and cid not in out.failed:
                out.failed[cid] = "no answer in the batch"
        return out

    def cancel(self, batch_id: str) -> None:
        self.client.messages.batches.cancel(batch_id)


def request_body(lm, context, gen_kwargs: dict) -> dict:
    """A request's body in a batch: the body its live request sends, built by the backend
    (faithbench's API backends, whose replies also carry their usage and thinking)."""
    from faithbench.models.api import is_faithbench_backend

    if not is_faithbench_backend(type(lm)):
        raise UserError("--batch-api works with the OpenAI-compatible and Anthropic API backends only")
    return lm.request_body(context, gen_kwargs)


def provider_for(lm) -> OpenAIBatches | AnthropicBatches:
    """The batch API of an lm-eval API backend: Anthropic's for anthropic-chat, OpenAI's for the
    OpenAI-compatible ones; any other backend has none."""
    from faithbench.models.api import is_anthropic, is_faithbench_backend

    base_url = getattr(lm, "base_url", None)
    if not base_url or not is_faithbench_backend(type(lm)):
        raise UserError("--batch-api works with the OpenAI-compatible and Anthropic API backends only")
    key = getattr(lm, "api_key", None)
    try:
        return (AnthropicBatches if is_anthropic(lm) else OpenAIBatches)(str(base_url), key)
    except UserError:
        raise
    except Exception as exc:
        raise ModelError(f"cannot set up the batch API client: {type(exc).__name__}: {exc}") from None


PROVIDERS = {cls.name: cls for cls in (OpenAIBatches, AnthropicBatches)}  # as the store names them
