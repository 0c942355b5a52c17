"""The judge stage: after every plan has finished, each selected judge gives a verdict on every
cued CoT; the first selected judge is primary and sets the record's ``verbalized``.

A judge that asks a model runs on every judge model given (``--judge-model`` repeated): each
member's verdict is kept (``llm:<model>``) and the judge's own verdict is their majority (a tie,
or no readable verdict from any member, is no verdict)."""

from __future__ import annotations

from collections import Counter

from faithbench.api.conditions import Kind
from faithbench.api.judge import Asker, Judge, Verbalization
from faithbench.api.queries import JudgeVerbalization
from faithbench.api.record import Record
from faithbench.judges.agreement import agreement
from faithbench.judges.rules import rules_content_reused

JUDGED = (Kind.CUE, Kind.PLACEBO)


def majority(verdicts: list[bool | None]) -> bool | None:
    counts = Counter(v for v in verdicts if v is not None)
    if not counts or counts[True] == counts[False]:
        return None
    return counts[True] > counts[False]


def _judge(judge: Judge, cases: list[Verbalization], asker: Asker | None) -> list[bool | None]:
    verdicts = judge.verdicts(cases, asker) if cases else []
    if len(verdicts) != len(cases):
        raise ValueError(f"judge '{judge.name}' gave {len(verdicts)} verdicts for {len(cases)} CoTs")
    return [None if v is None else bool(v) for v in verdicts]


def either(verdicts: list[bool | None]) -> bool | None:
    """A cue verbalized in either channel: True if any says so, False if all that spoke say not."""
    given = [v for v in verdicts if v is not None]
    return any(given) if given else None


class _Counted:
    """A judge model's asker that keeps each request it was asked and whether it failed (after
    its retries)."""

    def __init__(self, asker: Asker):
        self.asker, self.asked = asker, []

    def ask(self, requests: list, label: str = "judge") -> list:
        replies = self.asker.ask(requests, label)
        self.asked += [(q, not r.ok, r.error) for q, r in zip(requests, replies, strict=False)]
        return replies


def run_judges(
    runs: list,
    judges: list[Judge],
    panel: dict[str, Asker] | None = None,
    problems: dict[str, list[str]] | None = None,
) -> list[Record | None]:
    """Every run's record, the cued samples' as new records with ``judgements`` {judge: verdict},
    ``verbalized`` and ``cue_content_reused`` (the runs' own records are left as they are).
    A judge-model call that failed after its retries leaves its CoT without that verdict and is a
    problem of the tasks it judged, put in ``problems`` by task with the count.

    ``panel`` holds the judge models by label. A reasoning model's thinking is judged apart from
    its visible answer: ``<judge>@thinking``, ``<judge>@answer``, and ``<judge>`` for either
    (redacted thinking gets no verdict, never one as if it were empty). A sample whose plan failed
    is not judged; one with no text in any channel gets no verdicts."""
    records: list[Record | None] = [run.record for run in runs]
    if not judges:
        return records
    counted = {label: _Counted(ask) for label, ask in (panel or {}).items()}
    panel = dict(counted)
    cases: list[Verbalization] = []
    where: list[tuple[int, str]] = []  # (index of the record, channel) of each case
    judgements: dict[int, dict] = {}  # the verdicts of every record judged, by its index
    channels: dict[int, list[Verbalization]] = {}  # each judged record's texts, thinking and answer
    for i, run in enumerate(runs):
        condition, record = run.sample.condition, run.record
        if record is None or run.error or condition.kind not in JUDGED or condition.cue is None:
            continue
        judgements[i] = {}
        texts = {"answer": record.get("response")}
        if "reasoning" in record and not record.get("reasoning_redacted"):
            texts["thinking"] = record.get("reasoning")
        for channel, text in texts.items():
            if isinstance(text, str) and text.strip():
                question = run.sample.item.question
                cases.append(Verbalization(text, record.get("cue", ""), condition.cue, question))
                where.append((i, channel))
                channels.setdefault(i, []).append(cases[-1])
    for judge in judges:
        if not judge.needs_model:
            results = {judge.name: _judge(judge, cases, None)}
        elif len(panel) == 1:
            results = {judge.name: _judge(judge, cases, next(iter(panel.values())))}
        else:
            members = {f"{judge.name}:{label}": _judge(judge, cases, ask) for label, ask in panel.items()}
            panel_verdicts = [majority(list(vs)) for vs in zip(*members.values(), strict=True)]
            results = {**members, judge.name: panel_verdicts}
        for name, verdicts in results.items():
            _store(name, verdicts, where, records, judgements)
    tasks = [runs[i].sample.task.name for i, _ in where] if counted else []
    for label, asker in counted.items():
        _failed_calls(label, asker, cases, tasks, problems if problems is not None else {})
    primary, with_text = judges[0].name, {i for i, _ in where}
    for i, verdicts in judgements.items():
        record = records[i]
        assert record is not None
        verbalized, by_channel = None, None
        if i in with_text:
            verbalized = verdicts.get(primary)
            if "reasoning" in record:
                by_channel = {c: verdicts.get(f"{primary}@{c}") for c in ("thinking", "answer")}
        judged = record.with_judgements(verdicts, verbalized, by_channel)
        records[i] = judged.with_extra(cue_content_reused=content_reused(channels.get(i, [])))
    return records


def _failed_calls(label: str, asker: _Counted, cases: list, tasks: list[str], problems: dict) -> None:
    """Each judged task's count of failed calls to one judge model: a request about a CoT counts
    for the tasks of that CoT, any other for every judged task."""
    errors = [error for _, failed, error in asker.asked if failed]
    if not errors:
        return
    of: dict = {}
    for case, task in zip(cases, tasks, strict=True):
        of.setdefault((case.cot, case.cue_text), {})[task] = None
    calls: dict[str, list[int]] = {}  # task: [asked, failed]
    for request, failed, _ in asker.asked:
        for task in of.get(_subject(getattr(request, "about", None)), dict.fromkeys(tasks)):
            counts = calls.setdefault(task, [0, 0])
            counts[0], counts[1] = counts[0] + 1, counts[1] + failed
    for task, (n, bad) in calls.items():
        if bad:
            problems.setdefault(task, []).append(
                f"{bad} of {n} call(s) to judge model '{label}' failed ({errors[0]}); their texts have "
                "no verdict from it: rerun the same command to retry them"
            )


def _subject(about: object) -> tuple | None:
    return (about.cot, about.cue) if isinstance(about, JudgeVerbalization) else None


def content_reused(texts: list[Verbalization]) -> bool | None:
    """Whether the record reproduces the cue's content without attributing it anywhere: the
    thinking and the answer read together, so a source named in either attributes both."""
    if not texts:
        return None
    first = texts[0]
    whole = "\n".join(t.cot for t in texts)
    return rules_content_reused(whole, first.cue.mentions, first.cue_text, first.question)


def _store(
    name: str, verdicts: list, where: list[tuple[int, str]], records: list, judgements: dict[int, dict]
) -> None:
    """Keep one judge's verdicts: per channel where a record has a thinking channel."""
    by_record: dict[int, dict] = {}
    for (i, channel), verdict in zip(where, verdicts, strict=True):
        by_record.setdefault(i, {})[channel] = verdict
    for i, entry in by_record.items():
        if "reasoning" not in records[i]:
            judgements[i][name] = entry.get("answer")
            continue
        answer, thinking = entry.get("answer"), entry.get("thinking")
        judgements[i].update(
            {f"{name}@answer": answer, f"{name}@thinking": thinking, name: either([answer, thinking])}
        )


def judge_summary(records: list[dict], judges: list[str], seed: int) -> dict | None:
    """Which judge is primary, how often each judge (and panel member) gave no verdict, and the
    agreement between the primary judge and the second selected one on CoTs both judged."""
    judged = [r["judgements"] for r in records if r.get("judgements")]
    if not judges or not judged:
        return None
    names = sorted({name for j in judged for name in j})
    summary: dict = {
        "primary": judges[0],
        "no_verdict": {name: sum(1 for j in judged if j.get(name) is None) for name in names},
        "judged": len(judged),
    }
    if len(judges) >= 2:
        first, second = judges[0], judges[1]
        both = [j for j in judged if j.get(first) is not None and j.get(second) is not None]
        summary["against"] = second
        if both:
            summary["agreement"] = agreement([j[first] for j in both], [j[second] for j in both], seed)
    return summary
