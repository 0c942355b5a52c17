"""faithbench.evaluate: a run from a notebook, with the command line's numbers."""

import json

import pytest
from conftest import read_results

import faithbench

TASKS = "suggested_answer,monitor_cues"


def _figures(results: dict) -> dict:
    return {
        (task, m["metric"], m["condition"], m.get("framing")): (m["value"], m["ci_low"], m["ci_high"], m["n"])
        for task, entry in results["tasks"].items()
        for m in entry["metrics"]
    }


def test_evaluate_gives_the_numbers_the_cli_gives(run_fake, tmp_path):
    out = tmp_path / "cli"
    cli = run_fake(out, "--samples-per-arm", "2", "--monitor-model", "planted-monitor", tasks=TASKS, limit=4)
    assert cli.exit_code == 0, cli.output
    got = faithbench.evaluate(
        "fake", TASKS.split(","), limit=4, samples_per_arm=2, monitor_model="planted-monitor", observer="none"
    )
    assert isinstance(got, faithbench.Results) and got.path is None  # no output path: nothing written
    assert _figures(got.as_dict()) == _figures(read_results(out))
    assert got.as_dict()["summary"] == read_results(out)["summary"]
    assert json.loads(got.to_json())["tasks"].keys() == read_results(out)["tasks"].keys()
    assert len(got.records) == sum(1 for _ in open(out / "fake" / "samples.jsonl"))


def test_results_expose_figures_summary_usage_and_provenance():
    got = faithbench.evaluate("fake", "suggested_answer", limit=3, observer="none")
    figure = got.metric("suggested_answer", "bias_susceptibility", "suggested_answer")
    assert figure["n"] == 3 and figure["ci_low"] <= figure["value"] <= figure["ci_high"]
    assert {m["task"] for m in got.metrics} == {"suggested_answer"}
    assert got.summary["rows"] and got.usage["requests"] > 0
    assert got.provenance["model"]["name"] == "fake" and got.failed_tasks == [] and got.unanswered == 0
    with pytest.raises(TypeError):  # read-only, as the records are
        got.data["tasks"]["suggested_answer"]["metrics"][0]["value"] = 1.0  # type: ignore[index]
    copy = got.as_dict()
    copy["tasks"].clear()
    assert got.tasks["suggested_answer"]["metrics"]
    with pytest.raises(KeyError, match="its figures: .*bias_susceptibility"):
        got.metric("suggested_answer", "no_such_metric")
    with pytest.raises(KeyError, match="did you mean 'suggested_answer'"):
        got.metric("suggested_answr", "bias_susceptibility")


def test_evaluate_writes_and_resumes_like_the_cli(tmp_path):
    settings = {"limit": 3, "observer": "none", "output_path": str(tmp_path)}
    first = faithbench.evaluate("fake", "suggested_answer", **settings)
    assert first.path == tmp_path / "fake" / "results.json" and first.path.is_file()
    again = faithbench.evaluate("fake", "suggested_answer", **settings)
    assert again.usage["sent"] == 0 and again.usage["cache_hits"] == first.usage["requests"]


def test_task_args_and_role_models_take_python_values():
    got = faithbench.evaluate(
        "fake",
        "monitor_cues",
        limit=2,
        observer="none",
        task_args={"monitor_cues.samples_per_arm": 3},
        role_models={"monitor": ("planted-monitor", {"mode": "reader"})},
    )
    assert got.data["config"]["task_args"] == {"monitor_cues": {"samples_per_arm": 3}}
    assert got.data["config"]["side_models"] == {"monitor": "planted-monitor"}
    assert sorted({r["draw"] for r in got.records}) == [1, 2, 3]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"limt": 3}, r"unknown option 'limt' \(did you mean 'limit'\?\)"),
        ({"limit": 0}, "invalid limit=0: 0 is not in the range"),
        ({"seed": "abc"}, "invalid seed='abc'"),
        ({"show": "everything"}, "invalid show='everything'"),
        ({"task_args": {"samples_per_arms": 2}}, "did you mean 'samples_per_arm'"),
        ({"task_args": {"samples_per_arm": 1}}, "samples_per_arm must be at least 2"),
        ({"role_models": {"monitr": "fake"}}, "unknown side-model role 'monitr'"),
        ({"role_models": {"monitor": ("fake", {}, 1)}}, r"role_models\['monitor'\] must be"),
        ({"task_args": ["samples_per_arm=3"]}, "task_args and role_models are dicts"),
        ({"limit": 2.5}, "invalid limit=2.5: a whole number is needed"),
        ({"limit": True}, "invalid limit=True"),
        ({"sample_per_arm": 3}, "did you mean 'samples_per_arm'"),
        ({"samples_per_arm": 3, "task_args": {"samples_per_arm": 4}}, "'samples_per_arm' is set twice"),
        ({"dry_run": True}, "dry_run is a command-line report"),
    ],
)
def test_bad_keywords_raise_a_user_error(kwargs, message):
    with pytest.raises(faithbench.UserError, match=message):
        faithbench.evaluate("fake", "monitor_cues", observer="none", **kwargs)


def test_flag_spellings_lists_and_the_recorded_call():
    got = faithbench.evaluate("fake", "suggested_answer", limit=2, items="procedural:arithmetic",
                              judge=["rules"], observer="none", model_args={"bias": 0.9})
    assert got.data["config"]["items"] == "procedural:arithmetic" and got.data["config"]["judge"] == "rules"
    command = got.provenance["command"]
    assert command.startswith("faithbench.evaluate('fake', 'suggested_answer', model_args={'bias': 0.9}")
    assert "limit=2" in command and "items='procedural:arithmetic'" in command
    from faithbench.pipeline.library import _command

    args = {"monitor_model_args": "token=t0k"}
    secret = _command("http://u:pw@h.invalid/v1", "all", {"api_key": "sk-1"}, args)
    assert "sk-1" not in secret and "pw@" not in secret and "t0k" not in secret
