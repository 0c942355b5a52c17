"""Hostile and careless inputs: each gets one clear line and its documented exit code, never a
traceback or a hang, and never costs earlier output (issue 12's list, case by case)."""

import errno
import json
import os
import time

import pytest
from conftest import fails_cleanly, read_results, read_samples
from openai_server import FakeOpenAIServer

from faithbench.results import folder


def _data(tmp_path, rows: list, name="items.jsonl", raw: bytes | None = None):
    path = tmp_path / name
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return str(path)


ROW = {"question": "Which?", "options": ["a", "b", "c"], "gold": 0}


def _against(run_fake, server, out, retries: int, limit: int):
    """A run of the local chat server's model, one request per call, no backoff."""
    args = f"base_url={server.base}/chat/completions,model=m"
    flags = ["--model-args", args, "--apply-chat-template", "--retry-backoff", "0", "--batch-size", "1"]
    return run_fake(out, *flags, "--max-retries", str(retries), model="local-chat-completions", limit=limit)


@pytest.mark.parametrize(
    "flags, phrase",
    [
        (["--model", ""], "--model is empty"),
        (["--model-args", "a==b"], "'a==b' is not of the form key=value"),
        (["--model-args", "=v"], "'=v' is not of the form key=value"),
        (["--model-args", "colour=blue"], "invalid --model-args for 'fake'"),
        (["--gen-kwargs", "temperature=abc"], "temperature must be a number >= 0"),
        (["--gen-kwargs", "max_gen_toks=-5"], "max_gen_toks must be a whole number from 1 to 1,000,000"),
        (["--output-path", ""], "--output-path is empty"),
        (["--no-cache", "--cache-path", "c.sqlite"], "--no-cache and --cache-path cannot be used together"),
        (["--items", "procedural", "--data", "x.jsonl"], "data file not found"),
        (["--item-range", "0:5", "--limit", "3"], "--item-range and --limit cannot be used together"),
        (["--seed", "-5"], "Invalid value for '--seed'"),
        (["--limit", "1000000000000"], "Invalid value for '--limit'"),
        (["--judge", "rules,oracle"], "unknown judge 'oracle'"),
    ],
)
def test_bad_flags_are_refused_with_one_clear_line(run_fake, tmp_path, monkeypatch, flags, phrase):
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    result = run_fake(tmp_path / "out", *flags)
    fails_cleanly(result, 2, phrase)
    assert time.monotonic() - started < 20
    assert not (tmp_path / "out" / "fake" / "results.json").exists()


def test_data_and_items_conflict(run_fake, tmp_path):
    path = _data(tmp_path, [ROW])
    fails_cleanly(run_fake(tmp_path, "--data", path, "--items", "procedural"), 2, "--data and --items")


@pytest.mark.parametrize(
    "lines, raw, phrase",
    [
        ([{**ROW, "options": [str(i) for i in range(27)]}], None, ":1: 27 options; at most 26"),
        (None, b'{"question": "\xff", "options": ["a", "b"], "gold": 0}\n', ":1: not UTF-8 text"),
        (
            ['{"question": "\\ud800", "options": ["a", "b"], "gold": 0}'],
            None,
            ":1: text with an unpaired surrogate",
        ),
        (["[" * 100000 + "]" * 100000], None, ":1: not valid JSON (nested too deeply)"),
        ([ROW, '{"question": NaN, "options": ["a", "b"], "gold": 0}'], None, ":2: NaN is not valid JSON"),
        (['{"gold": ' + "9" * 5000 + "}"], None, ":1: not valid JSON (Exceeds the limit"),
        ([{**ROW, "id": "same"}] * 6, None, ":2: id 'same' is also used on line 1"),
        ([{**ROW, "gold": True}], None, ":1: 'gold' must be an option index or letter"),
    ],
)
def test_bad_data_rows_are_user_errors_with_file_and_line(run_fake, tmp_path, lines, raw, phrase):
    path = _data(tmp_path, lines or [], raw=raw)
    fails_cleanly(run_fake(tmp_path / "out", "--data", path), 2, f"{path}{phrase}")


def test_an_item_range_beyond_the_data_is_refused(run_fake, tmp_path):
    path = _data(tmp_path, [ROW])
    fails_cleanly(run_fake(tmp_path / "out", "--data", path, "--item-range", "5:10"), 2, "selects no items")


def test_outputs_in_the_way_and_a_second_run_at_once(run_fake, tmp_path):
    out = tmp_path / "out"
    (out / "fake" / "results.json").mkdir(parents=True)
    fails_cleanly(run_fake(out), 2, "results.json is in the way")
    (out / "fake" / "results.json").rmdir()
    with folder.locked(out / "fake"):
        fails_cleanly(run_fake(out), 2, "another faithbench run is writing to")
    assert run_fake(out, limit=2).exit_code == 0


def test_another_runs_results_are_not_replaced_without_overwrite(run_fake, tmp_path):
    assert run_fake(tmp_path, limit=2).exit_code == 0
    before = (tmp_path / "fake" / "results.json").read_text()
    assert run_fake(tmp_path, limit=2).exit_code == 0  # the same run again: resumes, fine
    fails_cleanly(run_fake(tmp_path, limit=3), 2, "results of a run with other settings (config differ)")
    assert (
        json.loads((tmp_path / "fake" / "results.json").read_text())["config"] == json.loads(before)["config"]
    )
    assert run_fake(tmp_path, "--overwrite", limit=3).exit_code == 0
    assert read_results(tmp_path)["config"]["limit"] == 3


def test_a_rerun_from_the_cache_sends_nothing(run_fake, tmp_path):
    assert run_fake(tmp_path, tasks="all", limit=3).exit_code == 0
    assert run_fake(tmp_path, tasks="all", limit=3).exit_code == 0
    usage = read_results(tmp_path)["usage"]
    assert usage["sent"] == 0 and usage["model_calls"] == {} and usage["cache_hits"] > 0


def test_a_full_disk_leaves_the_earlier_results_whole(run_fake, tmp_path, monkeypatch):
    assert run_fake(tmp_path, limit=2).exit_code == 0
    results, samples = (tmp_path / "fake" / n for n in ("results.json", "samples.jsonl"))
    before = results.read_text(), samples.read_text()
    import faithbench.results.io as io

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(io.os, "replace", full)
    fails_cleanly(run_fake(tmp_path, limit=2), 2, "No space left on device", "the earlier file is unchanged")
    assert (results.read_text(), samples.read_text()) == before
    assert not list((tmp_path / "fake").glob("*.tmp"))


def test_a_damaged_cache_is_moved_aside_and_nothing_earlier_is_lost(run_fake, tmp_path):
    assert run_fake(tmp_path, limit=4).exit_code == 0
    cache = tmp_path / "fake" / "cache.sqlite"
    samples = (tmp_path / "fake" / "samples.jsonl").read_text()
    with cache.open("r+b") as fh:
        fh.seek(max(0, cache.stat().st_size - 3000))
        fh.write(os.urandom(3000))
    result = run_fake(tmp_path, limit=4)
    assert result.exit_code == 0 and "the response cache was damaged; moved to" in result.output
    assert list((tmp_path / "fake").glob("cache.sqlite.damaged-*"))
    assert (tmp_path / "fake" / "samples.jsonl").read_text() == samples  # same run, same records


def test_a_bad_metric_costs_only_its_own_task(run_fake, tmp_path, monkeypatch):
    monkeypatch.setenv("FAITHBENCH_PLUGINS", "hostile_plugins")
    result = run_fake(tmp_path, tasks="suggested_answer,bad_metric", limit=3)
    assert result.exit_code == 1 and "Traceback" not in result.output
    tasks = read_results(tmp_path)["tasks"]
    assert tasks["suggested_answer"]["status"] == "ok"
    error = tasks["bad_metric"]["error"]
    assert "metric 'bad_values' returned an invalid value" in error and "metric 'raises' failed" in error
    assert {m["metric"] for m in tasks["bad_metric"]["metrics"]} == {"accuracy"}


def test_plugins_that_break_the_cli_or_exit_are_isolated(run_cli, monkeypatch):
    from faithbench.cli import FaithbenchGroup

    monkeypatch.setattr(FaithbenchGroup, "_plugins_loaded", False)
    monkeypatch.setenv("FAITHBENCH_PLUGINS", "hostile_plugins,exiting_plugin")
    result = run_cli("--help")
    assert result.exit_code == 0 and "commands hook exploded" in result.output and "run" in result.output
    listed = run_cli("plugins")
    assert listed.exit_code == 0 and "exiting_plugin  (BROKEN)" in listed.output


def test_yaml_alias_bomb_and_non_utf8_are_refused_quickly(run_cli, tmp_path):
    bomb = "\n".join(
        ["name: bomb", 'version: "1.0"', "description: x", "items: procedural:arithmetic", "a0: &a0 [x, x]"]
        + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 40)]
        + ["tags: *a39"]
    )
    (tmp_path / "bomb.yaml").write_text(bomb)
    started = time.monotonic()
    fails_cleanly(run_cli("ls", "tasks", "--include-path", str(tmp_path)), 2, "anchors and aliases")
    assert time.monotonic() - started < 10
    (tmp_path / "bomb.yaml").write_bytes(b"name: caf\xe9\n")
    fails_cleanly(run_cli("ls", "tasks", "--include-path", str(tmp_path)), 2, "bomb.yaml: not UTF-8 text")


def test_results_files_that_are_not_results(run_fake, run_cli, tmp_path):
    assert run_fake(tmp_path / "out", limit=2).exit_code == 0
    good = tmp_path / "out" / "fake" / "results.json"
    assert run_cli("validate", str(tmp_path / "out")).exit_code == 0  # a folder: every results.json below
    cases = {
        "deep.json": "[" * 100000 + "]" * 100000,
        "nan.json": good.read_text().replace('"seed": 0', '"seed": NaN'),
        "bigint.json": good.read_text().replace('"seed": 0', '"seed": ' + "9" * 5000),
        "latin1.json": None,
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_bytes(b'{"a": "\xe9"}') if text is None else path.write_text(text)
        result = run_cli("validate", str(path))
        fails_cleanly(result, 2, f"{name}: INVALID")
        site = run_cli("leaderboard", "build", str(path), "--out", str(tmp_path / "site"))
        fails_cleanly(site, 2, name)
    (tmp_path / "shard" / "fake").mkdir(parents=True)
    (tmp_path / "shard" / "fake" / "results.json").write_text(good.read_text())
    (tmp_path / "shard" / "fake" / "samples.jsonl").write_bytes(b"\xff\xfe\n")
    merged = run_cli("merge", str(tmp_path / "shard"), "--out", str(tmp_path / "merged"))
    fails_cleanly(merged, 2, "samples.jsonl: not UTF-8 text")


@pytest.mark.parametrize("retry_after, phrase", [("-5", None), ("100000", "asked to wait 100000 s")])
def test_retry_after_is_never_negative_and_never_waited_for_long(run_fake, tmp_path, retry_after, phrase):
    with FakeOpenAIServer(fault_rate=0.3, faults=("429",), retry_after=retry_after) as server:
        started = time.monotonic()
        result = _against(run_fake, server, tmp_path, retries=8, limit=2)
        assert time.monotonic() - started < 60 and "Traceback" not in result.output
    if phrase is None:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 4
        reasons = {
            s.get("error") for s in read_samples(tmp_path, "local-chat-completions__m") if s.get("error")
        }
        assert any(phrase in (r or "") for r in reasons), reasons


def test_a_reply_without_choices_is_reported_as_malformed(run_fake, tmp_path):
    with FakeOpenAIServer(fault_rate=1.0, faults=("nochoices",)) as server:
        result = _against(run_fake, server, tmp_path, retries=1, limit=1)
    assert result.exit_code == 4, result.output
    reasons = {s["error"] for s in read_samples(tmp_path, "local-chat-completions__m") if s.get("error")}
    assert reasons == {"failed after 2 attempt(s): malformed response (no choices)"}


def test_a_model_error_is_the_last_line_on_its_own(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    url = "base_url=http://127.0.0.1:9/v1/chat/completions,model=m"
    args = ["run", "--model", "local-chat-completions", "--model-args", url, "--apply-chat-template"]
    done = subprocess.run(
        [sys.executable, "-m", "faithbench", *args, "--output-path", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 3 and "Traceback" not in done.stderr
    lines = done.stderr.rstrip("\n").split("\n")
    assert lines[-1].startswith("Error: cannot reach model server at http://127.0.0.1:9") and lines[-2] == ""
