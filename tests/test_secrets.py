"""Secrets are redacted by structure (secret-keyed args, credentials in URLs), never by replacing
text: an environment variable whose value is an ordinary word changes nothing in the results."""

import json

import pytest
from conftest import read_results, read_samples
from openai_server import FakeOpenAIServer


def _written(folder) -> str:
    return "".join(p.read_text(errors="ignore") for p in folder.rglob("*") if p.suffix in (".json", ".jsonl"))


@pytest.mark.parametrize(
    "env", [{"OPENAI_API_KEY": "null"}, {"OPENAI_API_KEY": "answer"}, {"HF_TOKEN": "fake"}]
)
def test_secret_env_values_that_are_ordinary_words_change_nothing(run_fake, tmp_path, monkeypatch, env):
    baseline = tmp_path / "baseline"
    assert run_fake(baseline, limit=2).exit_code == 0
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    out = tmp_path / "out"
    result = run_fake(out, limit=2)
    assert result.exit_code == 0, result.output
    results = read_results(out)
    assert results["model"]["name"] == "fake"
    names = {m["metric"] for m in results["tasks"]["suggested_answer"]["metrics"]}
    assert "answer_change_rate" in names and not any("redacted" in n for n in names)
    assert [s["response"] for s in read_samples(out)] == [s["response"] for s in read_samples(baseline)]


def test_credentials_in_args_and_urls_never_reach_any_file_or_output(run_fake, tmp_path):
    with FakeOpenAIServer() as server:
        host = server.base.split("://", 1)[1]
        url = f"http://alice:PW-s3cr3t-777@{host}/chat/completions?api_key=Q-s3cr3t-888&x=1"
        args = f"base_url={url},model=m1,api_key=sk-s3cr3t-999"
        result = run_fake(
            tmp_path, "--model-args", args, "--apply-chat-template", model="local-chat-completions", limit=2
        )
        assert result.exit_code == 0, result.output
        assert server.requests  # the credentials were used to call the server
    written = _written(tmp_path)
    for secret in ("PW-s3cr3t-777", "Q-s3cr3t-888", "sk-s3cr3t-999", "alice"):
        assert secret not in written and secret not in result.output
    results = read_results(tmp_path, "local-chat-completions__m1")
    assert results["model"]["args"]["model"] == "m1" and results["model"]["args"]["api_key"] == "<redacted>"
    assert (
        "<redacted>@" in results["model"]["args"]["base_url"]  # every query value too, by structure
        and "x=<redacted>" in results["model"]["args"]["base_url"]
    )
    assert "model=m1" in results["command"] and "<redacted>" in results["command"]
    assert json.loads(json.dumps(results)) == results
