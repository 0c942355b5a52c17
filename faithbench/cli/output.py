"""What a run prints: the tables, and the recorded command line (secrets redacted by structure)."""

from __future__ import annotations

import logging
import shlex
import shutil
import sys
import textwrap

import click

from faithbench.api.errors import UserError
from faithbench.cli.long_summary import bound, in_groups
from faithbench.models.args import redact_url
from faithbench.results.naming import cue_label, framing_of

ARGS_OPTIONS = ("model_args", "judge_model_args", "observer_args", "gen_kwargs")
MODEL_OPTIONS = ("model_name", "judge_model", "observer")


def _role_pair(text: str, redact_value) -> str:
    role, _, value = text.partition("=")
    return f"{role}={redact_value(value)}"


def command_line(ctx: click.Context, extra: list[tuple[str, str, str]] = ()) -> str:
    """The run's command, rebuilt from the options actually given (not sys.argv, which belongs to
    whatever process invoked the CLI), the families' options (``extra``: flag, value, kind) last.
    Model args are re-rendered from their parsed, redacted form and model names (URLs) redacted;
    no other option carries a secret."""
    from click.core import ParameterSource

    from faithbench.models.args import parse_model_args, render_args

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
        if param.name in ARGS_OPTIONS:
            value = (
                [render_args(parse_model_args(v)) for v in value]
                if param.multiple
                else render_args(parse_model_args(value))
            )
        elif param.name in MODEL_OPTIONS and value:
            value = [redact_url(v) for v in value] if param.multiple else redact_url(value)
        elif param.name == "role_args":
            value = [_role_pair(v, lambda a: render_args(parse_model_args(a))) for v in value]
        elif param.name == "role_model":
            value = [_role_pair(v, redact_url) for v in value]
        for item in value if param.multiple else [value]:
            parts += [param.opts[0], str(item)]
    for flag, value, kind in extra:
        if kind == "args":
            value = render_args(parse_model_args(value))
        elif kind == "model":
            value = redact_url(value)
        parts += [flag, value]
    for part in parts:  # bytes that are not UTF-8 (in a path) could not be written to results.json
        if not str(part).isascii() and not _utf8(str(part)):
            raise UserError(f"{part!r} is not valid UTF-8 text: results.json cannot record it")
    return " ".join([f"faithbench {ctx.info_name}", *(shlex.quote(p) for p in parts)])


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Terminal(logging.Handler):
    """faithbench's log on the terminal: warnings in yellow as ``warning: ...``, notes as they are
    (read at each message, so a test runner's captured stderr gets them)."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            click.secho(fit_terminal(f"warning: {message}"), fg="yellow", err=True)
        else:
            click.echo(fit_terminal(message), err=True)


def fit_terminal(text: str, width: int | None = None) -> str:
    """Long log lines wrapped (continuations indented) to the terminal, at most 100 columns, as
    the summary is; text going to a file or a pipe is left whole, so it can be searched."""
    if width is None:
        if not sys.stderr.isatty():
            return text
        width = min(shutil.get_terminal_size().columns, 100)
    return "\n".join(
        textwrap.fill(line, width, subsequent_indent="  ", break_on_hyphens=False, break_long_words=False)
        for line in text.splitlines() or [""]
    )


def show_log() -> None:
    """Send faithbench's log to the terminal (once)."""
    log = logging.getLogger("faithbench")
    if not any(isinstance(h, Terminal) for h in log.handlers):
        log.addHandler(Terminal())
        log.setLevel(logging.INFO)
        log.propagate = False


def _fmt(value, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _cell(est: dict | None) -> str:
    if not est:
        return ""
    if est["value"] is None:
        return f"- n={est['n']}"
    few = "*" if est.get("too_few") else ""  # fewer items than a verdict rests on
    ci = f"[{bound(est['ci_low'], -1)}, {bound(est['ci_high'], 1)}]"
    return f"{est['value']:.2f} {ci} n={est['n']}{in_groups(est)}{few}"


def format_summary(results: dict) -> str:
    """The compact table (one row per task x cue, the headline figures with 95% CIs) and the
    model's one-line verdict; the full table is ``--show all``."""
    from faithbench.results.naming import model_label

    summary = results.get("summary")
    if summary is None:
        return "This results file has no summary (written by an older faithbench): use --show all."
    columns = summary["columns"]
    if not summary["rows"]:
        return "No headline figures for these tasks (some report per property or per item): use --show all."
    lines = [
        f"Summary: {model_label(results['model'])} (value [95% CI] n; every figure: --show all)",
        "| task | cue | " + " | ".join(columns) + " |",
        "|---|---|" + "---|" * len(columns),
    ]
    for row in summary["rows"]:
        cells = " | ".join(_cell(row.get(c)) for c in columns)
        lines.append(f"| {row['task']} | {cue_label(row['condition'], row.get('framing'))} | {cells} |")
    for name, task in results["tasks"].items():
        if task["status"] != "ok":
            lines.append(f"| {name} | - | error: see --show all |" + " |" * max(len(columns) - 1, 0))
    if any(isinstance(f, dict) and f.get("too_few") for row in summary["rows"] for f in row.values()):
        lines.append("* too few items to conclude from (fewer than 10): shown, not in the verdict")
    if summary.get("verdict"):
        lines.append(f"\nVerdict: {summary['verdict']}")
    return "\n".join(lines)


def format_table(results: dict) -> str:
    lines = [
        "| task | version | condition | metric | value | 95% CI | n |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, task in results["tasks"].items():
        if task["status"] != "ok":
            lines.append(f"| {name} | {task['version']} | - | error | - | - | - |")
        for m in task["metrics"]:
            ci = "-"  # an undefined figure has no interval (was '[-, -]')
            if m["value"] is not None:  # an end the data cannot bound: -∞ / +∞, as the summary
                ci = f"[{bound(m['ci_low'], -1, 3)}, {bound(m['ci_high'], 1, 3)}]"
            where = cue_label(m["condition"], framing_of(m))
            lines.append(
                f"| {name} | {task['version']} | {where} | {m['metric']} | "
                f"{_fmt(m['value'])} | {ci} | {m['n']}{in_groups(m)} |"
            )
    return "\n".join(lines)


def format_faithfulness(results: dict) -> str:
    """The side-by-side table; its columns are the headline figures the rows hold."""
    columns: list[str] = []
    for row in results["faithfulness"]:
        columns += [
            k for k in row if k not in ("task", "condition", "channel", "framing") and k not in columns
        ]
    lines = [
        f"Representational vs predictive faithfulness: {results['model']['name']}",
        "| task | condition | channel | " + " | ".join(columns) + " |",
        "|---|---|---|" + "---|" * len(columns),
    ]
    for row in results["faithfulness"]:
        cells = [_fmt(row[c]["value"]) if c in row else "" for c in columns]
        channel = row.get("channel", "all")
        condition = cue_label(row["condition"], row.get("framing"))
        lines.append(f"| {row['task']} | {condition} | {channel} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def format_judges(results: dict) -> str:
    """Each verdict-based figure under every judge that gave verdicts, beside the judges'
    agreement: how much the number depends on the judge."""
    rows, judges = [], []
    for task, entry in results["tasks"].items():
        info = entry.get("judges") or {}
        for judge, values in (info.get("by_judge") or {}).items():
            judges += [judge] if judge not in judges else []
            for v in values:
                rows.append((task, v["condition"], v["metric"], judge, v["value"]))
    if not rows:
        return ""
    primaries = [(e.get("judges") or {}).get("primary") for e in results["tasks"].values()]
    judges.sort(key=lambda j: (j not in primaries, j))
    kappa = {
        task: (((entry.get("judges") or {}).get("agreement") or {}).get("kappa") or {}).get("value")
        for task, entry in results["tasks"].items()
    }
    keys = list(dict.fromkeys((t, c, m) for t, c, m, _, _ in rows))
    lines = [
        "Verbalization-based figures under each judge (primary first):",
        "| task | condition | metric | " + " | ".join(judges) + " | kappa |",
        "|---|---|---|" + "---|" * (len(judges) + 1),
    ]
    for task, condition, metric in keys:
        got = {j: v for t, c, m, j, v in rows if (t, c, m) == (task, condition, metric)}
        cells = " | ".join(_fmt(got.get(j)) for j in judges)
        lines.append(f"| {task} | {condition} | {metric} | {cells} | {_fmt(kappa.get(task))} |")
    return "\n".join(lines)
