"""The embedded model's switches are refused when they are not what they say: ``bool('maybe')``
and ``max(1, 0)`` read a typo as a setting. Checked before the weights load (no GGUF needed)."""

import pytest

from faithbench.api.errors import UserError
from faithbench.models.args import count_arg, flag_arg


@pytest.mark.parametrize("value, read", [(True, True), (False, False), (1, True), (0, False)])
def test_a_flag_takes_what_lm_eval_types_true_and_false_as(value, read):
    assert flag_arg("share_prefix", value) is read


@pytest.mark.parametrize("value", ["maybe", "yes", 2, -1, 0.5, None])
def test_a_flag_refuses_anything_else(value):
    with pytest.raises(UserError, match="share_prefix must be true or false"):
        flag_arg("share_prefix", value)


@pytest.mark.parametrize("value", [0, -3, "abc", 1.5, True])
def test_a_count_refuses_what_is_not_a_whole_number_of_at_least_one(value):
    with pytest.raises(UserError, match="n_seq must be a whole number >= 1"):
        count_arg("n_seq", value)


@pytest.mark.parametrize("args", [
    {"n_seq": 0}, {"n_seq": -3}, {"share_prefix": "maybe"}, {"flash_attn": 2}, {"full_generations": "yes"},
    {"continuous": "maybe"},
])
def test_the_embedded_model_refuses_them_before_loading(args, monkeypatch):
    pytest.importorskip("llama_cpp")
    from faithbench.models import llama_cpp

    def loaded(*_a, **_k):
        raise AssertionError("the weights were loaded before the args were checked")

    monkeypatch.setattr(llama_cpp, "load_llama", loaded)
    with pytest.raises(UserError, match="must be"):
        llama_cpp.LlamaCppLM(**args)


def test_the_cli_says_so_in_one_line(run_fake, tmp_path):
    result = run_fake(tmp_path / "out", "--model-args", "full_generations=yes", tasks="iphr", limit=1)
    assert result.exit_code != 0
    assert "model arg full_generations must be true or false, not 'yes'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [{"n_ctx": 0}, {"n_ctx": -1}, {"n_batch": 0}])
def test_a_context_or_batch_of_no_tokens_is_refused_before_loading(args, monkeypatch):
    """``n_ctx=0`` made llama.cpp take the model's own context while faithbench cut every prompt
    to 0 tokens and still wrote results; ``n_batch=0`` failed only once the weights loaded."""
    pytest.importorskip("llama_cpp")
    from faithbench.models import llama_cpp

    monkeypatch.setattr(llama_cpp, "load_llama", lambda *_a, **_k: pytest.fail("loaded before the check"))
    with pytest.raises(UserError, match=f"{next(iter(args))} must be a whole number >= 1"):
        llama_cpp.LlamaCppLM(**args)
