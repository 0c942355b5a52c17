"""Reasoning models: every format a thinking channel arrives in is parsed into channels, the
thinking is judged apart from the answer, and a planted divergence is recovered."""

import pytest
from anthropic_server import FakeAnthropicServer
from conftest import metric, read_results, read_samples
from openai_server import FakeOpenAIServer

from faithbench.models.channels import from_anthropic, from_openai, split_text


def test_inline_thinking_formats():
    assert split_text("<think>hmm (B)</think>\nThe best answer is: (B).") == (
        "hmm (B)",
        "The best answer is: (B).",
    )
    assert split_text("<think>still thinking when the budget ran out") == (
        "still thinking when the budget ran out",
        "",
    )
    assert split_text("thought in a template that opened the tag</think>Answer: C") == (
        "thought in a template that opened the tag",
        "Answer: C",
    )
    harmony = (
        "<|channel|>analysis<|message|>the hint says B<|end|><|start|>assistant<|channel|>final<|message|>B"
    )
    assert split_text(harmony) == ("the hint says B", "B")
    assert split_text("[R]x[/R] y", ("[R]", "[/R]")) == ("x", "y")
    assert split_text("no thinking here") == (None, "no thinking here")


def test_api_reasoning_fields_and_blocks():
    reply = {"choices": [{"message": {"content": "B", "reasoning_content": "because of the hint"}}]}
    assert from_openai(reply) == ("because of the hint", False)
    assert from_openai({"choices": [{"message": {"content": "B", "reasoning": "r"}}]}) == ("r", False)
    blocks = {"content": [{"type": "thinking", "thinking": "t1"}, {"type": "text", "text": "B"}]}
    thinking, redacted, text_only = from_anthropic(blocks)
    assert (thinking, redacted, text_only["content"]) == ("t1", False, [{"type": "text", "text": "B"}])
    assert from_anthropic(
        {"content": [{"type": "redacted_thinking", "data": "x"}, {"type": "text", "text": "B"}]}
    )[:2] == (
        None,
        True,
    )


def _judged(samples):
    return [s for s in samples if s["condition"] == "suggested_answer" and s.get("judgements")]


@pytest.mark.parametrize("style", ["field", "inline"])
def test_openai_compatible_thinking_is_its_own_channel(run_fake, tmp_path, style):
    with FakeOpenAIServer(reasoning=style) as server:
        args = f"base_url={server.base}/chat/completions,model=r1"
        result = run_fake(tmp_path, "--model-args", args, model="local-chat-completions", limit=3)
    assert result.exit_code == 0, result.output
    samples = read_samples(tmp_path, "local-chat-completions__r1")
    assert all(s["reasoning"] == FakeOpenAIServer.THOUGHT for s in samples)
    assert all("<think>" not in (s["response"] or "") for s in samples)
    for s in _judged(samples):
        assert s["judgements"]["rules@thinking"] is True and s["verbalized_by_channel"]["thinking"] is True


@pytest.mark.parametrize("thinking", ["visible", "redacted"])
def test_anthropic_thinking_blocks(run_fake, tmp_path, monkeypatch, thinking):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    with FakeAnthropicServer(thinking=thinking) as server:
        flags = ("--model-args", f"base_url={server.url},model=claude-test", "--thinking-budget", "1024")
        result = run_fake(tmp_path, *flags, "--max-gen-toks", "2048", model="anthropic-chat", limit=2)
    assert result.exit_code == 0, result.output
    samples = read_samples(tmp_path, "anthropic-chat__claude-test")
    if thinking == "visible":
        assert all(s["reasoning"].startswith("You suggested") for s in samples)
        assert all(s["judgements"]["rules@thinking"] is True for s in _judged(samples))
    else:  # redacted thinking is recorded as such and never judged as if it were empty
        assert all(s["reasoning_redacted"] and s["reasoning"] is None for s in samples)
        assert all(s["judgements"]["rules@thinking"] is None for s in _judged(samples))


def test_the_thinking_rationalizers_planted_divergence_is_recovered(run_fake, tmp_path):
    flags = ("--model-args", "mode=thinking")
    assert run_fake(tmp_path, *flags, model="rationalizer", limit=40).exit_code == 0
    results = read_results(tmp_path, "rationalizer")
    ahead = metric(results, "suggested_answer", "thinking_not_answer", "suggested_answer")
    behind = metric(results, "suggested_answer", "answer_not_thinking", "suggested_answer")
    assert ahead["value"] == 1.0 and ahead["n"] >= 20 and ahead["ci_low"] == 1.0
    assert behind["value"] == 0.0
    by_judge = {
        k: {v["metric"]: v["value"] for v in vs}
        for k, vs in results["tasks"]["suggested_answer"]["judges"]["by_judge"].items()
    }
    assert (
        by_judge["rules@thinking"]["articulation"] == 1.0 and by_judge["rules@answer"]["articulation"] == 0.0
    )
    assert metric(results, "suggested_answer", "cut_off_in_thinking_rate", "suggested_answer")["value"] == 0.0
    channels = {r["channel"]: r["articulation"]["value"] for r in results["faithfulness"] if "channel" in r}
    assert channels == {"thinking": 1.0, "answer": 0.0}


def test_a_thinking_budget_must_leave_room_for_an_answer(run_fake, tmp_path):
    result = run_fake(tmp_path, "--thinking-budget", "2000", "--max-gen-toks", "1500")
    assert result.exit_code == 2 and "--max-gen-toks must exceed --thinking-budget" in result.output


def test_interventions_edit_the_thinking_where_the_backend_takes_raw_text(run_fake, tmp_path):
    assert (
        run_fake(
            tmp_path / "raw",
            "--model-args",
            "mode=thinking",
            model="rationalizer",
            tasks="cot_interventions",
            limit=4,
        ).exit_code
        == 0
    )
    samples = read_samples(tmp_path / "raw", "rationalizer")
    assert samples and all(s["intervened_on"] == "thinking" for s in samples)
    aoc = metric(
        read_results(tmp_path / "raw", "rationalizer"), "cot_interventions", "aoc", "early_answering"
    )
    assert aoc["value"] == 0.0  # the planted answer never depends on the thinking
    with FakeOpenAIServer(reasoning="field") as server:
        args = f"base_url={server.base}/chat/completions,model=r1"
        result = run_fake(
            tmp_path / "chat",
            "--model-args",
            args,
            model="local-chat-completions",
            tasks="cot_interventions",
            limit=2,
        )
    assert result.exit_code == 0, result.output
    chat = read_samples(tmp_path / "chat", "local-chat-completions__r1")
    assert all("cannot be edited" in s["intervened_on"] for s in chat)


def test_the_site_carries_the_channel_rows(run_fake, tmp_path):
    from faithbench_leaderboard import site_data, write_site

    assert run_fake(tmp_path, "--model-args", "mode=thinking", model="rationalizer", limit=20).exit_code == 0
    results = read_results(tmp_path, "rationalizer")
    rows = [r for r in site_data([results])["runs"][0]["faithfulness"] if r.get("channel")]
    assert {r["channel"] for r in rows} == {"thinking", "answer"}
    index = write_site([results], tmp_path / "site")
    assert "By channel" in (index.parent / "assets" / "app.js").read_text()
