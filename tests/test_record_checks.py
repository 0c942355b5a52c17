"""A record's line is valid by construction: samples.jsonl is written without validating each line
again (issue 29), so every record that can be made must write a line the shipped schema accepts,
and anything that is not a plain ``Record`` is still validated in full."""

import enum
import json
import math
import os
from types import MappingProxyType

import jsonschema
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from faithbench import Record
from faithbench.api.jsonvalue import checker, freeze, thaw
from faithbench.api.record import OWN, REQUIRED, _checks, _hints
from faithbench.api.schemas import load_schema
from faithbench.results.io import samples_lines, write_samples

EXAMPLES = int(os.environ.get("FAITHBENCH_PROPERTY_EXAMPLES", "25")) * 8  # cheap: no runs
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
VALIDATOR = jsonschema.Draft202012Validator(load_schema("record"))


class Colour(str, enum.Enum):
    RED = "red"


class Small(enum.IntEnum):
    ONE = 1


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5),
    st.sampled_from([Colour.RED, Small.ONE, "control", "cued", 0, 1, -1]),
)
JSONISH = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=4), inner, max_size=3),
        st.dictionaries(st.text(max_size=4), inner, max_size=3).map(MappingProxyType),
    ),
    max_leaves=8,
)
ODD = st.sampled_from([object(), {1: "a"}, {"a": {2: None}}, [object()], b"bytes", {"a"}])
VALUES = st.one_of(JSONISH, JSONISH, JSONISH, ODD)


@SETTINGS
@example(own={"answer": True}, extra={}).via("a bool is not an option index")
@example(own={"gold": 1.0, "draw": Small.ONE}, extra={}).via("a float is not an index")
@example(own={"prompt": [{"role": "user", "content": 1}]}, extra={"x": [math.nan]}).via("nested")
@example(own={"judgements": {"rules": 0}, "condition_kind": Colour.RED}, extra={}).via("enum")
@given(
    own=st.dictionaries(st.sampled_from(OWN), VALUES, max_size=3),
    extra=st.dictionaries(st.text(min_size=1, max_size=6).filter(lambda k: k not in OWN), VALUES, max_size=3),
)
def test_every_record_that_can_be_made_writes_a_line_the_schema_accepts(own, extra):
    fields = {"task": "t", "item_id": "1", "condition": "control", **own, **extra}
    try:
        record = Record.from_dict(fields)
    except (TypeError, ValueError):
        return
    line = json.loads(samples_lines([record])[0])
    assert VALIDATOR.is_valid(line), list(VALIDATOR.iter_errors(line))
    assert line == record.to_json() and Record.from_json(line).to_json() == line
    assert all(name in line for name in REQUIRED)


@SETTINGS
@given(value=VALUES)
def test_the_compiled_checks_accept_only_what_the_schema_accepts(value):
    try:
        frozen = freeze(value, "v")
    except TypeError:
        return
    for name, plain, conforms, allowed in _checks():
        schema = load_schema("record")["properties"][name]
        if conforms(frozen) and (allowed is None or frozen in allowed):
            assert VALIDATOR.evolve(schema=schema).is_valid(thaw(frozen)), (name, value)
        if type(frozen) in plain:
            assert checker(_hints()[name])(frozen), (name, value)


def test_freezing_keeps_what_the_slow_path_gave():
    assert freeze(Colour.RED, "v") == "red" and type(freeze(Colour.RED, "v")) is str
    assert type(freeze(Small.ONE, "v")) is int and freeze(True, "v") is True
    assert freeze({"a": [1, {"b": (2,)}]}, "v") == {"a": (1, {"b": (2,)})}
    assert isinstance(freeze({"a": {}}, "v")["a"], MappingProxyType)
    assert thaw(freeze({"a": [float("nan"), math.inf, 1.5]}, "v")) == {"a": [None, None, 1.5]}
    with pytest.raises(TypeError, match="has a key 1"):
        freeze({"a": {1: 2}}, "v")
    with pytest.raises(TypeError, match="type object"):
        freeze([object()], "v")


class _Mislabelled(Record):
    def to_json(self):
        return {**super().to_json(), "answer": "B"}  # what the schema rejects


def test_what_is_not_a_plain_record_is_still_validated_on_write(tmp_path):
    fields = {"task": "t", "item_id": "1", "condition": "control", "gold": 0, "n_options": 2}
    with pytest.raises(RuntimeError, match="does not match the schema"):
        write_samples(tmp_path / "samples.jsonl", [_Mislabelled(**fields)])
    write_samples(tmp_path / "samples.jsonl", [Record(**fields)])
    assert json.loads((tmp_path / "samples.jsonl").read_text())["n_options"] == 2
