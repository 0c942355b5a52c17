"""Publishing to a Hub dataset repo with the real huggingface_hub client against a local Hub."""

import json
import re

import pytest
from click.testing import CliRunner
from hub_server import FakeHub

from faithbench.cli import cli

TOKEN = "hf_faithbenchTESTtokenNEVERwritten"


@pytest.fixture
def results(tmp_path):
    out = tmp_path / "results"
    for args in (["--model", "fake"], ["--model", "rationalizer"]):
        result = CliRunner().invoke(
            cli, ["run", *args, "--tasks", "suggested_answer", "--limit", "6", "--output-path", str(out)]
        )
        assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def hub(monkeypatch):
    with FakeHub() as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        monkeypatch.setenv("HF_TOKEN", TOKEN)
        monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
        monkeypatch.setenv("HF_HUB_DISABLE_XET", "1")
        # huggingface_hub reads HF_ENDPOINT at import: point its constants at the local hub too
        import huggingface_hub.constants as constants

        monkeypatch.setattr(constants, "ENDPOINT", server.url)
        monkeypatch.setattr(
            constants, "HUGGINGFACE_CO_URL_TEMPLATE", server.url + "/{repo_id}/resolve/{revision}/{filename}"
        )
        yield server


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def test_publish_uploads_one_commit_and_is_idempotent(results, hub, tmp_path):
    first = invoke("publish", str(results), "--repo", "org/faith-results")
    assert first.exit_code == 0, first.output
    assert len(hub.commits) == 1
    files = hub.repos["org/faith-results"]["files"]
    assert set(files) == {
        "README.md",
        "fake/results.json",
        "fake/samples.jsonl",
        "rationalizer/results.json",
        "rationalizer/samples.jsonl",
    }
    assert json.loads(files["fake/results.json"]) == json.loads(
        (results / "fake" / "results.json").read_text()
    )
    card = files["README.md"].decode()
    assert card.startswith("---\n") and "faithbench" in card and "| `rationalizer` |" in card
    writes = [r for r in hub.requests if r[0] == "POST" and re.search(r"/(create|preupload|commit)", r[1])]
    assert writes and all(
        {k.lower(): v for k, v in r[2].items()}.get("authorization") == f"Bearer {TOKEN}" for r in writes
    )

    again = invoke("publish", str(results), "--repo", "org/faith-results")
    assert again.exit_code == 0 and "nothing to commit" in again.output
    assert len(hub.commits) == 1  # no second commit

    site = tmp_path / "site"
    built = invoke("leaderboard", "build", "--from-hub", "org/faith-results", "--out", str(site))
    assert built.exit_code == 0, built.output
    text = (site / "assets" / "data.js").read_text()
    prefix, suffix = "window.FAITHBENCH_DATA = JSON.parse(", ");\n"
    assert text.startswith(prefix) and text.endswith(suffix)
    data = json.loads(json.loads(text[len(prefix) : -len(suffix)]))
    assert {run["model"] for run in data["runs"]} == {"fake", "rationalizer"}

    everything = (
        first.output
        + again.output
        + built.output
        + "".join(p.read_text(errors="ignore") for p in tmp_path.rglob("*") if p.is_file())
    )
    assert TOKEN not in everything
    assert all(TOKEN.encode() not in content for content in files.values())


def test_invalid_results_are_refused_before_any_upload(results, hub):
    bad = results / "fake" / "results.json"
    data = json.loads(bad.read_text())
    del data["tasks"]
    bad.write_text(json.dumps(data))
    result = invoke("publish", str(results), "--repo", "org/x")
    assert result.exit_code == 2 and "not a valid results file" in result.output
    assert not hub.requests


def test_a_failed_upload_is_an_error(results, monkeypatch):
    with FakeHub(fail_commits=True) as server:
        import huggingface_hub.constants as constants

        monkeypatch.setenv("HF_TOKEN", TOKEN)
        monkeypatch.setenv("HF_HUB_DISABLE_XET", "1")
        monkeypatch.setattr(constants, "ENDPOINT", server.url)
        result = invoke("publish", str(results), "--repo", "org/y")
    assert result.exit_code == 2 and "upload to org/y failed: HTTP 500" in result.output
    assert "Traceback" not in result.output and TOKEN not in result.output


def test_hf_endpoint_variable_reaches_the_real_client(results):
    """A fresh process, configured only through HF_ENDPOINT and HF_TOKEN, as a user would."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    with FakeHub() as server:
        env = {**os.environ, "HF_ENDPOINT": server.url, "HF_TOKEN": TOKEN, "HF_HUB_DISABLE_XET": "1"}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "faithbench",
                "publish",
                str(results),
                "--repo",
                "org/env-check",
                "--private",
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert server.repos["org/env-check"]["private"] is True
        assert len(server.commits) == 1 and TOKEN not in done.stdout + done.stderr
