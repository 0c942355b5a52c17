"""``run --dry-run``: the next requests counted exactly and the whole run rehearsed with stand-in
answers (see :mod:`faithbench.runner.estimate`); nothing is sent or written."""

from __future__ import annotations

from pathlib import Path

import click

from faithbench.cli.execute import batch_provider, load_evaluated, side_runners, warn
from faithbench.models.client import ModelClient
from faithbench.pipeline.evaluate import Components, collect
from faithbench.pipeline.samples import build_plans
from faithbench.runner.cache import ResponseCache
from faithbench.runner.estimate import estimate, format_estimate, whole_run
from faithbench.runner.lockstep import Runner
from faithbench.runner.rehearsal import Overlay, RehearsalDispatcher


def dry_run(opts, name, args, reg, selected, judges, config, out_dir) -> None:
    """Load the models (their identities key the cache; chat templates render prompts), count
    exactly what every plan would send next, then rehearse the whole run with stand-in answers
    for a bound on everything it sends; nothing is sent or written."""
    client, config = load_evaluated(opts, name, args, config)
    batch_provider(opts, client)  # refused as the run would refuse it
    path = opts["cache_path"] or out_dir / "cache.sqlite"
    cache = ResponseCache(None if opts["no_cache"] or not Path(path).is_file() else path)
    overlay = Overlay(cache)

    def rehearsal(model: ModelClient, overrides=None) -> Runner:
        return Runner(
            model,
            overlay,
            overrides,
            chunk_size=opts["batch_size"],
            progress=False,
            dispatcher=RehearsalDispatcher,
        )

    try:
        plans = build_plans(selected, config)
        for plan in plans:
            if plan.error:  # the run would score nothing of this task and exit 1
                warn(f"task '{plan.task.name}' would fail: {plan.error}")
        main = rehearsal(client, config.gen_kwargs)
        rows = estimate(main, [s for plan in plans for s in plan.samples])
        side, panel = side_runners(opts, name, args, reg, selected, judges, config, client, rehearsal)
        collect(plans, Components(reg.metrics, judges, list(reg.passes.values()), panel), config, main, side)
    finally:
        cache.close()
    notes = []
    if opts["max_requests"] is not None:
        notes.append(f"--max-requests {opts['max_requests']} caps what the evaluated model is sent")
    if opts.get("batch_api"):
        notes.append("--batch-api: the evaluated model's requests are billed at the batch rate (half)")
    click.echo(format_estimate(rows, whole_run(main, side, panel), opts.get("prices"), tuple(notes)))
