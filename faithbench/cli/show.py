"""``faithbench show RESULTS``: the tables a run printed, from a finished run's results.json."""

from __future__ import annotations

import click

from faithbench.cli.options import show_option


@click.command()
@click.argument("results", type=click.Path())
@show_option
@click.option(
    "--judge-labels",
    type=click.Path(dir_okay=False),
    default=None,
    help="Labeled CoTs (judges evaluate format): also articulation corrected for the judge's measured error.",
)
def show(results, show, judge_labels):
    """Print a finished run's summary (or, with --show all, every figure) from its results.json
    or its folder."""
    from faithbench.cli.execute import print_tables
    from faithbench.results.io import collect, load_results

    files = collect([results])
    for i, path in enumerate(files):
        if len(files) > 1:
            click.echo(("\n" if i else "") + f"== {path}")
        print_tables(load_results(path), show)
        if judge_labels:
            from faithbench.cli.judge_labels import print_corrected

            print_corrected(path, judge_labels)
