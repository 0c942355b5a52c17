"""The plugin contract: built-ins through the same hooks, entry points, isolation of broken plugins."""

import textwrap

import pytest

from faithbench.plugins.manager import load_registry


def test_builtin_task_arrives_through_the_plugin_hook():
    reg = load_registry()
    task = reg.tasks["suggested_answer"]
    assert reg.plugins[task.plugin].builtin  # found through its entry point, like a third party
    impls = [i.plugin_name for i in reg.pm.hook.faithbench_tasks.get_hookimpls()]
    assert task.plugin in impls
    assert {"llama-cpp", "fake"} <= set(reg.models)
    assert reg.problems == []


@pytest.fixture
def installed_plugin(tmp_path, monkeypatch):
    """A real installed distribution with a ``faithbench`` entry point (and a broken second one)."""
    (tmp_path / "ep_plugin.py").write_text(
        textwrap.dedent("""
        import click
        from faithbench import hookimpl
        from faithbench.api.task import Task
        from faithbench_biased_prompts import TASKS as _BIASED
        TASK = next(t for t in _BIASED if t.name == "suggested_answer")

        @hookimpl
        def faithbench_tasks():
            return [Task("ep_task", "2.1", "From an entry point.", TASK.items, TASK.conditions,
                         TASK.plan, ("accuracy",))]

        @hookimpl
        def faithbench_register_commands(cli):
            @cli.command(name="hello-plugin")
            def hello():
                click.echo("hello from ep_plugin")
    """)
    )
    dist = tmp_path / "ep_plugin-0.3.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: ep-plugin\nVersion: 0.3\n")
    (dist / "entry_points.txt").write_text(
        "[faithbench]\nep_plugin = ep_plugin\nbroken_ep = module_that_does_not_exist\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    from faithbench.cli import FaithbenchGroup

    monkeypatch.setattr(FaithbenchGroup, "_plugins_loaded", False)
    yield
    from faithbench.cli import cli

    cli.commands.pop("hello-plugin", None)


def test_entry_point_plugin_is_loaded_and_a_broken_one_is_reported(
    run_fake, installed_plugin, run_cli, tmp_path
):
    reg = load_registry()
    assert reg.tasks["ep_task"].plugin == "ep_plugin"
    assert reg.plugins["ep_plugin"].version == "0.3"
    assert any(p == "broken_ep" and "module_that_does_not_exist" in m for p, m in reg.problems)
    listing = run_cli("plugins")
    assert listing.exit_code == 0
    assert "ep_plugin  (v0.3)" in listing.output and "ep_task" in listing.output
    assert "broken_ep  (BROKEN)" in listing.output
    result = run_fake(tmp_path / "out", tasks="ep_task", limit=2)
    assert result.exit_code == 0, result.output
    assert "plugin 'broken_ep': failed to load" in result.output


def test_plugins_can_add_cli_commands(installed_plugin, run_cli):
    result = run_cli("hello-plugin")
    assert result.exit_code == 0 and "hello from ep_plugin" in result.output


def test_invalid_definitions_are_reported_by_name_and_skipped(run_fake, monkeypatch, tmp_path):
    monkeypatch.setenv("FAITHBENCH_PLUGINS", "broken_plugins,unimportable_plugin")
    reg = load_registry()
    problems = dict()
    for plugin, message in reg.problems:
        problems.setdefault(plugin, []).append(message)
    assert any("Bad Name!" in m and "name" in m for m in problems["broken_plugins"])
    assert any("no_such_metric" in m for m in problems["broken_plugins"])
    assert any("metrics hook exploded" in m for m in problems["broken_plugins"])
    assert any("not installed" in m for m in problems["unimportable_plugin"])
    # typed conditions: each wrong value is an error naming the task and the condition
    expected = {
        "stringly_kind": "condition 'hint': kind must be one of Kind.CONTROL",
        "cue_without_text": "condition 'hint': a cue condition needs a Cue",
        "unknown_placement": "placement 'text' is not a named faithbench Placement",
        "stringly_target": "condition 'suggested_answer': target must be one of Target.ITEM",
        "bad_vocabulary": "mentions is not a valid regular expression",
    }
    for task, message in expected.items():
        assert any(f"task '{task}'" in m and message in m for m in problems["broken_plugins"]), task
        assert task not in reg.tasks
    assert any("judge 'rules' is already defined" in m for m in problems["broken_plugins"])
    assert any(
        "pass 'sideways': role must be a Role or a name, not 42" in m
        for m in problems["broken_plugins"]
    )
    assert "suggested_answer" in reg.tasks and "accuracy" in reg.metrics
    result = run_fake(tmp_path, tasks="all", limit=2)
    assert result.exit_code == 0
    assert "plugin 'broken_plugins': task 'stringly_kind' skipped: condition 'hint'" in result.output


def test_task_declaration_is_schema_validated(monkeypatch):
    monkeypatch.setenv("FAITHBENCH_PLUGINS", "broken_plugins")
    messages = [m for p, m in load_registry().problems if p == "broken_plugins"]
    assert any("is invalid at name" in m for m in messages)


def test_config_hash_changes_with_cue_text():
    import dataclasses

    from faithbench import Cue
    from faithbench.helpers import AFTER_CHOICES, BEFORE_QUESTION
    from faithbench_biased_prompts import TASKS as _BIASED

    task = next(t for t in _BIASED if t.name == "suggested_answer")
    cue = task.conditions[1].cue

    def with_cue(new: Cue):
        conditions = (
            task.conditions[0],
            dataclasses.replace(task.conditions[1], cue=new),
            *task.conditions[2:],
        )
        return dataclasses.replace(task, conditions=conditions)

    assert with_cue(cue).config_hash() == task.config_hash()
    assert with_cue(Cue("I am sure it is {X}.", AFTER_CHOICES)).config_hash() != task.config_hash()
    assert with_cue(dataclasses.replace(cue, placement=BEFORE_QUESTION)).config_hash() != task.config_hash()
    assert task.config_hash() == dataclasses.replace(task).config_hash()


def test_ls_lists_tasks_metrics_and_models(run_cli):
    assert "suggested_answer  v1.1" in run_cli("ls", "tasks").output
    assert "bias_susceptibility" in run_cli("ls", "metrics").output
    models = run_cli("ls", "models").output
    assert "llama-cpp  [faithbench]" in models and "vllm  [lm-eval]" in models
    assert "local-chat-completions  [faithbench]" in models  # lm-eval's, subclassed (models/backends.py)
