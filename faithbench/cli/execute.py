"""Executing a parsed run: load the model and the side models its stages need, run the
orchestrator, write results and samples, print the tables, exit with the run's status."""

from __future__ import annotations

import dataclasses
import sys

import click

from faithbench.api.errors import UserError
from faithbench.api.passes import Role
from faithbench.cli.output import LiveLog, format_faithfulness, format_judges, format_summary, format_table
from faithbench.cli.run_config import SIDE_ROLES, panel_labels
from faithbench.metrics.summary import build_summary
from faithbench.models.client import ModelClient, load_model
from faithbench.pipeline.evaluate import Components, evaluate, wanted_passes
from faithbench.results.io import write_results, write_samples
from faithbench.runner.batches.dispatch import BatchesPending
from faithbench.runner.cache import ResponseCache
from faithbench.runner.lockstep import Runner
from faithbench.runner.usage import cost_of


def warn(message: str) -> None:
    click.secho(f"warning: {message}", fg="yellow", err=True)


def needed_roles(reg, selected) -> set[str]:
    """The side-model roles this run's wanted passes will ask; judge models come as a panel."""
    return {Role(p.role).value for p in wanted_passes(list(reg.passes.values()), selected)}


def load_evaluated(opts, name, args, config):
    """The evaluated model, and the run config told what it can do (raw text or chat only, its
    thinking tags): a dry run renders prompts exactly as the run will."""
    client = load_model(name, args, opts["apply_chat_template"], opts["batch_size"])
    client.think_tags = opts["think_tags_pair"]
    options = dataclasses.replace(config.options, raw_text=not client.chat_only, think_tags=client.think_tags)
    return client, dataclasses.replace(config, options=options)


def execute(opts, name, args, reg, selected, judges, config, out_dir):
    batch_size = opts["batch_size"]
    client, config = load_evaluated(opts, name, args, config)
    for note in client.notes:
        click.echo(f"note: {note}", err=True)
    cache = ResponseCache(None if opts["no_cache"] else (opts["cache_path"] or out_dir / "cache.sqlite"))
    if cache.moved_aside:
        warn(f"the response cache was damaged; moved to {cache.moved_aside}")
    show = sys.stderr.isatty() if opts["progress"] is None else opts["progress"]
    live_log = LiveLog(out_dir / "samples.partial.jsonl" if opts["log_samples"] else None)
    if opts["max_concurrency"] > 1 and not client.concurrent:
        click.secho(f"note: {name} runs in-process; --max-concurrency ignored", fg="yellow", err=True)
    batch = batch_mode(opts, client, out_dir)
    runner = Runner(
        client,
        cache,
        config.gen_kwargs,
        chunk_size=batch_size,
        progress=show,
        on_record=live_log,
        max_concurrency=opts["max_concurrency"] if client.concurrent else 1,
        max_requests=opts["max_requests"],
        max_retries=opts["max_retries"],
        retry_backoff=opts["retry_backoff"],
        batch=batch,
    )

    side, panel = side_runners(
        opts,
        name,
        args,
        reg,
        selected,
        judges,
        config,
        client,
        lambda side_client: Runner(side_client, cache, chunk_size=batch_size, progress=show),
    )
    parts = Components(reg.metrics, judges, list(reg.passes.values()), panel)
    try:
        results, records = evaluate(client, selected, parts, config, runner, side)
        batches = batch.store.batches() if batch is not None else None
    except KeyboardInterrupt:
        raise UserError("interrupted; answers so far are cached: rerun the same command to resume") from None
    except BatchesPending as pending:
        click.echo(
            f"{pending}; they are recorded in {out_dir / 'batches.sqlite'}: rerun the same command to "
            "collect them (faithbench batches list shows them)",
            err=True,
        )
        sys.exit(4)
    finally:
        cache.close()
        live_log.close()
        if batch is not None:
            batch.store.close()
    prices = opts.get("prices")
    if prices:
        results["usage"]["cost_usd"] = round(
            cost_of(results["usage"].get("api_tokens", {}).get("total", {}), prices), 6
        )
    if batches is not None:
        results["usage"]["batches"] = batch_accounting(batches, prices)
    if "observer" in side:
        from faithbench.cli.observer_identity import identity, tag_predictive

        observer = identity(
            config.side_models["observer"], side["observer"].client.lm, records, opts["observer_explicit"]
        )
        results["observer"] = observer
        tag_predictive(results, observer)
    results["summary"] = build_summary(selected, results["tasks"], reg.metrics, records, config.seed)
    if opts["log_samples"]:  # samples first: results.json names a complete samples.jsonl
        write_samples(out_dir / "samples.jsonl", records)
        (out_dir / "samples.partial.jsonl").unlink(missing_ok=True)
    write_results(out_dir / "results.json", results)
    return results, records


def side_runners(opts, name, args, reg, selected, judges, config, client, make_runner):
    """The runners of the side models the run's passes ask (by role) and of the judge panel (by
    label), each made by ``make_runner`` from its loaded model. The evaluated model's weights are
    shared rather than loaded twice when it plays a side role too; the observer reads plain text
    (no chat template)."""
    chat, batch_size = opts["apply_chat_template"], opts["batch_size"]

    def side_runner(role: str, ref=None) -> Runner:
        ref = ref or config.side_models[role]
        role_chat = chat and role != "observer"
        if ref.name == name and ref.args == args:
            side = ModelClient(name, args, client.lm, role_chat)
        else:
            side = load_model(ref.name, ref.args, role_chat, batch_size)
        return make_runner(side)

    roles = needed_roles(reg, selected) & set(config.side_models)
    for post in wanted_passes(list(reg.passes.values()), selected):
        option = SIDE_ROLES.get(Role(post.role).value, "")
        if Role(post.role).value not in config.side_models and opts.get(option) is None:
            flag = "--" + option.replace("_", "-")
            warn(f"the {post.name} pass is not run: give {flag} NAME ({post.description})")
    side = {role: side_runner(role) for role in sorted(roles)}
    panel = {}
    if any(j.needs_model for j in judges):
        labels = panel_labels(config.judge_models)
        panel = {
            label: side_runner("judge", ref) for label, ref in zip(labels, config.judge_models, strict=True)
        }
    return side, panel


def print_tables(results: dict, show: str = "summary") -> None:
    """The compact summary, or (``show="all"``) every figure, the side-by-side table and the
    judges'; then which observer made the predictive figures."""
    if show == "all":
        click.echo(format_table(results))
        if results["faithfulness"]:
            click.echo("\n" + format_faithfulness(results))
    else:
        click.echo(format_summary(results))
    observer = results.get("observer")
    if observer:
        methods = ", ".join(observer["methods"]) or "-"
        itself = ", the evaluated model itself" if observer.get("self_observer") else ""
        click.echo(f"predictive figures by observer {observer['label']}{itself} (read by {methods})")
        if observer["smoke_test"]:
            warn("predictive figures are a smoke test, not a measurement: choose one with --observer NAME")
        elif itself:
            click.echo("to compare models on predictive figures, give them all one --observer NAME")
    judges = format_judges(results)
    if judges and show == "all":
        click.echo("\n" + judges)
    elif judges:
        click.echo("several judges gave verdicts: each verbalization figure under each judge with --show all")


def report(results: dict, out_dir, show: str = "summary") -> None:
    """Print the tables; exit 1 when a task failed, 4 when requests are left unanswered."""
    print_tables(results, show)
    click.echo(f"results: {out_dir / 'results.json'}", err=True)
    usage = results["usage"]
    tokens = usage.get("api_tokens", {}).get("total")
    if tokens:
        line = f"tokens: prompt {tokens.get('prompt', 0)}, completion {tokens.get('completion', 0)}"
        line += f" (reasoning {tokens['reasoning']})" if tokens.get("reasoning") else ""
        line += f"; cost ${usage['cost_usd']:.4f}" if "cost_usd" in usage else ""
        click.echo(line, err=True)
    batches = usage.get("batches")
    if batches:
        line = f"batch API: {batches['requests']} request(s) in {len(batches['batches'])} batch(es)"
        if "cost_usd" in batches:
            line += (
                f"; cost ${batches['cost_usd']:.4f} at the batch rate (live ${batches['live_cost_usd']:.4f}, "
                f"saving ${batches['saving_usd']:.4f})"
            )
        click.echo(line, err=True)
    truncated = (usage.get("tokens") or {}).get("truncated_requests", 0)
    if truncated:
        warn(
            f"{truncated} prompt(s) were longer than the model's context and were left-truncated "
            "before being answered; raise n_ctx (--model-args n_ctx=...) to score them whole"
        )
    unanswered = usage.get("failed", 0) + usage.get("unsent", 0)
    failed = [n for n, t in results["tasks"].items() if t["status"] != "ok"]
    for task_name, task in results["tasks"].items():
        for message in task.get("warnings", ()):
            warn(f"task '{task_name}': {message}")
    for task_name in failed:
        click.secho(
            f"error: task '{task_name}' failed: {results['tasks'][task_name]['error']}", fg="red", err=True
        )
    if failed:
        sys.exit(1)
    if unanswered:
        click.secho(
            f"incomplete: {unanswered} request(s) failed or were not sent; they are marked in "
            "samples.jsonl with their reason. Rerun the same command to retry them.",
            fg="yellow",
            err=True,
        )
        sys.exit(4)


def batch_provider(opts, client):
    """The provider batch API a ``--batch-api`` run sends through (None for a live run); a
    backend without one is a user error. Writes nothing, so the dry run checks it too."""
    if not opts.get("batch_api"):
        return None
    from faithbench.models.api import is_api
    from faithbench.runner.batches.providers import provider_for

    if not is_api(type(client.lm)):
        raise UserError(
            f"--batch-api works with the OpenAI-compatible and Anthropic API backends, not '{client.name}'"
        )
    return provider_for(client.lm)


def batch_mode(opts, client, out_dir):
    """The batch API settings of a ``--batch-api`` run (None for a live run)."""
    provider = batch_provider(opts, client)
    if provider is None:
        return None
    from faithbench.runner.batches.dispatch import BatchMode
    from faithbench.runner.batches.store import BatchStore

    return BatchMode(
        BatchStore(out_dir / "batches.sqlite"), provider, not opts["no_wait"], opts["batch_poll"]
    )


BATCH_DISCOUNT = 0.5  # both providers' batch APIs bill half the live price


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
