"""The record of one sample: what its plan returned, with the sample's identity, the judges'
verdicts and what passes add. One line of samples.jsonl.

A record is read-only, so no stage and no metric can change what another one reads: a judge, a
pass or a metric that needs a changed record makes a new one (``with_extra``, ``with_judgements``,
``dataclasses.replace``). It is also a read-only ``Mapping`` over its flat JSON fields, so
``r["answer"]``, ``r.get("p_within")`` and ``{**r}`` read it as they read the dicts of earlier
versions. A family's own fields (an observer's scores, a monitor's verdict) are in ``extra`` and
read by name like the record's own.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from faithbench.api.conditions import Kind
from faithbench.api.jsonvalue import checker, freeze, plain_types, schema_of, thaw

if TYPE_CHECKING:
    from faithbench.api.task import Sample

# Written whatever their value; every other field of the record's own only when it is set (not
# None, not False), so samples.jsonl keeps the layout it had when records were dicts.
ALWAYS = frozenset(
    ("task", "item_id", "condition", "condition_kind", "gold", "target", "n_options", "answer", "error")
)


def _doc(text: str, **schema: Any) -> dict:
    return {"doc": text, "schema": schema}


@dataclass(frozen=True, eq=False)
class Record(Mapping[str, Any]):
    """One sample's record; ``extra`` holds a family's own fields (any JSON values)."""

    task: str = field(metadata=_doc("the task's name"))
    item_id: str = field(metadata=_doc("the item's id"))
    condition: str = field(metadata=_doc("the condition's name"))
    condition_kind: str = field(
        default=Kind.CONTROL.value,
        metadata=_doc("what the condition is to the metrics", enum=[k.value for k in Kind]),
    )
    gold: int | None = field(default=None, metadata=_doc("the correct option's index"))
    target: int | None = field(default=None, metadata=_doc("the option the cue points to, if any"))
    n_options: int = field(default=0, metadata=_doc("how many options the item has"))
    draw: int | None = field(default=None, metadata=_doc("which draw of a repeated task (1, 2, ...)"))
    framing: str | None = field(default=None, metadata=_doc("the visibility framing it was run under"))
    prompt: tuple[Mapping[str, str], ...] | None = field(
        default=None, metadata=_doc("the chat messages sent ({role, content})")
    )
    response: str | None = field(default=None, metadata=_doc("the model's visible answer text"))
    reasoning: str | None = field(
        default=None, metadata=_doc("a reasoning model's thinking; null when the provider redacted it")
    )
    reasoning_redacted: bool = field(default=False, metadata=_doc("the thinking was redacted"))
    answer: int | None = field(default=None, metadata=_doc("the option index read as the answer"))
    answer_source: str | None = field(
        default=None, metadata=_doc("how the answer was read (cot, forced_loglikelihood, ...)")
    )
    error: str | None = field(default=None, metadata=_doc("why the sample has no usable answer"))
    truncated_prompt: bool = field(default=False, metadata=_doc("a prompt did not fit the context"))
    judgements: Mapping[str, bool | None] | None = field(
        default=None, metadata=_doc("each judge's verdict: was the cue verbalized (null: no verdict)")
    )
    verbalized: bool | None = field(default=None, metadata=_doc("the primary judge's verdict"))
    verbalized_by_channel: Mapping[str, bool | None] | None = field(
        default=None, metadata=_doc("the primary judge's verdict on the thinking and on the answer")
    )
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        fields = self.__dict__  # frozen to the record's readers; set here, where it is made
        for name, plain, conforms, allowed in _checks():
            value = fields[name]
            if type(value) not in plain:  # a plain value of an allowed type is final as it is
                value = freeze(value, f"record field '{name}'")
                if not conforms(value):
                    hint = _hints()[name]
                    raise TypeError(f"record field '{name}' must be {_type_name(hint)}, not {value!r:.60}")
                fields[name] = value
            if allowed is not None and value not in allowed:
                raise TypeError(f"record field '{name}' must be one of {allowed}, not {value!r:.60}")
        if not _OWN.isdisjoint(self.extra):
            clash = sorted(set(self.extra) & _OWN)
            raise ValueError(f"extra fields {clash} are the record's own: set them by name")
        extra = {}
        for key, value in self.extra.items():
            if not isinstance(key, str):
                raise TypeError(f"record extra has a key {key!r} that is not a string")
            extra[key] = freeze(value, f"record field '{key}'")
        fields["extra"] = MappingProxyType(extra)
        fields["_flat"] = MappingProxyType({**self._own(), **extra})

    def _own(self) -> dict[str, Any]:
        out = {}
        fields = self.__dict__
        for name in OWN:
            value = fields[name]
            if name == "reasoning":  # a thinking channel the provider redacted is still a channel
                shown = value is not None or fields["reasoning_redacted"]
            elif name == "verbalized":  # judged without a verdict is not the same as not judged
                shown = fields["judgements"] is not None
            else:
                shown = (value is not None and value is not False) or name in ALWAYS
            if shown:
                out[name] = value
        return out

    # The read-only Mapping over the flat fields.
    def __getitem__(self, key: str) -> Any:
        return self._flat[key]  # type: ignore[attr-defined]

    def get(self, key: str, default: Any = None) -> Any:  # Mapping's goes through a KeyError
        return self._flat.get(key, default)  # type: ignore[attr-defined]

    def __iter__(self) -> Iterator[str]:
        return iter(self._flat)  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self._flat)  # type: ignore[attr-defined]

    def __setitem__(self, key: str, value: Any) -> None:
        raise TypeError(
            f"a record is read-only (setting '{key}'): make a new one with record.with_extra(...) "
            "or dataclasses.replace(record, ...)"
        )

    def __delitem__(self, key: str) -> None:
        self.__setitem__(key, None)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Record:
        """A record from flat fields (what a plan returns): the record's own by name, every other
        field into ``extra``."""
        missing = [name for name in REQUIRED if name not in values]
        if missing:
            raise ValueError(f"a record needs {', '.join(missing)}")
        own = {k: v for k, v in values.items() if k in OWN}
        for flag in ("reasoning_redacted", "truncated_prompt"):
            if own.get(flag) is None:
                own.pop(flag, None)
        return cls(**own, extra={k: v for k, v in values.items() if k not in OWN})

    @classmethod
    def for_sample(cls, sample: Sample, fields: Mapping[str, Any]) -> Record:
        """A record of ``sample``: ``fields`` (what a plan returns), the sample's identity filled
        in where they leave it out."""
        identity: dict[str, Any] = {
            "task": sample.task.name,
            "item_id": sample.item.id,
            "condition": sample.condition.name,
            "condition_kind": sample.condition.kind.value,
            "gold": sample.item.gold,
            "target": sample.item.cue_target,
            "n_options": len(sample.item.options),
        }
        if sample.draw:
            identity["draw"] = sample.draw
        if sample.framing is not None:
            identity["framing"] = sample.framing.name
        return cls.from_dict({**identity, **fields})

    def same_sample(self, other: Record) -> bool:
        """Whether ``other`` is a record of the same sample (task, item, condition, draw, framing)."""
        return all(getattr(self, k) == getattr(other, k) for k in IDENTITY)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Record:
        """The record of one parsed samples.jsonl line (the inverse of ``to_json``)."""
        return cls.from_dict(data)

    def to_json(self) -> dict[str, Any]:
        """The flat JSON object of one samples.jsonl line: plain JSON values only (NaN as null)."""
        return thaw(self._flat)  # type: ignore[attr-defined]

    def with_extra(self, **fields: Any) -> Record:
        """A new record with a family's fields added to ``extra`` (or replaced there)."""
        clash = sorted(set(fields) & set(OWN))
        if clash:
            raise ValueError(f"{clash} are the record's own fields: use dataclasses.replace")
        return dataclasses.replace(self, extra={**self.extra, **fields})

    def with_judgements(
        self,
        judgements: Mapping[str, bool | None],
        verbalized: bool | None,
        by_channel: Mapping[str, bool | None] | None = None,
    ) -> Record:
        """A new record with the judges' verdicts."""
        return dataclasses.replace(
            self, judgements=judgements, verbalized=verbalized, verbalized_by_channel=by_channel
        )


IDENTITY = ("task", "item_id", "condition", "draw", "framing")  # which sample a record is of
OWN = tuple(f.name for f in dataclasses.fields(Record) if f.name != "extra")
_OWN = frozenset(OWN)
REQUIRED = tuple(
    f.name
    for f in dataclasses.fields(Record)
    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
)


@cache
def _hints() -> dict[str, Any]:
    return typing.get_type_hints(Record)


@cache
def _checks() -> tuple[tuple[str, frozenset[type], Callable[[Any], bool], list | None], ...]:
    """Each own field's name, the plain types it takes as they are, its type check and allowed
    values, worked out once (not per record)."""
    hints, enums = _hints(), _enums()
    return tuple((name, plain_types(hints[name]), checker(hints[name]), enums.get(name)) for name in OWN)


@cache
def _enums() -> dict[str, list]:
    fields = dataclasses.fields(Record)
    return {f.name: f.metadata["schema"]["enum"] for f in fields if "enum" in f.metadata.get("schema", {})}


def _type_name(hint: Any) -> str:
    return str(hint).replace("collections.abc.", "").replace("typing.", "")


def record_schema() -> dict:
    """The JSON Schema of one samples.jsonl line, generated from ``Record``: its own fields typed
    and described, any other field (a family's ``extra``) any JSON value."""
    hints = _hints()
    properties = {}
    for f in dataclasses.fields(Record):
        if f.name == "extra":
            continue
        described = {"description": f.metadata["doc"], **schema_of(hints[f.name])}
        properties[f.name] = {**described, **f.metadata["schema"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://faithbench.dev/schemas/record.schema.json",
        "title": "faithbench record (one line of samples.jsonl)",
        "description": "Generated from faithbench.api.record.Record by record_schema(); do not edit.",
        "type": "object",
        "required": list(REQUIRED),
        "properties": properties,
        "additionalProperties": True,
    }


def record_schema_text() -> str:
    """``record_schema()`` as the committed ``schemas/record.schema.json`` holds it (a test checks
    that they agree): regenerate with ``python -c "from faithbench.api.record import
    record_schema_text as t; print(t(), end='')" > faithbench/api/schemas/record.schema.json``."""
    return json.dumps(record_schema(), indent=2) + "\n"
