"""Model arguments: lm-eval's ``k=v,...`` syntax, which of them decide a model's answers, and
which are secrets (never written anywhere)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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


KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def parse_model_args(text: str | None, flag: str = "--model-args") -> dict:
    """lm-eval's ``k=v,k2=v2`` syntax (values typed as lm-eval types them), with a clear error
    naming ``flag`` for a part that is not ``key=value``, an empty or repeated key, or a value
    that itself starts with ``=``."""
    if not text or not text.strip():
        return {}
    from lm_eval.utils import simple_parse_args_string

    keys = []
    for part in filter(str.strip, text.split(",")):
        key, eq, value = part.strip().partition("=")
        if not eq or not KEY.match(key) or value.startswith("="):
            raise UserError(f"invalid {flag}: '{_shown(part.strip())}' is not of the form key=value")
        if key in keys:
            raise UserError(f"invalid {flag}: '{key}' is given twice")
        keys.append(key)
    try:
        return simple_parse_args_string(text)
    except Exception as exc:
        raise UserError(f"invalid {flag}: {type(exc).__name__}") from None


def _shown(part: str) -> str:
    """A malformed part as an error message may show it: a secret-looking key hides its value."""
    key = part.split("=", 1)[0]
    return f"{key}={REDACTED}" if is_secret(key) else part


def is_secret(key: object) -> bool:
    return bool(SECRET_KEY.search(str(key)))


def redact_url(value: object) -> object:
    """A URL with its credentials replaced, by the URL's structure: the userinfo of
    ``user:password@host`` and the value of every query parameter (``?key=``, ``?api_key=``,
    ``?sig=``: a query in a model's URL is where providers put keys, whatever they name them).
    Anything that is not a URL with a host is returned as it is."""
    if not isinstance(value, str) or "://" not in value:
        return value
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return REDACTED  # unparseable but URL-like: show nothing rather than risk a credential
    if not host:
        return value
    netloc = parts.netloc
    if parts.username is not None or parts.password is not None:
        netloc = f"{REDACTED}@" + netloc.rsplit("@", 1)[1]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, REDACTED) for k, _ in pairs], safe="<>")
    fragment = REDACTED if parts.fragment else ""  # ``#access_token=...``
    return urlunsplit((parts.scheme, netloc, parts.path, query, fragment))


def redact(args: dict) -> dict:
    """Model args safe to write anywhere: secret-keyed values replaced, credentials taken out of
    URLs. Decided by each arg's key and structure, never by searching text for known values."""
    return {k: (REDACTED if is_secret(k) else redact_url(v)) for k, v in args.items()}


def render_args(args: dict) -> str:
    """Args back in ``k=v,...`` form, redacted (for the recorded command line)."""
    return ",".join(f"{k}={v}" for k, v in redact(args).items())


def identity_args(args: dict) -> dict:
    """The args that can change an answer (the cache key's model part): no throughput knobs, no
    secrets, no credentials in URLs."""
    return {k: redact_url(v) for k, v in args.items() if k not in NON_IDENTITY_ARGS and not is_secret(k)}


def flag_arg(name: str, value: object) -> bool:
    """A true/false model arg as lm-eval types it (``true``/``false``, or 1/0): anything else is
    refused, since ``bool('maybe')`` would silently read as true."""
    if isinstance(value, bool) or (isinstance(value, int) and value in (0, 1)):
        return bool(value)
    raise UserError(f"model arg {name} must be true or false, not {value!r}")


def count_arg(name: str, value: object, least: int = 1) -> int:
    """A whole-number model arg of at least ``least`` (``n_seq=0`` was quietly read as 1)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise UserError(f"model arg {name} must be a whole number >= {least}, not {value!r}")
    return value
