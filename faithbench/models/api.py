"""lm-eval's HTTP API backends, as faithbench uses them: which are API backends, which take chat
messages only, and the checks made before the first request (a reachable server, a key).
What faithbench corrects in them is in its subclasses (``faithbench.models.backends``).

Backends are told apart by their lm-eval classes, never by their registry names.
"""

from __future__ import annotations

import socket
from urllib.parse import urlparse

from faithbench.api.errors import ModelError, UserError


def _classes() -> dict[str, type]:
    from lm_eval.models.anthropic_llms import AnthropicChat
    from lm_eval.models.api_models import TemplateAPI
    from lm_eval.models.openai_completions import LocalChatCompletion

    return {"api": TemplateAPI, "openai_chat": LocalChatCompletion, "anthropic_chat": AnthropicChat}


def is_api(cls: type) -> bool:
    return issubclass(cls, _classes()["api"])


def is_chat_only(cls: type) -> bool:
    """Chat APIs take messages only: their prompts must always be chat-templated."""
    found = _classes()
    return issubclass(cls, (found["openai_chat"], found["anthropic_chat"]))


def is_anthropic(lm) -> bool:
    return isinstance(lm, _classes()["anthropic_chat"])


def check_reachable(base_url: str, timeout: float = 5.0) -> None:
    from faithbench.models.args import redact_url

    shown = redact_url(base_url)  # an Error: line ends up in CI logs: never a credential
    try:
        parsed = urlparse(base_url)
        host, port = parsed.hostname, parsed.port
    except ValueError:
        raise UserError(f"invalid base_url '{shown}'") from None
    if not host:
        raise UserError(f"invalid base_url '{shown}'")
    port = port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        raise ModelError(f"cannot reach model server at {shown}: {exc.strerror or exc}") from None


def check_api_key(name: str, lm) -> None:
    """lm-eval reads the key at the first request and raises there, on every request; here a
    missing key stops the run before any request."""
    try:
        getattr(lm, "api_key", None)
    except ValueError as exc:
        raise ModelError(f"model '{name}': {exc}") from None


def is_faithbench_backend(cls: type) -> bool:
    """One of faithbench's subclasses, which attach each reply's usage and thinking to its answer."""
    from faithbench.models.backends import ReplyChannels

    return issubclass(cls, ReplyChannels)
