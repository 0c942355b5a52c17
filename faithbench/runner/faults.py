"""What to do when a model call fails: retry what can succeed on retry (429, 5xx, timeouts,
connection errors, malformed or empty replies; Retry-After honoured), give up on a request the
server refused (other 4xx) with its reason, or stop the run at a configuration error (a bad key,
an unknown model: 401, 403, 404) or when the server is gone. An exception from the client code
itself is deterministic: never retried, and it stops the run when no request has succeeded."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from faithbench.api.errors import MalformedResponse

EMPTY_MARKERS = {"", "LMEVAL_MODEL_NONE_ANSWER_PLACEHOLDER"}


class Cause(Enum):
    TRANSIENT = "transient"  # may succeed on retry
    REFUSED = "refused"  # the server refused this request (400, 413, 422 ...): not retried
    CONFIGURATION = "configuration"  # no request can succeed (401, 403, 404): stop the run
    CODE = "code"  # the client code raised: deterministic, not retried


@dataclass(frozen=True)
class Fault:
    reason: str
    cause: Cause = Cause.TRANSIENT
    wait: float | None = None  # seconds the server asked for (Retry-After)
    connection: bool = False  # the server could not be reached at all

    @property
    def retryable(self) -> bool:
        return self.cause is Cause.TRANSIENT


# a reply cut off after the server was reached (requests', urllib3's and http.client's names)
CUT_OFF = {"ChunkedEncodingError", "ProtocolError", "IncompleteRead", "RemoteDisconnected"}


def _cut_off(err: BaseException) -> bool:
    return isinstance(err, ConnectionResetError | BrokenPipeError) or type(err).__name__ in CUT_OFF


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
            detail = _detail(response)
            if status in (401, 403, 404):
                return Fault(f"HTTP {status}{detail}", Cause.CONFIGURATION)
            return Fault(f"HTTP {status}{detail}", Cause.REFUSED)
        name = type(err).__name__
        if "Timeout" in name:
            return Fault("timeout")
        if name == "JSONDecodeError" or (isinstance(err, ValueError) and "JSON" in str(err)):
            return Fault("malformed JSON response")
        cut = next((type(e).__name__ for e in _chain(err) if _cut_off(e)), None)
        if cut:  # the server was reached, then the reply lost: retried, never "unreachable"
            return Fault(f"connection cut mid-reply ({cut})")
        if "ConnectionError" in name or "ConnectError" in name or isinstance(err, ConnectionRefusedError):
            return Fault(f"connection failed ({name})", connection=True)
    root = list(_chain(exc))[-1]  # the underlying error, not faithbench's wrapper
    return Fault(f"{type(root).__name__}: {str(root)[:200]}", Cause.CODE)


def _detail(response) -> str:
    """The error message an API put in its JSON body (OpenAI and Anthropic both use
    ``{"error": {"message": ...}}``), shortened; never the request, which may hold a key."""
    try:
        body = response.json()
    except Exception:
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    message = error.get("message") if isinstance(error, dict) else error
    return f" ({str(message)[:160]})" if isinstance(message, str) and message else ""


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
