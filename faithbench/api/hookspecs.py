"""The plugin contract: every task, metric, judge and model backend arrives through these hooks.

Built-in tasks use the very same hooks (see ``faithbench_tasks``), so a third-party plugin has
exactly the powers the core has. Each hook returns a list of definitions; the plugin manager
calls every implementation separately so one broken plugin cannot take the others down.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("faithbench")
hookimpl = pluggy.HookimplMarker("faithbench")


@hookspec
def faithbench_tasks():
    """Return a list of :class:`faithbench.task.Task` definitions."""


@hookspec
def faithbench_metrics():
    """Return a list of :class:`faithbench.metrics.Metric` definitions."""


@hookspec
def faithbench_judges():
    """Return a list of :class:`faithbench.judges.Judge` definitions."""


@hookspec
def faithbench_models():
    """Return a list of :class:`faithbench.models.ModelSpec`: lm-eval ``LM`` classes to register."""


@hookspec
def faithbench_register_commands(cli):
    """Add extra click commands to the ``faithbench`` command group."""
