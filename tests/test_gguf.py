"""The real embedded model (Gemma 3 270M GGUF via llama-cpp-python) on a few items."""

import pytest
from conftest import EMBEDDED_TASKS, ROOT, metric, read_results, read_samples
from lm_eval.api.instance import Instance

from faithbench.results.io import validate_file

pytestmark = pytest.mark.gguf


@pytest.fixture
def lm(embedded_lm):
    return embedded_lm  # loaded once per test run (conftest)


def ll(lm, ctx, cont):
    return lm.loglikelihood([Instance("loglikelihood", {}, (ctx, cont), 0)])[0]


def gen(lm, ctx, n=12):
    return lm.generate_until([Instance("generate_until", {}, (ctx, {"max_gen_toks": n}), 0)])[0]


QUESTION = "Q: What is 12 + 30?\nAnswer choices:\n(A) 42\n(B) 40\n(C) 52\n(D) 32\nThe best answer is: ("


def test_kv_cache_reuse_gives_the_same_numbers_as_a_fresh_pass(lm):
    lm.llm.reset()
    fresh = [ll(lm, QUESTION, f"{x})") for x in "ABCD"]  # first call evaluates the whole prompt
    reused_before = lm.stats.reused
    gen(lm, "An unrelated prompt about the weather today", 4)  # evict the cached prefix
    again = [ll(lm, QUESTION, f"{x})") for x in "ABCD"]
    assert lm.stats.reused > reused_before  # options B-D reused the question's prefix
    for (a, ga), (b, gb) in zip(fresh, again, strict=True):
        assert a == pytest.approx(b, abs=1e-3) and ga == gb
    assert max(fresh)[0] < 0 and sum(g for _, g in fresh) <= 1


def test_generation_is_deterministic_and_reuses_the_prompt(lm):
    first = gen(lm, QUESTION)
    evaluated = lm.stats.evaluated
    second = gen(lm, QUESTION)
    assert first == second and first
    assert lm.stats.evaluated - evaluated <= 1  # only the last prompt token was re-run


def test_stop_sequences_cut_generation(lm):
    text = gen(lm, "Count: 1, 2, 3, 4,", 20)
    lm_stop = lm.generate_until(
        [
            Instance(
                "generate_until",
                {},
                ("Count: 1, 2, 3, 4,", {"max_gen_toks": 20, "until": [","]}),
                0,
            )
        ]
    )[0]
    assert "," not in lm_stop and text.startswith(lm_stop)


def test_default_model_end_to_end(embedded_run, embedded_lm):
    """The README's first command, small: the embedded model on the default settings, its own
    observer, one shared run (conftest ``embedded_run``)."""
    result, out = embedded_run
    assert result.exit_code == 0, result.output
    assert validate_file(out / "llama-cpp" / "results.json") == []
    results = read_results(out, "llama-cpp")
    assert results["model"]["name"] == "llama-cpp"
    assert {t: results["tasks"][t]["status"] for t in EMBEDDED_TASKS} == dict.fromkeys(EMBEDDED_TASKS, "ok")
    usage = results["usage"]
    assert usage["model_calls"]["generate_until"] >= 3 and usage["tokens"]["generated"] > 0
    assert usage["tokens"]["reused"] > 0  # cues of one question share its prefix in the KV cache
    observer = results["observer"]
    assert observer["self_observer"] and observer["smoke_test"]  # the 270M model reads itself
    assert usage["side_models"]["observer"]["model_calls"]["loglikelihood"] > 0
    samples = [s for s in read_samples(out, "llama-cpp") if s["task"] == "suggested_answer"]
    assert {s["condition_kind"] for s in samples} == {"control", "cue", "placebo"}, samples
    for s in samples:  # every generated CoT is the model's, within the token budget
        assert s["response"] and len(embedded_lm.tokenize(s["response"])) <= 17


def test_introspection_tasks_run_on_the_embedded_model(embedded_run):
    """The three introspection families on the real model, from the shared small run (conftest
    ``embedded_run``: one item, 16 tokens, two samples per IPHR question); here beside the other
    checks of that run, so `pytest -n 2 --dist loadfile` makes it on one worker only."""
    result, out = embedded_run
    assert result.exit_code == 0, result.output
    results = read_results(out, "llama-cpp")
    assert all(results["tasks"][t]["status"] == "ok" for t in ("introspection", "cue_self_report", "iphr"))
    samples = read_samples(out, "llama-cpp")
    probes = [s for s in samples if s["task"] == "introspection"]
    assert probes and all(s["response"] and s["hypothetical"] and s["actual"] is not None for s in probes)
    for s in probes:  # each property scored on the model's own object-level answer and its prediction
        assert metric(results, "introspection", "self_prediction_accuracy", s["property"])["n"] == 1
    pairs = [s for s in samples if s["task"] == "iphr"]
    assert len(pairs) == 2 and len({s["pair"] for s in pairs}) == 1  # both orders of one comparison
    assert all(len(s["responses"]) == 2 and all(s["responses"]) for s in pairs)  # --samples-per-question
    cued = [s for s in samples if s["task"] == "cue_self_report" and s["condition_kind"] == "cue"]
    assert cued and all(s["self_report_text"] for s in cued)  # the model was asked about the cue


def test_model_args_set_the_threads_and_one_load_is_shared(embedded_lm, monkeypatch):
    from faithbench.models import llama_load
    from faithbench.models.llama_cpp import LlamaCppLM

    assert LlamaCppLM().llm is embedded_lm.llm  # same file and settings: no second load
    own = LlamaCppLM(n_ctx=320, n_threads="1")  # --model-args n_threads=1 (not the chatter test's)
    assert own.llm is not embedded_lm.llm and own.llm.n_threads == own.llm.n_threads_batch == 1
    monkeypatch.setattr(llama_load.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert llama_load.default_threads() == llama_load.physical_cores() >= 1  # quiet: every core
    monkeypatch.setattr(llama_load.os, "getloadavg", lambda: (64.0, 0.0, 0.0))
    assert llama_load.default_threads() == 1  # every core busy: one thread, not a stalled pair


def test_scoring_k_truncations_costs_about_one_pass(lm):
    from faithbench.api.prompts import Prompt
    from faithbench.helpers import ANSWER_CUE

    cot = gen(lm, QUESTION.rsplit("\n", 1)[0] + "\nLet's think step by step:", 60)
    prompt = Prompt.user("Q: What is 12 + 30?\nAnswer choices:\n(A) 42\n(B) 40\n(C) 52\n(D) 32")
    words = cot.split()
    prefixes = [" ".join(words[: len(words) * k // 4]) for k in range(5)]
    requests = [
        Instance("loglikelihood", {}, (prompt.with_prefill(p + ANSWER_CUE).as_text(), x), 0)
        for p in prefixes
        for x in "ABCD"
    ]
    lm.clear_cache()
    before = lm.stats.evaluated
    lm.loglikelihood(requests)
    evaluated = lm.stats.evaluated - before
    full = len(lm.tokenize(prompt.with_prefill(prefixes[-1] + ANSWER_CUE).as_text()))
    assert evaluated <= full + 5 * 12  # each later truncation adds only its new words and the cue


def test_prompts_cut_to_fit_a_small_context_are_marked_and_warned(run_cli, tmp_path):
    result = run_cli(
        "run",
        "--tasks",
        "suggested_answer",
        "--limit",
        "1",
        "--max-gen-toks",
        "16",
        "--model-args",
        "n_ctx=96",
        "--observer",
        "none",
        "--output-path",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.output
    assert "were left-truncated" in result.stderr
    samples = read_samples(tmp_path, "llama-cpp")
    assert samples and all(s.get("truncated_prompt") for s in samples)


def test_iphr_on_the_released_questions_with_the_embedded_model(run_cli, tmp_path):
    release = ROOT.parent / "shared" / "chainscope_iphr"
    if not release.is_dir():
        pytest.skip("../shared/chainscope_iphr not present")
    result = run_cli(
        "run", "--tasks", "iphr", "--items", f"chainscope:{release}", "--limit", "1",
        "--samples-per-question", "2", "--max-gen-toks", "16", "--observer", "none",
        "--output-path", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert read_results(tmp_path, "llama-cpp")["tasks"]["iphr"]["status"] == "ok"


def test_llama_cpp_start_up_chatter_is_silenced(capfd):
    """llama.cpp writes its own log lines to fd 2 (model metadata, the SWA cache note) even with
    verbose=False; a run shows none of them."""
    from faithbench.models.llama_cpp import LlamaCppLM

    LlamaCppLM(n_ctx=256)
    err = capfd.readouterr().err
    assert "llama_" not in err and "SWA" not in err, err[:500]
