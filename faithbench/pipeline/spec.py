"""One run, specified once: what is measured (RunConfig), on which model, and how the requests are
sent and the outputs kept. Built from the command line's options or from ``faithbench.evaluate``'s
keyword arguments by the same function, before any model loads, and never changed afterwards."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from faithbench.api.errors import UserError
from faithbench.pipeline.config import ModelRef, RunConfig


@dataclass(frozen=True)
class Execution:
    """How requests are sent and outputs kept: nothing here changes an answer or a figure."""

    batch_size: int = 8
    max_concurrency: int = 1
    max_requests: int | None = None
    max_retries: int = 3
    retry_backoff: float = 1.0
    progress: bool | None = None  # None: bars on a TTY
    cache_path: str | None = None
    no_cache: bool = False
    log_samples: bool = True
    overwrite: bool = False
    apply_chat_template: bool = False
    prices: tuple[float, float] | None = None  # USD per million prompt, completion tokens
    batch_api: bool = False
    no_wait: bool = False
    batch_poll: float = 30.0


@dataclass(frozen=True)
class RunSpec:
    """Everything a run needs, frozen. ``output_path`` None (the library's default) writes no
    files and keeps no cache; the results come back as a :class:`~faithbench.Results`."""

    model: ModelRef
    tasks: tuple[str, ...]  # the selected task names, in order
    judges: tuple[str, ...]
    config: RunConfig
    execution: Execution = Execution()
    output_path: Path | None = None
    include_paths: tuple[str, ...] = ()
    observer_explicit: bool = False  # the observer was chosen, not defaulted
    declined_roles: frozenset = frozenset()  # side roles the user set to 'none': no hint about them
    show: str = "summary"
    dry_run: bool = False

    def __post_init__(self):
        """Paths made absolute once, at the start: plugin code that changes the working folder
        (``os.chdir``) cannot move where the results and the cache are written."""
        if self.output_path is not None:
            object.__setattr__(self, "output_path", Path(self.output_path).absolute())
        if self.execution.cache_path:
            absolute = str(Path(self.execution.cache_path).absolute())
            object.__setattr__(self, "execution", replace(self.execution, cache_path=absolute))

    @property
    def out_dir(self) -> Path | None:
        from faithbench.results.naming import model_slug

        if self.output_path is None:
            return None
        return Path(self.output_path) / model_slug(self.model.name, self.model.args)

    @property
    def cache_file(self) -> Path | None:
        if self.execution.no_cache:
            return None
        if self.execution.cache_path:
            return Path(self.execution.cache_path)
        out = self.out_dir
        return out / "cache.sqlite" if out is not None else None


def check_known(given: Mapping, known: Mapping, what: str = "option") -> None:
    """An unknown keyword is a user error with a did-you-mean, never silently ignored."""
    for key in given:
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise UserError(f"unknown {what} '{key}'{hint}")
