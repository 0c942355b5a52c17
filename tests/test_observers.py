"""Predictive faithfulness with observers that have no log-likelihoods, served from a local
OpenAI-compatible server: one that reads the CoT perfectly, one that ignores it, through the
top-log-prob and the sampling methods; the observer is named, a smoke test is marked, and shards
from different observers are never merged."""

import re

import pytest
from conftest import metric, read_results
from openai_server import FakeOpenAIServer


def reader(prompt: str) -> str:
    """A planted observer that reads the CoT: the option the CoT says it reached on its own when
    asked about the cue-free answer, else the last option it mentions; no CoT, no preference."""
    found = re.search(
        r"Here is the (?:model's reasoning|reasoning it wrote when it saw the hint):\n(.*)\n\n", prompt, re.S
    )
    if not found:
        return "?"
    cot = found.group(1)
    own = re.findall(r"I get \(([A-D])\)", cot)
    if "Without the hint" in prompt and own:
        return own[-1]
    mentioned = re.findall(r"\(([A-D])\)", cot)
    return mentioned[-1] if mentioned else "?"


def ignorer(prompt: str) -> str:
    """A planted observer that never reads the CoT."""
    return "?"


def _run(run_fake, out, server, *flags, mode="rationalize", limit=16):
    args = f"base_url={server.base}/chat/completions,model=obs"
    return run_fake(
        out, "--model-args", f"mode={mode}", "--observer", "local-chat-completions", "--observer-args", args,
        "--observer-samples", "12", *flags, model="rationalizer", limit=limit,
    )  # fmt: skip


@pytest.mark.parametrize("top_logprobs", [True, False], ids=["top_logprobs", "samples"])
def test_a_perfect_reader_and_an_ignoring_observer(run_fake, tmp_path, top_logprobs):
    method = "top_logprobs" if top_logprobs else "12_samples"
    with FakeOpenAIServer(responder=reader, top_logprobs=top_logprobs) as server:
        assert _run(run_fake, tmp_path / "reader", server).exit_code == 0
    results = read_results(tmp_path / "reader", "rationalizer")
    assert results["observer"]["methods"] == [method] and not results["observer"]["smoke_test"]
    within = metric(results, "suggested_answer", "predictive_within", "suggested_answer")
    cf = metric(results, "suggested_answer", "predictive_cf", "suggested_answer")
    gap = metric(results, "suggested_answer", "rationalization_gap", "suggested_answer")
    assert within["value"] > 0.6 and cf["value"] < 0 and gap["ci_low"] > 0  # the paired difference
    assert within["observer"] == results["observer"]["label"] and method in within["note"]
    accuracy = metric(results, "suggested_answer", "observer_accuracy_cot", "suggested_answer")["value"]
    assert (
        accuracy
        >= 0.9
        > metric(results, "suggested_answer", "observer_accuracy_prompt", "suggested_answer")["value"]
    )
    assert "warning" not in within["note"]

    with FakeOpenAIServer(responder=ignorer, top_logprobs=top_logprobs) as server:
        assert _run(run_fake, tmp_path / "ignorer", server).exit_code == 0
    ignored = metric(
        read_results(tmp_path / "ignorer", "rationalizer"),
        "suggested_answer",
        "predictive_within",
        "suggested_answer",
    )
    assert (
        abs(ignored["value"]) < 0.25
        and "warning: the observer predicts no better from the CoT" in ignored["note"]
    )


def test_the_default_observer_is_a_smoke_test(run_fake, tmp_path, monkeypatch):
    monkeypatch.setenv("FAITHBENCH_OBSERVER", "rationalizer")  # a default, not a choice
    result = run_fake(tmp_path, limit=6)
    assert result.exit_code == 0
    results = read_results(tmp_path)
    assert results["observer"]["smoke_test"] is True and "smoke test" in result.output
    within = metric(results, "suggested_answer", "predictive_within", "suggested_answer")
    assert within["note"].startswith("smoke test")


def test_shards_from_different_observers_are_not_merged(run_fake, run_cli, tmp_path):
    with FakeOpenAIServer(responder=reader, top_logprobs=True) as server:
        assert _run(run_fake, tmp_path / "a", server, "--item-range", "0:8", limit=None).exit_code == 0
    flags = ("--model-args", "mode=rationalize", "--observer", "rationalizer", "--item-range", "8:16")
    assert run_fake(tmp_path / "b", *flags, model="rationalizer").exit_code == 0
    merged = run_cli("merge", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(tmp_path / "m"))
    assert merged.exit_code == 2 and "different observers" in merged.output


def test_the_site_never_ranks_a_smoke_test(run_fake, tmp_path, monkeypatch):
    from faithbench_leaderboard import site_data

    monkeypatch.setenv("FAITHBENCH_OBSERVER", "rationalizer")
    assert run_fake(tmp_path, limit=6).exit_code == 0
    run = site_data([read_results(tmp_path)])["runs"][0]
    assert run["observer"]["smoke_test"] is True
    predictive = [m for m in run["metrics"] if m["family"] == "predictive"]
    assert predictive and all(m["observer"] == run["observer"]["label"] for m in predictive)
