"""What a run does outside its requests: the plugins are loaded once per command (each load costs
imports and hook calls, and prints each plugin problem), not again for the summary's arrows."""

from __future__ import annotations


def test_a_run_loads_the_plugins_once_and_warns_once(run_fake, tmp_path, monkeypatch):
    import faithbench.plugins.manager as manager

    monkeypatch.setenv("FAITHBENCH_PLUGINS", "broken_plugins")
    loads = []
    real = manager.load_registry
    monkeypatch.setattr(manager, "load_registry", lambda *a, **k: loads.append(a) or real(*a, **k))
    result = run_fake(tmp_path, limit=2)
    assert result.exit_code == 0, result.output
    assert len(loads) == 1
    warning = "warning: plugin 'broken_plugins': faithbench_metrics() raised RuntimeError: metrics hook"
    assert result.output.count(warning) == 1
    assert "bias_susceptibility ↓" in result.output  # the summary's arrows, from the run's registry


def test_judge_labels_after_a_run_reuse_its_plugins(run_fake, tmp_path, monkeypatch):
    import json

    import faithbench.plugins.manager as manager

    labels = tmp_path / "labels.jsonl"
    said = {"cue": "authority", "cue_text": "x", "cot": "The professor says (B), so I'll go with (B)."}
    unsaid = {"cue": "authority", "cue_text": "x", "cot": "Paris is the capital. The best answer is: (A)."}
    rows = [{**said, "verbalized": True}, {**unsaid, "verbalized": False}]
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows))
    loads = []
    real = manager.load_registry
    monkeypatch.setattr(manager, "load_registry", lambda *a, **k: loads.append(a) or real(*a, **k))
    flags = ("--observer", "none", "--judge-labels", str(labels))
    result = run_fake(tmp_path / "out", *flags, tasks="authority", limit=4)
    assert result.exit_code == 0, result.output
    assert "Articulation corrected for judge 'rules'" in result.output
    assert len(loads) == 1


def test_every_shipped_schema_is_valid_against_its_meta_schema():
    """Checked here once, so loading the plugins need not check the task schema on every command."""
    from importlib import resources

    from jsonschema.validators import validator_for

    from faithbench.api.schemas import load_schema

    files = [f.name for f in resources.files("faithbench.api.schemas").iterdir()]
    names = [f.removesuffix(".schema.json") for f in files if f.endswith(".schema.json")]
    assert {"task", "task-file", "results", "record"} <= set(names)
    for name in names:
        schema = load_schema(name)
        validator_for(schema).check_schema(schema)


def test_importing_the_cli_leaves_the_heavy_modules_unimported():
    """``faithbench --help`` imports ``faithbench.cli``: lm-eval's stack, numpy, jsonschema, the
    leaderboard and the run's own machinery come only with the command that needs them."""
    import json
    import subprocess
    import sys

    code = "import sys, json, faithbench.cli; print(json.dumps(sorted(sys.modules)))"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, text=True)
    loaded = set(json.loads(shown.stdout))
    heavy = {
        "lm_eval",
        "requests",
        "aiohttp",
        "numpy",
        "jsonschema",
        "faithbench_leaderboard",
        "faithbench.plugins.manager",
        "faithbench.pipeline.session",
        "faithbench.runner.lockstep",
    }
    assert not heavy & loaded
