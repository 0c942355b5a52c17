"""``faithbench new-task``: scaffold a plugin package or a YAML task file."""

from __future__ import annotations

from pathlib import Path

import click


@click.command(name="new-task")
@click.argument("name")
@click.option("--yaml", "as_yaml", is_flag=True, help="Write a YAML task file instead of a plugin package.")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="Where to write.",
)
def new_task(name, as_yaml, folder):
    """Scaffold a task: a plugin package (entry point, task, metric, test) or a YAML file."""
    from faithbench.api.errors import UserError
    from faithbench.plugins.manager import load_registry
    from faithbench.plugins.scaffold import new_plugin, new_yaml_task

    taken = load_registry().tasks.get(name)
    if taken is not None:  # the new plugin would load as broken: two tasks may not share a name
        raise UserError(f"a task named '{name}' is already installed (by {taken.plugin}): pick another name")
    written = (new_yaml_task if as_yaml else new_plugin)(name, Path(folder))
    for path in written:
        click.echo(f"wrote {path}")
    if as_yaml:
        click.echo(f"next: faithbench run --include-path {folder} --tasks {name} --model fake --limit 20")
    else:
        click.echo(f"next: pip install -e {written[0].parent} && faithbench run --tasks {name} --model fake")
