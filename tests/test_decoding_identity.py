"""The embedded model's texts depend on its attention kernel (flash attention made a request's text
independent of its batch mates, and rounds differently from the standard kernel): that goes into
the cache key, so texts cached before the change, or with the other kernel, are never served."""

from types import SimpleNamespace

import pytest

from faithbench import Generate, Prompt
from faithbench.models.client import ModelClient
from faithbench.runner.cache import request_key


def _key(lm) -> str:
    client = ModelClient("llama-cpp", {}, lm)
    params = Generate(Prompt.user("Q")).gen_kwargs({}, False)
    return request_key(client.identity, "generate_until", "Q: 2 + 2?", params)


def test_a_backends_decoding_identity_is_in_the_cache_key():
    before = _key(SimpleNamespace())  # a backend that says nothing: as keys were before
    flash = _key(SimpleNamespace(decoding_identity={"attention": "flash"}))
    standard = _key(SimpleNamespace(decoding_identity={"attention": "standard"}))
    assert len({before, flash, standard}) == 3
    assert _key(SimpleNamespace(decoding_identity={})) == before  # nothing said, nothing added


@pytest.mark.gguf
def test_the_embedded_model_says_which_attention_kernel_decoded(embedded_lm):
    assert embedded_lm.decoding_identity == {"attention": "flash"}
    assert ModelClient("llama-cpp", {}, embedded_lm).identity["decoding"] == {"attention": "flash"}
