"""The judge stage: after every plan has finished, each selected judge gives a verdict on every
cued CoT; the first selected judge is primary and sets the record's ``verbalized``."""

from __future__ import annotations

from faithbench.api.conditions import Kind
from faithbench.api.judge import Asker, Judge, Verbalization
from faithbench.judges.agreement import agreement

JUDGED = (Kind.CUE, Kind.PLACEBO)


def run_judges(runs: list, judges: list[Judge], asker: Asker | None) -> None:
    """Write ``judgements`` {judge: verdict} and ``verbalized`` into every cued sample's record.

    A sample whose plan failed is not judged; one with no CoT text gets no verdicts (None)."""
    if not judges:
        return
    cases: list[Verbalization] = []
    judged: list[dict] = []
    for run in runs:
        condition, record = run.sample.condition, run.record
        if record is None or run.error or condition.kind not in JUDGED or condition.cue is None:
            continue
        record["judgements"], record["verbalized"] = {}, None
        cot = record.get("response")
        if isinstance(cot, str) and cot.strip():
            cases.append(Verbalization(cot, record.get("cue", ""), condition.cue, run.sample.item.question))
            judged.append(record)
    for judge in judges:
        verdicts = judge.verdicts(cases, asker if judge.needs_model else None) if cases else []
        if len(verdicts) != len(cases):
            raise ValueError(f"judge '{judge.name}' gave {len(verdicts)} verdicts for {len(cases)} CoTs")
        for record, verdict in zip(judged, verdicts, strict=True):
            record["judgements"][judge.name] = None if verdict is None else bool(verdict)
    primary = judges[0].name
    for record in judged:
        record["verbalized"] = record["judgements"].get(primary)


def judge_agreement(records: list[dict], judges: list[str], seed: int) -> dict | None:
    """Agreement between the primary judge and the second selected one, on CoTs both judged."""
    if len(judges) < 2:
        return None
    first, second = judges[0], judges[1]
    both = [r["judgements"] for r in records if {first, second} <= set(r.get("judgements") or {})]
    if not both:
        return None
    stats = agreement([j[first] for j in both], [j[second] for j in both], seed)
    return {"primary": first, "against": second, "agreement": stats}
