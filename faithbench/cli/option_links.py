"""Options that only matter together with another: each declares what it needs, so one given
without it is said (a warning) or, where it can only be a mistake, refused (an Error), never
silently accepted as a flag that does nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from faithbench.api.errors import UserError

log = logging.getLogger("faithbench")


@dataclass(frozen=True)
class Setting:
    """What the links read: the parsed options, the selected tasks and judges, the side models
    the run will load, and whether the evaluated model is an API backend."""

    opts: dict
    tasks: list
    judges: list
    side: dict
    api: bool


@dataclass(frozen=True)
class Link:
    key: str  # the option, as the parsed options name it
    needs: str  # what it needs, as the message says it
    met: Callable[[Setting], bool]
    mistake: bool = False  # an Error rather than a warning
    default: object = None  # its value when not given (a test keeps it equal to the flag's default)

    @property
    def flag(self) -> str:
        return "--" + self.key.replace("_", "-")


LINKS = (
    Link("judge_model_args", "--judge-model NAME", lambda s: bool(s.opts["judge_model"]), mistake=True),
    Link(
        "judge_model",
        "a judge that reads a model (--judge llm)",
        lambda s: any(j.needs_model for j in s.judges),
    ),
    Link("judge_definition", "--judge llm", lambda s: any(j.name == "llm" for j in s.judges)),
    Link(
        "observer_args",
        "--observer NAME (not none)",
        lambda s: s.opts["observer"] not in (None, "none"),
        mistake=True,
    ),
    Link(
        "visibility",
        "a selected task that can be framed (the biased-prompt tasks)",
        lambda s: any(t.framable for t in s.tasks),
    ),
    Link("no_wait", "--batch-api", lambda s: bool(s.opts["batch_api"]), mistake=True),
    Link("batch_poll", "--batch-api", lambda s: bool(s.opts["batch_api"]), default=30.0),
    Link(
        "max_concurrency",
        "an API model (in-process models answer one request at a time)",
        lambda s: s.api,
        default=1,
    ),
    Link("observer_samples", "an observer (this run has none)", lambda s: "observer" in s.side, default=10),
    # sent as request fields to a provider: an in-process model has no such field and thinks as before
    Link("reasoning_effort", "an API model (it is sent as a request field)", lambda s: s.api),
    Link("thinking_budget", "an API model (it is sent as a request field)", lambda s: s.api),
)


def given(opts: dict, link: Link) -> bool:
    """Set to something other than its default (an empty text or list is not given)."""
    value = opts.get(link.key)
    return value not in (None, "", (), False) and value != link.default


def check_links(setting: Setting) -> None:
    """Each given option whose need is not met: an Error where it is a mistake, else a warning."""
    for link in LINKS:
        if given(setting.opts, link) and not link.met(setting):
            if link.mistake:
                raise UserError(f"{link.flag} goes with {link.needs}")
            log.warning(f"{link.flag} is not used: it needs {link.needs}")


def check_model_names(opts: dict) -> None:
    """A side model named by an empty text is a mistake (it would load nothing, or the default)."""
    named = [("--observer", opts.get("observer"))] if opts.get("observer_explicit") else []
    named += [("--judge-model", name) for name in opts.get("judge_model") or ()]
    for flag, name in named:
        if name is not None and not str(name).strip():
            raise UserError(f"{flag} is empty: name a model (faithbench ls models), or leave it out")
