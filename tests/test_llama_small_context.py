"""A small ``n_ctx`` on the batched path (issue 29, found by a trial user): llama.cpp caps a
context's batch at its ``n_ctx``, while the streams sent batches of the ``n_batch`` asked (256), so
``--model-args n_ctx=16`` aborted the process (GGML_ASSERT n_tokens_all <= n_batch) with no
``Error:`` line and nothing saved."""

import pytest
from lm_eval.api.instance import Instance

pytestmark = pytest.mark.gguf


def test_a_small_context_decodes_together_what_it_decodes_alone(embedded_lm):
    import llama_cpp

    from faithbench.models.llama_cpp import LlamaCppLM

    threads = embedded_lm.n_threads
    together = LlamaCppLM(n_threads=threads, n_ctx=32, n_seq=4)
    alone = LlamaCppLM(n_threads=threads, n_ctx=32, n_seq=1)
    streams = together.loaded.streams(4, 32, together.n_batch, threads)
    assert streams.n_batch == llama_cpp.llama_n_batch(streams.ctx) < 256  # what llama.cpp took
    kwargs = {"max_gen_toks": 8, "until": [], "temperature": 0}
    requests = [Instance("generate_until", {}, (f"Q: What is {a} + 5?\nA:", kwargs), 0) for a in (3, 41, 977)]
    expected = []
    for request in requests:
        alone.clear_cache()
        expected.append(alone.generate_until([request])[0])
    assert together.generate_until(requests) == expected and any(expected)
