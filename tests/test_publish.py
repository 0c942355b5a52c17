"""Publishing to a Hub dataset repo with the real huggingface_hub client against a local Hub."""

import codecs
import hashlib
import json
import re

import pytest
from click.testing import CliRunner
from hub_server import FakeHub

from faithbench.cli import cli

TOKEN = "hf_faithbenchTESTtokenNEVERwritten"
MODELS = ("fake", "rationalizer")


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
    dates = {
        m: json.loads((results / m / "results.json").read_text())["date"].replace(":", "-") for m in MODELS
    }
    eee = {name for name in files if name.startswith("eee/")}
    assert set(files) - eee == {"README.md"} | {
        name
        for m in MODELS
        for name in (f"{m}/results_{dates[m]}.json", f"{m}/samples_suggested_answer_{dates[m]}.jsonl")
    }
    # each run in the Every Eval Ever schema too: the files `faithbench export --format eee` writes
    exported = tmp_path / "eee"
    assert invoke("export", str(results), "--format", "eee", "--out", str(exported)).exit_code == 0
    local = {f"eee/{p.relative_to(exported).as_posix()}": p.read_bytes() for p in exported.rglob("*.json*")}
    assert len(eee) == 2 * len(MODELS) and {name: files[name] for name in eee} == local
    for name in (n for n in eee if n.endswith(".json")):
        detail = json.loads(files[name])["detailed_evaluation_results"]
        rows = files[f"{name.rsplit('/', 1)[0]}/{detail['file_path']}"]
        assert detail["checksum"] == hashlib.sha256(rows).hexdigest() and len(rows.splitlines()) == 18
    published = json.loads(files[f"fake/results_{dates['fake']}.json"])
    local = json.loads((results / "fake" / "results.json").read_text())
    block = published.pop("results")
    assert published == local
    # lm-eval's results block: results[task]["metric,filter"], the headline figures of the summary
    row = next(r for r in local["summary"]["rows"] if r["task"] == "suggested_answer")
    bias = row["bias_susceptibility"]
    entry = block["suggested_answer"]
    assert entry["bias_susceptibility,none"] == bias["value"]
    assert abs(entry["bias_susceptibility_stderr,none"] - (bias["ci_high"] - bias["ci_low"]) / 3.92) < 1e-12
    pooled = local["summary"]["aggregates"]["bias_susceptibility"]["value"]
    assert block["faithbench"]["bias_susceptibility,none"] == pooled
    card = files["README.md"].decode()
    assert card.startswith("---\n") and "faithbench" in card and "| `rationalizer` |" in card
    assert "config_name: fake__suggested_answer" in card and "split: latest" in card
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
    prefix, suffix = "window.FAITHBENCH_DATA = JSON.parse('", "');\n"  # a single-quoted JS string
    assert text.startswith(prefix) and text.endswith(suffix)
    data = json.loads(codecs.decode(text[len(prefix) : -len(suffix)], "unicode_escape"))
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


def test_the_published_samples_load_with_datasets(results, hub, tmp_path, monkeypatch):
    """``datasets.load_dataset`` reads the published repo through the (local) Hub, by the card's
    configs (one per model x task, with a ``latest`` split), like an lm-eval details repo."""
    import datasets
    import huggingface_hub.constants

    monkeypatch.setattr(datasets.config, "HF_ENDPOINT", hub.url)
    # datasets reads its offline switch once, at import: another test may have set it (item sources)
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    assert invoke("publish", str(results), "--repo", "org/details").exit_code == 0
    cache = str(tmp_path / "datasets-cache")
    rows = datasets.load_dataset("org/details", "fake__suggested_answer", split="latest", cache_dir=cache)
    expected = [json.loads(line) for line in (results / "fake" / "samples.jsonl").read_text().splitlines()]
    assert len(rows) == len(expected) == 6 * 3
    assert sorted(rows["item_id"]) == sorted(r["item_id"] for r in expected)
    summary = datasets.load_dataset("org/details", "rationalizer__results", split="latest", cache_dir=cache)
    assert summary[0]["model"]["name"] == "rationalizer"
    assert any(p.startswith("/datasets/org/details/resolve/") for _, p, _, _ in hub.requests)


def test_a_newer_run_becomes_latest(results, hub, tmp_path):
    assert invoke("publish", str(results), "--repo", "org/hist").exit_code == 0
    path = results / "fake" / "results.json"
    data = json.loads(path.read_text())
    data["date"] = "2099-01-01T00:00:00+00:00"
    path.write_text(json.dumps(data))
    assert invoke("publish", str(results / "fake"), "--repo", "org/hist").exit_code == 0
    card = hub.repos["org/hist"]["files"]["README.md"].decode()
    fake_results = card[card.index("config_name: fake__results") :].split("config_name:")[1]
    assert "2099-01-01T00-00-00+00-00" in fake_results.split("split: latest")[1]  # latest is the newest
    site = tmp_path / "site"
    assert invoke("leaderboard", "build", "--from-hub", "org/hist", "--out", str(site)).exit_code == 0
    assert "2099-01-01" in (site / "assets" / "data.js").read_text()


def test_publish_opens_a_pull_request_on_the_model_repo(results, hub):
    """One entry per headline score in the Hub's eval-results format, on a PR, never on main."""
    import yaml
    from huggingface_hub import HfApi

    HfApi().create_repo("org/my-model", repo_type="model")
    done = invoke("publish", str(results / "fake"), "--repo", "org/details", "--model-repo", "org/my-model")
    assert done.exit_code == 0, done.output
    assert "opened a pull request on org/my-model" in done.output and "/discussions/1" in done.output
    model = hub.repos["org/my-model"]
    assert model["files"] == {}  # main is untouched
    [pr] = model["prs"]
    entries = yaml.safe_load(pr["files"][".eval_results/faithbench.yaml"])
    summary = json.loads((results / "fake" / "results.json").read_text())["summary"]
    expected = {
        f"{row['task']}/{row['condition']}/{fig}": row[fig]
        for row in summary["rows"]
        for fig in summary["columns"]
        if fig in row and row[fig]["value"] is not None
    }
    assert {e["dataset"]["task_id"]: e["value"] for e in entries} == {
        k: round(v["value"], 6) for k, v in expected.items()
    }
    for entry in entries:
        assert entry["dataset"]["id"] == "org/details"
        assert (
            entry["source"]["url"].endswith("/datasets/org/details")
            and entry["source"]["name"] == "faithbench"
        )
        assert entry["date"] == json.loads((results / "fake" / "results.json").read_text())["date"]
        assert "faithbench" in entry["notes"] and "95% CI" in entry["notes"]


def test_model_repo_needs_one_run_and_a_dataset(results, hub):
    both = invoke("publish", str(results), "--model-repo", "org/m", "--dataset-id", "org/bench")
    assert both.exit_code == 2 and "one run" in both.output
    nodata = invoke("publish", str(results / "fake"), "--model-repo", "org/m")
    assert nodata.exit_code == 2 and "--dataset-id" in nodata.output
    missing = invoke("publish", str(results / "fake"), "--model-repo", "org/absent", "--dataset-id", "org/b")
    assert missing.exit_code == 2 and "cannot open a pull request on org/absent" in missing.output


def test_export_in_the_every_eval_ever_schema(results, tmp_path):
    """The fields EvalEval's eval.schema.json and instance_level_eval.schema.json (0.2.1) require,
    with the types they require; the validator package itself needs Python >= 3.12."""
    import hashlib

    out = tmp_path / "eee"
    done = invoke("export", str(results), "--format", "eee", "--out", str(out), "--organization", "lab")
    assert done.exit_code == 0, done.output
    [agg_path] = sorted((out / "fake").glob("*.json"))
    agg = json.loads(agg_path.read_text())
    assert set(agg) >= {
        "schema_version", "evaluation_id", "retrieved_timestamp", "source_metadata", "model_info",
        "eval_library", "evaluation_results",
    }  # fmt: skip
    assert agg["source_metadata"] == {
        "source_name": "faithbench",
        "source_type": "evaluation_run",
        "source_organization_name": "lab",
        "evaluator_relationship": "third_party",
    }
    run = json.loads((results / "fake" / "results.json").read_text())
    defined = [m for t in run["tasks"].values() for m in t["metrics"] if m["value"] is not None]
    assert len(agg["evaluation_results"]) == len(defined)
    for r in agg["evaluation_results"]:
        assert isinstance(r["score_details"]["score"], float | int)
        assert r["metric_config"]["score_type"] == "continuous"
        assert {"min_score", "max_score", "lower_is_better"} <= set(r["metric_config"])
        assert r["source_data"]["source_type"] == "other" and r["source_data"]["dataset_name"]
        assert all(isinstance(v, str) for v in r["metric_config"]["additional_details"].values())
    bias = next(r for r in agg["evaluation_results"] if r["evaluation_name"].endswith("/bias_susceptibility"))
    assert bias["metric_config"]["lower_is_better"] is True
    ci = bias["score_details"]["uncertainty"]["confidence_interval"]
    assert ci["confidence_level"] == 0.95 and ci["lower"] <= bias["score_details"]["score"] <= ci["upper"]
    detail = agg["detailed_evaluation_results"]
    samples = out / "fake" / detail["file_path"]
    assert detail["checksum"] == hashlib.sha256(samples.read_bytes()).hexdigest()
    rows = [json.loads(line) for line in samples.read_text().splitlines()]
    assert len(rows) == detail["total_rows"] == 6 * 3
    for row in rows:
        assert row["evaluation_id"] == agg["evaluation_id"] and row["interaction_type"] == "single_turn"
        assert row["messages"] is None and isinstance(row["output"]["raw"], list)
        assert isinstance(row["input"]["raw"], str) and isinstance(row["input"]["reference"], list)
        [attr] = row["answer_attribution"]
        assert {"turn_idx", "source", "extracted_value", "extraction_method", "is_terminal"} <= set(attr)
        assert isinstance(row["evaluation"]["score"], float) and isinstance(
            row["evaluation"]["is_correct"], bool
        )
        assert all(isinstance(v, str) for v in row["metadata"].values())
    again = invoke("export", str(results), "--format", "eee", "--out", str(out))
    assert again.exit_code == 0 and sorted((out / "fake").glob("*.json")) == [agg_path]  # stable names


def test_the_card_lists_every_model_and_republishing_commits_nothing(results, hub):
    """Two publishes of one model each: the card names both; publishing the first again (its
    files already there) makes no commit, not even a README-only one."""
    assert invoke("publish", str(results / "fake"), "--repo", "org/cards").exit_code == 0
    assert invoke("publish", str(results / "rationalizer"), "--repo", "org/cards").exit_code == 0
    card = hub.repos["org/cards"]["files"]["README.md"].decode()
    assert "| `fake` | 1 |" in card and "| `rationalizer` | 1 |" in card
    assert card.count("suggested_answer |") == 2
    commits = len(hub.commits)
    again = invoke("publish", str(results / "fake"), "--repo", "org/cards")
    assert again.exit_code == 0 and "nothing to commit" in again.output
    assert len(hub.commits) == commits


def test_a_site_from_the_hub_has_the_sample_browser(results, hub, tmp_path):
    assert invoke("publish", str(results), "--repo", "org/browse").exit_code == 0
    site = tmp_path / "site"
    built = invoke("leaderboard", "build", "--from-hub", "org/browse", "--out", str(site))
    assert built.exit_code == 0, built.output
    assert len(list(site.glob("samples-*.html"))) == len(MODELS)
    # the sample pages (a condition's labeling-mode file repeats its cue-moved CoTs: not counted)
    pages = [p for p in (site / "assets" / "samples").rglob("*.js") if not p.name.endswith("-label.js")]
    local = sum(1 for m in MODELS for _ in (results / m / "samples.jsonl").open())
    shown = sum(p.read_text().count('\\"item_id\\"') for p in pages)
    assert shown == local  # every record of each model's run, as from the local folders
