"""The post-processing contract: passes a family registers to run after the judges, over every
record of the run, with a side model (the predictive observer, the cross-model predictor).

The orchestrator runs each registered pass whose ``role`` has a model configured (``--observer``,
``--cross-model``, ``--monitor-model``) over the records of the selected tasks it ``wanted``; it
knows no pass by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from faithbench.api.judge import Asker
from faithbench.api.task import RunOptions, Task


class Role(str, Enum):
    """The side models a pass can ask for, each set by its own pair of run flags."""

    OBSERVER = "observer"  # --observer NAME --observer-args ...
    CROSS = "cross"  # --cross-model NAME --cross-model-args ...
    MONITOR = "monitor"  # --monitor-model NAME --monitor-model-args ...


@dataclass(frozen=True)
class Pass:
    name: str
    role: Role
    description: str
    apply: Callable[[list[dict], Asker, RunOptions], None]  # adds fields to the records, in place
    wanted: Callable[[Task], bool] = lambda task: True  # the tasks whose records the pass reads
    plugin: str = ""
    # The templates the pass sends its side model, by name: in the config hash of every task it wants.
    prompts: Mapping[str, str] = field(default_factory=dict, hash=False)
