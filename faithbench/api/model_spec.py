"""A model backend a plugin adds: an lm-eval ``LM`` subclass, registered in lm-eval's registry."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelSpec:
    name: str
    cls: type
    description: str = ""
