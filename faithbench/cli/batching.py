"""``faithbench batches list|cancel FOLDER``: the batches a ``--batch-api`` run recorded in its
results folder (``batches.sqlite``), and cancelling those still running at the provider."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import click

from faithbench.api.errors import UserError


def _store(folder: str):
    from faithbench.runner.batches.store import BatchStore

    path = Path(folder)
    path = path if path.suffix == ".sqlite" else path / "batches.sqlite"
    if not path.is_file():
        raise UserError(f"no batch record at {path}: give the results folder of a --batch-api run")
    return BatchStore(path)


def _when(ts) -> str:
    """A recorded time; one a damaged record holds (text, NaN, out of range) shows as '?'."""
    try:
        return "-" if ts is None else datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds")
    except (TypeError, ValueError, OverflowError, OSError):
        return "?"


@click.group()
def batches():
    """Show or cancel the provider batches of a --batch-api run."""


@batches.command(name="list")
@click.argument("folder", type=click.Path())
def list_batches(folder):
    """Every batch recorded in FOLDER (a run's results folder), with its state and counts."""
    store = _store(folder)
    try:
        rows = store.batches()
    finally:
        store.close()
    click.echo("| batch | provider | stage | state | requests | succeeded | failed | submitted | collected |")
    click.echo("|---|---|---|---|---|---|---|---|---|")
    for b in rows:
        click.echo(
            f"| {b['id']} | {b['provider']} | {b['stage']} | {b['state']} | {b['requests']} | "
            f"{b['succeeded']} | {b['failed']} | {_when(b['submitted'])} | {_when(b['collected'])} |"
        )


@batches.command(name="cancel")
@click.argument("folder", type=click.Path())
@click.option(
    "--id", "batch_id", default=None, help="Cancel this batch only (default: every one not collected)."
)
def cancel_batches(folder, batch_id):
    """Cancel the batches of FOLDER still running at the provider (a rerun submits their requests
    again). The API key comes from the provider's usual variable (OPENAI_API_KEY, ANTHROPIC_API_KEY)."""
    from faithbench.runner.batches.providers import PROVIDERS
    from faithbench.runner.batches.store import OPEN

    store = _store(folder)
    try:
        chosen = [b for b in store.batches() if (b["id"] == batch_id if batch_id else b["state"] == OPEN)]
        if batch_id and not chosen:
            raise UserError(f"no batch {batch_id} in {folder}")
        for b in chosen:
            cls = PROVIDERS.get(b["provider"])
            if cls is None:
                raise UserError(f"batch {b['id']} names no known provider ({b['provider']!r})")
            try:
                cls(b["endpoint"], os.environ.get(cls.key_env)).cancel(b["id"])
            except Exception as exc:
                raise UserError(
                    f"cannot cancel batch {b['id']}: {type(exc).__name__}: {str(exc)[:200]}"
                ) from None
            store.mark(b["id"], "cancelled")
            click.echo(f"cancelled {b['id']}")
        if not chosen:
            click.echo("no batch to cancel: every recorded batch was collected or cancelled")
    finally:
        store.close()
