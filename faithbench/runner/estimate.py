"""``run --dry-run``: what a run would send, counted without sending anything, in two parts.

Exactly, the requests each plan would send next: every plan is advanced through the stages the
cache already answers, to its first stage with a request the cache lacks (stage 1 on a fresh
run); that stage's requests are counted per task after deduplication across all tasks (as the
runner removes duplicates) and cache hits.

At most, the whole run: what comes after depends on answers not yet given, so the rehearsal
(:mod:`faithbench.runner.rehearsal`) plays every stage, the judges and the side models' passes
through with stand-in answers that leave every follow-up to be asked. Prompt tokens are estimated
at 4 characters per token; generated tokens are each generation's ``max_gen_toks``.
"""

from __future__ import annotations

from collections import Counter

from faithbench.api.requests import Response
from faithbench.runner.cache import as_response
from faithbench.runner.lockstep import as_requests
from faithbench.runner.rehearsal import REFUSED, estimated_tokens, refused_locally
from faithbench.runner.usage import cost_of


def _answer(value) -> Response:
    return REFUSED if value is None else as_response(value)


def estimate(runner, samples) -> dict[tuple[int, str], Counter]:
    """{(stage, task): Counter(requests, cached, duplicates, send, prompt_tokens, gen_tokens)}."""
    dispatcher = runner.dispatcher
    active = []
    for sample in samples:
        try:
            gen = sample.task.plan(sample)
            active.append((sample, gen, as_requests(gen.send(None))))
        except StopIteration:
            continue
        except Exception:  # a plan that fails at once sends nothing; the real run reports it
            continue
    rows: dict[tuple[int, str], Counter] = {}
    sent: set[str] = set()
    stage = 1
    while active:
        prepared = [(s, g, [dispatcher.prepare(r) for r in reqs]) for s, g, reqs in active]
        stored = dispatcher.cache.get_many(sorted({p.key for *_, ps in prepared for p in ps}))
        stored.update({p.key: None for *_, ps in prepared for p in ps if refused_locally(dispatcher, p)})
        advancing = []
        for sample, gen, pending in prepared:
            if all(p.key in stored for p in pending):
                advancing.append((sample, gen, [_answer(stored[p.key]) for p in pending]))
                continue
            row = rows.setdefault((stage, sample.task.name), Counter())
            for p in pending:
                if stored.get(p.key, ...) is None:  # refused by the client: never sent, not counted
                    continue
                row["requests"] += 1
                if p.key in stored:
                    row["cached"] += 1
                elif p.key in sent:
                    row["duplicates"] += 1
                else:
                    sent.add(p.key)
                    prompt, generated = estimated_tokens(p)
                    row["send"] += 1
                    row["prompt_tokens"] += prompt
                    row["gen_tokens"] += generated
        active = []
        for sample, gen, responses in advancing:
            try:
                active.append((sample, gen, as_requests(gen.send(responses))))
            except StopIteration:
                continue
            except Exception:
                continue
        stage += 1
    return rows


def whole_run(main, side: dict, panel: dict) -> tuple[list[tuple[str, str, Counter]], Counter]:
    """The rehearsal's counts: a row per stage and task of the evaluated model, a row per pass of
    each side model and judge model; and their total (a request tasks share counted once)."""
    rows = [
        (label.removeprefix("stage "), task, counts)
        for (label, task), counts in main.usage.tokens_by_stage_task.items()
    ]
    rows.sort(key=lambda row: (int(row[0]), row[1]))
    total = Counter(main.usage.tokens)
    for who, runner in [
        *(("side model", r) for _, r in sorted(side.items())),
        *(("judge model", r) for _, r in sorted(panel.items())),
    ]:
        for label, counts in sorted(runner.usage.tokens_by_stage.items()):
            rows.append((label, f"{who} {runner.client.name}", counts))
        total.update(runner.usage.tokens)
    return rows, total


def format_estimate(
    rows: dict[tuple[int, str], Counter],
    whole: tuple[list[tuple[str, str, Counter]], Counter],
    prices: tuple[float, float] | None,
    notes: tuple[str, ...] = (),
) -> str:
    lines = [
        "Dry run: nothing was sent.",
        "Next, exactly: the requests each plan would send now (its first stage the cache does not "
        "answer), after deduplication and cache hits:",
        "| stage | task | requests | cached | duplicates | to send | est. prompt tokens | max gen. tokens |",
        "|---|---|---|---|---|---|---|---|",
    ]
    total = Counter()
    for (stage, task), c in sorted(rows.items()):
        total.update(c)
        lines.append(
            f"| {stage} | {task} | {c['requests']} | {c['cached']} | {c['duplicates']} | {c['send']} | "
            f"{c['prompt_tokens']} | {c['gen_tokens']} |"
        )
    lines.append(
        f"| all | all | {total['requests']} | {total['cached']} | {total['duplicates']} | {total['send']} | "
        f"{total['prompt_tokens']} | {total['gen_tokens']} |"
    )
    stages, whole_total = whole
    lines += [
        "",
        "The whole run, at most: every stage, the judges and the side models, played through with "
        "stand-in answers that leave every follow-up to be asked (a request two tasks share counts "
        "in each task's row and once in 'all'):",
        "| stage | task or model | to send | est. prompt tokens | max gen. tokens |",
        "|---|---|---|---|---|",
    ]
    for stage, who, c in stages:
        lines.append(f"| {stage} | {who} | {c['requests']} | {c['prompt']} | {c['completion']} |")
    lines.append(
        f"| all | all | {whole_total['requests']} | {whole_total['prompt']} | {whole_total['completion']} |"
    )
    if prices:
        nxt = cost_of({"prompt": total["prompt_tokens"], "completion": total["gen_tokens"]}, prices)
        run = cost_of(whole_total, prices)
        lines.append(
            f"estimated cost: next requests ${nxt:.4f}; whole run at most ${run:.4f} "
            "(prompt ~4 chars/token, every generation at its token budget)"
        )
    lines += [f"note: {note}" for note in notes]
    return "\n".join(lines)
