"""JSON Schemas shipped with faithbench (results files, task declarations)."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from importlib import resources


@cache
def load_schema(name: str) -> dict:
    return json.loads(resources.files(__name__).joinpath(f"{name}.schema.json").read_text())


def format_checker():
    """The schemas' formats, checked without jsonschema's optional extras: a results file whose
    ``date`` does not parse must fail validation, not the export that reads it as a date."""
    import jsonschema  # here, not at import: --help loads this package

    formats = jsonschema.FormatChecker(formats=())
    dated = formats.checks("date-time", raises=ValueError)
    dated(lambda value: not isinstance(value, str) or datetime.fromisoformat(value))
    return formats
