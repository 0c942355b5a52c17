"""``faithbench run``: the options are parsed once into a frozen RunSpec (``cli/spec.py``), which
``pipeline/session.py`` executes exactly as ``faithbench.evaluate`` does; this command prints the
tables and picks the exit code."""

from __future__ import annotations

import click

from faithbench.cli.judge_labels import checked_labels, print_corrected
from faithbench.cli.options import load_plugins
from faithbench.cli.run_options import run_options


class RunCommand(click.Command):
    """The run command, whose help lists the options the installed families add."""

    def format_epilog(self, ctx, formatter):
        from faithbench.cli.family_options import help_section
        from faithbench.plugins.manager import load_registry

        help_section(formatter, load_registry(), [o for p in self.params for o in p.opts])
        super().format_epilog(ctx, formatter)


@click.command(cls=RunCommand, context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@run_options
def run(**opts):
    """Run tasks on a model and write results.json (+ samples.jsonl)."""
    from faithbench.cli.execute import report, run_cli
    from faithbench.cli.family_options import (
        merge_task_args,
        parse_extra,
        parse_pairs,
        role_models,
        warn_declarations,
    )
    from faithbench.cli.output import command_line, show_log
    from faithbench.cli.spec import build_spec

    show_log()
    ctx = click.get_current_context()
    reg = load_plugins(opts["include_path"])
    core = [o for p in ctx.command.params for o in p.opts]
    warn_declarations(reg, core)
    source = ctx.get_parameter_source("observer")
    extra = parse_extra(ctx.args, reg, core)
    given = {  # the parsed options and the families' (the options themselves stay as click gave them)
        **opts,
        "observer_explicit": source is not None and source.name == "COMMANDLINE",
        "task_args": merge_task_args(extra.task_args, parse_pairs(opts["task_arg"], "-T")),
    }
    given["role_models"] = role_models(given, extra, reg)
    spec, selected, judges = build_spec(given, reg, command_line(ctx, extra.given))
    if spec.dry_run:  # reads the cache if there is one; writes and sends nothing
        from faithbench.cli.dry_run import dry_run

        dry_run(spec, reg, selected, judges)
        return
    labels = checked_labels(opts["judge_labels"])
    finished = run_cli(spec, reg, selected, judges)
    report(finished, spec.show, reg.metrics)
    if labels:
        print_corrected(finished.path, labels, spec.config.seed, reg)
