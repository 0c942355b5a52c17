"""JSON values as a record holds them: frozen on the way in (so no reader can change what another
reads), plain on the way out, and checked and described from the same type hints, so the record's
JSON Schema cannot drift from the dataclass."""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any


def freeze(value: Any, where: str) -> Any:
    """``value`` read-only (objects as read-only mappings, arrays as tuples), or a TypeError naming
    ``where`` when it is not a JSON value. Subclasses of str, int, float and bool (a ``str`` enum, a
    numpy float) become the plain type, as JSON would write them."""
    if value is None:
        return None
    if isinstance(value, str):
        return str.__str__(value)  # the plain string: str() of a str enum is its member's name
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, Mapping):
        frozen = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where} has a key {key!r} that is not a string")
            frozen[str.__str__(key)] = freeze(item, where)
        return MappingProxyType(frozen)
    if isinstance(value, (list, tuple)):
        return tuple(freeze(item, where) for item in value)
    raise TypeError(f"{where} holds a value of type {type(value).__name__}, not a JSON value")


def thaw(value: Any) -> Any:
    """A frozen value as plain JSON: mappings as dicts, tuples as lists, NaN and infinities (which
    JSON cannot write) as null."""
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
    origin = typing.get_origin(hint)
    if hint is Any:
        return True
    if _is_union(hint):
        return any(conforms(value, arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if origin is Mapping:
        item = typing.get_args(hint)[1]
        return isinstance(value, Mapping) and all(conforms(v, item) for v in value.values())
    if origin is tuple:
        item = typing.get_args(hint)[0]
        return isinstance(value, tuple) and all(conforms(v, item) for v in value)
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
