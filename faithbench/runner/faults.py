"""What to do when a model call fails: retry (honouring Retry-After), give up on the request with
a stated reason, or stop the run because the server is gone."""

from __future__ import annotations

from dataclasses import dataclass

from faithbench.api.errors import MalformedResponse

EMPTY_MARKERS = {"", "LMEVAL_MODEL_NONE_ANSWER_PLACEHOLDER"}


@dataclass(frozen=True)
class Fault:
    reason: str
    retryable: bool = True
    wait: float | None = None  # seconds the server asked for (Retry-After)
    connection: bool = False  # the server could not be reached at all


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def classify(exc: BaseException) -> Fault:
    for err in _chain(exc):
        if isinstance(err, MalformedResponse):
            return Fault(str(err))
        response = getattr(err, "response", None)
        status = getattr(response, "status_code", None) or getattr(response, "status", None)
        if isinstance(status, int):
            headers = getattr(response, "headers", {}) or {}
            if status == 429:
                return Fault("HTTP 429 (rate limited)", wait=retry_after(headers.get("Retry-After")))
            if status >= 500 or status == 408:
                return Fault(f"HTTP {status}")
            return Fault(f"HTTP {status}", retryable=False)
        name = type(err).__name__
        if "Timeout" in name:
            return Fault("timeout")
        if name == "JSONDecodeError" or (isinstance(err, ValueError) and "JSON" in str(err)):
            return Fault("malformed JSON response")
        if "ConnectionError" in name or "ConnectError" in name or isinstance(err, ConnectionRefusedError):
            return Fault(f"connection failed ({name})", connection=True)
    root = list(_chain(exc))[-1]  # the underlying error, not faithbench's wrapper
    return Fault(f"{type(root).__name__}: {str(root)[:200]}")


MAX_RETRY_AFTER = 120.0  # seconds: a server asking for longer is not waited for


def retry_after(value: object) -> float | None:
    """Seconds a Retry-After header asks for: None when absent or unreadable (HTTP dates are read
    as absent), never negative."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def backoff(attempt: int, base: float, cap: float = 30.0) -> float:
    return min(cap, base * (2**attempt))
