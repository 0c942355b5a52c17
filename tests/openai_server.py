"""A local OpenAI-compatible server for tests: answers like the fake model, counts requests.

With ``fault_rate`` it fails that share of attempts, deterministically per (prompt, attempt):
429 with Retry-After, 500, a timeout (answers after ``slow`` seconds), malformed JSON, or empty
content. ``successes`` counts the well-formed answers served per prompt; ``latency`` delays every
answer (for throughput benchmarks). Every reply reports ``usage`` as OpenAI does (words stand in
for tokens). With ``api_key`` it answers 401 to any other bearer token, and with ``models`` 404 to
a model it does not serve, in OpenAI's error format.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler

from local_server import LocalServer

from faithbench.testing.fake import FakeLM

FAULTS = ("429", "500", "timeout", "malformed", "empty")


class FakeOpenAIServer(LocalServer):
    def __init__(
        self,
        fault_rate: float = 0.0,
        slow: float = 1.5,
        latency: float = 0.0,
        faults: tuple[str, ...] = FAULTS,
        retry_after: str = "0",
        api_key: str | None = None,
        models: tuple[str, ...] | None = None,
        reasoning_tokens: int = 0,
        responder=None,
        reasoning: str | None = None,
        top_logprobs: bool = False,
    ):
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.successes: Counter = Counter()
        self.attempts: Counter = Counter()
        self.faults: Counter = Counter()
        self.token_totals: Counter = Counter()  # usage reported in successful replies
        self.fault_rate, self.slow, self.latency = fault_rate, slow, latency
        self.fault_kinds, self.retry_after = faults, retry_after
        self.api_key, self.models, self.reasoning_tokens = api_key, models, reasoning_tokens
        self.responder = responder  # text -> reply, standing in for another model (a judge)
        self.reasoning = reasoning  # "field" (vLLM's reasoning_content) or "inline" (<think> in content)
        self.top_logprobs = top_logprobs  # answer logprobs/top_logprobs requests (a responder's letter)
        self.lock = threading.Lock()
        self.first_request = self.last_reply = 0.0
        self.brain = FakeLM(bias=1.0, verbalize=0.0)
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status: int, data: bytes, headers: dict | None = None):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout) or was killed

            def do_GET(self):  # /stats: what the server saw, for benchmarks in another process
                with server.lock:
                    stats = {
                        "requests": len(server.requests),
                        "first": server.first_request,
                        "last": server.last_reply,
                    }
                self.reply(200, json.dumps(stats).encode())

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = hashlib.sha256(
                    json.dumps(body.get("messages") or body.get("prompt"), sort_keys=True).encode()
                ).hexdigest()
                with server.lock:
                    server.first_request = server.first_request or time.time()
                    server.requests.append(body)
                    server.headers.append(dict(self.headers))
                    attempt = server.attempts[key]
                    server.attempts[key] += 1
                refusal = server.refusal(self.headers.get("Authorization"), body.get("model"))
                if refusal:
                    return self.reply(refusal[0], json.dumps({"error": refusal[1]}).encode())
                fault = server.fault_for(key, attempt)
                if server.latency:
                    time.sleep(server.latency)
                if fault:
                    with server.lock:
                        server.faults[fault] += 1
                    if fault == "429":
                        return self.reply(
                            429, b'{"error": "rate limited"}', {"Retry-After": server.retry_after}
                        )
                    if fault == "500":
                        return self.reply(500, b'{"error": "internal"}')
                    if fault == "timeout":
                        time.sleep(server.slow)
                    if fault == "malformed":
                        return self.reply(200, b'{"choices": [{"message": ')
                    if fault == "nochoices":
                        return self.reply(
                            200, b'{"id": "x", "object": "chat.completion", "error": "filtered"}'
                        )
                if "messages" in body:
                    # like a chat API: answer the conversation (a trailing assistant turn is context)
                    said = "\n\n".join(m["content"] for m in body["messages"])
                    text = server.responder(said) if server.responder else server.brain.respond(said)
                    logprobs = (
                        server.first_token(text) if body.get("logprobs") and server.top_logprobs else None
                    )
                    if text == "?":  # a responder with no preference: a letter drawn from prompt and seed
                        digest = hashlib.sha256(f"{said}|{body.get('seed')}".encode()).digest()
                        text = "ABCD"[digest[0] % 4]
                    if fault == "empty":
                        text = ""
                    payload = {
                        "id": "x",
                        "object": "chat.completion",
                        "model": body.get("model"),
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": "stop",
                                "message": server.message(text),
                                **({"logprobs": logprobs} if logprobs else {}),
                            }
                        ],
                        "usage": server.usage([m["content"] for m in body["messages"]], [text]),
                    }
                else:
                    prompts = body["prompt"] if isinstance(body["prompt"], list) else [body["prompt"]]
                    texts = [server.brain.respond(p) for p in prompts]
                    payload = {
                        "id": "x",
                        "object": "text_completion",
                        "model": body.get("model"),
                        "choices": [
                            {"index": i, "text": t, "finish_reason": "stop"} for i, t in enumerate(texts)
                        ],
                        "usage": server.usage(prompts, texts),
                    }
                if fault is None:
                    with server.lock:
                        server.successes[key] += 1
                self.reply(200, json.dumps(payload).encode())
                with server.lock:
                    server.last_reply = time.time()

        self.serve(Handler)

    def first_token(self, letter: str) -> dict:
        """OpenAI's chat ``logprobs`` for a one-token answer: the letter likely, the others not
        ("?": all four letters equally likely)."""
        probs = {c: (-1.386 if letter == "?" else (-0.01 if c == letter else -6.0)) for c in "ABCD"}
        tops = [{"token": c, "logprob": lp} for c, lp in probs.items()]
        return {
            "content": [
                {"token": max(probs, key=probs.get), "logprob": max(probs.values()), "top_logprobs": tops}
            ]
        }

    THOUGHT = "The user suggested an option, so I will go with their suggestion."

    def message(self, text: str) -> dict:
        if self.reasoning == "field":
            return {"role": "assistant", "content": text, "reasoning_content": self.THOUGHT}
        if self.reasoning == "inline":
            return {"role": "assistant", "content": f"<think>{self.THOUGHT}</think>\n{text}"}
        return {"role": "assistant", "content": text}

    def refusal(self, authorization: str | None, model: str | None) -> tuple[int, dict] | None:
        if self.api_key is not None and authorization != f"Bearer {self.api_key}":
            return 401, {
                "message": "Incorrect API key provided",
                "type": "invalid_request_error",
                "code": "invalid_api_key",
            }
        if self.models is not None and model not in self.models:
            return 404, {
                "message": f"The model `{model}` does not exist",
                "type": "invalid_request_error",
                "code": "model_not_found",
            }
        return None

    def usage(self, prompts: list[str], texts: list[str]) -> dict:
        prompt = sum(len(str(p).split()) for p in prompts)
        completion = sum(len(t.split()) for t in texts) + self.reasoning_tokens
        usage = {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }
        if self.reasoning_tokens:
            usage["completion_tokens_details"] = {"reasoning_tokens": self.reasoning_tokens}
        with self.lock:
            self.token_totals.update(prompt=prompt, completion=completion)
        return usage

    def fault_for(self, key: str, attempt: int) -> str | None:
        if not self.fault_rate:
            return None
        digest = hashlib.sha256(f"{key}|{attempt}".encode()).digest()
        if digest[0] / 256 >= self.fault_rate:
            return None
        return self.fault_kinds[digest[1] % len(self.fault_kinds)]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"


if __name__ == "__main__":  # serve from its own process: python tests/openai_server.py LATENCY
    import sys

    with FakeOpenAIServer(latency=float(sys.argv[1]) if len(sys.argv) > 1 else 0.0) as srv:
        print(srv.port, flush=True)
        srv.thread.join()
