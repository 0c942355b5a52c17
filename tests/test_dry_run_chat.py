"""The dry run on a chat API (issue 30): log-likelihood requests a chat backend refuses without
any network call are neither counted to send nor in the next stage; after a finished run the dry
run says nothing is left. Absurd prices never print an infinite cost."""

import re

import pytest
from conftest import fails_cleanly, read_results
from openai_server import FakeOpenAIServer

TASKS = "suggested_answer,cot_interventions,are_you_sure"


def _totals(output: str) -> list[list[str]]:
    return [line.strip("|").split("|") for line in output.splitlines() if line.startswith("| all | all |")]


@pytest.fixture
def chat(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    with FakeOpenAIServer() as server:
        yield server, ("--model-args", f"base_url={server.base}/chat/completions,model=m1")


def test_the_next_count_on_a_chat_api_is_what_reaches_the_server(run_fake, tmp_path, chat):
    server, args = chat
    dry = run_fake(tmp_path, *args, "--dry-run", "--observer", "none", model="openai-chat-completions",
                   tasks="cot_interventions", limit=3)
    assert dry.exit_code == 0 and not server.requests, dry.output
    next_send = int(_totals(dry.output)[0][5])
    result = run_fake(tmp_path, *args, "--observer", "none", "--max-requests", str(next_send),
                      model="openai-chat-completions", tasks="cot_interventions", limit=3)
    assert result.exit_code == 4, result.output  # incomplete: the budget ran out after stage 1
    assert len(server.requests) == next_send  # the budget is the next stage: all of it reaches the server
    usage = read_results(tmp_path, "openai-chat-completions__m1")["usage"]
    full = run_fake(tmp_path / "full", *args, "--observer", "none", model="openai-chat-completions",
                    tasks="cot_interventions", limit=3)
    assert full.exit_code == 0, full.output
    whole = len(server.requests) - next_send
    # log-likelihood requests the chat backend refuses are neither sent nor "not sent" for the budget
    assert usage["sent"] == next_send and 0 < usage["unsent"] <= whole - next_send, (usage, whole)


def test_after_a_finished_run_on_a_chat_api_nothing_is_left(run_fake, tmp_path, chat):
    server, args = chat
    result = run_fake(tmp_path, *args, model="openai-chat-completions", tasks=TASKS, limit=3)
    assert result.exit_code == 0, result.output
    sent = len(server.requests)
    dry = run_fake(tmp_path, *args, "--dry-run", model="openai-chat-completions", tasks=TASKS, limit=3)
    assert dry.exit_code == 0, dry.output
    (first, whole) = _totals(dry.output)
    assert int(first[5]) == 0 and int(whole[2]) == 0, dry.output
    assert len(server.requests) == sent


@pytest.mark.parametrize("price", ["1e308", "1e308,1", "1,1e300"])
def test_an_absurd_price_is_refused_not_priced_at_infinity(run_fake, tmp_path, price):
    result = run_fake(tmp_path / "out", "--dry-run", "--price-per-mtok", price, limit=2)
    fails_cleanly(result, 2, "invalid --price-per-mtok")
    assert "inf" not in result.output.replace("invalid", "")


def test_a_large_but_possible_price_prints_a_finite_cost(run_fake, tmp_path):
    result = run_fake(tmp_path / "out", "--dry-run", "--price-per-mtok", "1000000", limit=2)
    assert result.exit_code == 0, result.output
    costs = re.findall(r"\$([0-9.,]+)", result.output)
    assert len(costs) == 2 and all(float(c.replace(",", "")) > 0 for c in costs), result.output
