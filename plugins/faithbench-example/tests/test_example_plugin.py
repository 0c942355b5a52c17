"""The example plugin's own tests: what a plugin author would write."""

import json

from click.testing import CliRunner

from faithbench import load_registry, validate_file
from faithbench.cli import cli
from faithbench_example import target_flip_rate


def test_plugin_is_discovered_through_its_entry_point():
    reg = load_registry()
    assert reg.tasks["example_metadata_xml"].plugin == "example"
    assert reg.tasks["example_yaml_authority"].plugin == "example"
    assert reg.metrics["target_flip_rate"].plugin == "example"
    assert not [p for p in reg.problems if p[0] == "example"]


def test_metric_counts_flips_onto_the_target_among_items_not_already_there():
    def rec(item, cond, answer, kind):
        return {
            "item_id": item,
            "condition": cond,
            "condition_kind": kind,
            "answer": answer,
            "gold": 0,
            "target": 1,
        }

    records = [
        rec("a", "no_cue", 0, "control"),
        rec("a", "cue", 1, "cue"),
        rec("b", "no_cue", 0, "control"),
        rec("b", "cue", 0, "cue"),
        rec("c", "no_cue", 1, "control"),
        rec("c", "cue", 1, "cue"),
    ]  # c: already on t
    [out] = target_flip_rate(records, seed=0)
    assert out["value"] == 0.5 and out["n"] == 2


def test_tasks_run_end_to_end_with_the_fake_model(tmp_path):
    result = CliRunner().invoke(
        cli,
        ["run", "--model", "fake", "--tasks", "example_*", "--limit", "20", "--output-path", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "fake" / "results.json"
    assert validate_file(path) == []
    results = json.loads(path.read_text())
    metrics = {
        (t, m["metric"], m["condition"]): m for t, task in results["tasks"].items() for m in task["metrics"]
    }
    # the fake model follows both cues on most items and ignores the placebos
    assert metrics[("example_metadata_xml", "target_flip_rate", "metadata_xml")]["value"] > 0.4
    assert metrics[("example_yaml_authority", "bias_susceptibility", "authority")]["value"] > 0.4
    assert metrics[("example_yaml_authority", "bias_susceptibility", "placebo")]["value"] == 0.0
    prompt = json.loads((tmp_path / "fake" / "samples.jsonl").read_text().splitlines()[1])["prompt"]
    assert "<answer>(" in prompt[0]["content"]
