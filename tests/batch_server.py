"""A local server emulating a provider's live endpoint and its batch API, for the batch-mode tests:
OpenAI's (``/v1/chat/completions``; ``/v1/files`` upload, ``/v1/batches`` create / retrieve /
cancel with status transitions, ``/v1/files/{id}/content``) or Anthropic's (``/v1/messages``;
``/v1/messages/batches`` create / retrieve / results / cancel). Live and batch answers come from
the same fake model, so a batch run must give a live run's results.

Faults, deterministic per request: ``expire_first`` lets each request's first batch expire before
answering it, ``error_first`` answers it with an error the first time. ``submitted`` counts how
often each request was put in a batch; ``polls`` is how many polls a batch takes to end.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler

from local_server import LocalServer

from faithbench.testing.fake import FakeLM


class FakeBatchServer(LocalServer):
    def __init__(self, provider: str = "openai", polls: int = 2, expire_first=False, error_first=False):
        self.provider = provider
        self.polls, self.expire_first, self.error_first = polls, expire_first, error_first
        self.lock = threading.Lock()
        self.brain = FakeLM(bias=1.0, verbalize=0.0)
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict] = {}
        self.submitted: Counter = Counter()  # custom id -> batches it was put in
        self.live = 0  # live requests answered
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def send(self, status: int, payload=None, raw: bytes | None = None):
                data = raw if raw is not None else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if raw is None else "application/binary")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def do_GET(self):
                server.route(self, "GET", self.path.split("?")[0], b"")

            def do_POST(self):
                server.route(self, "POST", self.path.split("?")[0], self.body())

        self.serve(Handler)
        self.url = f"http://127.0.0.1:{self.port}"

    # -- answers ---------------------------------------------------------------------------------
    def answer(self, body: dict) -> dict:
        """The live reply to one request body, in the provider's format."""

        def text_of(content):
            if isinstance(content, str):
                return content
            return "".join(b.get("text", "") for b in content if b.get("type") == "text")

        said = "\n\n".join(text_of(m["content"]) for m in body["messages"])
        text = self.brain.respond(said)
        words_in, words_out = len(said.split()), len(text.split())
        if self.provider == "anthropic":
            return {
                "id": "msg_test",
                "type": "message",
                "role": "assistant",
                "model": body.get("model"),
                "content": [{"type": "text", "text": text}],
                "stop_reason": "end_turn",
                "stop_sequence": None,
                "usage": {"input_tokens": words_in, "output_tokens": words_out},
            }
        return {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model"),
            "choices": [
                {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}
            ],
            "usage": {
                "prompt_tokens": words_in,
                "completion_tokens": words_out,
                "total_tokens": words_in + words_out,
            },
        }

    def fate(self, cid: str) -> str:
        """What this batch does with a request: answer it, let it expire, or fail it."""
        first = self.submitted[cid] == 1
        if first and self.expire_first:
            return "expired"
        if first and self.error_first:
            return "errored"
        return "answered"

    # -- routes ----------------------------------------------------------------------------------
    def route(self, h, method: str, path: str, data: bytes):
        if method == "POST" and path in ("/v1/chat/completions", "/v1/messages"):
            with self.lock:
                self.live += 1
            return h.send(200, self.answer(json.loads(data)))
        if self.provider == "openai":
            return self.openai(h, method, path, data)
        return self.anthropic(h, method, path, data)

    def openai(self, h, method, path, data):
        if method == "POST" and path == "/v1/files":
            message = BytesParser().parsebytes(
                b"Content-Type: " + h.headers["Content-Type"].encode() + b"\r\n\r\n" + data
            )
            content = next(p.get_payload(decode=True) for p in message.get_payload() if p.get_filename())
            file_id = f"file-{len(self.files)}"
            self.files[file_id] = content
            return h.send(
                200,
                {
                    "id": file_id,
                    "object": "file",
                    "bytes": len(content),
                    "created_at": 0,
                    "filename": "batch.jsonl",
                    "purpose": "batch",
                    "status": "processed",
                },
            )
        if method == "GET" and path == "/v1/batches":
            data = [self.openai_batch(b) for b in sorted(self.batches, reverse=True)]
            return h.send(200, {"object": "list", "data": data, "has_more": False})
        if method == "POST" and path == "/v1/batches":
            spec = json.loads(data)
            lines = [json.loads(x) for x in self.files[spec["input_file_id"]].splitlines() if x.strip()]
            with self.lock:
                batch_id = f"batch_{len(self.batches)}"
                for line in lines:
                    self.submitted[line["custom_id"]] += 1
                self.batches[batch_id] = {
                    "lines": lines,
                    "polls": 0,
                    "status": "validating",
                    "spec": spec,
                    "fates": {x["custom_id"]: self.fate(x["custom_id"]) for x in lines},
                }
            return h.send(200, self.openai_batch(batch_id))
        m = re.match(r"^/v1/batches/([^/]+)(/cancel)?$", path)
        if m and m.group(1) in self.batches:
            batch = self.batches[m.group(1)]
            if m.group(2):
                batch["status"] = "cancelled"
            elif batch["status"] not in ("completed", "expired", "cancelled"):
                batch["polls"] += 1
                if batch["polls"] >= self.polls:
                    expired = any(f == "expired" for f in batch["fates"].values())
                    batch["status"] = "expired" if expired else "completed"
                    self.openai_files(m.group(1))
                else:
                    batch["status"] = "in_progress"
            return h.send(200, self.openai_batch(m.group(1)))
        m = re.match(r"^/v1/files/([^/]+)/content$", path)
        if m and m.group(1) in self.files:
            return h.send(200, raw=self.files[m.group(1)])
        return h.send(404, {"error": {"message": f"no route {method} {path}"}})

    def openai_files(self, batch_id: str) -> None:
        batch, out, err = self.batches[batch_id], [], []
        for line in batch["lines"]:
            fate, cid = batch["fates"][line["custom_id"]], line["custom_id"]
            if fate == "answered":
                out.append(
                    {
                        "id": "r",
                        "custom_id": cid,
                        "response": {"status_code": 200, "body": self.answer(line["body"])},
                        "error": None,
                    }
                )
            elif fate == "errored":
                err.append(
                    {
                        "id": "r",
                        "custom_id": cid,
                        "response": {"status_code": 500, "body": {"error": {"message": "server error"}}},
                        "error": None,
                    }
                )
        for name, rows in (("output_file_id", out), ("error_file_id", err)):
            if rows:
                file_id = f"file-{len(self.files)}"
                self.files[file_id] = "\n".join(json.dumps(r) for r in rows).encode() + b"\n"
                batch[name] = file_id

    def openai_batch(self, batch_id: str) -> dict:
        b = self.batches[batch_id]
        return {
            "id": batch_id,
            "object": "batch",
            "endpoint": b["spec"]["endpoint"],
            "input_file_id": b["spec"]["input_file_id"],
            "completion_window": "24h",
            "metadata": b["spec"].get("metadata"),
            "status": b["status"],
            "created_at": 0,
            "output_file_id": b.get("output_file_id"),
            "error_file_id": b.get("error_file_id"),
            "request_counts": {"total": len(b["lines"]), "completed": 0, "failed": 0},
        }

    def anthropic(self, h, method, path, data):
        if method == "POST" and path == "/v1/messages/batches":
            requests = json.loads(data)["requests"]
            with self.lock:
                batch_id = f"msgbatch_{len(self.batches)}"
                for r in requests:
                    self.submitted[r["custom_id"]] += 1
                self.batches[batch_id] = {
                    "lines": requests,
                    "polls": 0,
                    "status": "in_progress",
                    "fates": {r["custom_id"]: self.fate(r["custom_id"]) for r in requests},
                }
            return h.send(200, self.anthropic_batch(batch_id))
        m = re.match(r"^/v1/messages/batches/([^/]+)(/cancel|/results)?$", path)
        if m and m.group(1) in self.batches:
            batch = self.batches[m.group(1)]
            if m.group(2) == "/results":
                rows = []
                for r in batch["lines"]:
                    fate = batch["fates"][r["custom_id"]]
                    if fate == "answered":
                        result = {"type": "succeeded", "message": self.answer(r["params"])}
                    elif fate == "errored":
                        result = {
                            "type": "errored",
                            "error": {
                                "type": "error",
                                "error": {"type": "api_error", "message": "overloaded"},
                            },
                        }
                    else:
                        result = {"type": "expired"}
                    rows.append(json.dumps({"custom_id": r["custom_id"], "result": result}))
                return h.send(200, raw=("\n".join(rows) + "\n").encode())
            if m.group(2) == "/cancel":
                batch["status"] = "ended"
            elif batch["status"] != "ended":
                batch["polls"] += 1
                if batch["polls"] >= self.polls:
                    batch["status"] = "ended"
            return h.send(200, self.anthropic_batch(m.group(1)))
        return h.send(404, {"type": "error", "error": {"type": "not_found_error", "message": path}})

    def anthropic_batch(self, batch_id: str) -> dict:
        b = self.batches[batch_id]
        ended = b["status"] == "ended"
        fates = Counter(b["fates"].values())
        return {
            "id": batch_id,
            "type": "message_batch",
            "processing_status": b["status"],
            "request_counts": {
                "processing": 0 if ended else len(b["lines"]),
                "succeeded": fates["answered"] if ended else 0,
                "errored": fates["errored"] if ended else 0,
                "canceled": 0,
                "expired": fates["expired"] if ended else 0,
            },
            "created_at": "2026-11-25T00:00:00Z",
            "expires_at": "2026-11-26T00:00:00Z",
            "ended_at": "2026-11-25T01:00:00Z" if ended else None,
            "archived_at": None,
            "cancel_initiated_at": None,
            "results_url": f"{self.url}/v1/messages/batches/{batch_id}/results" if ended else None,
        }


def wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = time.time() + timeout
    while not predicate() and time.time() < deadline:
        time.sleep(0.02)
