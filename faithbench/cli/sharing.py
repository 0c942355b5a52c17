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
@click.option(
    "--judge-labels",
    "judge_labels",
    multiple=True,
    metavar="[RUN=]LABELS",
    help="Show RUN's articulation corrected for its judge's error on these labels (as show --judge-labels).",
)
def leaderboard_build(results, out, from_hub, judge_labels):
    """Write a static site (no server, no CDN) from results files or folders."""
    from faithbench_leaderboard import build, write_site

    if from_hub and judge_labels:
        raise UserError("--judge-labels needs the runs' own results files, not --from-hub")
    if from_hub:
        from faithbench.results.publish import download_results

        runs = download_results(from_hub, with_samples=True)  # the sample browser too
        index = write_site([r for r, _ in runs], out, [s for _, s in runs])
    elif results:
        index = build(list(results), out, judge_labels)
    else:
        raise UserError("give results files or folders, or --from-hub ORG/NAME")
    click.echo(f"site: {index}")


# who ran an evaluation and how they relate to the model: the Every Eval Ever source fields
organization_option = click.option(
    "--organization", default="unknown", show_default=True, help="Who ran the evaluation (Every Eval Ever)."
)
relationship_option = click.option(
    "--relationship",
    type=click.Choice(["first_party", "third_party", "collaborative", "other"]),
    default="third_party",
    show_default=True,
    help="The evaluator's relationship to the model (Every Eval Ever).",
)


def metric_directions() -> dict[str, bool]:
    """Whether each registered metric is better higher (Every Eval Ever's lower_is_better)."""
    return {m.name: m.higher_is_better for m in load_plugins().metrics.values()}


@click.command()
@click.argument("results", nargs=-1, required=True, type=click.Path())
@click.option("--repo", "repo_id", default=None, help="Hub dataset repo ORG/NAME for results and samples.")
@click.option("--private", is_flag=True, help="Create the dataset repo as private.")
@click.option(
    "--model-repo",
    default=None,
    help="Open a pull request on this model repo adding .eval_results/faithbench.yaml (one run).",
)
@click.option(
    "--dataset-id",
    default=None,
    help="The Hub benchmark dataset the model-repo entries name (default: --repo).",
)
@organization_option
@relationship_option
def publish(results, repo_id, private, model_repo, dataset_id, organization, relationship):
    """Upload validated results with their samples to a Hub dataset repo (one commit, lm-eval's
    details layout, and each run in the Every Eval Ever schema under eee/), and/or open a pull
    request with their headline scores on a model repo."""
    from faithbench.results.io import collect
    from faithbench.results.publish import open_model_pr
    from faithbench.results.publish import publish as upload

    if not repo_id and not model_repo:
        raise UserError("give --repo ORG/NAME (a dataset repo) and/or --model-repo ORG/MODEL")
    files = collect(list(results))
    if model_repo and len(files) != 1:
        raise UserError(f"--model-repo takes the results of one run, not {len(files)}")
    if model_repo and not (dataset_id or repo_id):
        raise UserError("--model-repo needs --dataset-id (the benchmark dataset on the Hub) or --repo")
    if repo_id:
        click.echo(upload(files, repo_id, private, (organization, relationship, metric_directions())))
    if model_repo:
        from huggingface_hub import constants

        source = f"{constants.ENDPOINT}/datasets/{repo_id}" if repo_id else None
        click.echo(open_model_pr(files[0], model_repo, dataset_id or repo_id, source))


@click.command()
@click.argument("results", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format", "fmt", type=click.Choice(["eee"]), required=True, help="eee: EvalEval's Every Eval Ever."
)
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Folder for the exported files.")
@organization_option
@relationship_option
def export(results, fmt, out, organization, relationship):
    """Write runs in another tool's format (aggregate JSON plus per-sample JSONL)."""
    from pathlib import Path

    from faithbench.results.eee import export as to_eee
    from faithbench.results.io import collect, load_results, load_samples

    directions = metric_directions()
    for path in collect(list(results)):
        run = load_results(path)
        samples = load_samples(path) if (path.parent / "samples.jsonl").is_file() else []
        agg, inst, undefined = to_eee(run, samples, Path(out), organization, relationship, directions)
        note = (
            f" ({undefined} undefined value(s) have no score in the schema and are left out)"
            if undefined
            else ""
        )
        click.echo(f"exported {path} -> {agg} and {inst.name}{note}")


@click.command(name="merge")
@click.argument("shards", nargs=-1, required=True, type=click.Path())
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Folder for the merged files.")
@click.option("--overwrite", is_flag=True, help="Replace results already in --out.")
def merge(shards, out, overwrite):
    """Merge shards of one run (split by --tasks or --item-range) into one results.json."""
    from faithbench.results.merge import merge as merge_shards

    click.echo(f"merged: {merge_shards(list(shards), out, load_plugins(), overwrite)}")


COMMANDS = (leaderboard, publish, merge, export)
