"""JSON Schemas shipped with faithbench (results files, task declarations)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def load_schema(name: str) -> dict:
    return json.loads(resources.files(__name__).joinpath(f"{name}.schema.json").read_text())
