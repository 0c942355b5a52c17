"""Multi-stage runs, cross-task batching and dedup, failure isolation, resume after a kill."""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, metric, read_results, read_samples


@pytest.fixture
def fixture_plugins(monkeypatch):
    monkeypatch.setenv("FAITHBENCH_PLUGINS", "fixture_plugins")


def count_calls(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_identical_requests_across_tasks_are_sent_once(
    run_fake, run_cli, tmp_path, fixture_plugins, answered
):
    result = run_fake(tmp_path, tasks="suggested_answer,twin_suggested", limit=6)
    assert result.exit_code == 0, result.output
    assert answered() == 6 * 3  # not 36: the twin task's requests are duplicates
    usage = read_results(tmp_path)["usage"]
    assert usage["requests"] == 36 and usage["duplicates"] == 18
    assert usage["model_calls"] == {"generate_until": 18}


def test_stage_two_prompts_are_built_from_stage_one(run_fake, tmp_path, fixture_plugins):
    result = run_fake(tmp_path, tasks="two_stage", limit=3)
    assert result.exit_code == 0, result.output
    assert read_results(tmp_path)["usage"]["stages"] == 2
    for sample in read_samples(tmp_path):
        turns = sample["second_prompt"]
        assert [t["role"] for t in turns] == ["user", "assistant", "user"]
        assert turns[1]["content"] == sample["first"]


def test_a_failing_plan_fails_its_own_task_only(run_fake, tmp_path, fixture_plugins):
    result = run_fake(tmp_path, tasks="suggested_answer,exploding", limit=4)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    results = read_results(tmp_path)
    assert results["tasks"]["suggested_answer"]["status"] == "ok"
    exploding = results["tasks"]["exploding"]
    assert exploding["n_failed"] == 3  # item -1 under its three conditions, explicitly marked
    failed = [s for s in read_samples(tmp_path) if s["task"] == "exploding" and s.get("error")]
    assert len(failed) == 3 and all("plan bug on purpose" in s["error"] for s in failed)
    assert metric(results, "exploding", "accuracy", "no_cue")["n"] == 3


def test_failed_requests_are_marked_with_their_reason_and_rerun_completes(run_cli, tmp_path, answered):
    out = tmp_path / "out"
    args = (
        "run",
        "--tasks",
        "suggested_answer",
        "--model",
        "faulty",  # fails every request after its 20th, in the first run only (once=)
        "--model-args",
        f"fail_after=20,once={tmp_path / 'fired'}",
        "--limit",
        "15",
        "--batch-size",
        "4",
        "--max-retries",
        "1",
        "--retry-backoff",
        "0",
        "--output-path",
        str(out),
    )
    failed = run_cli(*args)
    assert failed.exit_code == 4 and "25 request(s) failed" in failed.output
    assert "Traceback" not in failed.output
    samples = read_samples(out, "faulty")
    assert len(samples) == 45  # every sample is written: scored, or failed with its reason
    marked = [s for s in samples if s.get("error")]
    # an exception from the client code is deterministic: marked at once, never retried
    assert len(marked) == 25 and all(
        "failed after 1 attempt(s): RuntimeError: fake failure" in s["error"] for s in marked
    )
    usage = read_results(out, "faulty")["usage"]
    assert usage["failed"] == 25 and usage["retries"] == 0
    assert read_results(out, "faulty")["tasks"]["suggested_answer"]["n_failed"] == 25
    first = answered()
    assert run_cli(*args).exit_code == 0  # the same command: the fault has passed
    # the 20 answers were cached; only the 25 failed requests are sent again
    assert answered() - first == 45 - 20
    assert read_results(out, "faulty")["usage"]["cache_hits"] == 20


def _run_subprocess(args, env):
    return subprocess.run(
        [sys.executable, "-m", "faithbench", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_kill_minus_nine_then_rerun_finishes_without_repeating_calls(tmp_path):
    out, calls = tmp_path / "out", tmp_path / "calls"
    args = [
        "run",
        "--tasks",
        "suggested_answer",
        "--model",
        "faulty",  # SIGKILLed on its 50th request, in the first run only (once=)
        "--model-args",
        f"kill_after=50,count_file={calls},once={tmp_path / 'fired'}",
        "--limit",
        "40",
        "--batch-size",
        "4",
        "--output-path",
        str(out),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests")}
    killed = _run_subprocess(args, env)
    assert killed.returncode == -signal.SIGKILL
    assert not (out / "faulty" / "results.json").exists()
    with sqlite3.connect(out / "faulty" / "cache.sqlite") as db:
        committed = db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
    assert committed == 48  # twelve whole chunks of four; the chunk in flight was lost
    logged = (out / "faulty" / "samples.partial.jsonl").read_text().splitlines()
    assert len(logged) == 48  # the live samples log was written as samples finished
    assert not (out / "faulty" / "samples.jsonl").exists()  # only a complete run writes samples.jsonl
    before = count_calls(calls)
    resumed = _run_subprocess(args, env)  # the same command
    assert resumed.returncode == 0, resumed.stderr
    assert count_calls(calls) - before == 120 - committed  # no committed call repeated
    assert not (out / "faulty" / "samples.partial.jsonl").exists()
    assert len((out / "faulty" / "samples.jsonl").read_text().splitlines()) == 120

    fresh = tmp_path / "fresh"
    _run_subprocess(
        [
            "run",
            "--model",
            "fake",
            "--tasks",
            "suggested_answer",
            "--limit",
            "40",
            "--output-path",
            str(fresh),
        ],
        env,
    )
    strip = lambda r: r["tasks"]  # noqa: E731
    assert strip(read_results(out, "faulty")) == strip(read_results(fresh))


def test_cache_is_keyed_by_model_identity(run_fake, tmp_path, answered):
    cache = str(tmp_path / "shared.sqlite")
    for bias in ("0.1", "0.9", "0.1"):
        assert (
            run_fake(
                tmp_path / bias,
                "--model-args",
                f"bias={bias}",
                "--cache-path",
                cache,
                tasks="suggested_answer",
                limit=5,
            ).exit_code
            == 0
        )
    assert answered() == 15 * 2  # the second model is not served the first one's answers


def test_no_cache_repeats_every_call(run_fake, tmp_path, answered):
    for _ in range(2):
        run_fake(tmp_path, "--no-cache", tasks="suggested_answer", limit=2)
    assert answered() == 12
    assert not (tmp_path / "fake" / "cache.sqlite").exists()


def test_shards_by_item_range_merge_into_the_full_run(run_fake, run_cli, tmp_path):
    tasks = "suggested_answer,cot_interventions"
    for rng in ("0:7", "7:15"):
        result = run_fake(tmp_path / rng.replace(":", "-"), "--item-range", rng, tasks=tasks)
        assert result.exit_code == 0, result.output
    assert run_fake(tmp_path / "full", tasks=tasks, limit=15).exit_code == 0
    merged = run_cli("merge", str(tmp_path / "0-7"), str(tmp_path / "7-15"), "--out", str(tmp_path / "m"))
    assert merged.exit_code == 0, merged.output
    import json

    result = json.loads((tmp_path / "m" / "results.json").read_text())
    full = read_results(tmp_path / "full")
    assert result["tasks"] == full["tasks"] and result["summary"] == full["summary"]
    assert result["faithfulness"] == full["faithfulness"]
    # one results builder: the merge's usage is the shards' added up, field by field
    shards = [read_results(tmp_path / d) for d in ("0-7", "7-15")]
    for key in ("requests", "sent", "unsent", "cache_hits", "duplicates", "failed", "retries"):
        assert result["usage"][key] == sum(s["usage"][key] for s in shards), key
    assert result["usage"]["stages"] == max(s["usage"]["stages"] for s in shards)
    calls = [s["usage"]["model_calls"] for s in shards]
    assert result["usage"]["model_calls"] == {k: sum(c.get(k, 0) for c in calls) for k in calls[0]}
    assert len(result["merged_from"]) == 2 and "--item-range 0:7" in result["merged_from"][0]
    assert run_cli("validate", str(tmp_path / "m" / "results.json")).exit_code == 0
    # shards of different models are refused
    assert (
        run_fake(tmp_path / "other", "--model-args", "bias=0.1", "--item-range", "0:3", tasks=tasks).exit_code
        == 0
    )
    refused = run_cli("merge", str(tmp_path / "0-7"), str(tmp_path / "other"), "--out", str(tmp_path / "x"))
    assert refused.exit_code == 2 and "different models" in refused.output
    bad = run_fake(tmp_path / "y", "--item-range", "9:3", tasks="all")
    assert bad.exit_code == 2 and "invalid --item-range" in bad.output


def test_a_shards_failure_survives_the_merge(run_fake, run_cli, tmp_path):
    """A task that failed in one shard (its judge calls, a pass) is failed in the merge, with the
    shard's message, whichever shard comes first."""
    import json

    for rng in ("0:2", "2:4"):
        assert run_fake(tmp_path / rng.replace(":", "-"), "--item-range", rng).exit_code == 0
    shard = tmp_path / "2-4" / "fake" / "results.json"
    data = json.loads(shard.read_text())
    failure = "2 of 2 call(s) to judge model 'j' failed (HTTP 500)"
    data["tasks"]["suggested_answer"].update(status="error", error=failure)
    shard.write_text(json.dumps(data))
    for order in (("0-2", "2-4"), ("2-4", "0-2")):
        out = tmp_path / ("m" + order[0])
        run_cli("merge", *(str(tmp_path / d) for d in order), "--out", str(out))
        entry = json.loads((out / "results.json").read_text())["tasks"]["suggested_answer"]
        assert entry["status"] == "error" and entry["error"] == failure, order
