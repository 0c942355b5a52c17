"""The ``faithbench`` command: one module per command group, all registered on one click group
(plus the commands plugins add through ``faithbench_register_commands``)."""

from __future__ import annotations

import click

from faithbench.version import __version__


class FaithbenchGroup(click.Group):
    """Loads plugin commands lazily, so ``faithbench --help`` stays fast."""

    _plugins_loaded = False

    def _load_plugin_commands(self):
        if not self._plugins_loaded:
            FaithbenchGroup._plugins_loaded = True
            from faithbench.plugins.manager import load_registry

            for impl in load_registry().pm.hook.faithbench_register_commands.get_hookimpls():
                try:
                    impl.function(cli=self)
                except (Exception, SystemExit) as exc:  # one plugin's commands never break the CLI
                    message = f"plugin '{impl.plugin_name}' commands skipped: {type(exc).__name__}: {exc}"
                    click.secho(f"warning: {message}", fg="yellow", err=True)

    def list_commands(self, ctx):
        self._load_plugin_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is None:
            self._load_plugin_commands()
            command = super().get_command(ctx, name)
        return command


@click.group(cls=FaithbenchGroup)
@click.version_option(__version__, prog_name="faithbench")
def cli():
    """faithbench: is a model's chain of thought a faithful account of its reasoning?"""


def _register() -> None:
    from faithbench.cli import authoring, judging, listing, reproduce, run, sharing

    cli.add_command(run.run)
    for command in (
        *listing.COMMANDS,
        *sharing.COMMANDS,
        reproduce.reproduce,
        authoring.new_task,
        judging.judges,
    ):
        cli.add_command(command)


_register()


def main():
    """The console script. A model error is printed last, on a line of its own, after whatever
    progress bars the backend left on the terminal."""
    import sys

    from faithbench.api.errors import ModelError

    try:
        cli(prog_name="faithbench", standalone_mode=False)
    except ModelError as exc:
        sys.stderr.flush()
        click.echo("", err=True)
        exc.show()
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
