"""``--judge-labels``: beside a run's articulation, the figure corrected for its primary judge's
error measured on labeled CoTs (``faithbench.judges.run_correction``)."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from faithbench.api.errors import UserError
from faithbench.cli.options import load_plugins


def checked_labels(path: str | None) -> str | None:
    """The labels file, checked before a run starts (a missing one is said before any request)."""
    if path is not None and not Path(path).is_file():
        raise UserError(f"labels file not found: {path}")
    return path


def print_corrected(results_path: Path, labels: str, seed: int = 0, registry=None) -> list[dict]:
    """The corrected figures, printed; ``registry``: the plugins a run has loaded already."""
    from faithbench.judges.evaluation import read_labels
    from faithbench.judges.run_correction import correct_run, foreign_labels, format_correction, label_columns
    from faithbench.results.io import load_records, load_results

    data = load_results(results_path)
    primary = (data.get("config") or {}).get("judge") or "rules"
    primary = primary.split(",")[0].strip()
    registry = load_plugins() if registry is None else registry
    rows = read_labels(Path(labels))
    columns = label_columns(rows, primary, registry, warn=functools.partial(click.echo, err=True))
    records = load_records(results_path)
    named, foreign = foreign_labels(rows, records)
    if foreign:  # Se and Sp measured on another run's text may not hold for this one
        click.echo(
            f"Warning: {foreign} of the {named} labeled CoTs in {labels} are not CoTs of this run "
            "(another run's sample?): the correction assumes the judge errs on this run's text as on those",
            err=True,
        )
    corrected = correct_run(records, primary, columns, seed)
    click.echo("\n" + format_correction(corrected))
    return corrected
