"""Executing a RunSpec: load the evaluated model and the side models its stages need, run the
orchestrator, assemble the results, write them. The command line and ``faithbench.evaluate`` both
come here; neither prints tables or picks exit codes here (that is the CLI's part)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from faithbench.api.errors import UserError
from faithbench.api.passes import role_name
from faithbench.metrics.stats import N_BOOTSTRAP
from faithbench.models.client import ModelClient, load_model
from faithbench.pipeline.evaluate import Components, evaluate, wanted_passes
from faithbench.pipeline.live_log import LiveLog
from faithbench.pipeline.results import Results, assemble
from faithbench.pipeline.spec import RunSpec
from faithbench.runner.cache import ResponseCache
from faithbench.runner.lockstep import Runner
from faithbench.runner.usage import cost_of
from faithbench.version import __version__

log = logging.getLogger("faithbench")  # warnings (WARNING) and notes (INFO) for the user


def load_evaluated(spec: RunSpec) -> ModelClient:
    """The evaluated model; the spec already says how prompts render for it (raw text or chat)."""
    client = load_model(
        spec.model.name, spec.model.args, spec.execution.apply_chat_template, spec.execution.batch_size
    )
    client.think_tags = spec.config.options.think_tags
    return client


def needed_roles(passes, selected) -> set[str]:
    """The side-model roles this run's wanted passes will ask; judge models come as a panel."""
    return {role_name(p.role) for p in wanted_passes(list(passes), selected)}


def side_runners(spec: RunSpec, reg, selected, judges, client, make_runner):
    """The runners of the side models the run's passes ask (by role) and of the judge panel (by
    label), each made by ``make_runner`` from its loaded model. The evaluated model's weights are
    shared rather than loaded twice when it plays a side role too; the observer reads plain text
    (no chat template)."""
    from faithbench.cli.run_config import panel_labels

    chat, batch_size = spec.execution.apply_chat_template, spec.execution.batch_size
    config, model = spec.config, spec.model

    def side_runner(role: str, ref=None) -> Runner:
        ref = ref or config.side_models[role]
        role_chat = chat and role != "observer"
        if ref.name == model.name and ref.args == model.args:
            side = ModelClient(model.name, model.args, client.lm, role_chat)
        else:
            side = load_model(ref.name, ref.args, role_chat, batch_size, role=role)
        return make_runner(side)

    passes = list(reg.passes.values())
    roles = needed_roles(passes, selected) & set(config.side_models)
    for post in wanted_passes(passes, selected):
        role = role_name(post.role)
        if role not in config.side_models and role not in spec.declined_roles:
            flag = reg.roles[role].flag or f"--role-model {role}="
            log.warning(f"the {post.name} pass is not run: give {flag} NAME ({post.description})")
    side = {role: side_runner(role) for role in sorted(roles)}
    panel = {}
    if any(j.needs_model for j in judges):
        labels = panel_labels(config.judge_models)
        panel = {
            label: side_runner("judge", ref) for label, ref in zip(labels, config.judge_models, strict=True)
        }
    return side, panel


def execute(spec: RunSpec, reg, selected, judges) -> Results:
    """Run the spec; results.json and samples.jsonl are written when the spec has an output path
    (samples first, so results.json always names a complete samples.jsonl)."""
    from faithbench.runner.batches.mode import batch_accounting, batch_mode

    ex, config = spec.execution, spec.config
    out_dir = spec.out_dir
    client = load_evaluated(spec)
    for note in client.notes:
        log.info(f"note: {note}")
    cache = ResponseCache(spec.cache_file)
    if cache.moved_aside:
        log.warning(f"the response cache was damaged; moved to {cache.moved_aside}")
    show = sys.stderr.isatty() if ex.progress is None else ex.progress
    logging_samples = ex.log_samples and out_dir is not None
    live_log = LiveLog(out_dir / "samples.partial.jsonl" if logging_samples else None)
    batch = batch_mode(spec, client, out_dir)
    retries = {"max_retries": ex.max_retries, "retry_backoff": ex.retry_backoff}  # side models' too
    runner = Runner(
        client,
        cache,
        config.gen_kwargs,
        chunk_size=ex.batch_size,
        progress=show,
        on_record=live_log,
        max_concurrency=ex.max_concurrency if client.concurrent else 1,
        max_requests=ex.max_requests,
        batch=batch,
        **retries,
    )
    side, panel = side_runners(
        spec,
        reg,
        selected,
        judges,
        client,
        lambda side_client: Runner(side_client, cache, chunk_size=ex.batch_size, progress=show, **retries),
    )
    parts = Components(reg.metrics, judges, list(reg.passes.values()), panel)
    try:
        collected = evaluate(client, selected, parts, config, runner, side)
        batches = batch.store.batches() if batch is not None else None
    except KeyboardInterrupt:
        raise UserError("interrupted; answers so far are cached: rerun the same command to resume") from None
    finally:
        cache.close()
        live_log.close()
        if batch is not None:
            batch.store.close()
    usage = collected.usage
    if ex.prices:
        usage["cost_usd"] = round(cost_of(usage.get("api_tokens", {}).get("total", {}), ex.prices), 6)
    if batches is not None:
        usage["batches"] = batch_accounting(batches, ex.prices)
    observer = None
    if "observer" in side:
        from faithbench.cli.observer_identity import identity

        ref, lm = config.side_models["observer"], side["observer"].client.lm
        observer = identity(ref, lm, collected.records, spec.observer_explicit)
    results = assemble(
        tasks=selected,
        entries=collected.entries,
        records=collected.records,
        metrics=reg.metrics,
        seed=config.seed,
        model=client.describe(),
        config={**config.summary(), "bootstrap": N_BOOTSTRAP},
        command=config.command,
        usage=usage,
        total_seconds=collected.seconds,
        observer=observer,
    )
    path = write(out_dir, results, collected.records, logging_samples) if out_dir is not None else None
    return Results(results, tuple(collected.records), path)


def run(spec: RunSpec, reg, selected, judges) -> Results:
    """Execute the spec into its output folder: locked against a second run, and refusing to
    replace another run's results (unless ``overwrite``) before anything is asked."""
    from faithbench.models.args import redact
    from faithbench.results import folder
    from faithbench.results.io import ensure_writable_dir

    if spec.out_dir is None:
        return execute(spec, reg, selected, judges)
    out_dir = ensure_writable_dir(spec.out_dir)
    with folder.locked(out_dir):
        folder.check_outputs(out_dir)
        if not spec.execution.overwrite:
            this_run = {
                "model": {"name": spec.model.name, "args": redact(spec.model.args)},
                "config": spec.config.summary(),
                "tasks": {name: None for name in spec.tasks},
            }
            folder.check_same_run(out_dir, folder.settings(this_run))
        log.info(f"faithbench {__version__}: {len(selected)} task(s) on {spec.model.name}")
        return execute(spec, reg, selected, judges)


def write(out_dir: Path, results: dict, records: list, log_samples: bool) -> Path:
    """samples.jsonl and results.json, replaced together (never new results beside old samples)."""
    from faithbench.results.io import write_run

    path = write_run(out_dir, results, records if log_samples else None)
    if log_samples:
        (out_dir / "samples.partial.jsonl").unlink(missing_ok=True)
    return path
