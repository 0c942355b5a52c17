"""The ``faithbench`` command: run, ls, plugins, validate (plus commands plugins add)."""

from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path

import click

from faithbench import __version__
from faithbench.errors import UserError

DEFAULT_OUTPUT = "faithbench-results"
SECRET_ENV = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "OPENAI_API_KEY", "ANTHROPIC_API_KEY")


def _registry(include_paths: tuple[str, ...] = ()):
    from faithbench.plugins import load_registry

    reg = load_registry(include_paths)
    for plugin, message in reg.problems:
        click.secho(f"warning: plugin '{plugin}' skipped: {message}", fg="yellow", err=True)
    return reg


def _parse_gen_kwargs(text: str | None) -> dict:
    from faithbench.models import parse_model_args

    try:
        return parse_model_args(text)
    except UserError as exc:
        raise UserError(str(exc.message).replace("--model-args", "--gen-kwargs")) from None


def _command_line(ctx: click.Context, secrets: list[str]) -> str:
    """The run's command, rebuilt from the options actually given (not sys.argv, which belongs to
    whatever process invoked the CLI), with secret values replaced."""
    from click.core import ParameterSource

    parts: list[str] = []
    for param in ctx.command.params:
        source = ctx.get_parameter_source(param.name)
        if source in (None, ParameterSource.DEFAULT) or not isinstance(param, click.Option):
            continue
        value = ctx.params[param.name]
        if param.is_flag:
            if param.secondary_opts and not value:
                parts.append(param.secondary_opts[0])
            elif value:
                parts.append(param.opts[0])
            continue
        for item in value if param.multiple else [value]:
            parts += [param.opts[0], str(item)]
    text = " ".join([f"faithbench {ctx.info_name}", *(shlex.quote(p) for p in parts)])
    for secret in secrets:
        if secret:
            text = text.replace(secret, "<redacted>")
    return text


def _secret_values(model_args: dict) -> list[str]:
    from faithbench.models import SECRET_KEY

    values = [str(v) for k, v in model_args.items() if SECRET_KEY.search(str(k)) and v]
    values += [os.environ[k] for k in SECRET_ENV if os.environ.get(k)]
    return [v for v in values if len(v) >= 4]


class FaithbenchGroup(click.Group):
    """Loads plugin commands lazily, so ``faithbench --help`` stays fast."""

    _plugins_loaded = False

    def _load_plugin_commands(self):
        if not self._plugins_loaded:
            FaithbenchGroup._plugins_loaded = True
            from faithbench.plugins import load_registry

            load_registry().pm.hook.faithbench_register_commands(cli=self)

    def list_commands(self, ctx):
        self._load_plugin_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is None:
            self._load_plugin_commands()
            command = super().get_command(ctx, name)
        return command


@click.group(cls=FaithbenchGroup)
@click.version_option(__version__, prog_name="faithbench")
def cli():
    """faithbench: is a model's chain of thought a faithful account of its reasoning?"""


@cli.command()
@click.option(
    "--model",
    "model_name",
    default=None,
    help="lm-eval model name (default: llama-cpp, the embedded Gemma 3 270M).",
)
@click.option("--model-args", default="", help="Comma-separated k=v passed to the model, as in lm-eval.")
@click.option(
    "--tasks",
    default="all",
    show_default=True,
    help="'all', a comma list, or glob patterns (e.g. 'suggested_*').",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Items per task.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seeds items, cue targets, bootstrap.")
@click.option(
    "--output-path",
    type=click.Path(file_okay=False),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="Results go to OUTPUT_PATH/<model>/.",
)
@click.option(
    "--log-samples/--no-log-samples",
    default=True,
    show_default=True,
    help="Write samples.jsonl with every prompt, response and extracted answer.",
)
@click.option("--num-fewshot", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--gen-kwargs", default="", help="k=v pairs applied to every generation request.")
@click.option(
    "--max-gen-toks",
    type=click.IntRange(min=1),
    default=None,
    help="Generation budget per chain of thought (default 512).",
)
@click.option("--apply-chat-template", is_flag=True, help="Render prompts with the model's chat template.")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Requests per model call.",
)
@click.option(
    "--item-range",
    default=None,
    metavar="START:END",
    help="Run items [START, END) only: a shard of a larger run (see faithbench merge).",
)
@click.option(
    "--max-concurrency",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Model calls in flight at once (API backends; in-process models run one at a time).",
)
@click.option(
    "--max-requests",
    type=click.IntRange(min=0),
    default=None,
    help="Request budget for this run (retries count); the rest is marked failed, resumable.",
)
@click.option(
    "--max-retries",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Retries per request on 429/5xx/timeouts/malformed or empty answers.",
)
@click.option(
    "--retry-backoff",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="First backoff in seconds (doubles each retry, 30 s cap); Retry-After wins.",
)
@click.option(
    "--data",
    type=click.Path(dir_okay=False),
    default=None,
    help="A JSONL file of items (question, options, gold) for tasks that accept one.",
)
@click.option(
    "--judge",
    type=click.Choice(["rules", "llm", "both"]),
    default="rules",
    show_default=True,
    help="Verbalization judge(s); with both, rules is primary and their agreement is reported.",
)
@click.option("--judge-model", default=None, help="lm-eval model name for the LLM judge.")
@click.option("--judge-model-args", default="", help="k=v args for the judge model.")
@click.option(
    "--observer",
    default=lambda: os.environ.get("FAITHBENCH_OBSERVER", "llama-cpp"),
    show_default="llama-cpp (env FAITHBENCH_OBSERVER)",
    help="Observer model S for predictive faithfulness, the same for every model compared; "
    "'none' skips those metrics.",
)
@click.option("--observer-args", default="", help="k=v args for the observer model.")
@click.option(
    "--cross-model", default=None, help="Model B that predicts this model's introspection properties."
)
@click.option("--cross-model-args", default="", help="k=v args for the cross model.")
@click.option(
    "--items",
    "item_source",
    default=None,
    help="Item source: procedural (default), procedural:FAMILY, jsonl:PATH, hf:bbh[:TASK], "
    "hf:mmlu[:SUBJECT], hf:arc, hf:gpqa, turpin2023:PATH[:TASK].",
)
@click.option(
    "--cache-path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Response cache (default OUTPUT_PATH/<model>/cache.sqlite). Reruns resume from it.",
)
@click.option("--no-cache", is_flag=True, help="Do not read or write the response cache.")
@click.option(
    "--include-path",
    multiple=True,
    type=click.Path(file_okay=False),
    help="A folder of YAML task files to load (repeatable).",
)
@click.option("--progress/--no-progress", default=None, help="tqdm progress bars (default: on a TTY).")
def run(
    model_name,
    model_args,
    tasks,
    limit,
    seed,
    output_path,
    log_samples,
    num_fewshot,
    gen_kwargs,
    max_gen_toks,
    apply_chat_template,
    batch_size,
    item_range,
    max_concurrency,
    max_requests,
    max_retries,
    retry_backoff,
    data,
    judge,
    judge_model,
    judge_model_args,
    observer,
    observer_args,
    cross_model,
    cross_model_args,
    item_source,
    cache_path,
    no_cache,
    include_path,
    progress,
):
    """Run tasks on a model and write results.json (+ samples.jsonl)."""
    from faithbench.cache import ResponseCache
    from faithbench.evaluate import RunConfig, evaluate
    from faithbench.models import DEFAULT_MODEL, ModelClient, load_model, model_slug, parse_model_args
    from faithbench.results import ensure_writable_dir, write_results, write_samples
    from faithbench.runner import Runner

    args = parse_model_args(model_args)
    overrides = _parse_gen_kwargs(gen_kwargs)
    reg = _registry(include_path)
    selected = reg.select_tasks(tasks)
    if data and not Path(data).is_file():
        raise UserError(f"data file not found: {data}")
    name = model_name or DEFAULT_MODEL
    out_dir = ensure_writable_dir(Path(output_path) / model_slug(name, args))
    if judge != "rules" and not judge_model:
        raise UserError(f"--judge {judge} needs --judge-model (any lm-eval model name)")
    extra_args = {
        role: parse_model_args(text)
        for role, text in (
            ("judge", judge_model_args),
            ("observer", observer_args),
            ("cross", cross_model_args),
        )
    }
    secrets = _secret_values(args) + [v for a in extra_args.values() for v in _secret_values(a)]
    config = RunConfig(
        limit=limit,
        seed=seed,
        num_fewshot=num_fewshot,
        gen_kwargs=overrides,
        max_gen_toks=max_gen_toks,
        data=data,
        source=item_source,
        item_range=_item_range(item_range),
        judge=judge,
        observer=None if observer == "none" else observer,
        cross_model=cross_model,
        command=_command_line(click.get_current_context(), secrets),
    )
    click.echo(f"faithbench {__version__}: {len(selected)} task(s) on {name}", err=True)
    client = load_model(name, args, apply_chat_template, batch_size)
    cache = ResponseCache(None if no_cache else (cache_path or out_dir / "cache.sqlite"))
    show = sys.stderr.isatty() if progress is None else progress
    live_log = _LiveLog(out_dir / "samples.jsonl" if log_samples else None, secrets)
    if max_concurrency > 1 and not client.concurrent:
        click.secho(f"note: {name} runs in-process; --max-concurrency ignored", fg="yellow", err=True)
    runner = Runner(
        client,
        cache,
        overrides,
        chunk_size=batch_size,
        progress=show,
        on_record=live_log,
        max_concurrency=max_concurrency if client.concurrent else 1,
        max_requests=max_requests,
        max_retries=max_retries,
        retry_backoff=retry_backoff,
    )

    def side_runner(role: str, model: str, chat: bool) -> Runner:
        """A runner for the judge, observer or cross model; the evaluated model's weights are
        shared rather than loaded twice when it plays that role too."""
        if model == name and extra_args[role] == args:
            side = ModelClient(name, args, client.lm, chat)
        else:
            side = load_model(model, extra_args[role], chat, batch_size)
        return Runner(side, cache, chunk_size=batch_size, progress=show)

    judge_runner = side_runner("judge", judge_model, apply_chat_template) if judge != "rules" else None
    observer_runner = (
        side_runner("observer", config.observer, False)
        if config.observer and any("predictive" in t.metrics for t in selected)
        else None
    )
    cross_runner = side_runner("cross", cross_model, apply_chat_template) if cross_model else None
    try:
        results, records = evaluate(
            client, selected, reg.metrics, config, runner, judge_runner, observer_runner, cross_runner
        )
    except KeyboardInterrupt:
        raise UserError("interrupted; answers so far are cached: rerun the same command to resume") from None
    finally:
        cache.close()
        live_log.close()
    results = _scrub(results, secrets)
    write_results(out_dir / "results.json", results)
    if log_samples:
        write_samples(out_dir / "samples.jsonl", _scrub(records, secrets))
    click.echo(format_table(results))
    if results["faithfulness"]:
        click.echo("\n" + format_faithfulness(results))
    click.echo(f"results: {out_dir / 'results.json'}", err=True)
    unanswered = results["usage"]["failed"] + sum(
        1 for r in records if str(r.get("error", "")).startswith("not sent: request budget")
    )
    failed = [n for n, t in results["tasks"].items() if t["status"] != "ok"]
    for task_name in failed:
        click.secho(
            f"error: task '{task_name}' failed: {results['tasks'][task_name]['error']}",
            fg="red",
            err=True,
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


def _item_range(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        start, end = (int(x) for x in text.split(":"))
    except ValueError:
        raise UserError(f"invalid --item-range '{text}': expected START:END, e.g. 0:500") from None
    if not 0 <= start < end:
        raise UserError(f"invalid --item-range '{text}': need 0 <= START < END")
    return start, end


class _LiveLog:
    """samples.jsonl written as samples finish; rewritten in order once the run completes."""

    def __init__(self, path: Path | None, secrets: list[str]):
        self.secrets = secrets
        self.fh = path.open("w", encoding="utf-8") if path else None

    def __call__(self, record: dict) -> None:
        if self.fh:
            self.fh.write(json.dumps(_scrub(record, self.secrets), ensure_ascii=False) + "\n")
            self.fh.flush()

    def close(self) -> None:
        if self.fh:
            self.fh.close()


def _scrub(data, secrets: list[str]):
    if not secrets:
        return data
    text = json.dumps(data)
    for secret in secrets:
        text = text.replace(json.dumps(secret)[1:-1], "<redacted>")
    return json.loads(text)


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_table(results: dict) -> str:
    lines = [
        "| task | version | condition | metric | value | 95% CI | n |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, task in results["tasks"].items():
        if task["status"] != "ok":
            lines.append(f"| {name} | {task['version']} | - | error | - | - | - |")
        for m in task["metrics"]:
            ci = f"[{_fmt(m['ci_low'])}, {_fmt(m['ci_high'])}]"
            lines.append(
                f"| {name} | {task['version']} | {m['condition']} | {m['metric']} | "
                f"{_fmt(m['value'])} | {ci} | {m['n']} |"
            )
    return "\n".join(lines)


def format_faithfulness(results: dict) -> str:
    columns = [
        "bias_susceptibility",
        "articulation",
        "aoc",
        "predictive_within",
        "predictive_cf",
        "rationalization_gap",
    ]
    lines = [
        f"Representational vs predictive faithfulness: {results['model']['name']}",
        "| task | condition | " + " | ".join(columns) + " |",
        "|---|---|" + "---|" * len(columns),
    ]
    for row in results["faithfulness"]:
        cells = [_fmt(row[c]["value"]) if c in row else "" for c in columns]
        lines.append(f"| {row['task']} | {row['condition']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


@cli.group(name="ls", invoke_without_command=True)
@click.pass_context
def ls(ctx):
    """List tasks, metrics or models."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(ls_tasks)


@ls.command(name="tasks")
@click.option(
    "--include-path",
    multiple=True,
    type=click.Path(file_okay=False),
    help="A folder of YAML task files to load (repeatable).",
)
def ls_tasks(include_path=()):
    """Installed tasks with version, conditions and metrics."""
    reg = _registry(include_path)
    for task in sorted(reg.tasks.values(), key=lambda t: t.name):
        conditions = ", ".join(c.name for c in task.conditions)
        click.echo(f"{task.name}  v{task.version}  [{task.plugin}]")
        click.echo(f"    conditions: {conditions}")
        click.echo(f"    metrics: {', '.join(task.metrics)}")


@ls.command(name="metrics")
def ls_metrics():
    """Installed metrics."""
    reg = _registry()
    for metric in sorted(reg.metrics.values(), key=lambda m: m.name):
        click.echo(f"{metric.name}  ({metric.family})  [{metric.plugin}]\n    {metric.description}")


@ls.command(name="models")
def ls_models():
    """Model backends: faithbench's own plus every lm-eval registry name."""
    import lm_eval.models  # noqa: F401
    from lm_eval.api.registry import model_registry

    reg = _registry()
    for name, spec in sorted(reg.models.items()):
        click.echo(f"{name}  [faithbench]  {spec.description}")
    for name in sorted(k for k in model_registry.keys() if k not in reg.models):
        click.echo(f"{name}  [lm-eval]")


@cli.command()
def plugins():
    """Installed plugins and what each provides; broken ones are listed with the reason."""
    reg = _registry()
    for info in reg.plugins.values():
        kind = "built-in" if info.builtin else (f"v{info.version}" if info.version else "plugin")
        click.echo(f"{info.name}  ({kind})")
        for label in ("tasks", "metrics", "judges", "models"):
            names = getattr(info, label)
            if names:
                click.echo(f"    {label}: {', '.join(names)}")
    for plugin, message in reg.problems:
        click.echo(f"{plugin}  (BROKEN)\n    {message}")


@cli.group()
def leaderboard():
    """Build the static leaderboard site."""


@leaderboard.command(name="build")
@click.argument("results", nargs=-1, type=click.Path())
@click.option("--out", type=click.Path(file_okay=False), default="site", show_default=True)
@click.option("--from-hub", "from_hub", default=None, help="Read results from a Hub dataset repo ORG/NAME.")
def leaderboard_build(results, out, from_hub):
    """Write a static site (no server, no CDN) from results files or folders."""
    from faithbench.leaderboard import build, write_site

    if from_hub:
        from faithbench.publish import download_results

        index = write_site(download_results(from_hub), out)
    elif results:
        index = build(list(results), out)
    else:
        raise UserError("give results files or folders, or --from-hub ORG/NAME")
    click.echo(f"site: {index}")


@cli.command()
@click.argument("results", nargs=-1, required=True, type=click.Path())
@click.option("--repo", "repo_id", required=True, help="Hub dataset repo ORG/NAME.")
@click.option("--private", is_flag=True, help="Create the repo as private.")
def publish(results, repo_id, private):
    """Validate results and upload them with their samples to a Hub dataset repo (one commit)."""
    from faithbench.publish import publish as upload

    click.echo(upload(list(results), repo_id, private))


@cli.command(name="merge")
@click.argument("shards", nargs=-1, required=True, type=click.Path())
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Folder for the merged files.")
def merge_command(shards, out):
    """Merge shards of one run (split by --tasks or --item-range) into one results.json."""
    from faithbench.merge import merge

    click.echo(f"merged: {merge(list(shards), out, _registry())}")


@cli.group()
def reproduce():
    """Reproduce published results from their released data."""


@reproduce.command(name="turpin2023")
@click.option(
    "--data",
    type=click.Path(file_okay=False),
    default="../shared/turpin2023",
    show_default=True,
    help="The Turpin et al. 2023 release (data/ and results/).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Bootstrap seed.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
def reproduce_turpin2023(data, seed, as_json):
    """Table 1 of Turpin et al. 2023, re-scored from the released samples."""
    from faithbench.reproduce.turpin2023 import format_table1, table1

    rows = table1(data, seed)
    click.echo(json.dumps(rows, indent=2) if as_json else format_table1(rows))


@reproduce.command(name="turpin2023-judges")
@click.option("--data", type=click.Path(file_okay=False), default="../shared/turpin2023", show_default=True)
@click.option("--judge-model", default=None, help="Also measure an LLM judge (lm-eval model name).")
@click.option("--judge-model-args", default="", help="k=v args for the judge model.")
@click.option("--apply-chat-template", is_flag=True, help="Chat-template the judge's prompts.")
@click.option("--seed", type=int, default=0, show_default=True)
def reproduce_turpin2023_judges(data, judge_model, judge_model_args, apply_chat_template, seed):
    """Verbalization judges measured on Turpin et al.'s released CoTs and human analysis."""
    from faithbench.cache import ResponseCache
    from faithbench.models import load_model, parse_model_args
    from faithbench.reproduce.turpin2023 import format_judge_report, judge_report
    from faithbench.runner import Runner

    judge = None
    if judge_model:
        client = load_model(judge_model, parse_model_args(judge_model_args), apply_chat_template)
        judge = Runner(client, ResponseCache(None), progress=sys.stderr.isatty())
    click.echo(format_judge_report(judge_report(data, judge, seed)))


@cli.command(name="new-task")
@click.argument("name")
@click.option("--yaml", "as_yaml", is_flag=True, help="Write a YAML task file instead of a plugin package.")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="Where to write.",
)
def new_task(name, as_yaml, folder):
    """Scaffold a task: a plugin package (entry point, task, metric, test) or a YAML file."""
    from faithbench.scaffold import new_plugin, new_yaml_task

    written = (new_yaml_task if as_yaml else new_plugin)(name, Path(folder))
    for path in written:
        click.echo(f"wrote {path}")
    if as_yaml:
        click.echo(f"next: faithbench run --include-path {folder} --tasks {name} --model fake --limit 20")
    else:
        click.echo(f"next: pip install -e {written[0].parent} && faithbench run --tasks {name} --model fake")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
def validate(files):
    """Check results files against the shipped JSON Schema."""
    from faithbench.results import validate_file

    bad = 0
    for path in files:
        errors = validate_file(path)
        if errors:
            bad += 1
            click.echo(f"{path}: INVALID")
            for line in errors[:20]:
                click.echo(f"    {line}")
        else:
            click.echo(f"{path}: ok")
    if bad:
        raise UserError(f"{bad} of {len(files)} file(s) failed validation")


def main():
    cli(prog_name="faithbench")
