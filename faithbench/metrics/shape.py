"""A metric figure's shape as results.json's schema asks it (``$defs/metric``): JSON, and the
schema's types. Most figures are plain (strings, numbers, null, a whole ``n``): those are read
against the types the schema names, key by key, and only a figure that is not plainly valid goes
through jsonschema, which also words the problem."""

from __future__ import annotations

import json
from functools import cache

from faithbench.api.schemas import load_schema

_JSON_TYPES = {"string": (str,), "number": (int, float), "integer": (int,), "null": (type(None),)}


def shape_problem(v: dict) -> str | None:
    """The figure's other keys as results.json must hold them: JSON (no objects, no cycles) and the
    schema's types (``note`` a string, ...); found here, they fail the task, not the whole write."""
    try:
        json.dumps(v)
    except (TypeError, ValueError, RecursionError) as exc:
        return f"not JSON: {type(exc).__name__}: {str(exc):.80}"
    if _plainly_valid(v):
        return None
    from jsonschema.exceptions import best_match  # here, not at import: --help loads this module

    error = best_match(_figure_schema().iter_errors(v))
    if error is None:
        return None
    path = "/".join(map(str, error.absolute_path))
    return f"{path + ': ' if path else ''}{error.message:.80}"


@cache
def _figure_schema():
    from jsonschema import Draft202012Validator

    schema = load_schema("results")
    return Draft202012Validator({"$ref": "#/$defs/metric", "$defs": schema["$defs"]})


@cache
def _plain_shape() -> tuple[dict, tuple] | None:
    """{key: (its Python types, its minimum)} where the schema names only JSON types (and a
    minimum) for the key, None for a key it asks more of; and the required keys. None when the
    schema asks more of the figure as a whole: then jsonschema reads every figure."""
    schema = load_schema("results")["$defs"]["metric"]
    if set(schema) - {"type", "required", "properties"} or schema.get("type") != "object":
        return None
    shape: dict = {}
    for key, rule in schema.get("properties", {}).items():
        types = rule.get("type")
        types = [types] if isinstance(types, str) else types or []
        plain = types and not set(rule) - {"type", "minimum"} and all(t in _JSON_TYPES for t in types)
        shape[key] = (tuple(c for t in types for c in _JSON_TYPES[t]), rule.get("minimum")) if plain else None
    return shape, tuple(schema.get("required", ()))


def _plainly_valid(v: dict) -> bool:
    """True only where the schema surely accepts ``v`` (False: ask jsonschema)."""
    found = _plain_shape()
    if found is None:
        return False
    shape, required = found
    if any(key not in v for key in required):
        return False
    for key, rule in shape.items():
        if key not in v:
            continue
        x = v[key]
        if rule is None or isinstance(x, bool) or not isinstance(x, rule[0]):
            return False
        if rule[1] is not None and (x is None or x < rule[1]):
            return False
    return True
