"""A total deadline per HTTP request. ``requests``' timeout bounds each read only, so a server
that trickles one byte a second holds a request forever; here the whole request (connecting,
headers, body) gets ``seconds`` in all, after which it is a timeout (retried by the runner)."""

from __future__ import annotations

import threading

import requests


def post_json(url: str, payload: dict, headers: dict, verify: bool, seconds: float):
    """The JSON reply to a POST that must finish within ``seconds``. The request runs in a daemon
    thread, given up when the deadline passes: a server still trickling holds only that thread
    (closing its response from here would wait on the read it is blocked in), never the run."""
    box: dict = {}

    def send() -> None:
        try:
            response = requests.post(
                url, json=payload, headers=headers, verify=verify, timeout=seconds, stream=True
            )
            box["response"] = response
            response.content  # noqa: B018  (the body, read here, within the deadline)
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=send, daemon=True, name="faithbench-request")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise requests.Timeout(f"no complete reply within {seconds:g} s (the request's total deadline)")
    if "error" in box:
        raise box["error"]
    response = box["response"]
    response.raise_for_status()
    return response.json()


def total_seconds(timeout: object, default: float = 300.0) -> float:
    """A backend's ``timeout`` as a total deadline (lm-eval's default, 300 s, when unreadable)."""
    try:
        seconds = float(timeout)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return seconds if 0 < seconds < float("inf") else default
