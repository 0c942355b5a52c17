"""Options and helpers shared by several commands."""

from __future__ import annotations

import click

from faithbench.api.errors import UserError


def include_path_option(f):
    return click.option(
        "--include-path",
        multiple=True,
        type=click.Path(file_okay=False),
        help="A folder of YAML task files to load (repeatable).",
    )(f)


show_option = click.option(
    "--show",
    type=click.Choice(["summary", "wide", "all"]),
    default="summary",
    show_default=True,
    help="summary: the verdict, then one headline figure per line (fits 100 columns); wide: one row "
    "per task x cue with the headline figures as columns; all: every figure.",
)


def seed_option(help_text: str = "Bootstrap seed."):
    return click.option("--seed", type=int, default=0, show_default=True, help=help_text)


RETRY_OPTIONS = (  # run's and judges evaluate's, for every model a run asks (evaluated and side)
    click.option(
        "--max-retries",
        type=click.IntRange(min=0),
        default=3,
        show_default=True,
        help="Retries per request on 429/5xx/timeouts/malformed or empty answers.",
    ),
    click.option(
        "--retry-backoff",
        type=click.FloatRange(min=0),
        default=1.0,
        show_default=True,
        help="First backoff in seconds (doubles each retry, 30 s cap); Retry-After wins.",
    ),
)


def retry_options(f):
    """``--max-retries`` and ``--retry-backoff`` on a command."""
    for option in reversed(RETRY_OPTIONS):
        f = option(f)
    return f


def side_model_options(flag: str, role: str, default=None, show_default=None):
    """``--FLAG NAME`` and ``--FLAG-args k=v,...`` for a side model (judge, observer, cross)."""

    def decorate(f):
        f = click.option(
            f"--{flag}-args", f"{flag.replace('-', '_')}_args", default="", help=f"k=v args for the {role}."
        )(f)
        return click.option(
            f"--{flag}",
            flag.replace("-", "_"),
            default=default,
            show_default=show_default,
            help=f"lm-eval model name for the {role}.",
        )(f)

    return decorate


def load_plugins(include_paths: tuple[str, ...] = ()):
    """The plugin registry, with each problem of a plugin (it failed to load, a task of it was
    skipped, a hook is ignored) reported as one warning line naming the plugin."""
    from faithbench.plugins.manager import load_registry

    reg = load_registry(include_paths)
    for plugin, message in reg.problems:
        click.secho(f"warning: plugin '{plugin}': {message}", fg="yellow", err=True)
    return reg


def parse_item_range(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        start, end = (int(x) for x in text.split(":"))
    except ValueError:
        raise UserError(f"invalid --item-range '{text}': expected START:END, e.g. 0:500") from None
    if not 0 <= start < end:
        raise UserError(f"invalid --item-range '{text}': need 0 <= START < END")
    if end > 1_000_000:
        raise UserError(f"invalid --item-range '{text}': END is at most 1000000")
    return start, end


def apply_judge_definition(judges: list, definition: str | None, reg) -> list:
    """The selected judges with ``llm`` replaced by the judge of the published definition asked
    for (``--judge-definition metr``: llm_metr), so the definition is in each verdict's judge
    name and in the config hash with its prompt; naming one judge twice is refused."""
    if not definition:
        return judges
    from faithbench.judges.llm import DEFINITIONS

    chosen = reg.judges[DEFINITIONS[definition].name]
    out = [chosen if j.name == "llm" else j for j in judges]
    names = [j.name for j in out]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UserError(
            f"--judge-definition {definition} makes llm the {twice[0]} judge, which --judge names too"
        )
    return out
