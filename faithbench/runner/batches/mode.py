"""Whether a run sends through a provider's batch API, and what its batches cost."""

from __future__ import annotations

from faithbench.api.errors import UserError
from faithbench.runner.usage import cost_of

BATCH_DISCOUNT = 0.5  # both providers' batch APIs bill half the live price


def batch_provider(spec, client):
    """The provider batch API a ``--batch-api`` run sends through (None for a live run); a
    backend without one is a user error. Writes nothing, so the dry run checks it too."""
    if not spec.execution.batch_api:
        return None
    check_poll(spec.execution.batch_poll)
    from faithbench.models.api import is_api
    from faithbench.runner.batches.providers import provider_for

    if not is_api(type(client.lm)):
        raise UserError(
            f"--batch-api works with the OpenAI-compatible and Anthropic API backends, not '{client.name}'"
        )
    return provider_for(client.lm)


MAX_FIRST_POLL = 600.0  # seconds: the poll interval's cap, so the longest first wait too


def check_poll(seconds: object) -> None:
    """``--batch-poll`` is a finite number of seconds within the poll cap (NaN would never poll,
    inf never wake, 100000 s wait a day for a batch done in minutes)."""
    try:
        ok = 0 <= float(seconds) <= MAX_FIRST_POLL  # False for NaN
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise UserError(f"--batch-poll must be between 0 and {MAX_FIRST_POLL:.0f} seconds, not {seconds}")


def batch_mode(spec, client, out_dir):
    """The batch API settings of a ``--batch-api`` run (None for a live run); its record of
    submitted batches lives in the output folder, so a run that writes nothing cannot batch."""
    provider = batch_provider(spec, client)
    if provider is None:
        return None
    if out_dir is None:
        raise UserError("--batch-api keeps its record of submitted batches in the output folder: give one")
    from faithbench.runner.batches.dispatch import BatchMode
    from faithbench.runner.batches.store import BatchStore

    ex = spec.execution
    return BatchMode(BatchStore(out_dir / "batches.sqlite"), provider, not ex.no_wait, ex.batch_poll)


def batch_accounting(batches: list[dict], prices) -> dict:
    """Requests and tokens per batch; with prices, the cost at the batch rate and the saving."""
    total: dict = {}
    for b in batches:
        for name, n in b["tokens"].items():
            total[name] = total.get(name, 0) + n
    out = {"batches": batches, "requests": sum(b["requests"] for b in batches), "tokens": total}
    if prices:
        live = cost_of(total, prices)
        out.update(
            live_cost_usd=round(live, 6),
            cost_usd=round(live * BATCH_DISCOUNT, 6),
            saving_usd=round(live * (1 - BATCH_DISCOUNT), 6),
        )
    return out
