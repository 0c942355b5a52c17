"""End to end through the CLI with the fake model and a local OpenAI-compatible server."""

import json

from conftest import metric, read_results, read_samples
from openai_server import FakeOpenAIServer

from faithbench.results.io import validate_file


def test_run_all_writes_valid_results_and_samples(run_fake, tmp_path):
    out = tmp_path / "out"
    result = run_fake(out, tasks="all", limit=30)
    assert result.exit_code == 0, result.output
    assert validate_file(out / "fake" / "results.json") == []
    results = read_results(out)
    task = results["tasks"]["suggested_answer"]
    assert task["status"] == "ok" and task["n_items"] == 30 and task["version"] == "1.1"
    samples = [s for s in read_samples(out) if s["task"] == "suggested_answer"]
    assert len(samples) == 30 * 3
    assert {s["condition"] for s in samples} == {"no_cue", "suggested_answer", "placebo"}
    # cue target shared across conditions and never the gold answer
    by_item = {}
    for s in samples:
        by_item.setdefault(s["item_id"], set()).add(s["target"])
        assert s["target"] != s["gold"]
    assert all(len(t) == 1 for t in by_item.values())
    # the fake follows the cue on ~70% of items and ignores the placebo
    bs = metric(results, "suggested_answer", "bias_susceptibility", "suggested_answer")
    assert 0.3 < bs["value"] < 0.9 and bs["n"] == 30 and bs["ci_low"] < bs["value"] < bs["ci_high"]
    placebo = metric(results, "suggested_answer", "bias_susceptibility", "placebo")
    assert placebo["value"] == 0.0
    assert "suggested_answer" in result.output  # the summary table


def test_bias_zero_model_measures_zero_and_cue_text_reaches_the_prompt(run_fake, tmp_path):
    out = tmp_path / "out"
    assert run_fake(out, "--model-args", "bias=0", tasks="suggested_answer", limit=10).exit_code == 0
    results = read_results(out, "fake")
    assert metric(results, "suggested_answer", "bias_susceptibility", "suggested_answer")["value"] == 0
    cued = [s for s in read_samples(out) if s["condition"] == "suggested_answer"]
    letter = "ABCD"[cued[0]["target"]]
    assert f"I think the answer is ({letter}) but I'm curious" in cued[0]["prompt"][0]["content"]


def test_same_seed_same_items_different_seed_different_items(run_fake, tmp_path):
    def items(run_fake, seed, name):
        out = tmp_path / name
        run_fake(out, "--seed", str(seed), tasks="suggested_answer", limit=5)

    for spec in ("suggested_*", "suggested_answer,suggested_answer"):
        out = tmp_path / spec.replace("*", "x").replace(",", "_")
        result = run_fake(out, tasks=spec, limit=2)
        assert result.exit_code == 0
        assert list(read_results(out)["tasks"]) == ["suggested_answer"]


def test_num_fewshot_prepends_solved_exemplars(run_fake, tmp_path):
    out = tmp_path / "out"
    assert run_fake(out, "--num-fewshot", "3", tasks="suggested_answer", limit=2).exit_code == 0
    prompt = read_samples(out)[0]["prompt"][0]["content"]
    # each exemplar repeats the instruction and ends with its solved answer (Turpin's format)
    assert prompt.count("The best answer is: (") == 3 * 2 + 1
    assert prompt.count("Answer choices:") == 4
    test_question = prompt.split("\n\n\n")[-1].split("\n")[0]
    assert prompt.count(test_question) == 1  # exemplars come from a disjoint split


def test_user_jsonl_items(run_fake, tmp_path):
    data = tmp_path / "items.jsonl"
    rows = [{"question": f"Which is {i}?", "options": [str(i), "x", "y"], "gold": 0} for i in range(4)]
    data.write_text("\n".join(json.dumps(r) for r in rows))
    out = tmp_path / "out"
    assert run_fake(out, "--data", str(data), tasks="suggested_answer").exit_code == 0
    samples = read_samples(out)
    assert len(samples) == 12 and samples[0]["prompt"][0]["content"].startswith("Which is 0?")


def test_gen_kwargs_and_max_gen_toks_reach_the_model(run_fake, tmp_path):
    with FakeOpenAIServer() as server:
        result = run_fake(
            tmp_path,
            "--model-args",
            f"base_url={server.base}/chat/completions,model=m1",
            "--apply-chat-template",
            "--max-gen-toks",
            "333",
            "--gen-kwargs",
            "temperature=0.5",
            model="local-chat-completions",
            tasks="suggested_answer",
            limit=2,
        )
        assert result.exit_code == 0, result.output
        bodies = [r for r in server.requests if "messages" in r]
    assert bodies and all(b["max_tokens"] == 333 and b["temperature"] == 0.5 for b in bodies)


def test_api_model_through_lm_eval_registry(run_fake, tmp_path):
    with FakeOpenAIServer() as server:
        result = run_fake(
            tmp_path,
            "--model-args",
            f"base_url={server.base}/chat/completions,model=test-model",
            "--apply-chat-template",
            model="local-chat-completions",
            tasks="suggested_answer",
            limit=4,
        )
        assert result.exit_code == 0, result.output
        assert len(server.requests) == 4 * 3  # one CoT per item x condition, answers stated
    results = read_results(tmp_path, "local-chat-completions__test-model")
    assert results["model"]["name"] == "local-chat-completions"
    assert results["model"]["max_length"] > 2048  # lm-eval's silent-truncation default overridden
    assert metric(results, "suggested_answer", "bias_susceptibility", "suggested_answer")["n"] == 4


def test_validate_command(run_fake, run_cli, tmp_path):
    run_fake(tmp_path, tasks="suggested_answer", limit=2)
    good = tmp_path / "fake" / "results.json"
    assert run_cli("validate", str(good)).exit_code == 0
    bad = tmp_path / "bad.json"
    data = json.loads(good.read_text())
    data["tasks"]["suggested_answer"]["metrics"][0]["n"] = -1
    del data["model"]
    bad.write_text(json.dumps(data))
    result = run_cli("validate", str(good), str(bad))
    assert result.exit_code != 0
    assert "bad.json: INVALID" in result.output and "model" in result.output
    assert "Traceback" not in result.output


def test_openai_chat_keeps_requested_temperature_for_non_reasoning_models(
    run_fake, run_cli, tmp_path, monkeypatch
):
    """lm-eval forces temperature=1 and drops stops for any model name containing "5"."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key-not-real")
    with FakeOpenAIServer() as server:
        for model in ("gpt-3.5-turbo", "gpt-5-mini"):
            result = run_fake(
                tmp_path / model,
                "--model-args",
                f"base_url={server.base}/chat/completions,model={model}",
                "--apply-chat-template",
                model="openai-chat-completions",
                tasks="suggested_answer",
                limit=1,
            )
            assert result.exit_code == 0, result.output
        bodies = {b["model"]: b for b in server.requests}
    assert bodies["gpt-3.5-turbo"]["temperature"] == 0
    assert bodies["gpt-5-mini"]["temperature"] == 1  # a real reasoning model: recorded, not hidden
    notes = read_results(tmp_path / "gpt-5-mini", "openai-chat-completions__gpt-5-mini")["model"]["notes"]
    assert notes and "temperature=1" in notes[0]
    assert any("sk-test-key-not-real" in h.get("Authorization", "") for h in server.headers)
    written = "".join(p.read_text() for p in tmp_path.rglob("*.json*"))
    assert "sk-test-key-not-real" not in written
