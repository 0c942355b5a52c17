"""The plugin contract: every task, metric, judge, pass and model backend arrives through these hooks.

Built-in families use the very same hooks, registered through the same entry-point group, so a
third-party plugin has exactly the powers the core has. Each definition hook returns a list; the
plugin manager calls every implementation on its own and checks what it returns, so one broken
plugin is reported by name and cannot take the others down.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from faithbench.api.judge import Judge
    from faithbench.api.metric import Metric
    from faithbench.api.model_spec import ModelSpec
    from faithbench.api.passes import Pass
    from faithbench.api.task import Task

hookspec = pluggy.HookspecMarker("faithbench")
hookimpl = pluggy.HookimplMarker("faithbench")


@hookspec
def faithbench_tasks() -> list[Task]:
    """Return the tasks this plugin declares.

    Each is validated when loaded (JSON Schema of the declaration, typed conditions, known metric
    names, unique condition names); an invalid one is skipped with a message naming it.
    """


@hookspec
def faithbench_metrics() -> list[Metric]:
    """Return metrics, referenced by name from any task's ``metrics``. Names are global: a second
    definition of a name is reported and ignored."""


@hookspec
def faithbench_judges() -> list[Judge]:
    """Return verbalization judges, selectable by name with ``--judge NAME[,NAME...]``; the first
    selected is primary (it sets each record's ``verbalized``)."""


@hookspec
def faithbench_passes() -> list[Pass]:
    """Return post-processing passes, run after the judges over every record of the run.

    A pass runs when its ``role`` has a model configured and ``wanted(task)`` is true for a
    selected task; it gets the records of those tasks only. An unknown role is reported and the
    pass skipped.
    """


@hookspec
def faithbench_models() -> list[ModelSpec]:
    """Return lm-eval ``LM`` classes to register in lm-eval's model registry under their names."""


@hookspec
def faithbench_register_commands(cli: click.Group) -> None:
    """Add click commands to the ``faithbench`` command group.

    :param cli: the root group; call ``cli.add_command(...)`` (loaded lazily, on first lookup of
        an unknown command or on ``--help``).
    """
