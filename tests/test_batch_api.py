"""``run --batch-api`` against a local server emulating each provider's batch endpoints: results
identical to a live run, a kill between submit and collect that resubmits nothing (counted at the
server), --no-wait, expiry and partial failure resubmitting only what failed, large stages split,
``faithbench batches list|cancel``, and the accounting."""

import json
import os
import signal
import subprocess
import sys

import pytest
from batch_server import FakeBatchServer, wait_for
from conftest import ROOT, read_results, read_samples

KEY = "sk-test-key"
PROVIDERS = {  # provider: (backend, live endpoint)
    "openai": ("openai-chat-completions", "/v1/chat/completions"),
    "anthropic": ("anthropic-chat", "/v1/messages"),
}
TASKS = "suggested_answer,are_you_sure"  # are_you_sure has a second stage built from the first


@pytest.fixture(autouse=True)
def keys(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)


def args_for(server, provider):
    backend, endpoint = PROVIDERS[provider]
    return backend, f"base_url={server.url}{endpoint},model=m1", f"{backend}__m1"


def recorded(path) -> int:
    """Batches a run has recorded as accepted by the provider (read as another process would)."""
    import sqlite3

    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path) as db:
            return db.execute("SELECT COUNT(*) FROM batches WHERE state = 'submitted'").fetchone()[0]
    except sqlite3.Error:
        return 0


def run(run_fake, server, provider, out, *flags, limit=4, tasks=TASKS):
    backend, model_args, _ = args_for(server, provider)
    return run_fake(out, "--model-args", model_args, *flags, model=backend, tasks=tasks, limit=limit)


def batched(run_fake, server, provider, out, *flags, **kwargs):
    """A run in batch mode, polling as fast as the emulator answers."""
    return run(run_fake, server, provider, out, "--batch-api", "--batch-poll", "0.01", *flags, **kwargs)


def figures(out, folder):
    results = read_results(out, folder)
    return {
        (t, m["metric"], m["condition"]): (m["value"], m["ci_low"], m["ci_high"], m["n"])
        for t, e in results["tasks"].items()
        for m in e["metrics"]
    }


def answers(out, folder):
    return sorted(
        (r["task"], r["item_id"], r["condition"], r["response"], r["answer"])
        for r in read_samples(out, folder)
    )


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_batch_run_gives_the_live_results(run_fake, tmp_path, provider):
    with FakeBatchServer(provider) as server:
        _, _, folder = args_for(server, provider)
        live = run(run_fake, server, provider, tmp_path / "live")
        assert live.exit_code == 0, live.output
        sent_live = server.live
        batch = run(run_fake, server, provider, tmp_path / "batch", "--batch-api", "--batch-poll", "0.01")
        assert batch.exit_code == 0, batch.output
        assert server.live == sent_live  # the batch run made no live call
    assert figures(tmp_path / "batch", folder) == figures(tmp_path / "live", folder)
    assert answers(tmp_path / "batch", folder) == answers(tmp_path / "live", folder)
    assert sum(server.submitted.values()) == sent_live  # each request once, in some batch
    assert len(server.batches) >= 2  # stage 2 went out after stage 1 was collected
    usage = read_results(tmp_path / "batch", folder)["usage"]["batches"]
    assert usage["requests"] == sent_live and len(usage["batches"]) == len(server.batches)
    assert all(b["state"] in ("completed", "ended") for b in usage["batches"])
    assert usage["tokens"]["prompt"] > 0 and usage["tokens"]["completion"] > 0


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_kill_after_submission_resubmits_nothing(run_fake, tmp_path, provider):
    out = tmp_path / "out"
    with FakeBatchServer(provider, polls=10**9) as server:  # batches never end until told to
        backend, model_args, folder = args_for(server, provider)
        command = [sys.executable, "-m", "faithbench", "run", "--model", backend, "--model-args", model_args]
        command += ["--tasks", TASKS, "--limit", "4", "--output-path", str(out), "--batch-api"]
        command += ["--batch-poll", "0.01", "--observer", "none"]
        env = {**os.environ, "OPENAI_API_KEY": KEY, "ANTHROPIC_API_KEY": KEY}
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for(lambda: recorded(out / folder / "batches.sqlite") >= 1, timeout=60)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        submitted = sum(server.submitted.values())
        assert len(server.batches) == 1 and submitted > 0
        server.polls = 1  # the provider finishes the batch while nobody is polling
        resumed = run(run_fake, server, provider, out, "--batch-api", "--batch-poll", "0.01")
        assert resumed.exit_code == 0, resumed.output
        stage_1 = server.batches[sorted(server.batches)[0]]
        assert len(stage_1["lines"]) == submitted
        assert max(server.submitted.values()) == 1  # nothing went out twice
        assert server.live == 0


def test_no_wait_stops_after_submitting_and_the_same_command_resumes(run_fake, tmp_path):
    with FakeBatchServer("openai", polls=3) as server:
        _, _, folder = args_for(server, "openai")
        live = run(run_fake, server, "openai", tmp_path / "live")
        flags = ("--batch-api", "--no-wait", "--batch-poll", "0.01")
        exits = []
        for _ in range(20):
            result = run(run_fake, server, "openai", tmp_path / "batch", *flags)
            exits.append(result.exit_code)
            if result.exit_code == 0:
                break
            assert result.exit_code == 4 and "rerun the same command to collect" in result.output
        assert exits[-1] == 0 and exits.count(4) >= 2  # stopped at least once per stage
        assert live.exit_code == 0
    assert figures(tmp_path / "batch", folder) == figures(tmp_path / "live", folder)
    assert max(server.submitted.values()) == 1


@pytest.mark.parametrize("fault", ["expire_first", "error_first"])
@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_failed_requests_alone_are_resubmitted(run_fake, tmp_path, provider, fault):
    with FakeBatchServer(provider, **{fault: True}) as server:
        _, _, folder = args_for(server, provider)
        live = run(run_fake, server, provider, tmp_path / "live", tasks="suggested_answer")
        batch = run(
            run_fake,
            server,
            provider,
            tmp_path / "batch",
            "--batch-api",
            "--batch-poll",
            "0.01",
            tasks="suggested_answer",
        )
        assert live.exit_code == 0 and batch.exit_code == 0, batch.output
    assert figures(tmp_path / "batch", folder) == figures(tmp_path / "live", folder)
    assert set(server.submitted.values()) == {2}  # each failed once, then went out again alone
    states = [b["state"] for b in read_results(tmp_path / "batch", folder)["usage"]["batches"]["batches"]]
    assert len(states) == 2


def test_retries_are_bounded(run_fake, tmp_path):
    with FakeBatchServer("openai", error_first=True) as server:
        result = run(
            run_fake, server, "openai", tmp_path, "--batch-api", "--batch-poll", "0.01", "--max-retries", "0",
            tasks="suggested_answer",
        )  # fmt: skip
    assert result.exit_code == 4, result.output
    assert set(server.submitted.values()) == {1}
    _, _, folder = args_for(server, "openai")
    errors = [r["error"] for r in read_samples(tmp_path, folder)]
    assert all(e and "failed in 1 batch(es)" in e for e in errors)


def test_a_large_stage_is_split_within_the_provider_limits(run_fake, tmp_path, monkeypatch):
    from faithbench.runner.batches import providers

    monkeypatch.setattr(providers.OpenAIBatches, "max_requests", 5)
    with FakeBatchServer("openai") as server:
        result = batched(run_fake, server, "openai", tmp_path, tasks="suggested_answer")
        assert result.exit_code == 0, result.output
    sizes = [len(b["lines"]) for b in server.batches.values()]
    assert sizes == [5, 5, 2]  # 12 requests in batches of at most 5


def test_batches_list_and_cancel(run_fake, run_cli, tmp_path):
    with FakeBatchServer("openai", polls=10**9) as server:
        _, _, folder = args_for(server, "openai")
        result = run(
            run_fake, server, "openai", tmp_path, "--batch-api", "--no-wait", tasks="suggested_answer"
        )
        assert result.exit_code == 4, result.output
        listed = run_cli("batches", "list", str(tmp_path / folder))
        assert listed.exit_code == 0 and "batch_0" in listed.output and "submitted" in listed.output
        cancelled = run_cli("batches", "cancel", str(tmp_path / folder))
        assert cancelled.exit_code == 0, cancelled.output
        assert server.batches["batch_0"]["status"] == "cancelled"
        assert "cancelled" in run_cli("batches", "list", str(tmp_path / folder)).output
    assert KEY not in listed.output + cancelled.output


def test_the_saving_is_reported_with_prices(run_fake, tmp_path):
    with FakeBatchServer("openai") as server:
        flags = ("--batch-api", "--batch-poll", "0.01", "--price-per-mtok", "2,8")
        result = run(run_fake, server, "openai", tmp_path, *flags, tasks="suggested_answer")
        assert result.exit_code == 0, result.output
    _, _, folder = args_for(server, "openai")
    usage = read_results(tmp_path, folder)["usage"]["batches"]
    tokens = usage["tokens"]
    live = tokens["prompt"] * 2e-6 + tokens["completion"] * 8e-6
    assert usage["live_cost_usd"] == pytest.approx(live, abs=1e-6)
    assert usage["cost_usd"] == pytest.approx(live / 2, abs=1e-6)
    assert usage["saving_usd"] == pytest.approx(live / 2, abs=1e-6)
    assert "saving" in result.output


def test_batch_mode_needs_an_api_backend(run_fake, tmp_path):
    assert run_fake(tmp_path, "--batch-api", limit=2).exit_code == 2
    result = run_fake(tmp_path, "--no-wait", limit=2)
    assert result.exit_code == 2 and "--no-wait goes with --batch-api" in result.output


def test_batch_records_hold_no_secret(run_fake, tmp_path):
    with FakeBatchServer("openai") as server:
        assert (
            run(
                run_fake, server, "openai", tmp_path, "--batch-api", "--batch-poll", "0.01", limit=2
            ).exit_code
            == 0
        )
    data = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert KEY.encode() not in data
    assert json.dumps(KEY).encode() not in data


def test_a_missing_sdk_names_the_pip_command(run_fake, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openai", None)  # as if the batch extra were not installed
    with FakeBatchServer("openai") as server:
        result = run(run_fake, server, "openai", tmp_path, "--batch-api", tasks="suggested_answer")
    assert result.exit_code == 2 and "pip install openai" in result.output
    assert not server.batches and server.live == 0


@pytest.mark.parametrize("provider, resent", [("openai", 1), ("anthropic", 2)])
def test_a_stop_between_acceptance_and_record(run_fake, tmp_path, monkeypatch, provider, resent):
    """Each batch is recorded before it is submitted; a run stopped after the provider accepted it
    but before that was written finds it again by its metadata (OpenAI). Message batches carry
    none, so there the requests go out once more (Anthropic), as the README says."""
    from faithbench.runner.batches.store import BatchStore

    adopt = BatchStore.adopt

    def stop_once(self, local_id, batch_id):
        monkeypatch.setattr(BatchStore, "adopt", adopt)
        raise KeyboardInterrupt

    monkeypatch.setattr(BatchStore, "adopt", stop_once)
    with FakeBatchServer(provider) as server:
        flags = ("--batch-api", "--batch-poll", "0.01")
        stopped = run(run_fake, server, provider, tmp_path, *flags, tasks="suggested_answer")
        assert stopped.exit_code == 2 and "interrupted" in stopped.output
        assert len(server.batches) == 1
        resumed = run(run_fake, server, provider, tmp_path, *flags, tasks="suggested_answer")
        assert resumed.exit_code == 0, resumed.output
    assert set(server.submitted.values()) == {resent}


def test_the_request_budget_holds_in_batch_mode(run_fake, tmp_path):
    with FakeBatchServer("openai") as server:
        flags = ("--batch-api", "--batch-poll", "0.01", "--max-requests", "6")
        result = run(run_fake, server, "openai", tmp_path, *flags, tasks="suggested_answer")
        assert result.exit_code == 4, result.output
        assert sum(server.submitted.values()) == 0  # one batch of 12 would exceed the budget of 6
        _, _, folder = args_for(server, "openai")
        assert all("request budget exhausted" in r["error"] for r in read_samples(tmp_path, folder))
        again = batched(run_fake, server, "openai", tmp_path, tasks="suggested_answer")
        assert again.exit_code == 0 and sum(server.submitted.values()) == 12
