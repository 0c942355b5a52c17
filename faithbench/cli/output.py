"""What a run writes besides results.json: the live samples log, the printed tables, the recorded
command line, and the scrubbing of secret values."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import click

from faithbench.models.args import is_secret

SECRET_ENV = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "OPENAI_API_KEY", "ANTHROPIC_API_KEY")


def command_line(ctx: click.Context, secrets: list[str]) -> str:
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


def secret_values(model_args: dict) -> list[str]:
    values = [str(v) for k, v in model_args.items() if is_secret(k) and v]
    values += [os.environ[k] for k in SECRET_ENV if os.environ.get(k)]
    return [v for v in values if len(v) >= 4]


def scrub(data, secrets: list[str]):
    if not secrets:
        return data
    text = json.dumps(data)
    for secret in secrets:
        text = text.replace(json.dumps(secret)[1:-1], "<redacted>")
    return json.loads(text)


class LiveLog:
    """samples.jsonl written as samples finish; rewritten in order once the run completes."""

    def __init__(self, path: Path | None, secrets: list[str]):
        self.secrets = secrets
        self.fh = path.open("w", encoding="utf-8") if path else None

    def __call__(self, record: dict) -> None:
        if self.fh:
            self.fh.write(json.dumps(scrub(record, self.secrets), ensure_ascii=False) + "\n")
            self.fh.flush()

    def close(self) -> None:
        if self.fh:
            self.fh.close()


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
    """The side-by-side table; its columns are the headline figures the rows hold."""
    columns: list[str] = []
    for row in results["faithfulness"]:
        columns += [k for k in row if k not in ("task", "condition") and k not in columns]
    lines = [
        f"Representational vs predictive faithfulness: {results['model']['name']}",
        "| task | condition | " + " | ".join(columns) + " |",
        "|---|---|" + "---|" * len(columns),
    ]
    for row in results["faithfulness"]:
        cells = [_fmt(row[c]["value"]) if c in row else "" for c in columns]
        lines.append(f"| {row['task']} | {row['condition']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
