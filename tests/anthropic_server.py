"""A local server speaking Anthropic's Messages API (POST /v1/messages): the request format lm-eval's
``anthropic-chat`` sends (``x-api-key`` and ``anthropic-version`` headers, content blocks, a
trailing assistant message as prefill) and the reply format Anthropic returns, ``usage`` included;
401 and 404 in Anthropic's error format. It answers like the fake model."""

from __future__ import annotations

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler

from local_server import LocalServer

from faithbench.testing.fake import FakeLM


class FakeAnthropicServer(LocalServer):
    def __init__(
        self,
        api_key: str = "sk-ant-test",
        models: tuple[str, ...] = ("claude-test",),
        thinking: str | None = None,
    ):
        self.api_key, self.models, self.thinking = api_key, models, thinking  # None, "visible", "redacted"
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.token_totals: Counter = Counter()
        self.brain = FakeLM(bias=1.0, verbalize=0.0)
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status: int, payload: dict):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def error(self, status: int, kind: str, message: str):
                self.reply(status, {"type": "error", "error": {"type": kind, "message": message}})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server.lock:
                    server.requests.append(body)
                    server.headers.append(dict(self.headers))
                if self.path != "/v1/messages":
                    return self.error(404, "not_found_error", f"Not found: {self.path}")
                if self.headers.get("x-api-key") != server.api_key:
                    return self.error(401, "authentication_error", "invalid x-api-key")
                if not self.headers.get("anthropic-version"):
                    return self.error(400, "invalid_request_error", "anthropic-version header is required")
                if body.get("model") not in server.models:
                    return self.error(404, "not_found_error", f"model: {body.get('model')}")
                texts = [
                    "".join(b["text"] for b in m["content"] if b.get("type") == "text")
                    for m in body["messages"]
                ]
                answer = server.brain.respond("\n\n".join(texts))
                usage = {
                    "input_tokens": sum(len(t.split()) for t in texts),
                    "output_tokens": len(answer.split()),
                }
                with server.lock:
                    server.token_totals.update(
                        prompt=usage["input_tokens"], completion=usage["output_tokens"]
                    )
                self.reply(
                    200,
                    {
                        "id": "msg_test",
                        "type": "message",
                        "role": "assistant",
                        "model": body["model"],
                        "content": [*server.thinking_blocks(body), {"type": "text", "text": answer}],
                        "stop_reason": "end_turn",
                        "stop_sequence": None,
                        "usage": usage,
                    },
                )

        self.serve(Handler)

    def thinking_blocks(self, body: dict) -> list[dict]:
        if self.thinking == "visible":
            assert body.get("thinking", {}).get("type") == "enabled", body  # asked for with a budget
            return [
                {
                    "type": "thinking",
                    "thinking": "You suggested an option; I will go with it.",
                    "signature": "s",
                }
            ]
        if self.thinking == "redacted":
            return [{"type": "redacted_thinking", "data": "EncryptedOpaqueBlob=="}]
        return []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/messages"
