"""What a third-party plugin author trips over is reported, by name, where they will see it: a metric
that computes nothing, a hook pluggy would ignore, a misspelt metric name, paired()'s kinds, the
scaffold's own test on the fake model, and a fixture plugin written against the public API only."""

import ast
import dataclasses
import json
import os
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT, read_results

from faithbench import Item, Kind, Sample, validate_file
from faithbench.helpers import paired
from faithbench.plugins import scaffold
from faithbench.plugins.manager import load_registry


def plugin(tmp_path, monkeypatch, name: str, source: str) -> None:
    """A development plugin module, loaded through FAITHBENCH_PLUGINS (nothing is installed)."""
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(source))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("FAITHBENCH_PLUGINS", name)


def problems_of(name: str, include_paths=()) -> list[str]:
    return [message for plugin, message in load_registry(include_paths).problems if plugin == name]


# -- a metric that computes nothing ----------------------------------------------------------------

PROBE_PLUGIN = """
from faithbench import Condition, Kind, Metric, Task, hookimpl
from faithbench.helpers import cot_answer_plan, mean_ci, paired, standard_items, value


def flips(name, **kinds):
    def compute(records, seed):
        return [value(name, c, mean_ci([float(u["answer"] != h["answer"]) for u, h in pairs], seed))
                for c, pairs in paired(records, **kinds)]
    return compute


@hookimpl
def faithbench_metrics():
    return [
        Metric("flip_default", "paired() as is: the probe is not compared", flips("flip_default")),
        Metric("flip_probe", "paired(kinds=(Kind.PROBE,))", flips("flip_probe", kinds=(Kind.PROBE,))),
        Metric("flip_optional", "may be empty", flips("flip_optional"), empty_when="no cue condition"),
    ]


@hookimpl
def faithbench_tasks():
    conditions = (Condition("no_cue", Kind.CONTROL), Condition("challenge", Kind.PROBE))
    return [Task("probe_task", "1.0", "A probe.", standard_items, conditions, cot_answer_plan,
                 ("accuracy", "flip_default", "flip_probe", "flip_optional"))]
"""


def test_a_metric_that_computes_nothing_is_a_warning_in_results_and_terminal(
    run_fake, tmp_path, monkeypatch
):
    plugin(tmp_path, monkeypatch, "probe_plugin", PROBE_PLUGIN)
    result = run_fake(tmp_path / "out", tasks="probe_task", limit=4)
    assert result.exit_code == 0, result.output  # a warning, not a failed task
    entry = read_results(tmp_path / "out")["tasks"]["probe_task"]
    assert entry["status"] == "ok" and "error" not in entry
    [warning] = entry["warnings"]  # flip_optional declares when it may be empty: no warning
    assert warning.startswith("metric 'flip_default' computed no values") and "kinds=" in warning
    assert f"warning: task 'probe_task': {warning}" in result.output
    assert {m["condition"] for m in entry["metrics"] if m["metric"] == "flip_probe"} == {"challenge"}
    assert validate_file(tmp_path / "out" / "fake" / "results.json") == []


def test_paired_compares_cue_and_placebo_by_default_and_the_kinds_asked_for():
    def rec(item, condition, kind, answer=0):
        return {"item_id": item, "condition": condition, "condition_kind": kind, "answer": answer}

    kinds = {"no_cue": "control", "cue": "cue", "placebo": "placebo", "probe": "probe",
             "swap": "intervention"}
    records = [rec(i, c, k) for i in ("a", "b") for c, k in kinds.items()]
    records.append({**rec("c", "cue", "cue"), "error": "timeout"})  # unusable: never paired
    assert [c for c, _ in paired(records)] == ["cue", "placebo"]
    asked = dict(paired(records, kinds=(Kind.PROBE, Kind.INTERVENTION)))
    assert list(asked) == ["probe", "swap"]
    assert [(u["item_id"], h["condition"]) for u, h in asked["swap"]] == [("a", "swap"), ("b", "swap")]
    assert list(paired([r for r in records if r["condition"] != "no_cue"])) == []  # no control


# -- hooks pluggy would ignore ----------------------------------------------------------------------

HOOKS_PLUGIN = """
from faithbench import hookimpl


def faithbench_tasks():  # the decorator forgotten
    return []


@hookimpl
def faithbench_task():  # a misspelt hook name
    return []


def faithbench_metric():  # both
    return []


def faithbench_tasks_helper():  # the author's own helper: not a hook, and fine
    return []
"""


def test_unmarked_and_misspelt_hooks_are_reported_with_plugin_function_and_guess(
    tmp_path, monkeypatch, run_fake
):
    plugin(tmp_path, monkeypatch, "hooks_plugin", HOOKS_PLUGIN)
    problems = problems_of("hooks_plugin")
    assert sorted(problems) == [
        "faithbench_metric() is ignored: it is not marked @hookimpl and no hook has that name "
        "(did you mean faithbench_metrics?)",
        "faithbench_task() is ignored: no faithbench hook has that name (did you mean faithbench_tasks?)",
        "faithbench_tasks() is ignored: it is not marked @hookimpl (from faithbench import hookimpl)",
    ]
    result = run_fake(tmp_path / "out", limit=1)
    assert "warning: plugin 'hooks_plugin': faithbench_task() is ignored" in result.output


def test_an_implementation_naming_no_hook_through_specname_is_reported(tmp_path, monkeypatch):
    plugin(tmp_path, monkeypatch, "specname_plugin", """
        from faithbench import hookimpl

        @hookimpl(specname="faithbench_taks")
        def my_tasks():
            return []
        """)
    assert problems_of("specname_plugin") == [
        "my_tasks() (it implements 'faithbench_taks') is ignored: no faithbench hook has that name "
        "(did you mean faithbench_tasks?)"
    ]


# -- a misspelt metric name -------------------------------------------------------------------------

YAML_TASK = """\
name: yaml_typo
version: "1.0"
description: A task file with a misspelt metric.
items: procedural:arithmetic
conditions:
  - name: no_cue
    kind: control
  - name: hint
    kind: cue
    text: I think the answer is {X}.
metrics:
  - accuracy
  - bias_susceptibilty
"""


def test_a_misspelt_metric_skips_only_its_task_with_a_guess_and_the_yaml_line(tmp_path, monkeypatch):
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "typo.yaml").write_text(YAML_TASK)
    plugin(tmp_path, monkeypatch, "typo_plugin", f"""
        from faithbench import Condition, Kind, Task, hookimpl, load_yaml_tasks
        from faithbench.helpers import cot_answer_plan, standard_items

        CONDITIONS = (Condition("no_cue", Kind.CONTROL),)

        @hookimpl
        def faithbench_tasks():
            return [
                Task("typo_task", "1.0", "d", standard_items, CONDITIONS, cot_answer_plan, ("accurcy",)),
                Task("fine_task", "1.0", "d", standard_items, CONDITIONS, cot_answer_plan, ("accuracy",)),
                *load_yaml_tasks({str(tmp_path / "tasks")!r}),
            ]
        """)
    reg = load_registry()
    assert "fine_task" in reg.tasks and "typo_task" not in reg.tasks and "yaml_typo" not in reg.tasks
    assert sorted(problems_of("typo_plugin")) == [
        "task 'typo_task' skipped: unknown metric 'accurcy' (did you mean 'accuracy'?)",
        f"task 'yaml_typo' skipped: unknown metric 'bias_susceptibilty' at {tmp_path}/tasks/typo.yaml:13 "
        "(did you mean 'bias_susceptibility'?)",
    ]


def test_a_misspelt_metric_in_an_include_path_task_is_a_user_error_with_its_line(run_cli, tmp_path):
    (tmp_path / "typo.yaml").write_text(YAML_TASK)
    result = run_cli("run", "--model", "fake", "--include-path", str(tmp_path), "--tasks", "yaml_typo")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{tmp_path}/typo.yaml:13 (did you mean 'bias_susceptibility'?)" in result.output


def test_a_located_metric_name_is_the_plain_name_to_everything_else(tmp_path):
    from faithbench import load_yaml_tasks

    (tmp_path / "typo.yaml").write_text(YAML_TASK.replace("bias_susceptibilty", "bias_susceptibility"))
    [task] = load_yaml_tasks(tmp_path)
    plain = dataclasses.replace(task, metrics=tuple(str(m) for m in task.metrics))
    assert task.metrics == ("accuracy", "bias_susceptibility")
    assert task.config_hash() == plain.config_hash()  # the line numbers are not in the hash
    assert json.loads(json.dumps(list(task.metrics))) == ["accuracy", "bias_susceptibility"]
    import pickle

    assert pickle.loads(pickle.dumps(task.metrics[1])).where == f"{tmp_path}/typo.yaml:13"


# -- the scaffold -----------------------------------------------------------------------------------


def test_the_scaffold_declares_the_standard_cue_metrics():
    from faithbench_biased_prompts.suite import TEXT_METRICS

    assert scaffold.STANDARD_CUE_METRICS == TEXT_METRICS


def run_generated_tests(root, module: str) -> subprocess.CompletedProcess:
    """The scaffolded package's own tests, in a fresh interpreter, loaded from its folder without
    installing it (FAITHBENCH_PLUGINS and PYTHONPATH, as its README says)."""
    env = {**os.environ, "FAITHBENCH_PLUGINS": module, "PYTHONPATH": str(root)}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # its test needs no pytest plugin (loading them: ~1 s)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(root / "tests")],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )


def test_the_scaffolded_plugin_passes_its_own_test_and_it_fails_for_a_cue_the_fake_ignores(
    tmp_path, monkeypatch
):
    files = scaffold.new_plugin("my_cue", tmp_path)
    root = tmp_path / "faithbench-my-cue"
    module = root / "faithbench_my_cue" / "__init__.py"
    assert module in files
    assert imported_modules(module) == {"faithbench", "faithbench.helpers"}  # the public API only
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.setenv("FAITHBENCH_PLUGINS", "faithbench_my_cue")
    reg = load_registry()
    task = reg.tasks["my_cue"]
    assert task.framable and set(scaffold.STANDARD_CUE_METRICS) < set(task.metrics)
    assert not problems_of("faithbench_my_cue")

    passed = run_generated_tests(root, "faithbench_my_cue")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    # a cue that points at no option does not move the fake: the generated test says so
    text = module.read_text()
    module.write_text(text.replace("I think the answer is {X} but", "I wonder about this one, and"))
    failed = run_generated_tests(root, "faithbench_my_cue")
    assert failed.returncode == 1 and "bias_susceptibility" in failed.stdout, failed.stdout


def test_the_scaffolded_yaml_task_loads_with_the_standard_metrics_and_is_framable(tmp_path):
    scaffold.new_yaml_task("my_yaml_cue", tmp_path)
    task = load_registry((str(tmp_path),)).tasks["my_yaml_cue"]
    assert task.metrics == scaffold.STANDARD_CUE_METRICS and task.framable


# -- the documents a plugin author reads ------------------------------------------------------------


@pytest.mark.parametrize("path", ["tests/fixture_plugins.py", "tests/one_file_cue.py"])
def test_the_plugins_the_guide_points_to_import_only_the_public_api(path):
    modules = imported_modules(ROOT / path)
    assert "faithbench" in modules and modules <= PUBLIC, modules


PUBLIC = {"faithbench", "faithbench.helpers", "faithbench.testing"}


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text())
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    return modules | {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}


def test_the_plugin_guide_documents_every_sample_and_item_field():
    guide = (ROOT / "plugins" / "README.md").read_text()
    section = guide[guide.index("## Writing a plan") :]
    for cls in (Sample, Item):
        for field in dataclasses.fields(cls):
            assert f"`{field.name}`" in section, (cls.__name__, field.name)
    for key in ("task", "item_id", "condition", "condition_kind", "answer", "gold", "target", "error"):
        assert f"`{key}`" in section, key


def test_new_task_refuses_the_name_of_an_installed_task(run_cli, tmp_path):
    result = run_cli("new-task", "suggested_answer", "--dir", str(tmp_path))
    assert result.exit_code == 2 and "already installed (by biased_prompts)" in result.output
    assert not any(tmp_path.iterdir())  # nothing written
