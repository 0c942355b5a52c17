"""Flags that do nothing are said, never silently accepted (issue 30): each option that only
matters together with another declares it (cli/option_links.py); a given one whose need is not met
is a warning, or an Error where it can only be a mistake."""

import pytest
from conftest import fails_cleanly

from faithbench.cli.option_links import LINKS
from faithbench.cli.run import run

SA = "suggested_answer"


def dry(run_fake, tmp_path, *flags, tasks="suggested_answer"):
    return run_fake(tmp_path / "out", "--dry-run", *flags, tasks=tasks, limit=2)


@pytest.mark.parametrize(
    "flags, tasks, message",
    [
        (["--visibility", "all"], "iphr", "--visibility is not used: it needs a selected task that can"),
        (["--judge-model", "fake"], SA, "--judge-model is not used: it needs a judge that reads"),
        (["--batch-poll", "5"], SA, "--batch-poll is not used: it needs --batch-api"),
        (["--max-concurrency", "4"], SA, "--max-concurrency is not used: it needs an API model"),
        (["--observer", "none", "--observer-samples", "5"], SA, "--observer-samples is not used"),
    ],
)
def test_a_flag_without_what_it_needs_is_a_warning(run_fake, tmp_path, flags, tasks, message):
    result = dry(run_fake, tmp_path, *flags, tasks=tasks)
    assert result.exit_code == 0 and message in result.output, result.output


@pytest.mark.parametrize(
    "flags, tasks, message",
    [
        (["--monitor-model", ""], "all", "--monitor-model is empty for the monitor role"),
        (["--role-model", "monitor="], "all", "is empty for the monitor role"),
        (["--monitor-model-args", "a=1"], "all", "args given for the monitor role without a model"),
        (["--role-args", "monitor=a=1"], "all", "args given for the monitor role without a model"),
        (["--role-model", "monitor=none", "--role-args", "monitor=a=1"], "all", "without a model"),
        (["--monitor-model", "none", "--monitor-model-args", "a=1"], "all", "without a model"),
        (["--observer", "none", "--observer-args", "a=1"], SA, "--observer-args goes with"),
        (["--observer", ""], SA, "--observer is empty"),
        (["--judge", "llm", "--judge-model", ""], SA, "--judge-model is empty"),
        (["--judge-model-args", "a=1"], SA, "--judge-model-args goes with --judge-model"),
        (["--think-tags", "<t>,<t>"], "suggested_answer", "OPEN and CLOSE must differ"),
        (["--think-tags", "<t> , <t>"], "suggested_answer", "OPEN and CLOSE must differ"),
        (["--no-wait"], SA, "--no-wait goes with --batch-api"),
    ],
)
def test_a_flag_that_can_only_be_a_mistake_is_an_error(run_fake, tmp_path, flags, tasks, message):
    fails_cleanly(dry(run_fake, tmp_path, *flags, tasks=tasks), 2, "Error:", message)


def test_flags_with_what_they_need_say_nothing(run_fake, tmp_path):
    result = dry(
        run_fake, tmp_path, "--visibility", "all", "--judge", "rules,llm", "--judge-model", "fake",
        "--judge-model-args", "seed=1", "--observer", "fake", "--observer-args", "seed=2",
        "--observer-samples", "4", "--think-tags", "<t>,</t>",
    )
    assert result.exit_code == 0, result.output
    assert "is not used" not in result.output and "warning: --" not in result.output


def test_every_link_names_an_option_of_the_run_command():
    with run.make_context("run", []) as ctx:  # every option at its default
        defaults = dict(ctx.params)
    for link in LINKS:
        assert link.key in defaults and (link.default or None) == (defaults[link.key] or None), link
    assert len({link.key for link in LINKS}) == len(LINKS)


def test_the_library_says_it_too(caplog):
    import faithbench

    faithbench.evaluate("fake", "suggested_answer", limit=2, judge_model="fake", observer="none")
    assert "--judge-model is not used" in caplog.text
    with pytest.raises(faithbench.UserError, match="--judge-model-args goes with"):
        faithbench.evaluate("fake", "suggested_answer", limit=2, judge_model_args="a=1")
