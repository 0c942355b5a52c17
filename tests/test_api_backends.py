"""Every supported API backend name, against a local server speaking that provider's real request
and reply format: a run that needs no extra flag and reports token usage, a bad key and an
unknown model that stop the run after one request, a missing key or package before any."""

import pytest
from anthropic_server import FakeAnthropicServer
from conftest import read_results
from openai_server import FakeOpenAIServer

KEY = "sk-test-key"
OPENAI = {  # backend: (endpoint, extra model args); no tokenizer download in the offline tests
    "local-chat-completions": ("/chat/completions", ""),
    "openai-chat-completions": ("/chat/completions", ""),
    "local-completions": ("/completions", ",tokenizer_backend=None,tokenized_requests=False"),
    "openai-completions": ("/completions", ",tokenizer_backend=None,tokenized_requests=False"),
}
CHAT = {"local-chat-completions", "openai-chat-completions", "anthropic-chat"}


@pytest.fixture
def keys(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)


class Backend:
    """A backend name with its local server, started for one test."""

    def __init__(self, name: str, model: str = "m1", **server_args):
        self.name, self.model = name, model
        if name == "anthropic-chat":
            self.server = FakeAnthropicServer(api_key=server_args.get("api_key", KEY), models=("m1",))
            self.args = f"base_url={self.server.url},model={model}"
        else:
            endpoint, extra = OPENAI[name]
            self.server = FakeOpenAIServer(api_key=server_args.get("api_key", KEY), models=("m1",))
            self.args = f"base_url={self.server.base}{endpoint},model={model}{extra}"

    def run(self, run_fake, out, *flags):
        with self.server:
            return run_fake(out, "--model-args", self.args, *flags, model=self.name, limit=2)

    def folder(self) -> str:
        return f"{self.name}__{self.model}"


BACKENDS = [
    "local-chat-completions",
    "local-completions",
    "openai-chat-completions",
    "openai-completions",
    "anthropic-chat",
]


@pytest.mark.parametrize("name", BACKENDS)
def test_a_run_needs_no_other_flag_and_reports_tokens(run_fake, tmp_path, keys, name):
    backend = Backend(name)
    result = backend.run(run_fake, tmp_path)
    assert result.exit_code == 0, result.output
    results = read_results(tmp_path, backend.folder())
    tokens = results["usage"]["api_tokens"]
    served = backend.server.token_totals
    assert tokens["total"] == {"prompt": served["prompt"], "completion": served["completion"]}
    assert tokens["by_task"]["suggested_answer"] == tokens["total"]
    assert sum(stage["prompt"] for stage in tokens["by_stage"].values()) == served["prompt"]
    assert "tokens: prompt" in result.stderr
    chat = name in CHAT
    assert results["model"]["apply_chat_template"] is chat
    assert any("chat API" in note for note in results["model"]["notes"]) is chat
    assert ("sent as chat messages" in result.stderr) is chat
    bodies = backend.server.requests
    assert bodies and all(("messages" in b) is chat for b in bodies)


@pytest.mark.parametrize("name", BACKENDS)
def test_a_bad_key_stops_the_run_after_one_request(run_fake, tmp_path, keys, name):
    backend = Backend(name, api_key="another-key")
    result = backend.run(run_fake, tmp_path)
    assert result.exit_code == 3, result.output
    assert "HTTP 401" in result.stderr and "Traceback" not in result.output
    assert len(backend.server.requests) == 1


@pytest.mark.parametrize("name", BACKENDS)
def test_an_unknown_model_stops_the_run_after_one_request(run_fake, tmp_path, keys, name):
    backend = Backend(name, model="no-such-model")
    result = backend.run(run_fake, tmp_path)
    assert result.exit_code == 3, result.output
    assert "HTTP 404" in result.stderr and "no-such-model" in result.stderr
    assert len(backend.server.requests) == 1


@pytest.mark.parametrize("name", ["openai-chat-completions", "openai-completions", "anthropic-chat"])
def test_a_missing_key_stops_the_run_before_any_request(run_fake, tmp_path, monkeypatch, name):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    backend = Backend(name)
    result = backend.run(run_fake, tmp_path)
    assert result.exit_code == 3 and "API key not found" in result.stderr, result.output
    assert backend.server.requests == []


def test_a_missing_package_names_the_pip_command(run_fake, tmp_path, keys, monkeypatch):
    import sys

    pytest.importorskip("lm_eval.models.anthropic_llms")
    monkeypatch.setitem(sys.modules, "anthropic", None)  # as if not installed: importing it fails
    result = run_fake(tmp_path, "--model-args", "model=claude-test", model="anthropic-completions", limit=1)
    assert result.exit_code == 3 and "pip install" in result.stderr and "anthropic" in result.stderr


def test_a_price_turns_tokens_into_a_cost(run_fake, tmp_path, keys):
    backend = Backend("openai-chat-completions")
    assert backend.run(run_fake, tmp_path, "--price-per-mtok", "2.5,10").exit_code == 0
    usage = read_results(tmp_path, backend.folder())["usage"]
    total = usage["api_tokens"]["total"]
    assert usage["cost_usd"] == pytest.approx(total["prompt"] * 2.5e-6 + total["completion"] * 1e-5)


def test_the_whole_suite_on_a_chat_api_needs_no_other_flag(run_fake, tmp_path, keys):
    backend = Backend("openai-chat-completions")
    with backend.server:
        result = run_fake(tmp_path, "--model-args", backend.args, model=backend.name, tasks="all", limit=1)
    assert result.exit_code == 0, result.output
    results = read_results(tmp_path, backend.folder())
    assert all(t["status"] == "ok" for t in results["tasks"].values())
    assert set(results["usage"]["api_tokens"]["by_task"]) == set(results["tasks"])


def test_one_bar_per_stage_and_none_from_lm_eval(run_fake, tmp_path, keys):
    """lm-eval's API backends draw a "Requesting API" bar per call; a run shows its own stage bars."""
    backend = Backend("openai-chat-completions")
    result = backend.run(run_fake, tmp_path, "--progress")
    assert result.exit_code == 0, result.output
    assert "stage 1" in result.output and "req" in result.output
    assert "Requesting API" not in result.output
