"""Several sequences decoded together on the embedded model: one llama.cpp context beside the
``Llama``'s own, sharing its weights, with a KV stream per sequence, through llama-cpp-python's
public low-level API (``llama_init_from_model``, ``llama_batch_init``, ``llama_decode``,
``llama_get_logits_ith``, ``llama_memory_seq_rm``).

Decoding is bound by reading the weights, so one ``llama_decode`` of a token from each of n
sequences costs little more than one token's. Each sequence has its own stream
(``kv_unified=False``): in one unified cache, Gemma 3's logits for a second sequence differed from
a lone pass by up to 0.8, while separate streams give the lone pass's logits bit for bit
(prompt and each decoded token, measured on llama-cpp-python 0.3.16), so a request's text does
not depend on which requests it was decoded with.
"""

from __future__ import annotations

import weakref

import numpy as np


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
        params.n_batch = params.n_ubatch = max(n_batch, n_seq)
        params.n_threads = params.n_threads_batch = n_threads
        params.kv_unified = False  # a stream per sequence: the lone pass's logits exactly
        params.swa_full = True  # as the Llama's: a window-sized cache changed long prompts' logits
        ctx = llama_cpp.llama_init_from_model(llm.model, params)
        if not ctx:
            raise RuntimeError(f"llama.cpp could not make a context for {n_seq} sequences")
        self.ctx, self.n_seq, self.n_batch = ctx, n_seq, params.n_batch
        self.mem = llama_cpp.llama_get_memory(ctx)
        self.batch = llama_cpp.llama_batch_init(self.n_batch, 0, 1)
        self.n_vocab = llm.n_vocab()
        self.held: list[list[int]] = [[] for _ in range(n_seq)]  # the tokens in each stream
        weakref.finalize(self, _free, ctx, self.batch)

    def clear(self) -> None:
        """Empty every stream. A stream is only ever filled from empty: a stream refilled after
        removing a finished sequence's cells gave logits up to 0.8 off the lone pass's from the
        second decoded token on (measured), so requests are decoded in groups, not swapped in."""
        import llama_cpp

        llama_cpp.llama_memory_clear(self.mem, True)
        self.held = [[] for _ in range(self.n_seq)]

    def prefill(self, seq: int, tokens: list[int]) -> np.ndarray:
        """Evaluate ``tokens`` into the empty stream ``seq``; the last token's logits."""
        logits: list[np.ndarray] = []
        for start in range(0, len(tokens), self.n_batch):
            chunk = tokens[start : start + self.n_batch]
            entries = [(seq, t, start + k, start + k == len(tokens) - 1) for k, t in enumerate(chunk)]
            logits = self._decode(entries)
        return logits[-1]

    def step(self, tokens: list[tuple[int, int]]) -> list[np.ndarray]:
        """One new token for each of several streams (``(seq, token)``), decoded together; each
        one's logits."""
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
