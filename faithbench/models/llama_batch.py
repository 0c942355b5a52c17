"""Several sequences decoded together on the embedded model: one llama.cpp context beside the
``Llama``'s own, sharing its weights, with a KV stream per sequence, through llama-cpp-python's
public low-level API (``llama_init_from_model``, ``llama_batch_init``, ``llama_decode``,
``llama_get_logits_ith``, ``llama_memory_seq_rm``).

Decoding is bound by reading the weights, so one ``llama_decode`` of a token from each of n
sequences costs little more than one token's. Each sequence has its own stream
(``kv_unified=False``): in one unified cache, Gemma 3's logits for a second sequence differed from
a lone pass by up to 0.8, while separate streams give the lone pass's logits bit for bit
(prompt and each decoded token, measured on llama-cpp-python 0.3.16), so a request's text does
not depend on which requests it was decoded with, provided both contexts use flash attention (the
backend's default): llama.cpp (4227c9b, the one 0.3.16 vendors) gives every stream of a context
one attention width, the widest stream's cells padded to 32 (``get_n_kv``, over all streams, a
finished sequence's included), and without flash attention the wider masked product changed a
shorter stream's logits (126 beside 233 tokens: up to 0.61 off); the CPU flash-attention kernel
skips masked cells, so the width does not matter.

Prefixes are shared without losing that: a stream keeps the start it shares with its next prompt
(``llama_memory_seq_rm`` of the rest), or starts as a copy of another stream that holds more of it
(``llama_memory_seq_cp``: an earlier prompt of its group, or a running or finished sequence's when
a stream is refilled), so a few-shot block, the instructions or a
question asked with several cues is evaluated once; each stream then evaluates only its own rest.
Cut points avoid a one-token batch the lone pass does not have: a token evaluated alone gave
logits up to 0.73 off, while every cut with batches of two or more gave the lone pass's logits
and greedy text exactly (measured 2026-12-02, llama-cpp-python 0.3.16).
"""

from __future__ import annotations

import weakref
from collections import deque

import numpy as np

# Prompt tokens a copy must save: it moves a whole stream's buffer, 14 ms at n_ctx 4096, about the
# time of 7 prompt tokens on one thread (measured 2026-12-02), so below this evaluating is cheaper.
MIN_COPY = 16


def common_length(a: list[int], b: list[int]) -> int:
    """How many leading tokens ``a`` and ``b`` share."""
    n = min(len(a), len(b))
    differ = np.nonzero(np.asarray(a[:n]) != np.asarray(b[:n]))[0]
    return int(differ[0]) if differ.size else n


def _free(ctx, batch) -> None:
    import llama_cpp

    llama_cpp.llama_batch_free(batch)
    llama_cpp.llama_free(ctx)


class Streams:
    """``n_seq`` KV streams of ``n_ctx`` tokens each over ``llm``'s weights."""

    def __init__(self, llm, n_seq: int, n_ctx: int, n_batch: int, n_threads: int):
        import llama_cpp

        params = llama_cpp.llama_context_default_params()
        params.n_ctx, params.n_seq_max = n_ctx * n_seq, n_seq
        # the lone Llama's chunk (min(n_ctx, n_batch)), which _cut keeps to; one token per stream
        params.n_batch = params.n_ubatch = max(min(n_batch, n_ctx), n_seq)
        params.n_threads = params.n_threads_batch = n_threads
        params.kv_unified = False  # a stream per sequence: the lone pass's logits exactly
        params.swa_full = True  # as the Llama's: a window-sized cache changed long prompts' logits
        params.flash_attn = llm.context_params.flash_attn  # as the Llama's: see llama_cpp.py
        ctx = llama_cpp.llama_init_from_model(llm.model, params)
        if not ctx:
            raise RuntimeError(f"llama.cpp could not make a context for {n_seq} sequences")
        self.ctx, self.n_seq = ctx, n_seq
        self.n_batch = llama_cpp.llama_n_batch(ctx)  # what llama.cpp took (it caps it at n_ctx)
        self.mem = llama_cpp.llama_get_memory(ctx)
        self.batch = llama_cpp.llama_batch_init(self.n_batch, 0, 1)
        self.n_vocab = llm.n_vocab()
        self.held: list[list[int]] = [[] for _ in range(n_seq)]  # the tokens in each stream
        self.evaluated = 0  # prompt tokens evaluated by fill and put
        self.steps = 0  # calls of step: llama_decode calls that decode new tokens
        # Without flash attention, a stream refilled beside running ones changed logits (clear)
        self.refills_exact = bool(params.flash_attn)
        weakref.finalize(self, _free, ctx, self.batch)

    def clear(self) -> None:
        """Empty every stream. Without flash attention, a stream refilled after removing a finished
        sequence's cells while others ran gave logits up to 0.8 off the lone pass's from the second
        decoded token on, so there requests are decoded in groups (``decode_all``); with it, the
        refilled stream's texts are the lone pass's (tests/test_llama_batch.py)."""
        import llama_cpp

        llama_cpp.llama_memory_clear(self.mem, True)
        self.held = [[] for _ in range(self.n_seq)]

    def fill(self, prompts: list[list[int]], share: bool = True) -> tuple[list[np.ndarray], int]:
        """Prompt k into stream k; each prompt's last logits and the prompt tokens evaluated. With
        ``share``, a stream keeps what it holds of its prompt, or starts from a copy of an earlier
        stream of the group whose prompt shares more; without, every stream starts empty."""
        start, logits = self.evaluated, []
        if not share:
            self.clear()
        for k in range(len(prompts), self.n_seq):  # a stream left out still shaped the others' logits
            self._keep(k, 0)
        for k, prompt in enumerate(prompts):
            logits.append(self.put(k, prompt, share, sources=range(k)))
        return logits, self.evaluated - start

    def put(self, seq: int, prompt: list[int], share: bool = True, sources=None) -> np.ndarray:
        """Prompt into stream ``seq`` (the others keep what they hold); its last logits. With
        ``share``, the stream keeps what it holds of the prompt, or starts from a copy of one of
        ``sources`` (every other stream when None) that holds more of it."""
        import llama_cpp

        keep = self._cut(common_length(self.held[seq], prompt), prompt) if share else 0
        sources = [j for j in (range(self.n_seq) if sources is None else sources) if j != seq]
        shares = {j: self._cut(common_length(self.held[j], prompt), prompt) for j in sources}
        best = max(shares, key=shares.get, default=None)
        if share and best is not None and shares[best] - keep >= MIN_COPY:
            keep = shares[best]  # copied whole, at the next decode
            llama_cpp.llama_memory_seq_cp(self.mem, best, seq, -1, -1)
            self.held[seq] = list(self.held[best])
        self._keep(seq, keep)
        return self._eval(seq, prompt)

    def _cut(self, n: int, prompt: list[int]) -> int:
        """Where a prompt can continue from ``n`` held tokens exactly: two tokens at least left to
        evaluate, and no one-token batch before a ``n_batch`` boundary (the lone pass's chunks)."""
        n = min(n, len(prompt) - 2)
        return max(0, n - 1 if n % self.n_batch == self.n_batch - 1 else n)

    def _keep(self, seq: int, n: int) -> None:
        import llama_cpp

        if n < len(self.held[seq]):
            llama_cpp.llama_memory_seq_rm(self.mem, seq, n, -1)
            del self.held[seq][n:]

    def _eval(self, seq: int, tokens: list[int], logits: bool = True) -> np.ndarray | None:
        """Evaluate the part of ``tokens`` stream ``seq`` lacks, in the lone pass's chunks; the last
        token's logits."""
        held = len(self.held[seq])
        assert self.held[seq] == tokens[:held], "a stream continues only its own tokens"
        out: list[np.ndarray] = []
        start = held
        while start < len(tokens):
            end = min(len(tokens), (start // self.n_batch + 1) * self.n_batch)
            last = len(tokens) - 1
            out = self._decode([(seq, tokens[p], p, logits and p == last) for p in range(start, end)])
            start = end
        self.evaluated += len(tokens) - held
        return out[-1] if out else None

    def step(self, tokens: list[tuple[int, int]]) -> list[np.ndarray]:
        """One new token for each of several streams (``(seq, token)``), decoded together; each
        one's logits."""
        self.steps += 1
        return self._decode([(seq, token, len(self.held[seq]), True) for seq, token in tokens])

    def _decode(self, entries: list[tuple[int, int, int, bool]]) -> list[np.ndarray]:
        import llama_cpp

        batch = self.batch
        batch.n_tokens = len(entries)
        for i, (seq, token, pos, logits) in enumerate(entries):
            batch.token[i], batch.pos[i], batch.n_seq_id[i], batch.logits[i] = token, pos, 1, logits
            batch.seq_id[i][0] = seq
        code = llama_cpp.llama_decode(self.ctx, batch)
        if code != 0:
            raise RuntimeError(f"llama_decode failed ({code})")
        for seq, token, _, _ in entries:
            self.held[seq].append(token)
        shape = (self.n_vocab,)
        return [
            np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(self.ctx, i), shape=shape).copy()
            for i, entry in enumerate(entries)
            if entry[3]
        ]


def decode_all(streams: Streams, decodings: list, share=True, refill=True) -> tuple[list[str], int]:
    """Run ``decodings`` (generators as ``LlamaCppLM._decoding``: yield a prompt, then each token
    to evaluate; sent logits; return the text) on ``streams``; the texts and the prompt tokens.
    Continuous batching: when a sequence finishes, its stream takes the next pending request at
    once (``put``) while the others keep decoding; without ``refill``, or where that is not exact
    (``refills_exact``), a group of ``n_seq`` runs until all finish and the next group is placed by
    ``fill``."""
    texts: list[str] = [""] * len(decodings)
    pending = deque(enumerate(decodings))
    running: dict[int, tuple[int, object, int]] = {}  # stream -> (request, decoding, next token)
    prompt_tokens = 0

    def advance(seq: int, job: int, decoding, logits) -> None:
        try:
            (token,) = decoding.send(logits)
            running[seq] = (job, decoding, token)
        except StopIteration as done:
            texts[job] = done.value

    while pending or running:
        free = [seq for seq in range(streams.n_seq) if seq not in running]
        if pending and not running:  # every stream free: a group, its shared prefixes copied
            group = [pending.popleft() for _ in range(min(streams.n_seq, len(pending)))]
            prompts = [next(decoding) for _, decoding in group]
            prompt_tokens += sum(map(len, prompts))
            firsts = streams.fill(prompts, share)[0]
            for seq, ((job, decoding), logits) in enumerate(zip(group, firsts, strict=True)):
                advance(seq, job, decoding, logits)
        elif pending and free and refill and streams.refills_exact:
            job, decoding = pending.popleft()
            prompt = next(decoding)
            prompt_tokens += len(prompt)
            advance(free[0], job, decoding, streams.put(free[0], prompt, share))
        else:
            step = [(seq, token) for seq, (_, _, token) in running.items()]
            for (seq, _), logits in zip(step, streams.step(step), strict=True):
                job, decoding, _ = running.pop(seq)
                advance(seq, job, decoding, logits)
    return texts, prompt_tokens
