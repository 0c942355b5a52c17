"""The ``faithbench`` command: one module per command group, all registered on one click group
(plus the commands plugins add through ``faithbench_register_commands``)."""

from __future__ import annotations

import click

from faithbench.cli.groups import FaithbenchGroup
from faithbench.version import __version__


@click.group(cls=FaithbenchGroup)
@click.version_option(__version__, prog_name="faithbench")
def cli():
    """faithbench: is a model's chain of thought a faithful account of its reasoning?"""


def _register() -> None:
    from faithbench.cli import authoring, batching, judging, listing, reproduce, run, sharing, show

    cli.add_command(run.run)
    for command in (
        *listing.COMMANDS,
        *sharing.COMMANDS,
        reproduce.reproduce,
        authoring.new_task,
        judging.judges,
        show.show,
        batching.batches,
    ):
        cli.add_command(command)


_register()


def main():
    """The console script. A user's error is one ``Error:`` line and its exit code; a model error is
    printed last, on a line of its own, after whatever progress bars the backend left on the terminal."""
    import sys

    from faithbench.api.errors import UserError
    from faithbench.cli.groups import CommandError

    try:
        cli(prog_name="faithbench", standalone_mode=False)
    except CommandError as exc:
        _fail(exc.error)
    except UserError as exc:  # raised before a command ran (the root group's own options)
        _fail(exc)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)


def _fail(error) -> None:
    import sys

    from faithbench.api.errors import ModelError

    if isinstance(error, ModelError):
        sys.stderr.flush()
        click.echo("", err=True)
    click.echo(f"Error: {error.message}", err=True)
    sys.exit(error.exit_code)
