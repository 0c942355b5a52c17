"""``faithbench ls``, ``plugins`` and ``validate``: what is installed, and whether files are valid."""

from __future__ import annotations

from pathlib import Path

import click

from faithbench.api.errors import UserError
from faithbench.cli.options import include_path_option, load_plugins


@click.group(name="ls", invoke_without_command=True)
@click.pass_context
def ls(ctx):
    """List tasks, metrics, judges or models."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(ls_tasks)


@ls.command(name="tasks")
@include_path_option
def ls_tasks(include_path=()):
    """Installed tasks with version, conditions and metrics."""
    reg = load_plugins(include_path)
    for task in sorted(reg.tasks.values(), key=lambda t: t.name):
        conditions = ", ".join(c.name for c in task.conditions)
        click.echo(f"{task.name}  v{task.version}  [{task.plugin}]")
        click.echo(f"    conditions: {conditions}")
        click.echo(f"    metrics: {', '.join(task.metrics)}")


def _direction(higher_is_better: bool | None) -> str:
    return {True: ", higher is better", False: ", lower is better"}.get(higher_is_better, "")


@ls.command(name="metrics")
def ls_metrics():
    """Installed metrics, with their family and which direction is better."""
    reg = load_plugins()
    for metric in sorted(reg.metrics.values(), key=lambda m: m.name):
        family = getattr(metric.family, "value", metric.family)
        click.echo(f"{metric.name}  ({family}{_direction(metric.higher_is_better)})  [{metric.plugin}]")
        click.echo(f"    {metric.description}")


@ls.command(name="judges")
def ls_judges():
    """Installed verbalization judges (select with --judge NAME[,NAME...])."""
    reg = load_plugins()
    for judge in reg.judges.values():
        needs = "  needs --judge-model" if judge.needs_model else ""
        click.echo(f"{judge.name}  [{judge.plugin}]{needs}\n    {judge.description}")


@ls.command(name="models")
def ls_models():
    """Model backends: faithbench's own plus every lm-eval registry name."""
    from faithbench.models.registry import registered_names

    reg = load_plugins()
    for name, spec in sorted(reg.models.items()):
        click.echo(f"{name}  [faithbench]  {spec.description}")
    for name in registered_names():
        if name not in reg.models:
            click.echo(f"{name}  [lm-eval]")


@click.command()
def plugins():
    """Installed plugins and what each provides; broken ones are listed with the reason."""
    reg = load_plugins()
    for info in reg.plugins.values():
        kind = "built-in" if info.builtin else (f"v{info.version}" if info.version else "plugin")
        click.echo(f"{info.name}  ({kind})")
        for label in ("tasks", "metrics", "judges", "passes", "models"):
            names = getattr(info, label)
            if names:
                click.echo(f"    {label}: {', '.join(names)}")
    for plugin, message in reg.problems:
        click.echo(f"{plugin}  (BROKEN)\n    {message}")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
def validate(files):
    """Check results files against the shipped JSON Schema."""
    from faithbench.results.io import collect, validate_file

    files = [str(p) for f in files for p in (collect([f]) if Path(f).is_dir() else [f])]
    bad = 0
    for path in files:
        errors = validate_file(path)
        if errors:
            bad += 1
            click.echo(f"{path}: INVALID")
            for line in errors[:20]:
                click.echo(f"    {line}")
        else:
            click.echo(f"{path}: ok")
    if bad:
        raise UserError(f"{bad} of {len(files)} file(s) failed validation")


COMMANDS = (ls, plugins, validate)
