"""A run's output folder: locked against a second run, checked for things in the way, and never
given another run's results without ``--overwrite``."""

from __future__ import annotations

import contextlib
import fcntl
import json
from pathlib import Path

from faithbench.api.errors import UserError

OUTPUTS = ("results.json", "samples.jsonl", "samples.partial.jsonl")


@contextlib.contextmanager
def locked(folder: Path):
    """An exclusive lock on the folder for one run; the system drops it if the process dies."""
    try:
        handle = (folder / ".faithbench.lock").open("a")
    except OSError as exc:
        raise UserError(f"cannot write to output path {folder}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise UserError(
                f"another faithbench run is writing to {folder}; wait for it or use another --output-path"
            ) from None
        yield
    finally:
        handle.close()


def check_outputs(folder: Path) -> None:
    for name in OUTPUTS:
        path = folder / name
        if path.exists() and not path.is_file():
            raise UserError(f"{path} is in the way (not a file); move it, then rerun")


def settings(results: dict) -> dict:
    """What makes two runs the same run: model, configuration and tasks (not the date)."""
    config = {k: v for k, v in (results.get("config") or {}).items() if k != "bootstrap"}
    model = results.get("model") or {}
    return {
        "model": {"name": model.get("name"), "args": model.get("args")},
        "config": config,
        "tasks": sorted(results.get("tasks") or {}),
    }


def check_same_run(folder: Path, expected: dict) -> None:
    """Refuse to replace results made with other settings (``expected`` as ``settings`` gives)."""
    path = folder / "results.json"
    if not path.is_file():
        return
    try:
        earlier = settings(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, RecursionError, AttributeError):
        earlier = None
    if earlier == expected:
        return
    if earlier is None:
        what = "unreadable results"
    else:
        differ = ", ".join(k for k in expected if earlier[k] != expected[k])
        what = f"results of a run with other settings ({differ} differ)"
    raise UserError(f"{path} holds {what}; pass --overwrite to replace them, or use another --output-path")
