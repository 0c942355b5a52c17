"""The observer behind a run's predictive figures: who it is (name, args without secrets, a hash
of its weights file when local), how it read answers, whether it is the evaluated model itself,
and whether its figures are only a smoke test: the embedded 270M base model cannot read a CoT,
and a default observer that is not the model itself (FAITHBENCH_OBSERVER) was chosen by nobody."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from faithbench.cli.observer_choice import Itself
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
        "self_observer": isinstance(ref, Itself),
        "smoke_test": bool(getattr(lm, "embedded", False)) or not (explicit or isinstance(ref, Itself)),
    }
    out["label"] = model_label({"name": ref.name, "args": out["args"]})
    return out
