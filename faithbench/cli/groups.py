"""The command groups: the root, which loads the commands plugins add on first need and reports a
user's error as click does, and groups plugins may extend."""

from __future__ import annotations

import click

from faithbench.api.errors import UserError


class CommandError(click.ClickException):
    """A :class:`UserError` as click reports it: one ``Error: <message>`` line and the error's exit
    code. The errors themselves know nothing of click, so the library raises them too."""

    def __init__(self, error: UserError) -> None:
        super().__init__(error.message)
        self.exit_code = error.exit_code
        self.error = error


class FaithbenchGroup(click.Group):
    """Loads plugin commands lazily, so ``faithbench --help`` stays fast."""

    _plugins_loaded = False

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UserError as exc:
            raise CommandError(exc) from exc

    def _load_plugin_commands(self):
        if not self._plugins_loaded:
            FaithbenchGroup._plugins_loaded = True
            from faithbench.plugins.manager import build_plugin_manager

            pm, _ = build_plugin_manager([])  # the plugins, not their tasks and models: --help stays fast
            for impl in pm.hook.faithbench_register_commands.get_hookimpls():
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


class PluginExtensibleGroup(click.Group):
    """A command group plugins may add to (``faithbench reproduce``): an unknown subcommand first
    loads the plugins' commands."""

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is None:
            root = ctx.find_root().command
            if isinstance(root, FaithbenchGroup):
                root._load_plugin_commands()
                command = super().get_command(ctx, name)
        return command

    def list_commands(self, ctx):
        root = ctx.find_root().command
        if isinstance(root, FaithbenchGroup):
            root._load_plugin_commands()
        return super().list_commands(ctx)
