"""faithbench: is a model's chain of thought a faithful account of its reasoning?

This module is the public API, and holds only contracts: what a plugin declares (``Task``,
``Condition``, ``Cue``, ``Metric``, ``Judge``, ``Pass``, ``ModelSpec``, ``hookimpl``), the values a
plan and the core exchange (``Sample``, ``Item``, ``Prompt``, ``Generate``, ``Response``,
``Record``...), the errors, and the library's entry points (``evaluate``, ``Results``). The
building blocks a family may use (standard items, the CoT plan, answer extraction, statistics,
prompt texts) are in :mod:`faithbench.helpers`; the synthetic models for tests in
:mod:`faithbench.testing`. A plugin (the built-in families included) imports from these three only.
"""

from faithbench.api.conditions import Condition, Cue, Kind, Placement, Target
from faithbench.api.errors import ModelError, UserError
from faithbench.api.hookspecs import hookimpl
from faithbench.api.items import Item, ItemConfig, ItemSource, ItemUnits
from faithbench.api.judge import Asker, Judge, Verbalization
from faithbench.api.metric import Family, Metric
from faithbench.api.model_spec import ModelSpec
from faithbench.api.parameters import Parameter
from faithbench.api.passes import Pass, Role, Stage
from faithbench.api.prompts import Message, Prompt
from faithbench.api.record import Record
from faithbench.api.requests import Failure, Generate, LogLikelihood, Request, Response
from faithbench.api.task import Plan, RunOptions, Sample, Task, sends
from faithbench.plugins.yaml_tasks import load_yaml_tasks
from faithbench.version import __version__

_LAZY = {  # heavier entry points, imported on first use
    "evaluate": ("faithbench.pipeline.library", "evaluate"),
    "Results": ("faithbench.pipeline.results", "Results"),
    "load_registry": ("faithbench.plugins.manager", "load_registry"),
    "validate_file": ("faithbench.results.io", "validate_file"),
}


def __getattr__(name: str):
    import importlib

    if name in _LAZY:
        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    helpers = importlib.import_module("faithbench.helpers")
    if name in helpers.__all__:  # a plugin written against 0.1, where the helpers were here
        import warnings

        warnings.warn(
            f"faithbench.{name} moved to faithbench.helpers.{name}", DeprecationWarning, stacklevel=2
        )
        return getattr(helpers, name)
    raise AttributeError(f"module 'faithbench' has no attribute {name!r}")


__all__ = [
    "Asker",
    "Condition",
    "Cue",
    "Failure",
    "Family",
    "Generate",
    "Item",
    "ItemConfig",
    "ItemSource",
    "ItemUnits",
    "Judge",
    "Kind",
    "LogLikelihood",
    "Message",
    "Metric",
    "ModelError",
    "ModelSpec",
    "Parameter",
    "Pass",
    "Placement",
    "Plan",
    "Prompt",
    "Record",
    "Request",
    "Response",
    "Results",
    "Role",
    "RunOptions",
    "Sample",
    "Stage",
    "Target",
    "Task",
    "UserError",
    "Verbalization",
    "__version__",
    "evaluate",
    "hookimpl",
    "load_registry",
    "load_yaml_tasks",
    "sends",
    "validate_file",
]
