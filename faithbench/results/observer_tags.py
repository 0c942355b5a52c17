"""Predictive figures name the observer that made them; a smoke-test observer's figures say so
and are flagged (``smoke_test``), so no summary, plot or ranking shows them as measurements."""

from __future__ import annotations

SMOKE_NOTE = (
    "smoke test: the default observer (embedded 270M base model) was used; choose one with --observer"
)


def tag_predictive(results: dict, observer: dict) -> None:
    """Name the observer on every predictive figure, and mark a smoke test as one."""
    for entry in results["tasks"].values():
        for v in entry["metrics"]:
            if v.get("family") == "predictive":
                v["observer"] = observer["label"]
                if observer["smoke_test"]:
                    v["smoke_test"] = True
                    if not (v.get("note") or "").startswith(SMOKE_NOTE):
                        v["note"] = SMOKE_NOTE + ("; " + v["note"] if v.get("note") else "")
