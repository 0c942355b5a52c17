"""Strict JSON for every file a user hands us (results, samples, items): NaN and Infinity are not
JSON, and nesting deeper than Python can follow is an error, not a crash."""

from __future__ import annotations

import json


class NotJSON(ValueError):
    """A file or line that is not strict JSON."""


def _no_constants(name: str):
    raise NotJSON(f"{name} is not valid JSON")


def parse_json(text: str):
    try:
        return json.loads(text, parse_constant=_no_constants)
    except RecursionError:
        raise NotJSON("not valid JSON (nested too deeply)") from None
    except json.JSONDecodeError as exc:
        raise NotJSON(f"not valid JSON ({exc.msg}, line {exc.lineno})") from None
    except NotJSON:
        raise
    except ValueError as exc:  # e.g. an integer longer than Python converts
        raise NotJSON(f"not valid JSON ({exc})") from None
