"""JSON values as a record holds them: frozen on the way in (so no reader can change what another
reads), plain on the way out, and checked and described from the same type hints, so the record's
JSON Schema cannot drift from the dataclass."""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from types import MappingProxyType
from typing import Any

_PLAIN = frozenset({type(None), str, bool, int, float})  # immutable as they are
_SAFE = frozenset({type(None), str, bool, int})  # written as they are (a float may be NaN)
_OBJECTS = (MappingProxyType, dict)
_ARRAYS = (tuple, list)


def freeze(value: Any, where: str) -> Any:
    """``value`` read-only (objects as read-only mappings, arrays as tuples), or a TypeError naming
    ``where`` when it is not a JSON value. Subclasses of str, int, float and bool (a ``str`` enum, a
    numpy float) become the plain type, as JSON would write them."""
    kind = type(value)  # the exact types first: records are built often, ABC checks are slow
    if kind in _PLAIN:
        return value
    if kind in _ARRAYS:
        return tuple([item if type(item) in _PLAIN else freeze(item, where) for item in value])
    if kind not in _OBJECTS:
        if isinstance(value, str):
            return str.__str__(value)  # the plain string: str() of a str enum is its member's name
        if isinstance(value, bool):
            return bool(value)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return float(value)
        if isinstance(value, (list, tuple)):
            return tuple(freeze(item, where) for item in value)
        if not isinstance(value, Mapping):
            raise TypeError(f"{where} holds a value of type {type(value).__name__}, not a JSON value")
    frozen = {}
    for key, item in value.items():
        if type(key) is not str:
            if not isinstance(key, str):
                raise TypeError(f"{where} has a key {key!r} that is not a string")
            key = str.__str__(key)
        frozen[key] = item if type(item) in _PLAIN else freeze(item, where)
    return MappingProxyType(frozen)


def thaw(value: Any) -> Any:
    """A frozen value as plain JSON: mappings as dicts, tuples as lists, NaN and infinities (which
    JSON cannot write) as null."""
    kind = type(value)
    if kind in _SAFE:
        return value
    if kind in _OBJECTS:
        return {key: item if type(item) in _SAFE else thaw(item) for key, item in value.items()}
    if kind in _ARRAYS:
        return [item if type(item) in _SAFE else thaw(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [thaw(item) for item in value]
    return value


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


def conforms(value: Any, hint: Any) -> bool:
    """Whether a frozen value has the type ``hint`` (the hints a record's fields use)."""
    return checker(hint)(value)


_SCALAR: dict[Any, Callable[[Any], bool]] = {
    type(None): lambda v: v is None,
    bool: lambda v: isinstance(v, bool),
    int: lambda v: isinstance(v, int) and not isinstance(v, bool),
    float: lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    str: lambda v: isinstance(v, str),
}
_EXACT: dict[Any, set[type]] = {
    type(None): {type(None)}, bool: {bool}, int: {int}, float: {int, float}, str: {str}
}


def plain_types(hint: Any) -> frozenset[type]:
    """The plain scalar types whose values have the type ``hint`` as they are (no freezing, no
    check: a record's scalar fields skip both)."""
    args = typing.get_args(hint) if _is_union(hint) else (hint,)
    out: set[type] = set()
    for arg in args:
        out |= _EXACT.get(arg, set())
    return frozenset(out)


@cache
def checker(hint: Any) -> Callable[[Any], bool]:
    """``conforms`` for one hint, worked out once: records are checked on every construction, so
    the hint is read here and not per value (the plain types a frozen value has pass on one set
    lookup)."""
    if hint is Any:
        return lambda v: True
    if hint in _SCALAR:
        return _SCALAR[hint]
    if _is_union(hint):
        args = typing.get_args(hint)
        parts = [checker(arg) for arg in args]
        exact = plain_types(hint)
        return lambda v: type(v) in exact or any(part(v) for part in parts)
    origin = typing.get_origin(hint)
    if origin is Mapping:
        item = checker(typing.get_args(hint)[1])
        return lambda v: (type(v) in _OBJECTS or isinstance(v, Mapping)) and all(map(item, v.values()))
    if origin is tuple:
        item = checker(typing.get_args(hint)[0])
        return lambda v: isinstance(v, tuple) and all(map(item, v))
    raise TypeError(f"no JSON form for {hint!r}")


_SIMPLE = {type(None): "null", bool: "boolean", int: "integer", float: "number", str: "string"}


def schema_of(hint: Any) -> dict:
    """The JSON Schema of a type hint: a union of simple types as a list of types."""
    if hint is Any:
        return {}
    if hint in _SIMPLE:
        return {"type": _SIMPLE[hint]}
    if _is_union(hint):
        parts = [schema_of(arg) for arg in typing.get_args(hint)]
        if all(set(p) == {"type"} for p in parts):
            return {"type": [p["type"] for p in parts]}
        return {"anyOf": parts}
    origin = typing.get_origin(hint)
    if origin is Mapping:
        return {"type": "object", "additionalProperties": schema_of(typing.get_args(hint)[1])}
    if origin is tuple:
        return {"type": "array", "items": schema_of(typing.get_args(hint)[0])}
    raise TypeError(f"no JSON form for {hint!r}")
