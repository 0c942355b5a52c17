"""``faithbench show RESULTS``: the tables a run printed, from a finished run's results.json."""

from __future__ import annotations

import click

from faithbench.cli.options import show_option


@click.command()
@click.argument("results", type=click.Path())
@show_option
def show(results, show):
    """Print a finished run's summary (or, with --show all, every figure) from its results.json
    or its folder."""
    from faithbench.cli.execute import print_tables
    from faithbench.results.io import collect, load_results

    files = collect([results])
    for i, path in enumerate(files):
        if len(files) > 1:
            click.echo(("\n" if i else "") + f"== {path}")
        print_tables(load_results(path), show)
