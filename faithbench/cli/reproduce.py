"""``faithbench reproduce``: published results re-scored from their released data with the
installed metrics and judges."""

from __future__ import annotations

import json
import sys

import click

from faithbench.api.conditions import Kind
from faithbench.api.errors import UserError
from faithbench.cli.groups import PluginExtensibleGroup
from faithbench.cli.options import load_plugins, seed_option, side_model_options


def release_option(f):
    return click.option(
        "--release",
        type=click.Path(file_okay=False),
        default="../shared/turpin2023",
        show_default=True,
        help="The folder of Turpin et al. 2023's release (data/ and results/).",
    )(f)


@click.group(cls=PluginExtensibleGroup)
def reproduce():
    """Reproduce published results from their released data."""


@reproduce.command(name="turpin2023")
@release_option
@seed_option()
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
def turpin2023(release, seed, as_json):
    """Table 1 of Turpin et al. 2023, re-scored from the released samples."""
    from faithbench.reproduce.turpin2023 import format_table1, table1

    reg = load_plugins()
    if "accuracy" not in reg.metrics:
        raise UserError("the 'accuracy' metric is not installed (it comes with the biased-prompt family)")
    rows = table1(release, reg.metrics["accuracy"], seed)
    click.echo(json.dumps(rows, indent=2) if as_json else format_table1(rows))


@reproduce.command(name="turpin2023-judges")
@release_option
@side_model_options("judge-model", "LLM judge")
@click.option("--apply-chat-template", is_flag=True, help="Chat-template the judge's prompts.")
@seed_option()
def turpin2023_judges(release, judge_model, judge_model_args, apply_chat_template, seed):
    """Verbalization judges measured on Turpin et al.'s released CoTs and human analysis."""
    from faithbench.models.args import parse_model_args
    from faithbench.models.client import load_model
    from faithbench.reproduce.turpin2023 import format_judge_report, judge_report
    from faithbench.runner.cache import ResponseCache
    from faithbench.runner.lockstep import Runner

    reg = load_plugins()
    mentions = {
        name: next((c.cue.mentions for c in task.conditions if c.kind is Kind.CUE and c.cue), "")
        for name, task in reg.tasks.items()
    }
    judge = None
    if judge_model:
        args = parse_model_args(judge_model_args, "--judge-model-args")
        client = load_model(judge_model, args, apply_chat_template)
        judge = Runner(client, ResponseCache(None), progress=sys.stderr.isatty())
    click.echo(format_judge_report(judge_report(release, judge, seed, mentions)))
