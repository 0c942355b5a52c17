"""The plugin manager: built-ins and third-party plugins loaded through one pluggy contract.

The core's own judges and model backends are registered explicitly (as datasette does with its
default plugins); every task family, built-in or third-party, arrives through the ``faithbench``
entry-point group, or through the ``FAITHBENCH_PLUGINS`` environment variable (comma-separated
module paths, handy when developing a plugin). Every hook implementation is called on its own:
a plugin that fails to import, raises, or returns invalid definitions is recorded as a problem
under its name and the rest still load.
"""

from __future__ import annotations

import difflib
import fnmatch
import importlib
import os
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points

import pluggy

from faithbench.api import hookspecs
from faithbench.api.conditions import condition_problem
from faithbench.api.errors import UserError
from faithbench.api.judge import Judge
from faithbench.api.metric import Metric
from faithbench.api.model_spec import ModelSpec
from faithbench.api.passes import Pass, Role, role_name
from faithbench.api.schemas import load_schema
from faithbench.api.task import Task
from faithbench.models.registry import register_model_spec
from faithbench.plugins.hook_check import hook_problems
from faithbench.plugins.yaml_tasks import LocatedName, load_yaml_tasks

ENTRY_POINT_GROUP = "faithbench"
GLOBAL_NAMES = ("metric", "task")  # a second definition is an error, never a silent override

CORE_PLUGINS = ("faithbench.judges", "faithbench.models.builtin")
CORE_DISTRIBUTION = "faithbench"  # families shipped in faithbench's own wheel count as built-in


@dataclass
class PluginInfo:
    name: str
    builtin: bool
    version: str | None = None
    tasks: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    judges: list[str] = field(default_factory=list)
    passes: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)


@dataclass
class Registry:
    """Everything the installed plugins define, plus what went wrong loading them."""

    pm: pluggy.PluginManager
    tasks: dict[str, Task] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)
    judges: dict[str, Judge] = field(default_factory=dict)
    passes: dict[str, Pass] = field(default_factory=dict)
    models: dict[str, ModelSpec] = field(default_factory=dict)
    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (plugin, message)

    @property
    def roles(self) -> dict[str, Role]:
        """The side-model roles the installed passes declare, by name (a role given by name only
        gets a plain declaration)."""
        out = {"observer": Role.OBSERVER}
        for post in self.passes.values():
            name = role_name(post.role)
            if name and name not in out:
                out[name] = post.role if isinstance(post.role, Role) else Role(name)
        return out

    def select_tasks(self, spec: str) -> list[Task]:
        """``all``, a comma list, or glob patterns (``bias_*``); unknown names are a user error."""
        chosen: list[str] = []
        for part in [p.strip() for p in spec.split(",") if p.strip()]:
            if part == "all":
                matches = sorted(self.tasks)
            else:
                matches = sorted(fnmatch.filter(self.tasks, part))
            if not matches:
                known = ", ".join(sorted(self.tasks)) or "(none)"
                raise UserError(f"unknown task '{part}'. Available tasks: {known}")
            chosen.extend(m for m in matches if m not in chosen)
        if not chosen:
            raise UserError("no tasks selected: pass --tasks all, a comma list or a glob")
        return [self.tasks[name] for name in chosen]

    def select_judges(self, spec: str) -> list[Judge]:
        """A comma list of judge names (``both`` is ``rules,llm``); the first is primary."""
        names = [n.strip() for n in spec.replace("both", "rules,llm").split(",") if n.strip()]
        unknown = [n for n in names if n not in self.judges]
        if unknown or not names:
            known = ", ".join(sorted(self.judges)) or "(none)"
            raise UserError(f"unknown judge '{', '.join(unknown) or spec}'. Available judges: {known}")
        return [self.judges[n] for n in dict.fromkeys(names)]


def _named_role(role: object) -> bool:
    """A pass's role is a Role, or a role's name."""
    return isinstance(role_name(role), str) and bool(str(role_name(role)).strip())  # type: ignore[arg-type]


def _register_module(pm: pluggy.PluginManager, path: str, name: str) -> None:
    module = importlib.import_module(path)
    if pm.get_plugin(name) is None and not pm.is_registered(module):
        pm.register(module, name=name)


def build_plugin_manager(problems: list[tuple[str, str]]) -> tuple[pluggy.PluginManager, dict]:
    pm = pluggy.PluginManager("faithbench")
    pm.add_hookspecs(hookspecs)
    infos: dict[str, PluginInfo] = {}
    for path in CORE_PLUGINS:
        _register_module(pm, path, path)
        infos[path] = PluginInfo(path, builtin=True)
    metadata: dict = {}  # one distribution's entry points share its object: parsed once for all
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.dist is not None and id(ep.dist) not in metadata:
            metadata[id(ep.dist)] = ep.dist.metadata  # a property that re-parses (.version, .name too)
        meta = metadata.get(id(ep.dist)) if ep.dist is not None else None
        version = meta["Version"] if meta is not None else None
        builtin = meta is not None and meta["Name"] == CORE_DISTRIBUTION
        try:
            plugin = ep.load()
            pm.register(plugin, name=ep.name)
        except (Exception, SystemExit) as exc:  # a broken plugin must not take down the rest
            problems.append((ep.name, f"failed to load: {type(exc).__name__}: {exc}"))
            continue
        infos[ep.name] = PluginInfo(ep.name, builtin=builtin, version=version)
    for path in filter(None, (p.strip() for p in os.environ.get("FAITHBENCH_PLUGINS", "").split(","))):
        try:
            _register_module(pm, path, path)
        except (Exception, SystemExit) as exc:
            problems.append((path, f"failed to load: {type(exc).__name__}: {exc}"))
            continue
        infos[path] = PluginInfo(path, builtin=False)
    problems += hook_problems(pm)
    return pm, infos


def _call_each(pm: pluggy.PluginManager, hook_name: str, problems: list):
    """Yield (plugin name, definition) from every implementation, isolating failures."""
    for impl in getattr(pm.hook, hook_name).get_hookimpls():
        try:
            result = impl.function()
        except (Exception, SystemExit) as exc:
            problems.append((impl.plugin_name, f"{hook_name}() raised {type(exc).__name__}: {exc}"))
            continue
        if result is None:
            continue
        if not isinstance(result, (list, tuple)):
            problems.append((impl.plugin_name, f"{hook_name}() must return a list"))
            continue
        for definition in result:
            yield impl.plugin_name, definition


@cache
def _task_validator():
    """The task schema's validator, built once: ``jsonschema.validate`` re-checks the schema
    against its meta-schema on every call, which was most of a small run's CPU time. The shipped
    schema itself is checked against its meta-schema by the tests (test_run_startup), not here."""
    from jsonschema.validators import validator_for

    schema = load_schema("task")
    return validator_for(schema)(schema)


def _task_problem(task: object, metrics: dict) -> str | None:
    """Why a task cannot be registered, or None."""
    if not isinstance(task, Task):
        return f"faithbench_tasks() returned {type(task).__name__}, expected faithbench.Task"
    for condition in task.conditions:
        problem = condition_problem(condition)
        if problem:
            return problem
    from jsonschema.exceptions import best_match  # here, not at import: `--help` loads this module

    exc = best_match(_task_validator().iter_errors(task.declaration()))  # as jsonschema.validate
    if exc is not None:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        return f"it is invalid at {where}: {exc.message}"
    if not callable(task.items) or not callable(task.plan):
        return "items and plan must be callables"
    names = [c.name for c in task.conditions]
    if len(set(names)) != len(names):
        return "condition names must be unique"
    unknown = [unknown_metric(m, metrics) for m in task.metrics if m not in metrics]
    return "; ".join(unknown + _listed_twice(task.metrics)) or None


def _listed_twice(names) -> list[str]:
    """Each metric a task lists more than once, with where (a task file's lines): every value
    would be computed and written twice."""
    seen: dict[str, list] = {}
    for name in names:
        seen.setdefault(str(name), []).append(name)
    return [
        f"metric '{name}' is listed {len(found)} times"
        + (f" (at {', '.join(n.where for n in found)})" if isinstance(found[0], LocatedName) else "")
        for name, found in seen.items()
        if len(found) > 1
    ]


def unknown_metric(name: str, metrics: dict) -> str:
    """Names the unknown metric, the closest known name, and the task file line it is on."""
    guess = difflib.get_close_matches(name, list(metrics), n=1)
    hint = f" (did you mean '{guess[0]}'?)" if guess else ""
    where = f" at {name.where}" if isinstance(name, LocatedName) else ""
    return f"unknown metric '{name}'{where}{hint}"


def load_registry(include_paths: tuple[str, ...] = ()) -> Registry:
    """Load every plugin; ``include_paths`` are folders of YAML task files (``--include-path``),
    whose errors are the user's to fix and so stop the command with file, line and field."""
    problems: list[tuple[str, str]] = []
    pm, infos = build_plugin_manager(problems)
    reg = Registry(pm=pm, plugins=infos, problems=problems)

    def add(table: dict, label: str, definition, plugin: str) -> None:
        """Register a definition under its name, unless another plugin has that name already."""
        name = definition.name
        if name in table and label in GLOBAL_NAMES:  # results name tasks and figures by them
            first = table[name].plugin
            both = f"twice by {plugin}" if first == plugin else f"by two plugins, {first} and {plugin}"
            raise UserError(
                f"{label} '{name}' is defined {both}: {label} names are global, so no definition may "
                "replace another (which one loads first depends on the install); uninstall or rename one"
            )
        if name in table:
            problems.append((plugin, f"{label} '{name}' is already defined by {table[name].plugin}"))
            return
        table[name] = _with_plugin(definition, plugin)
        info = infos.setdefault(plugin, PluginInfo(plugin, False))
        getattr(info, {"pass": "passes"}.get(label, label + "s")).append(name)

    for plugin, metric in _call_each(pm, "faithbench_metrics", problems):
        if isinstance(metric, Metric):
            add(reg.metrics, "metric", metric, plugin)
        else:
            problems.append((plugin, f"faithbench_metrics() returned {type(metric).__name__}"))

    for plugin, task in _call_each(pm, "faithbench_tasks", problems):
        problem = _task_problem(task, reg.metrics)
        if problem and isinstance(task, Task):  # its plugin's other tasks still load
            problems.append((plugin, f"task '{task.name}' skipped: {problem}"))
        elif problem:
            problems.append((plugin, problem))
        else:
            add(reg.tasks, "task", task, plugin)

    for folder in include_paths:
        for task in load_yaml_tasks(folder):
            problem = _task_problem(task, reg.metrics)
            if problem is None and task.name in reg.tasks:
                problem = f"it is already defined by {reg.tasks[task.name].plugin}"
            if problem:
                raise UserError(f"{folder}/{task.config.get('file', '')}: task '{task.name}': {problem}")
            reg.tasks[task.name] = _with_plugin(task, f"yaml:{folder}")

    for plugin, judge in _call_each(pm, "faithbench_judges", problems):
        if isinstance(judge, Judge) and judge.name and callable(judge.verdicts):
            add(reg.judges, "judge", judge, plugin)
        else:
            problems.append((plugin, f"faithbench_judges() returned an invalid judge: {judge!r:.80}"))

    for plugin, post in _call_each(pm, "faithbench_passes", problems):
        if not isinstance(post, Pass) or not callable(post.apply):
            problems.append((plugin, f"faithbench_passes() returned an invalid pass: {post!r:.80}"))
        elif post.role is not None and not _named_role(post.role):
            problems.append((plugin, f"pass '{post.name}': role must be a Role or a name, not {post.role!r}"))
        else:
            add(reg.passes, "pass", post, plugin)

    for plugin, spec in _call_each(pm, "faithbench_models", problems):
        if not isinstance(spec, ModelSpec):
            problems.append((plugin, f"faithbench_models() returned {type(spec).__name__}"))
            continue
        try:
            register_model_spec(spec)
        except (Exception, SystemExit) as exc:
            problems.append((plugin, f"model '{spec.name}': {exc}"))
            continue
        reg.models[spec.name] = spec
        infos.setdefault(plugin, PluginInfo(plugin, False)).models.append(spec.name)
    return reg


def _with_plugin(definition, plugin: str):
    import dataclasses

    return dataclasses.replace(definition, plugin=plugin)
