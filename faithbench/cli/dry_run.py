"""``run --dry-run``: the next requests counted exactly and the whole run rehearsed with stand-in
answers (see :mod:`faithbench.runner.estimate`); nothing is sent or written."""

from __future__ import annotations

import click

from faithbench.models.client import ModelClient
from faithbench.pipeline.evaluate import Components, collect
from faithbench.pipeline.samples import build_plans
from faithbench.pipeline.session import load_evaluated, log, side_runners
from faithbench.runner.batches.mode import batch_provider
from faithbench.runner.cache import ResponseCache
from faithbench.runner.estimate import estimate, format_estimate, whole_run
from faithbench.runner.lockstep import Runner
from faithbench.runner.rehearsal import Overlay, RehearsalDispatcher


def dry_run(spec, reg, selected, judges) -> None:
    """Load the models (their identities key the cache; chat templates render prompts), count
    exactly what every plan would send next, then rehearse the whole run with stand-in answers
    for a bound on everything it sends; nothing is sent or written."""
    client = load_evaluated(spec)
    batch_provider(spec, client)  # refused as the run would refuse it
    config, ex = spec.config, spec.execution
    path = spec.cache_file
    cache = ResponseCache(path, read_only=True)  # reads the cache, never moves or writes it
    overlay = Overlay(cache)

    def rehearsal(model: ModelClient, overrides=None) -> Runner:
        return Runner(
            model,
            overlay,
            overrides,
            chunk_size=ex.batch_size,
            progress=False,
            dispatcher=RehearsalDispatcher,
        )

    try:
        plans = build_plans(selected, config)
        for plan in plans:
            if plan.error:  # the run would score nothing of this task and exit 1
                log.warning(f"task '{plan.task.name}' would fail: {plan.error}")
        main = rehearsal(client, config.gen_kwargs)
        rows = estimate(main, [s for plan in plans for s in plan.samples])
        side, panel = side_runners(spec, reg, selected, judges, client, rehearsal)
        collect(plans, Components(reg.metrics, judges, list(reg.passes.values()), panel), config, main, side)
    finally:
        cache.close()
    notes = []
    if ex.max_requests is not None:
        notes.append(f"--max-requests {ex.max_requests} caps what the evaluated model is sent")
    if ex.batch_api:
        notes.append("--batch-api: the evaluated model's requests are billed at the batch rate (half)")
    click.echo(format_estimate(rows, whole_run(main, side, panel), ex.prices, tuple(notes)))
