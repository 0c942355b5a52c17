"""The plugin manager: built-ins and third-party plugins loaded through one pluggy contract.

Built-in modules are registered explicitly (as datasette does with its default plugins);
third-party ones arrive through the ``faithbench`` entry-point group, or through the
``FAITHBENCH_PLUGINS`` environment variable (comma-separated module paths, handy when developing
a plugin). Every hook implementation is called on its own: a plugin that fails to import, raises,
or returns invalid definitions is recorded as a problem under its name and the rest still load.
"""

from __future__ import annotations

import fnmatch
import importlib
import os
from dataclasses import dataclass, field
from importlib.metadata import entry_points

import jsonschema
import pluggy

from faithbench import hookspecs
from faithbench.errors import UserError
from faithbench.metrics import Metric
from faithbench.schemas import load_schema
from faithbench.task import Task

ENTRY_POINT_GROUP = "faithbench"

BUILTIN_PLUGINS = (
    "faithbench.metrics",
    "faithbench.cot_metrics",
    "faithbench.predictive",
    "faithbench.introspection",
    "faithbench.judges",
    "faithbench.models.builtin",
    "faithbench_tasks.suggested_answer",
    "faithbench_tasks.biased_prompts",
    "faithbench_tasks.cot_interventions",
    "faithbench_tasks.introspection",
)


@dataclass
class PluginInfo:
    name: str
    builtin: bool
    version: str | None = None
    tasks: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    judges: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)


@dataclass
class Registry:
    """Everything the installed plugins define, plus what went wrong loading them."""

    pm: pluggy.PluginManager
    tasks: dict[str, Task] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)
    judges: dict[str, object] = field(default_factory=dict)
    models: dict[str, object] = field(default_factory=dict)
    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (plugin, message)

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


def _register_module(pm: pluggy.PluginManager, path: str, name: str) -> None:
    module = importlib.import_module(path)
    if pm.get_plugin(name) is None and not pm.is_registered(module):
        pm.register(module, name=name)


def build_plugin_manager(problems: list[tuple[str, str]]) -> tuple[pluggy.PluginManager, dict]:
    pm = pluggy.PluginManager("faithbench")
    pm.add_hookspecs(hookspecs)
    infos: dict[str, PluginInfo] = {}
    for path in BUILTIN_PLUGINS:
        _register_module(pm, path, path)
        infos[path] = PluginInfo(path, builtin=True)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        version = ep.dist.version if ep.dist else None
        try:
            plugin = ep.load()
            pm.register(plugin, name=ep.name)
        except Exception as exc:  # a broken plugin must not take down the rest
            problems.append((ep.name, f"failed to load: {type(exc).__name__}: {exc}"))
            continue
        infos[ep.name] = PluginInfo(ep.name, builtin=False, version=version)
    for path in filter(None, (p.strip() for p in os.environ.get("FAITHBENCH_PLUGINS", "").split(","))):
        try:
            _register_module(pm, path, path)
        except Exception as exc:
            problems.append((path, f"failed to load: {type(exc).__name__}: {exc}"))
            continue
        infos[path] = PluginInfo(path, builtin=False)
    return pm, infos


def _call_each(pm: pluggy.PluginManager, hook_name: str, problems: list):
    """Yield (plugin name, definition) from every implementation, isolating failures."""
    for impl in getattr(pm.hook, hook_name).get_hookimpls():
        try:
            result = impl.function()
        except Exception as exc:
            problems.append((impl.plugin_name, f"{hook_name}() raised {type(exc).__name__}: {exc}"))
            continue
        if result is None:
            continue
        if not isinstance(result, (list, tuple)):
            problems.append((impl.plugin_name, f"{hook_name}() must return a list"))
            continue
        for definition in result:
            yield impl.plugin_name, definition


def _task_problem(task: object, metrics: dict) -> str | None:
    if not isinstance(task, Task):
        return f"faithbench_tasks() returned {type(task).__name__}, expected faithbench.task.Task"
    try:
        jsonschema.validate(task.declaration(), load_schema("task"))
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        return f"task '{task.name}' is invalid at {where}: {exc.message}"
    if not callable(task.items) or not callable(task.plan):
        return f"task '{task.name}': items and plan must be callables"
    names = [c.name for c in task.conditions]
    if len(set(names)) != len(names):
        return f"task '{task.name}': condition names must be unique"
    missing = [m for m in task.metrics if m not in metrics]
    if missing:
        return f"task '{task.name}' uses unknown metric(s): {', '.join(missing)}"
    return None


def load_registry(include_paths: tuple[str, ...] = ()) -> Registry:
    """Load every plugin; ``include_paths`` are folders of YAML task files (``--include-path``),
    whose errors are the user's to fix and so stop the command with file, line and field."""
    problems: list[tuple[str, str]] = []
    pm, infos = build_plugin_manager(problems)
    reg = Registry(pm=pm, plugins=infos, problems=problems)

    for plugin, metric in _call_each(pm, "faithbench_metrics", problems):
        if not isinstance(metric, Metric):
            problems.append((plugin, f"faithbench_metrics() returned {type(metric).__name__}"))
        elif metric.name in reg.metrics:
            problems.append((plugin, f"metric '{metric.name}' is already defined"))
        else:
            reg.metrics[metric.name] = _with_plugin(metric, plugin)
            infos.setdefault(plugin, PluginInfo(plugin, False)).metrics.append(metric.name)

    for plugin, task in _call_each(pm, "faithbench_tasks", problems):
        problem = _task_problem(task, reg.metrics)
        if problem is None and task.name in reg.tasks:
            problem = f"task '{task.name}' is already defined by {reg.tasks[task.name].plugin}"
        if problem:
            problems.append((plugin, problem))
            continue
        reg.tasks[task.name] = _with_plugin(task, plugin)
        infos.setdefault(plugin, PluginInfo(plugin, False)).tasks.append(task.name)

    for folder in include_paths:
        from faithbench.yaml_tasks import load_yaml_tasks

        for task in load_yaml_tasks(folder):
            problem = _task_problem(task, reg.metrics)
            if problem is None and task.name in reg.tasks:
                problem = f"task '{task.name}' is already defined by {reg.tasks[task.name].plugin}"
            if problem:
                raise UserError(f"{folder}/{task.config.get('file', '')}: {problem}")
            reg.tasks[task.name] = _with_plugin(task, f"yaml:{folder}")

    for plugin, judge in _call_each(pm, "faithbench_judges", problems):
        name = getattr(judge, "name", None)
        if not name:
            problems.append((plugin, "faithbench_judges() returned a judge without a name"))
            continue
        reg.judges[name] = judge
        infos.setdefault(plugin, PluginInfo(plugin, False)).judges.append(name)

    from faithbench.models import ModelSpec, register_model_spec

    for plugin, spec in _call_each(pm, "faithbench_models", problems):
        if not isinstance(spec, ModelSpec):
            problems.append((plugin, f"faithbench_models() returned {type(spec).__name__}"))
            continue
        try:
            register_model_spec(spec)
        except Exception as exc:
            problems.append((plugin, f"model '{spec.name}': {exc}"))
            continue
        reg.models[spec.name] = spec
        infos.setdefault(plugin, PluginInfo(plugin, False)).models.append(spec.name)
    return reg


def _with_plugin(definition, plugin: str):
    import dataclasses

    return dataclasses.replace(definition, plugin=plugin)
