"""The observer behind a run's predictive figures: who it is (name, args without secrets, a hash
of its weights file when local), how it read answers, and whether it was chosen at all (without
``--observer`` the figures are a smoke test of the embedded 270M base model)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from faithbench.models.args import redact
from faithbench.results.naming import model_label
from faithbench.results.observer_tags import SMOKE_NOTE, tag_predictive  # noqa: F401  (re-exported)


@functools.cache
def file_sha256(path: str) -> str | None:
    try:
        digest = hashlib.sha256()
        with Path(path).open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None


def identity(ref, lm, records: list[dict], explicit: bool) -> dict:
    weights = getattr(lm, "model_path", None)
    methods = sorted({r["observer"]["method"] for r in records if "method" in (r.get("observer") or {})})
    out = {
        "name": ref.name,
        "args": redact(ref.args),
        "weights_sha256": file_sha256(str(weights)) if weights and Path(str(weights)).is_file() else None,
        "methods": methods,
        "smoke_test": not explicit,
    }
    out["label"] = model_label({"name": ref.name, "args": out["args"]})
    return out
