"""The metric contract, and the record helpers every metric uses.

A metric reads a task's records (``Record``, read-only, read by name like a dict): one per item x
condition with at least ``item_id``, ``condition``, ``condition_kind``, ``answer`` (option index or
None), ``gold`` and ``target``. A record whose model call failed carries ``error`` and is left out
(``usable``); n shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum

from faithbench.api.conditions import Kind
from faithbench.api.record import Record


class Family(str, Enum):
    """Which side of the definitional contrast a metric's values are on."""

    BEHAVIOURAL = "behavioural"
    REPRESENTATIONAL = "representational"
    PREDICTIVE = "predictive"
    INTROSPECTION = "introspection"
    MONITORABILITY = "monitorability"  # can a monitor reading the CoT tell the cue drove the answer


@dataclass(frozen=True)
class Metric:
    """``compute(records, seed)`` returns values made with :func:`value`, each with n and a CI.

    ``headline`` names the values (of those it computes) that belong in the representational vs
    predictive summary table; ``higher_is_better`` is shown with the metric (None: neither);
    ``reads_verdicts`` marks a metric built on the verbalization judge's verdict (articulation).
    ``summary`` names the values shown as columns of the compact run summary (one row per task x
    cue), and ``verdict(values, aggregates)`` turns every value this metric computed in a run (each
    with its ``task``) and the run's pooled aggregates into a clause of the model's one-line
    verdict, or None. ``pool(records, seed)`` gives, from one task's
    records, per-item contributions {aggregate: [(item id, value)]} that the summary pools over
    every task and cue into one figure per model, with a CI that resamples items; a value that is
    a difference of paired 0/1 outcomes is given as ``helpers.Paired(x, y)``."""

    name: str
    description: str
    compute: Callable[[Sequence[Record], int], list[dict]]
    family: Family = Family.BEHAVIOURAL
    higher_is_better: bool | None = None
    headline: tuple[str, ...] = ()
    reads_verdicts: bool = False  # reads ``verbalized``: recomputed under each judge when several ran
    summary: tuple[str, ...] = ()
    verdict: Callable[[list[dict], dict], str | None] | None = None
    pool: Callable[[Sequence[Record], int], dict[str, list[tuple[str, float]]]] | None = None
    # Compares records run under different visibility framings (``record["framing"]``): run over
    # every framed task's records of all framings, whatever metrics the task declares.
    across_framings: bool = False
    # When computing no values is expected ("the model has no thinking channel", "no observer
    # ran"). A metric without it that computes nothing for a task's records is a warning naming it.
    empty_when: str = ""
    plugin: str = ""


def value(metric: str, condition: str, ci: dict, **extra) -> dict:
    return {"metric": metric, "condition": condition, **ci, **extra}


@dataclass(frozen=True)
class _Index:
    """What the helpers below read from a list of records, in one pass over it."""

    usable: list
    table: dict  # {condition: {item_id: usable record}}
    kinds: dict  # {condition: kind}, first seen over every record


_INDEXES: dict[tuple, tuple[list, _Index]] = {}  # by the records' ids; holds them, so ids stay theirs
_KEPT = 32  # record lists indexed at a time: a task's metrics each get their own list of the same


def _index(records: Sequence[Record]) -> _Index | None:
    """The index of ``records`` when every one is a plain read-only ``Record`` (which always has
    its condition, kind and item), kept for the next call on the same records: each metric gets its
    own list of them. None for other rows (plain dicts may change): the helpers read them as is."""
    key = tuple(map(id, records))
    hit = _INDEXES.get(key)
    if hit is not None:  # the same objects, held since, so still the same Records
        return hit[1]
    if not set(map(type, records)) <= {Record}:
        return None
    found = _Index([], {}, {})
    for r in records:  # a Record's own fields, which it always shows by name, read as attributes
        condition = r.condition
        found.kinds.setdefault(condition, r.condition_kind)
        if not r.error:
            found.usable.append(r)
            found.table.setdefault(condition, {})[r.item_id] = r
    while len(_INDEXES) >= _KEPT:
        del _INDEXES[next(iter(_INDEXES))]
    _INDEXES[key] = (list(records), found)
    return found


def usable(records: Sequence[Record]) -> list[Record]:
    index = _index(records)
    return list(index.usable) if index else [r for r in records if not r.get("error")]


def by_condition(records: Sequence[Record]) -> dict[str, dict[str, Record]]:
    """{condition: {item_id: record}} over usable records."""
    index = _index(records)
    if index:
        return {condition: dict(items) for condition, items in index.table.items()}
    out: dict[str, dict[str, Record]] = {}
    for r in usable(records):
        out.setdefault(r["condition"], {})[r["item_id"]] = r
    return out


def condition_kinds(records: Sequence[Record]) -> dict[str, str]:
    index = _index(records)
    if index:
        return dict(index.kinds)
    kinds: dict[str, str] = {}
    for r in records:
        kinds.setdefault(r["condition"], r.get("condition_kind", "control"))
    return kinds


def control_and_cues(records: Sequence[Record]) -> tuple[str | None, list[str]]:
    """The control condition's name and the names of conditions compared against it."""
    kinds = condition_kinds(records)
    control = next((c for c, k in kinds.items() if k == "control"), None)
    return control, [c for c, k in kinds.items() if k in ("cue", "placebo")]


PAIRED_KINDS = (Kind.CUE, Kind.PLACEBO)


def paired(
    records: Sequence[Record], kinds: Iterable[Kind] = PAIRED_KINDS
) -> Iterator[tuple[str, list[tuple[Record, Record]]]]:
    """Yield (condition, [(control record, its record)]) for each condition of ``kinds``, over the
    items usable in both, in first-seen order.

    By default only cue and placebo conditions are compared with the control: a probe or an
    intervention condition is skipped silently unless ``kinds`` names it, e.g.
    ``paired(records, kinds=(Kind.INTERVENTION,))``. Nothing is yielded without a control.
    """
    wanted = {Kind(k).value for k in kinds}
    index = _index(records)
    kinds_seen = index.kinds if index else condition_kinds(records)
    control = next((c for c, k in kinds_seen.items() if k == Kind.CONTROL.value), None)
    if control is None:
        return
    table = index.table if index else by_condition(records)
    base = table.get(control, {})
    for condition in (c for c, k in kinds_seen.items() if k in wanted):
        cued = table.get(condition, {})
        yield condition, [(base[i], cued[i]) for i in base if i in cued]
