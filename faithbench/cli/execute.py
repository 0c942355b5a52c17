"""The run command's part of a run: execute the spec (``pipeline/session.py``), print the tables,
exit with the run's status."""

from __future__ import annotations

import sys
import textwrap

import click

from faithbench.cli.long_summary import WIDTH, directions, format_long
from faithbench.cli.output import format_faithfulness, format_judges, format_summary, format_table
from faithbench.pipeline.results import Results
from faithbench.pipeline.session import run
from faithbench.runner.batches.dispatch import BatchesPending


def warn(message: str) -> None:
    click.secho(f"warning: {message}", fg="yellow", err=True)


def run_cli(spec, reg, selected, judges) -> Results:
    """Execute the spec; batches still pending at the provider stop the run with exit 4."""
    try:
        return run(spec, reg, selected, judges)
    except BatchesPending as pending:
        click.echo(
            f"{pending}; they are recorded in {spec.out_dir / 'batches.sqlite'}: rerun the same command "
            "to collect them (faithbench batches list shows them)",
            err=True,
        )
        sys.exit(4)


def print_tables(results: dict, show: str = "summary", metrics: dict | None = None) -> None:
    """The compact summary, or (``show="all"``) every figure, the side-by-side table and the
    judges'; then which observer made the predictive figures. ``metrics``: the loaded registry's
    (their directions are the summary's arrows), else the plugins are loaded for them."""
    if show == "all":
        click.echo(format_table(results))
        if results["faithfulness"]:
            click.echo("\n" + format_faithfulness(results))
    elif show == "wide" or results.get("summary") is None:
        click.echo(format_summary(results))
    else:
        click.echo(format_long(results, directions(metrics)))
    observer = results.get("observer")
    if observer:
        methods = ", ".join(observer["methods"]) or "-"
        itself = ", the evaluated model itself" if observer.get("self_observer") else ""
        line = f"predictive figures by observer {observer['label']}{itself} (read by {methods})"
        click.echo(textwrap.fill(line, WIDTH, subsequent_indent="  "))  # a long model label wraps
        if observer["smoke_test"]:
            warn("predictive figures are a smoke test, not a measurement: choose one with --observer NAME")
        elif itself:
            click.echo("to compare models on predictive figures, give them all one --observer NAME")
    judges = format_judges(results)
    if judges and show == "all":
        click.echo("\n" + judges)
    elif judges:
        click.echo("several judges gave verdicts: each verbalization figure under each judge with --show all")


def report(run: Results, show: str = "summary", metrics: dict | None = None) -> None:
    """Print the tables; exit 1 when a task failed, 4 when requests are left unanswered."""
    results = run.as_dict()
    print_tables(results, show, metrics)
    click.echo(f"results: {run.path}", err=True)
    usage = results["usage"]
    tokens = usage.get("api_tokens", {}).get("total")
    if tokens:
        line = f"tokens: prompt {tokens.get('prompt', 0)}, completion {tokens.get('completion', 0)}"
        line += f" (reasoning {tokens['reasoning']})" if tokens.get("reasoning") else ""
        line += f"; cost ${usage['cost_usd']:.4f}" if "cost_usd" in usage else ""
        click.echo(line, err=True)
    batches = usage.get("batches")
    if batches:
        line = f"batch API: {batches['requests']} request(s) in {len(batches['batches'])} batch(es)"
        if "cost_usd" in batches:
            line += (
                f"; cost ${batches['cost_usd']:.4f} at the batch rate (live ${batches['live_cost_usd']:.4f}, "
                f"saving ${batches['saving_usd']:.4f})"
            )
        click.echo(line, err=True)
    truncated = (usage.get("tokens") or {}).get("truncated_requests", 0)
    if truncated:
        warn(
            f"{truncated} prompt(s) were longer than the model's context and were left-truncated "
            "before being answered; raise n_ctx (--model-args n_ctx=...) to score them whole"
        )
    unanswered, failed = run.unanswered, run.failed_tasks
    for task_name, task in results["tasks"].items():
        for message in task.get("warnings", ()):
            warn(f"task '{task_name}': {message}")
    for task_name in failed:
        click.secho(
            f"error: task '{task_name}' failed: {results['tasks'][task_name]['error']}", fg="red", err=True
        )
    if failed:
        sys.exit(1)
    if unanswered:
        click.secho(
            f"incomplete: {unanswered} request(s) failed or were not sent; they are marked in "
            "samples.jsonl with their reason. Rerun the same command to retry them.",
            fg="yellow",
            err=True,
        )
        sys.exit(4)
