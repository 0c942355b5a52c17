"""``faithbench leaderboard build``, ``publish`` and ``merge``: results files in, something to share out."""

from __future__ import annotations

import click

from faithbench.api.errors import UserError
from faithbench.cli.options import load_plugins


@click.group()
def leaderboard():
    """Build the static leaderboard site."""


@leaderboard.command(name="build")
@click.argument("results", nargs=-1, type=click.Path())
@click.option("--out", type=click.Path(file_okay=False), default="site", show_default=True)
@click.option("--from-hub", "from_hub", default=None, help="Read results from a Hub dataset repo ORG/NAME.")
def leaderboard_build(results, out, from_hub):
    """Write a static site (no server, no CDN) from results files or folders."""
    from faithbench_leaderboard import build, write_site

    if from_hub:
        from faithbench.results.publish import download_results

        index = write_site(download_results(from_hub), out)
    elif results:
        index = build(list(results), out)
    else:
        raise UserError("give results files or folders, or --from-hub ORG/NAME")
    click.echo(f"site: {index}")


@click.command()
@click.argument("results", nargs=-1, required=True, type=click.Path())
@click.option("--repo", "repo_id", required=True, help="Hub dataset repo ORG/NAME.")
@click.option("--private", is_flag=True, help="Create the repo as private.")
def publish(results, repo_id, private):
    """Validate results and upload them with their samples to a Hub dataset repo (one commit)."""
    from faithbench.results.publish import publish as upload

    click.echo(upload(list(results), repo_id, private))


@click.command(name="merge")
@click.argument("shards", nargs=-1, required=True, type=click.Path())
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Folder for the merged files.")
def merge(shards, out):
    """Merge shards of one run (split by --tasks or --item-range) into one results.json."""
    from faithbench.results.merge import merge as merge_shards

    click.echo(f"merged: {merge_shards(list(shards), out, load_plugins())}")


COMMANDS = (leaderboard, publish, merge)
