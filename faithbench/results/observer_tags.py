"""Predictive figures name the observer that made them; a smoke-test observer's figures say so
and are flagged (``smoke_test``), so no summary, plot or ranking shows them as measurements; a
model observed by itself says so, since models compare only under one observer."""

from __future__ import annotations

SMOKE_NOTE = (
    "smoke test: the observer is the embedded 270M base model or a default nobody chose; "
    "choose one with --observer"
)
SELF_NOTE = "observer: the evaluated model itself; compare models only under one observer (--observer NAME)"


def _prefix(v: dict, note: str) -> None:
    if note not in (v.get("note") or ""):
        v["note"] = note + ("; " + v["note"] if v.get("note") else "")


def tag_predictive(results: dict, observer: dict) -> None:
    """Name the observer on every predictive figure, and mark a smoke test and a self-observer."""
    for entry in results["tasks"].values():
        for v in entry["metrics"]:
            if v.get("family") == "predictive":
                v["observer"] = observer["label"]
                if observer.get("self_observer"):
                    _prefix(v, SELF_NOTE)
                if observer["smoke_test"]:
                    v["smoke_test"] = True
                    _prefix(v, SMOKE_NOTE)
