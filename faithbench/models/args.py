"""Model arguments: lm-eval's ``k=v,...`` syntax, which of them decide a model's answers, and
which are secrets (never written anywhere)."""

from __future__ import annotations

import re

from faithbench.api.errors import UserError

SECRET_KEY = re.compile(r"(api[_-]?key|token|secret|password|auth|credential)", re.IGNORECASE)
REDACTED = "<redacted>"
# Arguments that change throughput but never a model's answer: left out of the cache identity.
NON_IDENTITY_ARGS = {
    "batch_size",
    "num_concurrent",
    "max_retries",
    "timeout",
    "n_threads",
    "verbose",
    "device",
}


def parse_model_args(text: str | None, flag: str = "--model-args") -> dict:
    """lm-eval's ``k=v,k2=v2`` syntax, with a clear error naming ``flag`` instead of a crash."""
    if not text or not text.strip():
        return {}
    from lm_eval.utils import simple_parse_args_string

    for part in text.split(","):
        if part.strip() and "=" not in part:
            raise UserError(f"invalid {flag}: '{part.strip()}' is not of the form key=value")
    try:
        return simple_parse_args_string(text)
    except Exception as exc:
        raise UserError(f"invalid {flag} '{text}': {exc}") from None


def is_secret(key: object) -> bool:
    return bool(SECRET_KEY.search(str(key)))


def redact(args: dict) -> dict:
    """Model args safe to write anywhere: secret-looking values replaced."""
    return {k: (REDACTED if is_secret(k) else v) for k, v in args.items()}


def identity_args(args: dict) -> dict:
    """The args that can change an answer (the cache key's model part): no throughput knobs, no secrets."""
    return {k: v for k, v in args.items() if k not in NON_IDENTITY_ARGS and not is_secret(k)}
