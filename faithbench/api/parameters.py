"""Task parameters: settings a family declares for its own tasks (``-T name=value`` on the command
line, ``task_args=`` in ``faithbench.evaluate``), typed, with a default, and part of the task's
config hash, so the core never needs to know a family's options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from faithbench.api.errors import UserError

TYPES: dict[type, str] = {int: "a whole number", float: "a number", bool: "true or false", str: "text"}


@dataclass(frozen=True)
class Parameter:
    """One declared setting. ``flag`` (e.g. ``--samples-per-arm``) also sets it on the command
    line, as a convenience the family offers; ``minimum``/``maximum`` bound numbers."""

    name: str
    type: type = int
    default: Any = None
    help: str = ""
    flag: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple = ()

    def parse(self, raw: object, where: str) -> Any:
        """The value of ``raw`` (text from the command line, or a Python value), checked against
        the declaration; a user error naming ``where`` (task and parameter) otherwise."""
        value: Any = raw
        if isinstance(raw, str) and self.type is not str:
            text = raw.strip()
            try:
                if self.type is bool:
                    if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
                        raise ValueError(text)
                    value = text.lower() in ("true", "1", "yes")
                else:
                    value = self.type(text)
            except ValueError:
                kind = TYPES.get(self.type, self.type.__name__)
                raise UserError(f"{where} must be {kind}, not {raw!r}") from None
        if isinstance(value, bool) and self.type is not bool or not isinstance(value, self.type):
            if not (self.type is float and isinstance(value, int) and not isinstance(value, bool)):
                raise UserError(f"{where} must be {TYPES.get(self.type, self.type.__name__)}, not {raw!r}")
        if self.minimum is not None and value < self.minimum:
            raise UserError(f"{where} must be at least {self.minimum:g}, not {value!r}")
        if self.maximum is not None and value > self.maximum:
            raise UserError(f"{where} must be at most {self.maximum:g}, not {value!r}")
        if self.choices and value not in self.choices:
            raise UserError(f"{where} must be one of {', '.join(map(str, self.choices))}, not {value!r}")
        return value


def resolve(declared: tuple[Parameter, ...], given: Mapping[str, object], task: str) -> dict[str, Any]:
    """Every declared parameter's value for one task: the given one, parsed, else its default."""
    out = {}
    for param in declared:
        if param.name in given:
            out[param.name] = param.parse(given[param.name], f"task parameter {task}.{param.name}")
        else:
            out[param.name] = param.default
    return out


def resolve_all(tasks, given: Mapping[str, object]) -> dict[str, dict[str, Any]]:
    """Each task's parameters from ``given``: ``task.name`` sets one task's parameter, ``name``
    every selected task that declares it. A name no selected task declares is a user error with a
    did-you-mean, never ignored."""
    import difflib

    declared = {p.name for t in tasks for p in t.parameters}
    per_task: dict[str, dict[str, object]] = {t.name: {} for t in tasks}
    for key, raw in given.items():
        task_name, _, name = key.rpartition(".")
        if task_name and task_name not in per_task:
            raise UserError(f"task parameter '{key}': task '{task_name}' is not selected")
        owners = [t for t in tasks if (not task_name or t.name == task_name)]
        owners = [t for t in owners if any(p.name == name for p in t.parameters)]
        if not owners:
            close = difflib.get_close_matches(name, sorted(declared), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            where = f"task '{task_name}' does not declare" if task_name else "no selected task declares"
            have = ", ".join(sorted(declared)) or "none"
            raise UserError(f"task parameter '{key}': {where} '{name}'{hint}; declared: {have}")
        for task in owners:
            per_task[task.name][name] = raw
    return {t.name: resolve(t.parameters, per_task[t.name], t.name) for t in tasks}
