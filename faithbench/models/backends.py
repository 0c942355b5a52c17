"""faithbench's API backends: lm-eval's HTTP backends subclassed where faithbench needs them to
behave differently, and registered under lm-eval's own names (``local-chat-completions``, ...).

What the subclasses change, each as an overridden method rather than a patch:

- ``parse_generations`` / ``parse_logprobs``: a reply with no answer raises (retried, then
  reported as malformed); each answer comes back as a ``Generation`` (a ``str``) or ``Score`` (a
  tuple) carrying its own reply's token usage, thinking and first-token log-probs, so nothing
  travels beside the answers; Anthropic thinking blocks are taken out before lm-eval reads the text.
- ``generate_until`` / ``_loglikelihood_tokens`` (TemplateLM's scoring hook): each request is sent
  once, in the order given, through lm-eval's own ``model_call``, ``create_message`` and parsers.
  lm-eval's loops draw a "Requesting API" bar no argument turns off, reorder requests, and retry
  without telling a bad key from a rate limit; faithbench's runner draws one bar per stage and
  retries itself (honouring Retry-After).
- ``_create_payload`` (openai-chat-completions only): lm-eval forces temperature=1 and drops stop
  sequences for any model name containing "5" (gpt-3.5-turbo, gpt-4.5 ...); only true reasoning
  models need that.
- ``request_body``: the body a live request sends, for the provider batch APIs.
- ``model_call``: lm-eval's payload, headers and URL, sent once with a total deadline (``timeout``
  bounds the whole request, not each read: a server trickling bytes cannot hold a run).
"""

from __future__ import annotations

import copy
import re
from collections import Counter

from lm_eval.models.anthropic_llms import AnthropicChat as _AnthropicChat
from lm_eval.models.openai_completions import (
    LocalChatCompletion,
    LocalCompletionsAPI,
    OpenAIChatCompletion,
    OpenAICompletionsAPI,
)

from faithbench.api.errors import MalformedResponse
from faithbench.api.model_spec import ModelSpec
from faithbench.models import channels
from faithbench.models.channels import Generation, Reply, Score
from faithbench.models.deadline import post_json, total_seconds

REASONING_MODEL = re.compile(r"^(o1|o3|o4|gpt-5)", re.IGNORECASE)
LM_EVAL_MAX_GEN_TOKS = 256  # TemplateAPI's default, used only when a request names no budget


def _as_list(outputs) -> list:
    return outputs if isinstance(outputs, list) else [outputs]


def _checked(answers: list, n: int) -> list:
    """A call's answers, one per request sent, or the reply counts as malformed (retried)."""
    if len(answers) != n:
        raise MalformedResponse(f"malformed response ({len(answers)} answers for {n} requests)")
    return answers


def _text(content: object) -> str | None:
    """A reply's content as text: a string, or OpenAI's list of content parts (their ``text``s
    joined). A number, an object or any other list is no answer: malformed (retried, never cached)."""
    if content is None or isinstance(content, str):
        return content
    parts = content if isinstance(content, list) else None
    if parts is not None and all(isinstance(p, dict) and isinstance(p.get("text"), str) for p in parts):
        return "".join(p["text"] for p in content)
    raise MalformedResponse(f"malformed response (content is {type(content).__name__}, not text)")


def _per_call(batch_size) -> int:
    """Prompts per HTTP request, as lm-eval reads ``batch_size`` ("auto" means 1)."""
    try:
        return max(1, int(batch_size))
    except (TypeError, ValueError):
        return 1


class ReplyChannels:
    """What every faithbench API backend adds to its lm-eval base class (OpenAI reply format)."""

    answer_key = "choices"  # a reply without it has no answer

    def __init__(
        self, *args, batch_size=1, seed: int = 1234, max_gen_toks: int = LM_EVAL_MAX_GEN_TOKS, **kwargs
    ):
        super().__init__(*args, batch_size=batch_size, seed=seed, max_gen_toks=max_gen_toks, **kwargs)
        # lm-eval keeps int(timeout): 0.5 would become 0 and then no deadline (300 s); keep it as given
        self.deadline = total_seconds(kwargs.get("timeout", self.timeout))
        self.per_call = _per_call(batch_size)
        self.seed = int(seed)
        self.max_gen_toks = int(max_gen_toks)
        self.truncated: set[str] = set()  # contexts cut to fit max_length (ModelClient.was_truncated)

    def notes(self) -> list[str]:
        """What this backend does differently from what was asked (results' ``model.notes``)."""
        return []

    # -- reading replies -------------------------------------------------------------------------
    def check(self, reply) -> None:
        if not isinstance(reply, dict) or not reply.get(self.answer_key):
            raise MalformedResponse(f"malformed response (no {self.answer_key})")

    def readable(self, reply: dict) -> tuple[dict, Reply]:
        """The reply as lm-eval's parser reads it, and what it says besides its text."""
        reasoning, redacted = channels.from_openai(reply)
        tops = channels.first_token_logprobs(reply)
        return reply, Reply(channels.normalize_usage(reply.get("usage")), reasoning, redacted, tops)

    def details(self, reply: dict, n: int) -> list[Reply]:
        """One ``Reply`` per answer in ``reply`` (a batched completions reply holds several, by
        ``index``); its token usage is shared evenly among them."""
        _, whole = self.readable(reply)
        choices = sorted(
            (c for c in reply.get("choices") or [] if isinstance(c, dict)), key=lambda c: c.get("index", 0)
        )
        one_each = len(choices) == n > 1
        views = [self.readable({"choices": [c]})[1] for c in choices] if one_each else [whole] * n
        return [
            Reply(usage, v.reasoning, v.redacted, v.top_logprobs)
            for usage, v in zip(channels.shares(whole.usage, n), views, strict=True)
        ]

    def parse_generations(self, outputs, **kwargs) -> list[str]:
        answers: list[str] = []
        for reply in _as_list(outputs):
            self.check(reply)
            try:  # a field of an unexpected type, wherever it is read, makes the reply malformed
                answers += self._generations(reply, **kwargs)
            except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
                raise MalformedResponse(f"malformed response ({type(exc).__name__}: {exc})") from None
        return answers

    def _generations(self, reply: dict, **kwargs) -> list[Generation]:
        readable, said = self.readable(reply)
        texts = [_text(t) for t in super().parse_generations(readable, **kwargs)]
        if not texts and (said.reasoning or said.redacted):
            texts = [""]  # cut off while thinking: the thinking is the answer so far
        details = self.details(reply, len(texts))
        return [Generation("" if t is None else t, d) for t, d in zip(texts, details, strict=True)]

    def parse_logprobs(self, outputs, tokens=None, ctxlens=None, **kwargs) -> list[tuple[float, bool]]:
        replies = _as_list(outputs)
        for reply in replies:
            self.check(reply)
        scores = super().parse_logprobs(outputs=replies, tokens=tokens, ctxlens=ctxlens, **kwargs)
        usage = sum((channels.normalize_usage(r.get("usage")) for r in replies), Counter())
        return [
            Score(lp, greedy, Reply(share))
            for (lp, greedy), share in zip(scores, channels.shares(usage, len(scores)), strict=True)
        ]

    # -- sending requests ------------------------------------------------------------------------
    def model_call(self, messages, *, generate: bool = True, gen_kwargs: dict | None = None, **kwargs):
        """lm-eval's request (its payload, headers and URL), sent once with a total deadline of
        ``timeout`` seconds (``faithbench.models.deadline``); the runner retries."""
        payload = self._create_payload(
            self.create_message(messages),
            generate=generate,
            gen_kwargs=copy.deepcopy(gen_kwargs),
            seed=self._seed,
            eos=self.eos_string,
            **kwargs,
        )
        return post_json(self.base_url, payload, self.header, self.verify_certificate, self.deadline)

    def request_body(self, context, gen_kwargs: dict) -> dict:
        """The JSON body the live request for ``context`` sends (what the batch APIs take)."""
        return self._create_payload(
            self.create_message([context]),
            generate=True,
            gen_kwargs=copy.deepcopy(dict(gen_kwargs)),
            seed=self.seed,
            eos=self.eos_string,
        )

    def _fit(self, contexts: tuple, max_gen_toks: int) -> list:
        """Token-id prompts cut to leave room for the answer, as lm-eval cuts them (noted)."""
        room = self.max_length - max_gen_toks
        encoded = self.tok_encode(list(contexts), add_special_tokens=self.add_bos_token)
        for context, ids in zip(contexts, encoded, strict=True):
            if len(ids) > room:
                self.truncated.add(str(context))
        return [ids[-room:] for ids in encoded]

    def _calls(self, requests) -> list[tuple[tuple, dict]]:
        """Consecutive requests sharing gen_kwargs, ``per_call`` at a time: one HTTP call each."""
        calls: list[tuple[tuple, dict]] = []
        for context, gen_kwargs in (r.args[:2] for r in requests):
            if calls and len(calls[-1][0]) < self.per_call and calls[-1][1] == gen_kwargs:
                calls[-1] = (calls[-1][0] + (context,), gen_kwargs)
            else:
                calls.append(((context,), gen_kwargs))
        return calls

    def generate_until(self, requests, disable_tqdm: bool = False) -> list[str]:
        answers: list[str] = []
        for contexts, gen_kwargs in self._calls(requests):
            messages = (
                self._fit(contexts, int(gen_kwargs.get("max_gen_toks", self.max_gen_toks)))
                if self.tokenized_requests
                else list(contexts)
            )
            outputs = self.model_call(messages=messages, generate=True, gen_kwargs=copy.deepcopy(gen_kwargs))
            texts = _checked(self.parse_generations(outputs=outputs, contexts=contexts), len(contexts))
            for context, text in zip(contexts, texts, strict=True):
                self.cache_hook.add_partial("generate_until", (context, gen_kwargs), text)
            answers += texts
        return answers

    def _loglikelihood_tokens(self, requests, **kwargs) -> list[tuple[float, bool]]:
        if self.tokenizer is None:  # as lm-eval: context lengths need a tokenizer
            raise NotImplementedError("log-likelihoods need a tokenizer (tokenizer_backend)")
        scores: list[tuple[float, bool]] = []
        for start in range(0, len(requests), self.per_call):
            chunk = requests[start : start + self.per_call]
            inputs, ctxlens, cache_keys = self.batch_loglikelihood_requests([chunk])
            outputs = self.model_call(messages=inputs, generate=False)
            got = _checked(self.parse_logprobs(outputs=outputs, tokens=inputs, ctxlens=ctxlens), len(chunk))
            for key, score in zip(cache_keys, got, strict=True):
                if key is not None:
                    self.cache_hook.add_partial("loglikelihood", key, score)
            scores += got
        return scores


class LocalCompletions(ReplyChannels, LocalCompletionsAPI):
    """``local-completions``: any OpenAI-compatible ``/v1/completions`` server."""


class LocalChat(ReplyChannels, LocalChatCompletion):
    """``local-chat-completions``: any OpenAI-compatible ``/v1/chat/completions`` server."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.per_call = 1  # lm-eval sends chat requests one at a time


class OpenAICompletions(ReplyChannels, OpenAICompletionsAPI):
    """``openai-completions``: OpenAI's completions endpoint."""


class OpenAIChat(ReplyChannels, OpenAIChatCompletion):
    """``openai-chat-completions``: OpenAI's chat endpoint, without lm-eval's forced temperature
    for model names that merely contain "5"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.per_call = 1

    @property
    def reasoning_model(self) -> bool:
        return bool(REASONING_MODEL.match(str(self.model or "")))

    def notes(self) -> list[str]:
        if self.reasoning_model:
            return [f"{self.model}: the API accepts only temperature=1 and no stop sequences"]
        return []

    def _create_payload(
        self, messages, generate=False, gen_kwargs=None, seed=1234, eos="<|endoftext|>", **kwargs
    ):
        wanted = dict(gen_kwargs or {})
        payload = super()._create_payload(
            messages, generate=generate, gen_kwargs=gen_kwargs, seed=seed, eos=eos, **kwargs
        )
        if generate and not self.reasoning_model:
            payload["temperature"] = wanted.get("temperature", 0)
            if wanted.get("until"):
                payload["stop"] = list(wanted["until"])[:4]
        return payload


class AnthropicChat(ReplyChannels, _AnthropicChat):
    """``anthropic-chat``: Anthropic's Messages API; thinking arrives as content blocks."""

    answer_key = "content"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.per_call = 1

    def readable(self, reply: dict) -> tuple[dict, Reply]:
        reasoning, redacted, text_only = channels.from_anthropic(reply)
        return text_only, Reply(channels.normalize_usage(reply.get("usage")), reasoning, redacted)

    def details(self, reply: dict, n: int) -> list[Reply]:
        _, whole = self.readable(reply)
        return [Reply(usage, whole.reasoning, whole.redacted) for usage in channels.shares(whole.usage, n)]


API_BACKENDS = [
    ModelSpec(name, cls, f"{what} (lm-eval's backend, subclassed to read usage and thinking)")
    for name, cls, what in (
        ("local-completions", LocalCompletions, "Any OpenAI-compatible completions server"),
        ("local-chat-completions", LocalChat, "Any OpenAI-compatible chat server"),
        ("openai-completions", OpenAICompletions, "OpenAI completions"),
        ("openai-chat-completions", OpenAIChat, "OpenAI chat"),
        ("anthropic-chat", AnthropicChat, "Anthropic Messages"),
        ("anthropic-chat-completions", AnthropicChat, "Anthropic Messages"),
    )
]
