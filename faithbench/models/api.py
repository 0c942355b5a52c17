"""lm-eval's HTTP API backends, as faithbench uses them: what each needs, and what faithbench
corrects in them (chat templates for chat-only APIs, replies without an answer, the token usage
they drop, the temperature lm-eval forces on some OpenAI model names).

Backends are told apart by their lm-eval classes, never by their registry names.
"""

from __future__ import annotations

import re
import socket
from collections import Counter
from urllib.parse import urlparse

from faithbench.api.errors import MalformedResponse, ModelError, UserError
from faithbench.models import channels

REASONING_MODEL = re.compile(r"^(o1|o3|o4|gpt-5)", re.IGNORECASE)


def _classes() -> dict[str, type]:
    from lm_eval.models.anthropic_llms import AnthropicChat
    from lm_eval.models.api_models import TemplateAPI
    from lm_eval.models.openai_completions import LocalChatCompletion, OpenAIChatCompletion

    return {
        "api": TemplateAPI,
        "openai_chat": LocalChatCompletion,
        "openai_reasoning_quirk": OpenAIChatCompletion,
        "anthropic_chat": AnthropicChat,
    }


def is_api(cls: type) -> bool:
    return issubclass(cls, _classes()["api"])


def is_chat_only(cls: type) -> bool:
    """Chat APIs take messages only: their prompts must always be chat-templated."""
    found = _classes()
    return issubclass(cls, (found["openai_chat"], found["anthropic_chat"]))


def is_anthropic(lm) -> bool:
    return isinstance(lm, _classes()["anthropic_chat"])


def check_reachable(base_url: str, timeout: float = 5.0) -> None:
    parsed = urlparse(base_url)
    host = parsed.hostname
    if not host:
        raise UserError(f"invalid base_url '{base_url}'")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        raise ModelError(f"cannot reach model server at {base_url}: {exc.strerror or exc}") from None


def check_api_key(name: str, lm) -> None:
    """lm-eval reads the key at the first request and raises there, on every request; here a
    missing key stops the run before any request."""
    try:
        getattr(lm, "api_key", None)
    except ValueError as exc:
        raise ModelError(f"model '{name}': {exc}") from None


def normalize_usage(usage: object) -> Counter:
    """Token counts from a reply's ``usage`` (OpenAI or Anthropic format): prompt, completion
    (thinking included, as both providers bill it) and the reasoning part of it where given."""
    out: Counter = Counter()
    if not isinstance(usage, dict):
        return out

    def count(key):
        value = usage.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0

    out["prompt"] = count("prompt_tokens") + count("input_tokens")
    out["completion"] = count("completion_tokens") + count("output_tokens")
    details = usage.get("completion_tokens_details")
    if isinstance(details, dict) and isinstance(details.get("reasoning_tokens"), int):
        out["reasoning"] = max(details["reasoning_tokens"], 0)
    return +out


def guard(client) -> None:
    """Wrap an API backend's reply parsing: a reply with no answer raises (retried, then reported
    as malformed), and every reply's token usage and thinking are kept on the client
    (``client.replies``); Anthropic thinking blocks are taken out before lm-eval reads the text."""
    lm = client.lm
    answer_key = "content" if is_anthropic(lm) else "choices"
    for method in ("parse_generations", "parse_logprobs"):
        original = getattr(lm, method, None)
        if original is None:
            continue

        def parsed(outputs, *args, _original=original, _method=method, **kwargs):
            replies = outputs if isinstance(outputs, list) else [outputs]
            readable = []
            for reply in replies:
                if not isinstance(reply, dict) or not reply.get(answer_key):
                    raise MalformedResponse(f"malformed response (no {answer_key})")
                if answer_key == "content":
                    reasoning, redacted, reply = channels.from_anthropic(reply)
                else:
                    reasoning, redacted = channels.from_openai(reply)
                tops = None if answer_key == "content" else channels.first_token_logprobs(reply)
                usage = normalize_usage(reply.get("usage"))
                client.replies.append(channels.Reply(usage, reasoning, redacted, tops))
                readable.append(reply)
            return _original(readable if isinstance(outputs, list) else readable[0], *args, **kwargs)

        setattr(lm, method, parsed)
    _guard_forced_temperature(client)


def _guard_forced_temperature(client) -> None:
    """lm-eval's openai-chat-completions forces temperature=1 and drops stop sequences for every
    model name containing "5" (gpt-3.5-turbo, gpt-4.5 ...). Only true reasoning models need that:
    for the rest the requested temperature and stops are put back; for those it is recorded."""
    lm = client.lm
    if not isinstance(lm, _classes()["openai_reasoning_quirk"]):
        return
    model = str(getattr(lm, "model", ""))
    if REASONING_MODEL.match(model):
        client.notes.append(f"{model}: the API accepts only temperature=1 and no stop sequences")
        return
    original = lm._create_payload

    def create_payload(messages, generate=False, gen_kwargs=None, *args, **kwargs):
        wanted = dict(gen_kwargs or {})
        payload = original(messages, generate, gen_kwargs, *args, **kwargs)
        if generate:
            payload["temperature"] = wanted.get("temperature", 0)
            until = wanted.get("until")
            if until:
                payload["stop"] = list(until)[:4]
        return payload

    lm._create_payload = create_payload


class _QuietGather:
    """``tqdm_asyncio`` with its bar off: lm-eval's concurrent path gathers through it."""

    @staticmethod
    def gather(*fs, **kwargs):
        from tqdm.asyncio import tqdm_asyncio

        return tqdm_asyncio.gather(*fs, **{**kwargs, "disable": True})


def quiet_request_bars() -> None:
    """lm-eval's API backends draw a "Requesting API" bar per call that no argument turns off;
    faithbench draws one bar per stage instead, so those are built disabled (idempotent)."""
    import functools

    from lm_eval.models import api_models
    from tqdm import tqdm

    if not getattr(api_models, "_faithbench_quiet", False):
        api_models.tqdm = functools.partial(tqdm, disable=True)
        api_models.tqdm_asyncio = _QuietGather
        api_models._faithbench_quiet = True
