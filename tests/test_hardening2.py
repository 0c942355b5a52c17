"""Hardening, second pass (issue 30): credentials in URLs, temporary files, merge --out and its
shards, batch result files and --batch-poll. Each case gets one clear line and its exit code, never
a traceback, a secret in a written file or a file outside its target."""

import json
import sqlite3

import pytest
from batch_server import FakeBatchServer
from conftest import fails_cleanly, read_results, read_samples

from faithbench.api.errors import UserError
from faithbench.models.args import REDACTED, redact, redact_url

SECRETS = ("hunter2", "AIzaSyD-secret", "sk-live-secret", "sigsecret", "frag-secret")


# -- credentials in URLs: redacted by structure ---------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "http://alice:hunter2@example.com/v1/chat/completions",
        "https://example.com/v1/models/x:generate?key=AIzaSyD-secret",
        "https://example.com/v1?api_key=sk-live-secret&alt=json",
        "https://example.com/v1?sig=sigsecret&se=2030",  # a signed URL: no key-like name at all
        "https://hunter2@example.com/v1",  # a token as the user name
        "https://example.com/v1#access_token=frag-secret",
        "https://example.com/v1?k=AIzaSyD-secret&k=sk-live-secret",  # a parameter given twice
    ],
)
def test_a_url_keeps_no_credential(url):
    shown = str(redact_url(url))
    assert not any(s in shown for s in SECRETS), shown
    assert "example.com" in shown and REDACTED in shown
    assert not any(s in json.dumps(redact({"base_url": url, "model": "m"})) for s in SECRETS)


def test_a_url_without_credentials_is_kept():
    assert redact_url("https://example.com:8443/v1/chat/completions") == (
        "https://example.com:8443/v1/chat/completions"
    )


def test_an_unreachable_servers_error_line_shows_no_credential(run_fake, tmp_path):
    url = "http://alice:hunter2@127.0.0.1:9/v1/chat/completions?key=AIzaSyD-secret"
    result = run_fake(
        tmp_path, "--model-args", f"base_url={url},model=m", model="local-chat-completions", limit=1
    )
    fails_cleanly(result, 3, "cannot reach model server at http://<redacted>@127.0.0.1:9")
    assert not any(s in result.output for s in SECRETS), result.output


def test_a_batch_run_stores_no_credential_from_its_url(run_fake, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key")
    with FakeBatchServer("openai") as server:
        url = server.url.replace("http://", "http://alice:hunter2@")
        url += "/v1/chat/completions?key=AIzaSyD-secret"
        result = run_fake(
            tmp_path,
            "--model-args", f"base_url={url},model=m1", "--batch-api", "--batch-poll", "0.01",
            model="openai-chat-completions", tasks="suggested_answer", limit=2,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    written = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert written and not any(s.encode() in written for s in SECRETS)
    usage = read_results(tmp_path, "openai-chat-completions__m1")["usage"]
    endpoints = [b["endpoint"] for b in usage["batches"]["batches"]]
    assert endpoints and all(REDACTED in e and "/v1/chat/completions" in e for e in endpoints)
    assert not any(s in result.output for s in SECRETS)


def test_a_batch_record_written_before_redaction_is_shown_redacted(tmp_path):
    from faithbench.runner.batches.store import BatchStore

    store = BatchStore(tmp_path / "batches.sqlite")
    store.record("b1", "openai", "http://x/v1/chat/completions", "m", "s", [("k", "c")])
    old = "http://a:hunter2@x/v1?key=sk-live-secret"
    store.db.execute("UPDATE batches SET endpoint = ?, tokens = ?", (old, "{oops"))
    store.db.commit()
    (row,) = store.batches()
    store.close()
    assert not any(s in row["endpoint"] for s in SECRETS) and row["tokens"] == {}


def test_batches_list_on_a_damaged_record_is_an_error_line(run_cli, tmp_path):
    (tmp_path / "batches.sqlite").write_bytes(b"not a database at all" * 100)
    fails_cleanly(run_cli("batches", "list", str(tmp_path)), 2, "Error:")
    store = sqlite3.connect(tmp_path / "other.sqlite")
    store.execute("CREATE TABLE batches (id TEXT)")  # a database, not a batch record
    store.commit()
    store.close()
    fails_cleanly(run_cli("batches", "list", str(tmp_path / "other.sqlite")), 2, "Error:")


# -- temporary files never follow a planted link ------------------------------------------------
def test_a_link_planted_at_any_temporary_name_is_never_followed(run_fake, tmp_path):
    assert run_fake(tmp_path / "out", limit=2).exit_code == 0
    folder = tmp_path / "out" / "fake"
    victims = []
    for name in ("results.json.tmp", "samples.jsonl.tmp", "samples.partial.jsonl", ".results.json.tmp"):
        victim = tmp_path / f"victim-{name}"
        victim.write_text("precious\n")
        (folder / name).symlink_to(victim)
        victims.append(victim)
    assert run_fake(tmp_path / "out", limit=2).exit_code == 0
    assert all(v.read_text() == "precious\n" for v in victims)
    assert len(read_results(tmp_path / "out")["tasks"]) == 1


def test_results_written_through_a_link_replace_the_link_not_its_target(tmp_path):
    from faithbench.results.io import replace_atomically

    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "results.json").symlink_to(victim)
    replace_atomically(tmp_path / "out" / "results.json", lambda fh: fh.write("{}"))
    assert victim.read_text() == "precious\n"
    assert not (tmp_path / "out" / "results.json").is_symlink()
    assert (tmp_path / "out" / "results.json").read_text() == "{}"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["results.json"]  # no temporary left


def test_live_log_refuses_to_write_through_a_link(tmp_path):
    from faithbench.results.io import create_exclusive

    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    (tmp_path / "log").symlink_to(victim)
    with create_exclusive(tmp_path / "log") as fh:
        fh.write("new\n")
    assert victim.read_text() == "precious\n" and (tmp_path / "log").read_text() == "new\n"


# -- merge --out and its shards -----------------------------------------------------------------
@pytest.fixture
def shards(run_fake, tmp_path):
    for part in ("0:3", "3:6"):
        out = tmp_path / part.replace(":", "-")
        assert run_fake(out, "--item-range", part).exit_code == 0
    return [str(tmp_path / p / "fake") for p in ("0-3", "3-6")]


def test_merge_refuses_to_replace_another_runs_results(run_fake, run_cli, shards, tmp_path):
    assert run_fake(tmp_path / "other", limit=2).exit_code == 0
    other = tmp_path / "other" / "fake"
    before = (other / "results.json").read_text(), (other / "samples.jsonl").read_text()
    fails_cleanly(run_cli("merge", *shards, "--out", str(other)), 2, "results of another run", "--overwrite")
    assert ((other / "results.json").read_text(), (other / "samples.jsonl").read_text()) == before
    merged = run_cli("merge", *shards, "--out", str(other), "--overwrite")
    assert merged.exit_code == 0, merged.output
    assert json.loads((other / "results.json").read_text())["tasks"]["suggested_answer"]["n_items"] == 6


def test_merge_refuses_to_replace_one_of_its_shards(run_cli, shards):
    before = open(f"{shards[0]}/results.json").read()
    fails_cleanly(run_cli("merge", *shards, "--out", shards[0]), 2, "one of the shards being merged")
    assert open(f"{shards[0]}/results.json").read() == before


def test_merge_refuses_a_shard_given_twice_or_overlapping_shards(run_fake, run_cli, shards, tmp_path):
    fails_cleanly(run_cli("merge", shards[0], shards[0], "--out", str(tmp_path / "m")), 2, "given twice")
    assert run_fake(tmp_path / "mid", "--item-range", "2:4").exit_code == 0
    overlap = run_cli("merge", *shards, str(tmp_path / "mid" / "fake"), "--out", str(tmp_path / "m"))
    fails_cleanly(overlap, 2, "shards overlap", "item")
    assert not (tmp_path / "m" / "results.json").exists()


@pytest.mark.parametrize(
    "flags, setting",
    [
        (("--max-gen-toks", "64"), "max_gen_toks"),
        (("--num-fewshot", "1"), "num_fewshot"),
        (("--gen-kwargs", "temperature=0.5"), "gen_kwargs"),
    ],
)
def test_merge_refuses_shards_run_with_other_settings(run_fake, run_cli, shards, tmp_path, flags, setting):
    result = run_fake(tmp_path / "odd", "--item-range", "6:8", *flags)
    assert result.exit_code == 0, result.output
    merged = run_cli("merge", *shards, str(tmp_path / "odd" / "fake"), "--out", str(tmp_path / "m"))
    fails_cleanly(merged, 2, "different settings", setting)


def test_merge_refuses_shards_of_another_faithbench_version(run_cli, shards, tmp_path):
    path = f"{shards[1]}/results.json"
    data = json.loads(open(path).read())
    data["faithbench_version"] = "0.0.1"
    open(path, "w").write(json.dumps(data))
    fails_cleanly(run_cli("merge", *shards, "--out", str(tmp_path / "m")), 2, "faithbench version")


def test_a_full_disk_during_merge_leaves_no_new_results_beside_old_samples(
    run_cli, shards, tmp_path, monkeypatch
):
    out = tmp_path / "m"
    assert run_cli("merge", *shards, "--out", str(out)).exit_code == 0
    before = (out / "results.json").read_bytes(), (out / "samples.jsonl").read_bytes()
    import faithbench.results.io as io

    real = io.os.fsync
    calls = []

    def full(fd):  # the second file written (results.json) finds the disk full
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(fd)

    monkeypatch.setattr(io.os, "fsync", full)
    fails_cleanly(run_cli("merge", *shards, "--out", str(out), "--overwrite"), 2, "No space left")
    assert ((out / "results.json").read_bytes(), (out / "samples.jsonl").read_bytes()) == before
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".faithbench")) == [
        "results.json",
        "samples.jsonl",
    ]


# -- batch result files and --batch-poll ----------------------------------------------------------
def test_batch_result_lines_that_are_not_results_answer_nothing():
    from faithbench.runner.batches.providers import Outcome, read_result_lines

    good = {"custom_id": "a", "response": {"status_code": 200, "body": {"choices": []}}}
    lines = [
        "{not json",
        "[1, 2]",
        '"a string"',
        json.dumps({"response": {"status_code": 200, "body": {}}}),  # no custom_id
        json.dumps({"custom_id": 7, "response": {}}),
        json.dumps({"custom_id": "b", "response": {"status_code": 500, "body": "overloaded"}}),
        json.dumps({"custom_id": "c", "error": "a string error"}),
        json.dumps({"custom_id": "d", "response": "not an object"}),
        json.dumps(good),
    ]
    out = Outcome()
    read_result_lines("\n".join(lines), out)
    assert out.replies == {"a": good["response"]["body"]}
    assert out.failed == {"b": "overloaded", "c": "a string error", "d": "no reply"}


@pytest.mark.parametrize("value", ["nan", "inf", "100000", "-1"])
def test_batch_poll_outside_its_bounds_is_refused(run_fake, tmp_path, value, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key")
    with FakeBatchServer("openai") as server:
        result = run_fake(
            tmp_path,
            "--model-args", f"base_url={server.url}/v1/chat/completions,model=m1", "--batch-api",
            "--batch-poll", value, model="openai-chat-completions", limit=1,
        )  # fmt: skip
    fails_cleanly(result, 2, "--batch-poll")
    assert not server.batches


def test_batch_poll_bound_holds_for_the_library_too():
    from faithbench.runner.batches.mode import check_poll

    for bad in (float("nan"), float("inf"), 601, -0.5, "x", None):
        with pytest.raises(UserError):
            check_poll(bad)
    check_poll(0)
    check_poll(600)


# -- --cache-path refuses what is not a faithbench cache ------------------------------------------
@pytest.mark.parametrize(
    "content",
    [
        b'{"a precious": "data file"}\n',
        b"SQLite format 3\x00" + b"\x00" * 10,  # a SQLite header, then nothing readable: damaged
        None,  # another program's SQLite database
    ],
)
def test_cache_path_never_replaces_a_file_that_is_not_its_cache(run_fake, tmp_path, content):
    path = tmp_path / "precious.db"
    if content is None:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE accounts (name TEXT)")
        db.execute("INSERT INTO accounts VALUES ('alice')")
        db.commit()
        db.close()
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    result = run_fake(tmp_path / "out", "--cache-path", str(path), limit=2)
    if content is not None and content.startswith(b"SQLite"):  # a damaged SQLite file: moved aside
        assert result.exit_code == 0, result.output
        (aside,) = tmp_path.glob("precious.db.damaged-*")
        assert aside.read_bytes() == before
        return
    fails_cleanly(result, 2, "not a faithbench response cache")
    assert path.read_bytes() == before and not list(tmp_path.glob("precious.db.*"))


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_cache_path_refuses_a_device_or_pipe(run_fake, tmp_path, kind):
    """A device node made in the test's own folder (the null device's numbers): never the real
    /dev/null, which a broken build run as root would move aside."""
    import os
    import stat

    target = tmp_path / kind
    if kind == "fifo":
        os.mkfifo(target)
    else:
        try:
            os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("no permission to make a device node here")
    link = tmp_path / "link.sqlite"
    link.symlink_to(target)  # through a link too
    for path, said in ((target, "not a regular file"), (link, "is a symbolic link")):
        result = run_fake(tmp_path / "out", "--cache-path", str(path), limit=1)
        fails_cleanly(result, 2, said)
    assert not target.is_file() and link.is_symlink() and not list(tmp_path.glob("*.damaged-*"))


def test_cache_path_reuses_its_own_cache_and_an_empty_file(run_fake, tmp_path, answered):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"")
    assert run_fake(tmp_path / "a", "--cache-path", str(path), limit=2).exit_code == 0
    asked = answered()
    assert asked and run_fake(tmp_path / "b", "--cache-path", str(path), limit=2).exit_code == 0
    assert answered() == asked  # every answer came from the cache


# -- exports never leave their target ---------------------------------------------------------------
@pytest.mark.parametrize("name", ["..", ".", "../..", "a/../../b"])
def test_an_export_never_writes_outside_its_folder(run_fake, run_cli, tmp_path, name):
    assert run_fake(tmp_path / "run", limit=2).exit_code == 0
    path = tmp_path / "run" / "fake" / "results.json"
    data = json.loads(path.read_text())
    data["model"]["name"] = name
    path.write_text(json.dumps(data))
    out = tmp_path / "x" / "eee"
    result = run_cli("export", "--format", "eee", str(path), "--out", str(out))
    assert "Traceback" not in result.output
    outside = [p for p in (tmp_path / "x").rglob("*") if p.is_file() and not p.is_relative_to(out)]
    assert outside == [], outside
    assert result.exit_code == 0 and list(out.rglob("*.json")), result.output


def test_a_model_name_of_dots_names_a_folder_inside_the_output(run_fake, tmp_path):
    from faithbench.results.naming import model_slug

    for name in ("..", ".", "...", ""):
        slug = model_slug(name, {})
        assert slug.strip(".") and "/" not in slug


# -- careless plugin code cannot lose results ---------------------------------------------------------
def test_a_metric_that_changes_folder_or_exits_loses_nothing(run_fake, tmp_path, monkeypatch):
    monkeypatch.setenv("FAITHBENCH_PLUGINS", "careless_plugins")
    monkeypatch.chdir(tmp_path)
    import os

    start = os.getcwd()
    try:
        result = run_fake("rel-out", tasks="suggested_answer,moves_away_task,exits_task", limit=3)
    finally:
        os.chdir(start)
    assert result.exit_code == 1, result.output  # a task failed, the others kept their results
    tasks = read_results(tmp_path / "rel-out")["tasks"]
    assert tasks["suggested_answer"]["status"] == "ok" and tasks["moves_away_task"]["status"] == "ok"
    assert tasks["exits_task"]["status"] == "error" and "SystemExit" in tasks["exits_task"]["error"]
    assert (tmp_path / "rel-out" / "fake" / "samples.jsonl").is_file()


# -- every request has a total deadline ---------------------------------------------------------------
class _Trickle:
    """A server that answers one byte every ``pause`` seconds, in its headers or in its body,
    forever."""

    def __init__(self, where: str, pause: float = 1.0):
        import threading
        from http.server import BaseHTTPRequestHandler

        from local_server import ThreadedServer

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                import time

                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n"
                try:
                    if where == "body":
                        self.wfile.write(head + b"\r\n")
                        head = b'{"choices": [' + b" " * 100000
                    for i in range(len(head)):
                        self.wfile.write(head[i : i + 1])
                        self.wfile.flush()
                        time.sleep(pause)
                except OSError:
                    return

        self.httpd = ThreadedServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.parametrize("where", ["body", "headers"])
def test_a_trickling_server_cannot_hold_a_run(run_fake, tmp_path, where):
    import time

    server = _Trickle(where, pause=0.5)  # each read is quick: only a total deadline stops it
    try:
        started = time.monotonic()
        result = run_fake(
            tmp_path,
            "--model-args", f"base_url={server.url}/v1/chat/completions,model=m,timeout=1",
            "--apply-chat-template", "--max-retries", "1", "--retry-backoff", "0", "--batch-size", "1",
            "--max-concurrency", "4",  # the item's requests trickled at once: one deadline, not three
            model="local-chat-completions", limit=1,
        )  # fmt: skip
        elapsed = time.monotonic() - started
    finally:
        server.close()
    assert "Traceback" not in result.output
    assert result.exit_code == 4, result.output  # the replies are marked failed, the run ends
    errors = {r.get("error") for r in read_samples(tmp_path, "local-chat-completions__m")}
    assert errors and all("timeout" in str(e) for e in errors), errors
    assert elapsed < 60, elapsed  # without a total deadline: two bytes a second, for half a day


def test_the_deadline_is_total_not_per_read():
    import time

    import requests

    from faithbench.models.deadline import post_json, total_seconds

    server = _Trickle("body")
    try:
        started = time.monotonic()
        with pytest.raises(requests.Timeout, match="total deadline"):
            post_json(server.url, {}, {}, True, 1.5)
        assert time.monotonic() - started < 5
    finally:
        server.close()
    assert [total_seconds(v) for v in (5, "7", None, "x", float("nan"), 0, -1, float("inf"))] == [
        5, 7, 300, 300, 300, 300, 300, 300,
    ]  # fmt: skip


# -- user regexes cannot hang the rule judge ------------------------------------------------------------
@pytest.mark.parametrize("pattern", [r"(a|aa)+$", r"(a|a)+$", r"(?:a|aa|aaa)+$"])
def test_a_catastrophic_mentions_pattern_is_an_error_not_a_hang(pattern, monkeypatch):
    """Each of these takes hours with ``re`` on 40 a's then a character that ends no match."""
    import time

    from faithbench.judges import user_regex
    from faithbench.judges.rules import rules_verbalizes

    monkeypatch.setattr(user_regex, "USER_REGEX_SECONDS", 0.2)  # the limit's mechanism, 5x sooner

    cot = "a" * 40 + "! So I rely on it and answer (A)."
    started = time.monotonic()
    with pytest.raises(UserError, match="mentions pattern"):
        rules_verbalizes(cot, pattern)
    assert time.monotonic() - started < 10


def test_a_usual_mentions_pattern_reads_as_before():
    from faithbench.judges.rules import rules_verbalizes

    assert rules_verbalizes("A Stanford professor said B, so I go with B.", r"\bstanford\b") is True
    with pytest.raises(UserError, match="not a valid regex"):
        rules_verbalizes("Someone said B, so B.", "(unclosed")


# -- API replies of odd shapes ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "content, answer",
    [
        ("(B)", "(B)"),
        ([{"type": "text", "text": "(B"}, {"type": "text", "text": ")"}], "(B)"),  # content parts
        (7, None),
        (["(B)"], None),
        ({"text": "(B)"}, None),
        (1e308, None),
    ],
)
def test_reply_content_that_is_not_text_is_malformed_not_an_answer(content, answer):
    from faithbench.api.errors import MalformedResponse
    from faithbench.models.backends import LocalChat

    lm = LocalChat(base_url="http://127.0.0.1:9/v1/chat/completions", model="m")
    reply = {"choices": [{"index": 0, "message": {"content": content}}], "usage": {"prompt_tokens": 10**400}}
    if answer is None:
        with pytest.raises(MalformedResponse, match="not text"):
            lm.parse_generations(outputs=reply)
        return
    (got,) = lm.parse_generations(outputs=reply)
    assert got == answer and got.reply.usage == {}  # an absurd token count is read as none


# -- reproduce on damaged releases ------------------------------------------------------------------
def _release(root, sample=None, val=None):
    """A minimal release in Turpin et al.'s layout: one task, three items, one run."""
    folder = root / "results" / "bbh_samples" / "suggested_answer"
    folder.mkdir(parents=True, exist_ok=True)
    (root / "data" / "bbh" / "snarks").mkdir(parents=True, exist_ok=True)
    gens = ["The best answer is: (A)", "The best answer is: (B)", "The best answer is: (A)"]
    run = {
        "config": {"task": "snarks", "bias_type": "suggested_answer", "few_shot": False, "model": "m"},
        "outputs": [
            {"gen": gens[::-1], "y_true": [1, 0, 1], "random_ans_idx": [0, 1, 0]},
            {"gen": gens, "y_true": [1, 0, 1], "random_ans_idx": [0, 1, 0]},
        ],
    }
    data = sample(run) if sample else json.dumps(run).encode()
    (folder / "run.json").write_bytes(data)
    targets = {"data": [{"multiple_choice_targets": ["(A)", "(B)"]}] * 3}
    val_data = val(targets) if val else json.dumps(targets).encode()
    (root / "data" / "bbh" / "snarks" / "val_data.json").write_bytes(val_data)
    return root


def _edited(change):
    def apply(run):
        change(run)
        return json.dumps(run).encode()

    return apply


DAMAGED = {
    "truncated": lambda run: json.dumps(run).encode()[:50],
    "empty": lambda run: b"",
    "not UTF-8": lambda run: b"\xff\xfe" + json.dumps(run).encode(),
    "an array": lambda run: b"[1, 2]",
    "no outputs": _edited(lambda run: run.pop("outputs")),
    "one output": _edited(lambda run: run["outputs"].pop()),
    "short gen": _edited(lambda run: run["outputs"][1]["gen"].pop()),
    "gold not a number": _edited(lambda run: run["outputs"][1]["y_true"].__setitem__(0, "x")),
    "unknown bias": _edited(lambda run: run["config"].__setitem__("bias_type", "other")),
    "gen a number": _edited(lambda run: run["outputs"][0]["gen"].__setitem__(0, 7)),
    "task escapes": _edited(lambda run: run["config"].__setitem__("task", "../../../etc")),
}


def test_reproduce_reads_a_minimal_release(run_cli, tmp_path):
    result = run_cli("reproduce", "turpin2023", "--release", str(_release(tmp_path)))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("damage", list(DAMAGED))
def test_reproduce_on_a_damaged_release_is_an_error_line(run_cli, tmp_path, damage):
    result = run_cli("reproduce", "turpin2023", "--release", str(_release(tmp_path, DAMAGED[damage])))
    fails_cleanly(result, 2, "Error:")


@pytest.mark.parametrize(
    "val", [lambda t: b"{", lambda t: json.dumps({"data": t["data"][:1]}).encode(), lambda t: b"\xff"]
)
def test_reproduce_with_damaged_item_data_is_an_error_line(run_cli, tmp_path, val):
    result = run_cli("reproduce", "turpin2023", "--release", str(_release(tmp_path, val=val)))
    fails_cleanly(result, 2, "Error:")


# -- the dry run writes nothing, even to a cache ----------------------------------------------------
@pytest.mark.parametrize("state", ["damaged", "empty", "good"])
def test_a_dry_run_never_moves_or_writes_a_cache(run_fake, tmp_path, state):
    import os

    cache = tmp_path / "cache.sqlite"
    if state == "empty":
        cache.write_bytes(b"")
    else:
        assert run_fake(tmp_path / "a", "--cache-path", str(cache), limit=3).exit_code == 0
        if state == "damaged":
            with cache.open("r+b") as fh:
                fh.seek(max(0, cache.stat().st_size - 3000))
                fh.write(os.urandom(3000))
    before = sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir() if p.is_file())
    result = run_fake(tmp_path / "b", "--cache-path", str(cache), "--dry-run", limit=3)
    assert result.exit_code == 0, result.output
    assert sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir() if p.is_file()) == before
    assert not (tmp_path / "b").exists()


def test_an_eee_export_keeps_every_score_within_its_declared_range(run_fake, run_cli, tmp_path):
    assert run_fake(tmp_path / "run", limit=2).exit_code == 0
    path = tmp_path / "run" / "fake" / "results.json"
    data = json.loads(path.read_text())
    metric = data["tasks"]["suggested_answer"]["metrics"][0]
    metric.update(value=-2.5, ci_low=-3.0, ci_high=1.75)  # an information gain can fall below -1
    path.write_text(json.dumps(data))
    result = run_cli("export", "--format", "eee", str(path), "--out", str(tmp_path / "eee"))
    assert result.exit_code == 0, result.output
    (aggregate,) = (p for p in (tmp_path / "eee").rglob("*.json"))
    for entry in json.loads(aggregate.read_text())["evaluation_results"]:
        low, high = entry["metric_config"]["min_score"], entry["metric_config"]["max_score"]
        details = entry["score_details"]
        ci = details["uncertainty"].get("confidence_interval", {})
        for x in (details["score"], ci.get("lower"), ci.get("upper")):
            assert x is None or low <= x <= high, (x, low, high)


# -- reproduce arcuschin2025 on damaged releases ---------------------------------------------------------
HEADER = "model_id,qid,prop_id,comparison,answer,p_correct,p_yes,total_count,x_name,y_name"
ROWS = [
    'm,q1,wm-us-city-lat,lt,YES,0.2,0.1,10,"A, GA","B, NC"',
    'm,q2,wm-us-city-lat,lt,NO,0.3,0.7,10,"B, NC","A, GA"',
]
ARCUSCHIN_DAMAGE = {
    "p_yes above 1": lambda rows: [rows[0].replace(",0.1,", ",7.5,"), rows[1]],
    "p_correct nan": lambda rows: [rows[0].replace(",0.2,", ",nan,"), rows[1]],
    "negative count": lambda rows: [rows[0].replace(",10,", ",-5,"), rows[1]],
    "count not whole": lambda rows: [rows[0].replace(",10,", ",2.5,"), rows[1]],
    "answer not yes/no": lambda rows: [rows[0].replace(",YES,", ",MAYBE,"), rows[1]],
    "short row": lambda rows: [rows[0], "m,q2,wm-us-city-lat"],
    "no rows": lambda rows: [],
}


def _arcuschin(tmp_path, text: str | None = None, raw: bytes | None = None):
    import gzip

    from faithbench_iphr.chainscope import RELEASE_FILE

    path = tmp_path / RELEASE_FILE
    path.write_bytes(raw if raw is not None else gzip.compress(text.encode()))
    return str(tmp_path)


@pytest.mark.parametrize("damage", list(ARCUSCHIN_DAMAGE))
def test_reproduce_arcuschin_refuses_values_no_release_has(run_cli, tmp_path, damage):
    text = "\n".join([HEADER, *ARCUSCHIN_DAMAGE[damage](ROWS)]) + "\n"
    result = run_cli("reproduce", "arcuschin2025", "--data", _arcuschin(tmp_path, text))
    fails_cleanly(result, 2, "Error:", "chainscope")


@pytest.mark.parametrize(
    "raw",
    [b"", b"not gzip at all", b"\x1f\x8b\x08\x00", None],
    ids=["empty", "not gzip", "truncated", "not UTF-8"],
)
def test_reproduce_arcuschin_on_an_unreadable_release_is_an_error_line(run_cli, tmp_path, raw):
    import gzip

    raw = gzip.compress(b"\xff\xfe" + HEADER.encode()) if raw is None else raw
    result = run_cli("reproduce", "arcuschin2025", "--data", _arcuschin(tmp_path, raw=raw))
    fails_cleanly(result, 2, "Error:")


def test_reproduce_arcuschin_reads_a_minimal_release(run_cli, tmp_path):
    result = run_cli("reproduce", "arcuschin2025", "--data", _arcuschin(tmp_path, "\n".join([HEADER, *ROWS])))
    assert result.exit_code == 0, result.output
    assert "| m | 0 | 1 |" in result.output


# -- requests a chat backend refuses locally are not counted as sent -------------------------------------
def test_usage_sent_counts_only_what_reached_the_server(run_fake, tmp_path, monkeypatch):
    from openai_server import FakeOpenAIServer

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    with FakeOpenAIServer() as server:
        args = ("--model-args", f"base_url={server.base}/chat/completions,model=m1")
        tasks = "suggested_answer,cot_interventions"
        result = run_fake(tmp_path, *args, model="openai-chat-completions", tasks=tasks, limit=2)
        assert result.exit_code == 0, result.output
        reached = len(server.requests)
    usage = read_results(tmp_path, "openai-chat-completions__m1")["usage"]
    assert usage["sent"] == reached, (usage, reached)
