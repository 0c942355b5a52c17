"""``run --dry-run``: what a run would send, counted without sending anything.

Every plan is advanced through the stages the cache already answers, to its first stage with a
request the cache lacks (stage 1 on a fresh run); that stage's requests are counted per task after
deduplication across all tasks (as the runner removes duplicates) and cache hits. What comes after
(an answer forced when a CoT states none, an intervention's continuation, the judges', observer's
and monitor's passes) depends on answers not yet given, so it is not counted; the report says so.
Prompt tokens are estimated at 4 characters per token; generated tokens are an upper bound
(each generation's ``max_gen_toks``).
"""

from __future__ import annotations

from collections import Counter

from faithbench.api.requests import LogLikelihood
from faithbench.runner.cache import as_response
from faithbench.runner.lockstep import as_requests

CHARS_PER_TOKEN = 4


def _tokens(pending, request) -> tuple[int, int]:
    text = pending.context if isinstance(pending.context, str) else str(pending.context)
    if isinstance(request, LogLikelihood):
        return (len(text) + len(request.continuation)) // CHARS_PER_TOKEN + 1, 0
    return len(text) // CHARS_PER_TOKEN + 1, int(request.max_gen_toks)


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
        prepared = [(s, g, reqs, [dispatcher.prepare(r) for r in reqs]) for s, g, reqs in active]
        stored = dispatcher.cache.get_many(sorted({p.key for *_, ps in prepared for p in ps}))
        advancing = []
        for sample, gen, reqs, pending in prepared:
            if all(p.key in stored for p in pending):
                advancing.append((sample, gen, [as_response(stored[p.key]) for p in pending]))
                continue
            row = rows.setdefault((stage, sample.task.name), Counter())
            for request, p in zip(reqs, pending, strict=True):
                row["requests"] += 1
                if p.key in stored:
                    row["cached"] += 1
                elif p.key in sent:
                    row["duplicates"] += 1
                else:
                    sent.add(p.key)
                    prompt, generated = _tokens(p, request)
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


def format_estimate(rows: dict[tuple[int, str], Counter], prices: tuple[float, float] | None) -> str:
    lines = [
        "Dry run: nothing was sent. Requests each task would send next, after deduplication and cache hits:",
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
    if prices:
        cost = total["prompt_tokens"] * prices[0] / 1e6 + total["gen_tokens"] * prices[1] / 1e6
        lines.append(f"estimated cost of these requests: at most ${cost:.4f} (prompt ~4 chars/token)")
    lines.append(
        "Not counted: later stages (answers forced when a CoT states none, interventions' continuations) "
        "and the judge, observer and monitor passes, which depend on these answers."
    )
    return "\n".join(lines)
