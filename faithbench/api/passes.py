"""The post-processing contract: passes a family registers to run after the judges, over every
record of the run, with a side model (the predictive observer, the cross-model predictor).

The orchestrator runs each registered pass whose ``role`` (declared by the pass) has a model
configured (``--observer``, ``--role-model ROLE=NAME``, or the role's own flag) over the records of
the selected tasks it ``wanted``; it knows no pass by name. A pass with no role needs no side
model and runs on every run (with no asker), over the records of the tasks it wants. ``stage``
says where: before the judges, after them (the default), or last before scoring.

``apply(records, asker, options)`` returns the records, one for each record it was given and in
the same order: the record itself, or a new one with the pass's fields
(``record.with_extra(observer=...)``). Records are read-only, so a pass never changes the ones it
was given; the orchestrator puts the returned ones in their place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import ClassVar

from faithbench.api.judge import Asker
from faithbench.api.record import Record
from faithbench.api.task import RunOptions, Task


class Stage(str, Enum):
    """Where in a run a pass acts: on the plans' records before any judge reads them, after the
    judges (the default: it may read their verdicts), or last, on what the metrics will score."""

    AFTER_GENERATION = "after_generation"
    AFTER_JUDGING = "after_judging"
    BEFORE_SCORING = "before_scoring"


@dataclass(frozen=True)
class Role:
    """A side model a pass asks, declared by the pass itself: ``--role-model NAME=MODEL`` and
    ``--role-args NAME=k=v,...`` set it on any run (``role_models={NAME: ...}`` in
    ``faithbench.evaluate``); ``flag`` (``--monitor-model``, with ``--monitor-model-args``) is a
    convenience flag the family offers. Roles are told apart by ``name``."""

    name: str
    flag: str | None = None
    help: str = ""
    OBSERVER: ClassVar[Role]  # the core's own: the predictive observer S (--observer)


Role.OBSERVER = Role("observer", "--observer", "the observer S that predicts answers from CoTs")


def role_name(role: Role | str | None) -> str | None:
    """A pass's role by name (a plugin may give the name alone)."""
    return role.name if isinstance(role, Role) else role


@dataclass(frozen=True)
class Pass:
    name: str
    role: Role | str | None  # None: needs no side model, runs on every run
    description: str
    # Returns one record per record given, in order: the record, or a new one with the pass's fields.
    apply: Callable[[Sequence[Record], Asker | None, RunOptions], Sequence[Record]]
    wanted: Callable[[Task], bool] = lambda task: True  # the tasks whose records the pass reads
    plugin: str = ""
    # The templates the pass sends its side model, by name: in the config hash of every task it wants.
    prompts: Mapping[str, str] = field(default_factory=dict, hash=False)
    stage: Stage = Stage.AFTER_JUDGING

    def run(
        self,
        records: Sequence[Record | None],
        tasks: Sequence[Task],
        asker: Asker | None,
        options: RunOptions,
    ) -> list[Record | None]:
        """``records`` with the pass applied to those of the tasks it wants, each returned record
        in the place of the one it replaces; a pass that breaks the contract is named."""
        wanting = {t.name for t in tasks if self.wanted(t)}
        at = [i for i, r in enumerate(records) if r is not None and r.task in wanting]
        given = [records[i] for i in at]
        got = self.apply(given, asker, options)  # type: ignore[arg-type]
        got = list(got) if isinstance(got, Sequence) else None
        if got is None or len(got) != len(given) or not all(map(_same_sample, given, got)):
            raise TypeError(
                f"pass '{self.name}' must return one record for each record it was given, in the "
                "same order (the record itself, or a new one from record.with_extra(...))"
            )
        out = list(records)
        for i, record in zip(at, got, strict=True):
            out[i] = record
        return out


def _same_sample(given: Record | None, got: object) -> bool:
    """A returned record is of the sample it replaces."""
    return isinstance(got, Record) and given is not None and given.same_sample(got)
