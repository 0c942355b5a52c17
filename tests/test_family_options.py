"""Families bring their own options: task parameters (-T, or a flag the family declares), side-model
roles declared by passes (--role-model, or the role's own flag), passes at the stage they need;
a third-party family using all three touches no core file."""

import pytest
from conftest import read_results, read_samples

FAMILY = ("--tasks", "critique_suggested", "--limit", "3", "--observer", "none")


@pytest.fixture
def family(monkeypatch):
    monkeypatch.setenv("FAITHBENCH_PLUGINS", "family_plugin")


def test_a_family_with_its_own_option_and_role_runs_through_the_cli(family, run_cli, tmp_path):
    out = tmp_path / "out"
    args = ["run", "--model", "fake", *FAMILY, "--output-path", str(out)]
    result = run_cli(*args, "--critique-rounds", "2", "--critic-model", "fake")
    assert result.exit_code == 0, result.output
    samples = read_samples(out)
    assert sorted({s["draw"] for s in samples}) == [1, 2]  # the family's parameter draws twice
    assert len(samples) == 3 * 2 * 2
    assert all(s["tagged"] and s["critique"] for s in samples)  # both stages' passes ran
    results = read_results(out)
    assert results["config"]["task_args"] == {"critique_suggested": {"rounds": 2}}
    assert results["config"]["side_models"] == {"critic": "fake"}
    critiqued = [m for m in results["tasks"]["critique_suggested"]["metrics"] if m["metric"] == "critiqued"]
    assert critiqued[0]["value"] == 1.0 and critiqued[0]["n"] == 12


def test_without_the_role_the_pass_is_named_and_skipped(family, run_cli, tmp_path):
    out = tmp_path / "out"
    result = run_cli("run", "--model", "fake", *FAMILY, "--output-path", str(out))
    assert result.exit_code == 0, result.output
    assert "the critic pass is not run: give --critic-model NAME" in result.output
    samples = read_samples(out)
    assert all(s["tagged"] and "critique" not in s for s in samples)


def test_generic_spellings_equal_the_family_flags(family, run_cli, tmp_path):
    """-T and --role-model set what the family's own flags set: the same records."""
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_cli("run", "--model", "fake", *FAMILY, "--output-path", str(a),
                   "--critique-rounds", "2", "--critic-model", "fake").exit_code == 0
    assert run_cli("run", "--model", "fake", *FAMILY, "--output-path", str(b),
                   "-T", "critique_suggested.rounds=2", "--role-model", "critic=fake").exit_code == 0
    strip = ("prompt",)
    rows = [[{k: v for k, v in s.items() if k not in strip} for s in read_samples(d)] for d in (a, b)]
    assert rows[0] == rows[1]
    assert read_results(a)["tasks"]["critique_suggested"]["config_hash"] == read_results(b)["tasks"][
        "critique_suggested"
    ]["config_hash"]


def test_a_parameter_is_in_the_config_hash(family, run_cli, tmp_path):
    hashes = []
    for rounds in ("1", "2"):
        out = tmp_path / rounds
        result = run_cli("run", "--model", "fake", *FAMILY, "--output-path", str(out), f"-Trounds={rounds}")
        assert result.exit_code == 0, result.output
        hashes.append(read_results(out)["tasks"]["critique_suggested"]["config_hash"])
    assert hashes[0] != hashes[1]


@pytest.mark.parametrize(
    "flags, message",
    [
        (("--critique-round", "2"), "no such option: --critique-round (did you mean --critique-rounds?)"),
        (("-T", "round=2"), "no selected task declares 'round' (did you mean 'rounds'?)"),
        (("-T", "rounds=two"), "critique_suggested.rounds must be a whole number, not 'two'"),
        (("-T", "rounds=9"), "critique_suggested.rounds must be at most 5"),
        (("-T", "rounds"), "invalid -T 'rounds': give NAME=VALUE"),
        (("-T", "other.rounds=2"), "task 'other' is not selected"),
        (("--role-model", "critc=fake"), "unknown side-model role 'critc' (roles: critic, cross, monitor)"),
        (("--critic-model-args", "k=v"), "args given for the critic role without a model"),
        (("--critic-model", "fake", "--role-model", "critic=fake"), "role 'critic' is set twice"),
        (("--critic-model",), "option --critic-model requires a value"),
        (("stray",), "no such argument: stray"),
        (("--critique-rounds", "2", "--critique-rounds", "3"), "option --critique-rounds is given twice"),
        (("--critique-rounds", "2", "-T", "rounds=3"), "task parameter 'rounds' is set twice"),
    ],
)
def test_bad_family_options_are_one_clear_error(family, run_cli, tmp_path, flags, message):
    result = run_cli("run", "--model", "fake", *FAMILY, "--output-path", str(tmp_path), *flags)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_run_help_lists_the_families_options(family, run_cli):
    result = run_cli("run", "--help")
    assert result.exit_code == 0
    for flag in ("--critique-rounds", "--critic-model", "--monitor-model", "--samples-per-arm"):
        assert flag in result.output


def test_the_recorded_command_redacts_role_secrets(family):
    from faithbench.cli.family_options import parse_extra
    from faithbench.cli.output import command_line
    from faithbench.cli.run import run
    from faithbench.plugins.manager import load_registry

    secret = "sk-very-secret-123"
    args = ["--model", "fake", "--role-args", f"critic=api_key={secret}", "--critique-rounds", "2",
            "--critic-model", "http://u:pw@h.invalid/v1", "--critic-model-args", f"token={secret},top_k=3"]
    ctx = run.make_context("run", args)
    line = command_line(ctx, parse_extra(ctx.args, load_registry(), []).given)
    assert secret not in line and "pw@" not in line
    assert "--critique-rounds 2" in line and "top_k=3" in line and "--role-args" in line


def test_a_failing_side_model_fails_only_the_tasks_its_pass_reads(family, run_cli, tmp_path):
    out = tmp_path / "out"
    result = run_cli(
        "run", "--model", "fake", "--tasks", "critique_suggested,suggested_answer", "--limit", "3",
        "--observer", "none", "--output-path", str(out), "--max-retries", "0",
        "--critic-model", "faulty", "--critic-model-args", "fail_after=0",
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    tasks = read_results(out)["tasks"]
    assert tasks["suggested_answer"]["status"] == "ok" and tasks["suggested_answer"]["metrics"]
    broken = tasks["critique_suggested"]
    assert broken["status"] == "error" and "pass 'critic' (its critic model) failed" in broken["error"]
    assert "task 'critique_suggested' failed: pass 'critic'" in result.output


def _plugin(tmp_path, monkeypatch, name: str, source: str) -> None:
    """A one-file plugin written for the test and loaded as a developer loads one."""
    folder = tmp_path / "plugin"
    folder.mkdir()
    (folder / f"{name}.py").write_text(source)
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv("FAITHBENCH_PLUGINS", name)


def test_a_pass_that_raises_or_breaks_the_contract_fails_only_its_tasks(run_cli, tmp_path, monkeypatch):
    _plugin(tmp_path, monkeypatch, "raising_pass", (
        "from faithbench import Pass, hookimpl\n"
        "def boom(records, asker, options):\n    raise RuntimeError('boom in pass')\n"
        "def short(records, asker, options):\n    return records[:1]\n"
        "WANTS = lambda task: task.name == 'distractor_fact'\n"
        "@hookimpl\ndef faithbench_passes():\n"
        "    return [Pass('boom', None, 'raises', boom, WANTS), Pass('short', None, 'short', short, WANTS)]\n"
    ))
    out = tmp_path / "out"
    result = run_cli("run", "--model", "fake", "--tasks", "distractor_fact,suggested_answer", "--limit", "2",
                     "--observer", "none", "--output-path", str(out))
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    tasks = read_results(out)["tasks"]
    assert tasks["suggested_answer"]["status"] == "ok"
    error = tasks["distractor_fact"]["error"]
    assert "pass 'boom' failed: RuntimeError: boom in pass" in error
    assert "pass 'short' failed: TypeError: pass 'short' must return one record for each record" in error


def test_a_side_model_no_selected_task_asks_is_said_and_not_recorded(family, run_cli, tmp_path):
    out = tmp_path / "out"
    result = run_cli("run", "--model", "fake", "--tasks", "suggested_answer", "--limit", "2", "--observer",
                     "none", "--output-path", str(out), "--critic-model", "fake")
    assert result.exit_code == 0, result.output
    assert "--critic-model is not used: no selected task has a pass that asks the critic" in result.output
    assert "critic" not in read_results(out)["config"]["side_models"]


def test_clashing_family_declarations_are_said_and_left_out(run_cli, tmp_path, monkeypatch):
    _plugin(tmp_path, monkeypatch, "clashing", (
        "from faithbench import Condition, Kind, Parameter, Pass, Role, Task, hookimpl\n"
        "from faithbench.helpers import cot_answer_plan, standard_items\n"
        "def task(name, param):\n"
        "    return Task(name, '1', 'x', standard_items, (Condition('c', Kind.CONTROL),),\n"
        "                cot_answer_plan,\n"
        "                ('accuracy',), parameters=(param,))\n"
        "@hookimpl\ndef faithbench_tasks():\n"
        "    return [task('clash_a', Parameter('rounds', int, 1, flag='--limit')),\n"
        "            task('clash_b', Parameter('rounds', str, 'one', choices=('one', 'two')))]\n"
        "@hookimpl\ndef faithbench_passes():\n"
        "    return [Pass('mine', Role('observer', '--my-obs'), 'x', lambda r, a, o: r)]\n"
    ))
    result = run_cli("run", "--model", "fake", "--tasks", "suggested_answer", "--limit", "1", "--observer",
                     "none", "--output-path", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "family flag --limit is one of faithbench's own: it is left out" in result.output
    assert "task 'clash_b' declares parameter 'rounds' with another type or choices" in result.output
    assert "pass 'mine' declares role 'observer' unlike its earlier declaration" in result.output
    assert "--limit VALUE" not in run_cli("run", "--help").output
