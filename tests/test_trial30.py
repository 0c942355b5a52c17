"""Issue 30, checked as a hostile user and a careless plugin author before closing it: cases beyond
the issue's own examples, one test per class found open."""

import json

import pytest
from conftest import fails_cleanly


# -- a results file validate accepts must not crash the commands that read it -----------------------
@pytest.mark.parametrize("date", ["not a date", "2026-13-45T00:00:00", ""])
def test_a_results_date_that_is_no_date_fails_validation_and_export_cleanly(
    run_cli, results_file, tmp_path, date
):
    data = json.loads(results_file.read_text())
    data["date"] = date
    bad = tmp_path / "results.json"
    bad.write_text(json.dumps(data))
    fails_cleanly(run_cli("validate", str(bad)), 2, "'date-time'")
    fails_cleanly(run_cli("export", "--format", "eee", str(bad), "--out", str(tmp_path / "eee")), 2, "date")
    assert not (tmp_path / "eee").exists() or not any((tmp_path / "eee").rglob("*.json"))


# -- numbers that are no numbers, and bounds that keep a run finite ---------------------------------
@pytest.mark.parametrize("kwarg", ["temperature=nan", "temperature=inf", "top_p=nan", "temperature=-inf"])
def test_a_gen_kwarg_that_is_nan_or_infinite_is_refused(run_fake, tmp_path, kwarg):
    fails_cleanly(run_fake(tmp_path, "--gen-kwargs", kwarg, limit=1), 2, "invalid --gen-kwargs")
    assert not (tmp_path / "fake").exists()


def test_num_fewshot_is_bounded(run_fake, tmp_path):
    # unbounded, --num-fewshot 1000000 built prompts for about 20 minutes a task before one request
    fails_cleanly(run_fake(tmp_path, "--num-fewshot", "1000000", limit=1), 2, "--num-fewshot")
    assert not (tmp_path / "fake").exists()


# -- a careless metric: figures results.json cannot hold fail their own task, never the run ---------
class _OwnBaseException(BaseException):
    """A plugin's exception that is not an Exception (as some frameworks' cancellations are)."""


def _cyclic():
    d: dict = {}
    d["self"] = d
    return d


@pytest.mark.parametrize(
    "extra, says",
    [
        ({"value": 10**400}, "too large for a float"),
        ({"ci_high": -(10**400)}, "too large for a float"),
        ({"note": object()}, "not JSON"),
        ({"details": _cyclic()}, "not JSON"),
        ({"note": 5}, "note: 5 is not of type 'string'"),
        ({"judge": ["rules"]}, "judge"),
        ({"ci_low": "absent"}, "'ci_low' is a required property"),  # a figure with no interval key
    ],
)
def test_a_figure_with_a_value_or_key_results_json_cannot_hold_fails_its_task(extra, says):
    from test_hardening3 import _scored

    figure = {"value": 0.5, "ci_low": 0.25, "ci_high": 0.75, "n": 4, **extra}
    figure = {k: v for k, v in figure.items() if v != "absent"}
    values, problems = _scored({"value": 0.5, "ci_low": 0.25, "ci_high": 0.75, "n": 4}, figure)
    assert [v["metric"] for v in values] == ["x"]  # the sound metric's figure is kept
    (problem,) = problems
    assert problem.startswith("metric 'm1' returned an invalid value") and says in problem, problem


def test_a_metric_raising_its_own_base_exception_fails_its_task_only():
    from faithbench import Metric
    from faithbench.metrics.compute import _apply

    def raises(records, seed):
        raise _OwnBaseException("cancelled")

    def interrupted(records, seed):
        raise KeyboardInterrupt

    good = Metric("good", "", lambda records, seed: [])
    values, problems = _apply([Metric("bad", "", raises), good], [], 0)
    assert problems == ["metric 'bad' failed: _OwnBaseException: cancelled"]
    with pytest.raises(KeyboardInterrupt):  # Ctrl-C still ends the run (answers are cached)
        _apply([Metric("bad", "", interrupted)], [], 0)


# -- data options that look alike or show as nothing --------------------------------------------------
@pytest.mark.parametrize(
    "options, says",
    [
        (["Paris", "\u200b", "Berlin"], "option B is empty"),  # a zero-width space only
        (["Paris", "\u2060\ufeff", "Berlin"], "option B is empty"),  # word joiner, BOM
        (["Paris", "Par\u200bis", "Berlin"], "equal, up to case or punctuation, to option A"),
        (["\u200dB", "Rome", "Berlin"], "reads as the letter of option B"),
    ],
)
def test_options_that_differ_only_in_invisible_characters_are_refused(run_fake, tmp_path, options, says):
    data = tmp_path / "items.jsonl"
    data.write_text(json.dumps({"id": "q1", "question": "Capital of France?", "options": options, "gold": 0}))
    fails_cleanly(run_fake(tmp_path / "out", "--data", str(data)), 2, "items.jsonl:1", says)


# -- a YAML cue whose placeholder is misspelt would show the model the braces ------------------------
@pytest.mark.parametrize("placeholder", ["{x}", "{Y}", "{X_Letter}", "{X.__class__}", "{target}"])
def test_a_yaml_cue_with_an_unknown_placeholder_is_refused_with_its_line(run_cli, tmp_path, placeholder):
    folder = tmp_path / "tasks"
    assert run_cli("new-task", "mycue", "--yaml", "--dir", str(folder)).exit_code == 0
    task = folder / "mycue.yaml"
    task.write_text(task.read_text().replace("the answer is {X}", f"the answer is {placeholder}", 1))
    result = run_cli("run", "--include-path", str(folder), "--tasks", "mycue", "--model", "fake",
                     "--limit", "1", "--output-path", str(tmp_path / "out"))
    fails_cleanly(result, 2, "mycue.yaml:", f"unknown placeholder {placeholder}")
    assert not (tmp_path / "out").exists()


# -- an error names the flag the bad value came from --------------------------------------------------
@pytest.mark.parametrize(
    "flags, says",
    [
        (["--observer", "fake", "--observer-args", "nosuch=1"], "args of the observer model for 'fake'"),
        (["--judge", "llm", "--judge-model", "fake", "--judge-model-args", "nosuch=1"], "judge model"),
    ],
)
def test_a_side_models_bad_args_are_not_blamed_on_model_args(run_fake, tmp_path, flags, says):
    result = run_fake(tmp_path, *flags, limit=1)
    fails_cleanly(result, 2, says)
    assert "--model-args" not in result.output


# -- flags that do nothing on an in-process model are said -------------------------------------------
@pytest.mark.parametrize(
    "flags", [["--reasoning-effort", "high"], ["--thinking-budget", "2000", "--max-gen-toks", "4000"]]
)
def test_reasoning_flags_on_an_in_process_model_are_a_warning(run_fake, tmp_path, flags, caplog):
    result = run_fake(tmp_path, *flags, limit=1)
    assert result.exit_code == 0, result.output
    said = result.output + caplog.text
    assert f"{flags[0]} is not used: it needs an API model" in said


# -- a cache row that cannot be an answer is asked again, not a traceback or an error forever -------
@pytest.mark.parametrize(
    "value",
    ["'{not json'", "NULL", "'[1, 2]'", "'12345'", "'NaN'", "x'fffe00'", f"'{'[' * 50000}{']' * 50000}'",
     """'{"text": 5}'""", """'{"text": "A", "logprob": "high"}'""", """'{"is_greedy": "maybe"}'"""],
    ids=["not-json", "null", "array", "number", "nan", "blob", "deep", "text-int", "logprob-s", "greedy-s"],
)
def test_a_damaged_cache_row_is_asked_again_and_overwritten(run_fake, tmp_path, answered, value):
    import sqlite3

    cache = tmp_path / "cache.sqlite"
    assert run_fake(tmp_path / "a", "--cache-path", str(cache), limit=2).exit_code == 0
    clean = [{k: v for k, v in r.items() if k != "cached"} for r in _samples(tmp_path / "a")]
    with sqlite3.connect(cache) as db:
        damaged = db.execute(f"UPDATE responses SET value = {value}").rowcount
    assert damaged > 0
    start = answered()
    result = run_fake(tmp_path / "b", "--cache-path", str(cache), limit=2)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert answered() - start >= damaged  # asked again
    assert [{k: v for k, v in r.items() if k != "cached"} for r in _samples(tmp_path / "b")] == clean
    start = answered()
    assert run_fake(tmp_path / "c", "--cache-path", str(cache), limit=2).exit_code == 0
    assert answered() == start  # the rows were overwritten: all from the cache now


def _samples(out):
    return [json.loads(line) for line in (out / "fake" / "samples.jsonl").read_text().splitlines()]


# -- batches list on a record whose times are damaged -------------------------------------------------
@pytest.mark.parametrize("submitted", ["yesterday", 1e308, -1e300, b"\x00"])
def test_batches_list_shows_a_damaged_time_as_unknown(run_cli, tmp_path, submitted):
    import sqlite3

    from faithbench.runner.batches.store import SCHEMA

    with sqlite3.connect(tmp_path / "batches.sqlite") as db:
        db.executescript(SCHEMA)
        row = ("b1", "openai", "https://x/v1", "m", "s", "submitted", submitted, 1e300, 2, 0, 0, "{}")
        db.execute(f"INSERT INTO batches VALUES ({', '.join('?' * len(row))})", row)
    result = run_cli("batches", "list", str(tmp_path))
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert "| b1 | openai |" in result.output and "| ? | ? |" in result.output


# -- a named pipe where a file is read would block forever ---------------------------------------------
def test_a_pipe_given_as_a_results_or_task_file_is_refused_not_waited_on(run_cli, tmp_path):
    import os

    pipe = tmp_path / "results.json"
    os.mkfifo(pipe)
    result = run_cli("validate", str(pipe))  # unfixed, this blocked forever on the read
    fails_cleanly(result, 2, "no regular file")
    (tmp_path / "tasks").mkdir()
    os.mkfifo(tmp_path / "tasks" / "cue.yaml")
    result = run_cli("ls", "tasks", "--include-path", str(tmp_path / "tasks"))
    fails_cleanly(result, 2, "cue.yaml: not a regular file")
    result = run_cli("judges", "evaluate", "--labels", str(pipe), "--judge", "rules")
    fails_cleanly(result, 2, "not a regular file")


# -- a path that is not UTF-8 cannot be recorded in results.json: refused before the run -------------
def test_an_output_path_that_is_not_utf8_is_refused_before_the_run(run_fake, tmp_path):
    import os

    out = os.path.join(str(tmp_path), b"out\xff\xfe".decode("utf-8", "surrogateescape"))
    result = run_fake(out, limit=1)  # unfixed: UnicodeEncodeError at the write, every result lost
    fails_cleanly(result, 2, "not valid UTF-8 text")


def test_a_key_passed_in_gen_kwargs_is_redacted_everywhere(run_fake, tmp_path):
    result = run_fake(tmp_path, "--gen-kwargs", "api_key=SECRET-gk-1,temperature=0", limit=2)
    assert result.exit_code == 0, result.output
    for path in (tmp_path / "fake").iterdir():
        assert b"SECRET-gk-1" not in path.read_bytes(), path
    results = json.loads((tmp_path / "fake" / "results.json").read_text())
    assert results["config"]["gen_kwargs"] == {"api_key": "<redacted>", "temperature": 0}
    assert "api_key=<redacted>" in results["command"]


@pytest.mark.parametrize("target", ["empty", "missing"])
def test_a_link_planted_where_the_cache_goes_is_refused(run_fake, tmp_path, target):
    outside = tmp_path / "outside.sqlite"
    if target == "empty":
        outside.write_bytes(b"")
    (tmp_path / "out" / "fake").mkdir(parents=True)
    (tmp_path / "out" / "fake" / "cache.sqlite").symlink_to(outside)
    fails_cleanly(run_fake(tmp_path / "out", limit=2), 2, "is a symbolic link")
    assert not outside.exists() or outside.read_bytes() == b""


@pytest.mark.parametrize(
    "flags, said",
    [
        (("--max-gen-toks", "9200000000000000000"), "1<=x<=1000000"),
        (("--gen-kwargs", "max_gen_toks=" + "1" + "0" * 23), "1 to 1,000,000"),
    ],
)
def test_an_absurd_token_budget_is_refused(run_fake, tmp_path, flags, said):
    fails_cleanly(run_fake(tmp_path, *flags, limit=1), 2, said)


@pytest.mark.parametrize("bad", ["q1 ", " q1", "", "\t"])
def test_an_item_id_that_is_blank_or_padded_is_refused(run_fake, tmp_path, bad):
    rows = [{"id": "q1", "question": "2 + 2?", "options": ["3", "4"], "gold": 1},
            {"id": bad, "question": "3 + 3?", "options": ["6", "7"], "gold": 0}]  # fmt: skip
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    fails_cleanly(run_fake(tmp_path / "o", "--data", str(data)), 2, f"{data}:2: 'id'")


def test_a_fractional_timeout_is_the_deadline_not_300_seconds():
    """lm-eval keeps int(timeout), so timeout=0.5 became 0, which read as 'no deadline' (300 s)."""
    from faithbench.models.backends import LocalChat

    url = "http://127.0.0.1:9/v1/chat/completions"
    assert LocalChat(base_url=url, model="m", timeout=0.5).deadline == 0.5
    assert LocalChat(base_url=url, model="m").deadline == 300.0
