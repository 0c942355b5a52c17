"""``run --dry-run``: the requests it counts next are the requests the run then sends; its bound on
the whole run is what a run sends when every reply says as little as it can (a planted model and a
chat API answering that way), and never below what a run sends; nothing is sent or written."""

import hashlib
import re

import pytest
from conftest import read_results
from openai_server import FakeOpenAIServer
from withholding_model import withheld

SIDES = ("--judge", "rules,llm", "--judge-model", "fake", "--observer", "fake", "--monitor-model", "fake")
SIDES += ("--cross-model", "fake", "--samples-per-arm", "2")


def _sent(counted) -> int:
    return counted()


def _tables(output: str) -> list[dict[tuple[str, str], list[str]]]:
    """The dry run's two tables, each {(stage, task or model): the row's other cells}."""
    tables: list[dict] = []
    for line in output.splitlines():
        if line.startswith("| stage |"):
            tables.append({})
        elif line.startswith("| ") and not line.startswith("|---") and tables:
            cells = [c.strip() for c in line.strip("|").split("|")]
            tables[-1][(cells[0], cells[1])] = cells[2:]
    assert len(tables) == 2, output
    return tables


def _next(output: str) -> int:
    return int(_tables(output)[0][("all", "all")][3])


def _bound(output: str, row=("all", "all")) -> int:
    return int(_tables(output)[1][row][0])


@pytest.fixture
def counted(answered):
    return answered  # every synthetic model's answers, the side models' too


@pytest.fixture
def withholder(monkeypatch):
    monkeypatch.setenv("FAITHBENCH_PLUGINS", "withholding_model")
    return "withholder"


def test_the_next_count_is_what_the_run_sends(run_fake, tmp_path, counted):
    out = tmp_path / "out"
    tasks = "suggested_answer,hint_difficulty"  # the fake states its answers: one stage each
    flags = ("--samples-per-arm", "3", "--observer", "none")
    dry = run_fake(out, *flags, "--dry-run", tasks=tasks, limit=4)
    assert dry.exit_code == 0, dry.output
    assert _sent(counted) == 0 and not out.exists()  # nothing sent, nothing written
    expected = _next(dry.output)
    assert expected == 4 * 3 + 4 * 4 * 3
    assert _bound(dry.output) > expected  # answers forced after CoTs that state none: not yet known
    assert run_fake(out, *flags, tasks=tasks, limit=4).exit_code == 0
    assert _sent(counted) == expected


def test_the_bound_is_what_a_withholding_model_sends(run_fake, tmp_path, counted, withholder):
    """Every task, every judge and side model: the bound is met exactly, row by row of side models."""
    out = tmp_path / "out"
    dry = run_fake(out, *SIDES, "--dry-run", tasks="all", limit=2, model=withholder)
    assert dry.exit_code == 0, dry.output
    assert _sent(counted) == 0 and not out.exists()
    bound = _bound(dry.output)
    assert bound > 2 * _next(dry.output)  # most of the run comes after the first stage
    assert run_fake(out, *SIDES, tasks="all", limit=2, model=withholder).exit_code == 0
    assert _sent(counted) == bound
    usage = read_results(out, withholder)["usage"]
    for role, stage in (("observer", "observer"), ("monitor", "monitor"), ("cross", "cross")):
        assert usage["side_models"][role]["sent"] == _bound(dry.output, (stage, "side model fake")) > 0
    assert usage["judge_models"]["fake"]["sent"] == _bound(dry.output, ("judge", "judge model fake")) > 0
    rows = _tables(dry.output)[1]
    assert {s for s, _ in rows} >= {"1", "2", "3", "4"}  # are-you-sure and interventions go to stage 4


def test_a_model_that_states_its_answers_sends_fewer(run_fake, tmp_path, counted):
    out = tmp_path / "out"
    dry = run_fake(out, *SIDES, "--dry-run", tasks="all", limit=2)
    assert dry.exit_code == 0, dry.output
    assert run_fake(out, *SIDES, tasks="all", limit=2).exit_code == 0
    assert _next(dry.output) < _sent(counted) < _bound(dry.output)


def test_after_a_partial_run_it_counts_what_is_left(run_fake, tmp_path, counted, withholder):
    out = tmp_path / "out"
    flags = ("--judge", "rules,llm", "--judge-model", "fake", "--observer", "fake")
    tasks = "suggested_answer,cot_interventions,are_you_sure"
    fresh = run_fake(out, *flags, "--dry-run", tasks=tasks, limit=6, model=withholder)
    partial = run_fake(
        out, *flags, "--max-requests", "40", "--batch-size", "1", tasks=tasks, limit=6, model=withholder
    )
    assert partial.exit_code == 4, partial.output
    before = _sent(counted)
    dry = run_fake(out, *flags, "--dry-run", tasks=tasks, limit=6, model=withholder)
    assert dry.exit_code == 0, dry.output
    assert _bound(dry.output) == _bound(fresh.output) - before
    assert run_fake(out, *flags, tasks=tasks, limit=6, model=withholder).exit_code == 0
    assert _sent(counted) - before == _bound(dry.output)


def test_after_a_partial_run_the_next_count_is_exact(run_fake, tmp_path, counted):
    out = tmp_path / "out"
    partial = run_fake(out, "--max-requests", "7", "--batch-size", "1", limit=6)
    assert partial.exit_code == 4, partial.output
    before = _sent(counted)
    dry = run_fake(out, "--dry-run", limit=6)
    assert dry.exit_code == 0, dry.output
    left = _next(dry.output)
    assert left == 6 * 3 - before and ("1", "suggested_answer") in _tables(dry.output)[0]
    assert run_fake(out, limit=6).exit_code == 0
    assert _sent(counted) - before == left


def test_a_finished_run_has_nothing_left(run_fake, tmp_path, counted, withholder):
    out = tmp_path / "out"
    tasks = "suggested_answer,cot_interventions,are_you_sure,hint_difficulty,introspection"
    assert run_fake(out, *SIDES, tasks=tasks, limit=2, model=withholder).exit_code == 0
    dry = run_fake(out, *SIDES, "--dry-run", tasks=tasks, limit=2, model=withholder)
    assert dry.exit_code == 0, dry.output
    assert _next(dry.output) == 0 and _bound(dry.output) == 0


def withholding_reply(said: str) -> str:
    """A chat model that never states its answer; asked to finish "The best answer is: (", it names one."""
    if said.rstrip().endswith("The best answer is: ("):
        return "B)"
    return withheld(hashlib.sha256(said.encode()).hexdigest()[:10])


@pytest.mark.parametrize("responder", [withholding_reply, None], ids=["withholding", "answering"])
def test_on_a_chat_api_the_bound_counts_the_generation_fallbacks(run_fake, tmp_path, monkeypatch, responder):
    """A chat API has no log-likelihoods: answers are read by generation, five samples per reading."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    tasks = "suggested_answer,cot_interventions,are_you_sure"
    with FakeOpenAIServer(responder=responder) as server:
        args = ("--model-args", f"base_url={server.base}/chat/completions,model=m1")
        dry = run_fake(tmp_path, *args, "--dry-run", model="openai-chat-completions", tasks=tasks, limit=3)
        assert dry.exit_code == 0, dry.output
        assert not server.requests
        result = run_fake(tmp_path, *args, model="openai-chat-completions", tasks=tasks, limit=3)
        assert result.exit_code == 0, result.output
        sent = len(server.requests)
    assert sent == _bound(dry.output) if responder else _next(dry.output) <= sent < _bound(dry.output)
    assert "| 2 | cot_interventions |" in dry.output


def test_a_price_gives_a_cost_for_both(run_fake, tmp_path):
    dry = run_fake(tmp_path / "out", "--dry-run", "--price-per-mtok", "2,8", limit=3)
    assert dry.exit_code == 0, dry.output
    first, whole = _tables(dry.output)
    prompt, generated = int(first[("all", "all")][4]), int(first[("all", "all")][5])
    next_cost, run_cost = (float(x) for x in re.findall(r"\$([0-9.]+)", dry.output))
    assert next_cost == round(prompt * 2e-6 + generated * 8e-6, 4)
    prompt, generated = int(whole[("all", "all")][1]), int(whole[("all", "all")][2])
    assert run_cost == round(prompt * 2e-6 + generated * 8e-6, 4) > next_cost


def test_a_task_that_would_fail_is_named(run_fake, tmp_path):
    dry = run_fake(
        tmp_path, "--dry-run", "--num-fewshot", "1", tasks="suggested_answer,monitor_cues", limit=2
    )
    assert dry.exit_code == 0, dry.output
    assert "task 'monitor_cues' would fail: task has no few-shot exemplars" in dry.output
    assert "would fail" not in dry.output.replace("task 'monitor_cues' would fail", "")


def test_batch_api_on_an_in_process_model_is_refused_as_the_run_refuses_it(run_fake, tmp_path):
    dry = run_fake(tmp_path, "--dry-run", "--batch-api", limit=1)
    assert dry.exit_code == 2 and "--batch-api works with the OpenAI-compatible" in dry.output
    assert not tmp_path.joinpath("fake").exists()  # no batches.sqlite, nothing written
