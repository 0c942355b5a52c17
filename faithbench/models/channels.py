"""A reply's channels: the thinking (reasoning) and the visible answer, wherever a backend puts them.

Sources: tags in the text (``<think>...</think>`` by default, ``--think-tags`` for others; gpt-oss's
``analysis``/``final`` channels), OpenAI-compatible ``reasoning_content`` / ``reasoning`` fields
(vLLM and SGLang reasoning parsers, DeepSeek, OpenRouter), OpenRouter's structured
``reasoning_details``, and Anthropic ``thinking`` content blocks. Redacted or encrypted thinking
is recorded as such, never as an empty thinking.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

DEFAULT_TAGS = ("<think>", "</think>")
_HARMONY = re.compile(
    r"<\|channel\|>(analysis|final)<\|message\|>(.*?)(?=<\|end\|>|<\|start\|>|<\|channel\|>|$)", re.S
)


@dataclass(frozen=True)
class Reply:
    """What a backend's reply said besides its text: token usage and the thinking channel."""

    usage: Counter = field(default_factory=Counter)
    reasoning: str | None = None
    redacted: bool = False
    top_logprobs: dict | None = None  # the first generated token's alternatives: {token: logprob}


class Generation(str):
    """A generated text carrying its reply's details. lm-eval's ``generate_until`` returns plain
    strings; a ``str`` subclass is one, so the details stay on the answer they belong to."""

    reply: Reply | None

    def __new__(cls, text: str, reply: Reply | None = None):
        obj = super().__new__(cls, text)
        obj.reply = reply
        return obj

    def __reduce__(self):
        return (Generation, (str(self), self.reply))


class Score(tuple):
    """A ``(logprob, is_greedy)`` pair, as lm-eval's ``loglikelihood`` returns, carrying its
    reply's token usage."""

    reply: Reply | None

    def __new__(cls, logprob: float, is_greedy: bool, reply: Reply | None = None):
        obj = super().__new__(cls, (logprob, is_greedy))
        obj.reply = reply
        return obj

    def __reduce__(self):
        return (Score, (self[0], self[1], self.reply))


def reply_of(answer: object) -> Reply | None:
    """The reply details an answer carries (None from a backend that does not attach them)."""
    return answer.reply if isinstance(answer, (Generation, Score)) else None


MAX_TOKENS = 10**12  # tokens one reply may report: more is no count (a server bug), read as none


def normalize_usage(usage: object) -> Counter:
    """Token counts from a reply's ``usage`` (OpenAI or Anthropic format): prompt, completion
    (thinking included, as both providers bill it) and the reasoning part of it where given."""
    out: Counter = Counter()
    if not isinstance(usage, dict):
        return out

    def count(key):
        value = usage.get(key)
        readable = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_TOKENS
        return value if readable else 0  # an absurd count would overflow every sum and price

    out["prompt"] = count("prompt_tokens") + count("input_tokens")
    out["completion"] = count("completion_tokens") + count("output_tokens")
    details = usage.get("completion_tokens_details")
    reasoning = details.get("reasoning_tokens") if isinstance(details, dict) else None
    if isinstance(reasoning, int) and not isinstance(reasoning, bool) and reasoning <= MAX_TOKENS:
        out["reasoning"] = max(reasoning, 0)
    return +out


def shares(total: Counter, n: int) -> list[Counter]:
    """``total`` split evenly over ``n`` answers of one reply (a batched completions call)."""
    if n <= 0:  # a reply with no answer has nothing to share its usage among
        return []
    parts = [Counter() for _ in range(n)]
    for name, count in total.items():
        base, extra = divmod(count, n)
        for i, part in enumerate(parts):
            part[name] = base + (1 if i < extra else 0)
    return [+p for p in parts]


def split_text(text: str | None, tags: tuple[str, str] = DEFAULT_TAGS) -> tuple[str | None, str | None]:
    """(thinking, answer) of a text that carries its thinking inline; (None, text) when it does
    not. An opened thinking that never closes is all thinking: the model was cut off in it."""
    if not isinstance(text, str):
        return None, text
    if "<|channel|>" in text:
        parts = dict(_HARMONY.findall(text))
        if parts:
            return parts.get("analysis", "").strip() or None, parts.get("final", "").strip()
    opening, closing = tags
    start, end = text.find(opening), text.find(closing)
    if start >= 0 and (end < 0 or end < start):  # "<think> ..." with no close: cut off in thinking
        return text[start + len(opening) :].strip(), ""
    if end >= 0:  # "...</think> answer", the opening tag in the prompt or at the start
        before = text[:end][len(opening) + start :] if start >= 0 else text[:end]
        return before.strip(), text[end + len(closing) :].strip()
    return None, text


def from_openai(reply: dict) -> tuple[str | None, bool]:
    """The thinking of an OpenAI-compatible chat reply: ``reasoning_content`` or ``reasoning``,
    else OpenRouter's structured ``reasoning_details``."""
    choices = reply.get("choices") or []
    message = choices[0].get("message") if choices and isinstance(choices[0], dict) else None
    if not isinstance(message, dict):
        return None, False
    for key in ("reasoning_content", "reasoning"):
        value = message.get(key)
        if isinstance(value, str) and value.strip():
            return value, False
    thinking, encrypted = from_reasoning_details(message.get("reasoning_details"))
    if thinking is not None:
        return thinking, False
    return None, encrypted or bool(message.get("encrypted_reasoning") or message.get("reasoning_encrypted"))


# OpenRouter's reasoning_details entries: the field that holds each type's content
DETAIL_FIELDS = {"reasoning.text": "text", "reasoning.summary": "summary"}
ENCRYPTED_DETAIL = "reasoning.encrypted"  # its ``data`` is opaque: the thinking is redacted


def from_reasoning_details(details: object) -> tuple[str | None, bool]:
    """(thinking, redacted) of OpenRouter's ``reasoning_details``: the text and summary entries
    joined in order, and whether an encrypted entry is all there is to read."""
    entries = [d for d in details if isinstance(d, dict)] if isinstance(details, list) else []
    kinds = [d.get("type") if isinstance(d.get("type"), str) else "" for d in entries]
    texts = [d.get(DETAIL_FIELDS[k]) for d, k in zip(entries, kinds, strict=True) if k in DETAIL_FIELDS]
    texts = [t for t in texts if isinstance(t, str) and t.strip()]
    if texts:
        return "\n".join(texts), False
    return None, ENCRYPTED_DETAIL in kinds


def from_anthropic(reply: dict) -> tuple[str | None, bool, dict]:
    """The thinking of an Anthropic Messages reply, and the reply with only its text blocks (what
    lm-eval's parser reads)."""
    blocks = [b for b in reply.get("content") or [] if isinstance(b, dict)]
    thinking = [
        b.get("thinking")
        for b in blocks
        if b.get("type") == "thinking" and isinstance(b.get("thinking"), str)
    ]
    redacted = any(b.get("type") == "redacted_thinking" for b in blocks)
    text_only = {**reply, "content": [b for b in blocks if b.get("type", "text") == "text"]}
    return ("\n".join(thinking) if thinking else None), redacted, text_only


def first_token_logprobs(reply: dict) -> dict | None:
    """The first generated token's top alternatives, where an OpenAI-compatible reply carries them
    (chat: ``logprobs.content[0].top_logprobs``; completions: ``logprobs.top_logprobs[0]``)."""
    choices = reply.get("choices") or []
    logprobs = choices[0].get("logprobs") if choices and isinstance(choices[0], dict) else None
    if not isinstance(logprobs, dict):
        return None
    content = logprobs.get("content")
    if isinstance(content, list) and content and isinstance(content[0], dict):
        tops = content[0].get("top_logprobs") or []
        found = {
            t["token"]: float(t["logprob"])
            for t in tops
            if isinstance(t, dict) and "token" in t and "logprob" in t
        }
        return found or None
    tops = logprobs.get("top_logprobs")
    if isinstance(tops, list) and tops and isinstance(tops[0], dict):
        return {str(k): float(v) for k, v in tops[0].items()} or None
    return None
