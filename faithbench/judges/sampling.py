"""A labeling sample of a run's cue-moved CoTs (``faithbench judges sample``), for a person to
check the judge on their own model's text.

The population is every text the cue moved to its target (a_u != t, a_h = t), each channel (the
thinking, the answer) its own unit. It is stratified by the primary judge's verdict, the cue and
the channel; half the sample goes to each verdict (a judge's rare verdict would otherwise get a
handful of labels), spread over that verdict's strata in proportion to their size, at least one
each while the budget lasts. Each row records its inclusion weight N_h / n_h, so precision and
recall computed with the weights estimate the run's population, not the sample.
"""

from __future__ import annotations

import random
from collections import defaultdict

from faithbench.api.errors import UserError
from faithbench.api.metric import paired


def population(records: list, primary: str) -> list[dict]:
    """Every cue-moved text with the primary judge's verdict on it, as a label row (unlabeled)."""
    by_task: dict[str, list] = defaultdict(list)
    for r in records:
        by_task[r["task"]].append(r)
    units = []
    for task, rows in by_task.items():
        for cue, pairs in paired(rows):
            for u, h in pairs:
                if h.get("condition_kind") != "cue" or h.get("target") is None:
                    continue
                if u["answer"] == h["target"] or h["answer"] != h["target"] or not h.get("judgements"):
                    continue
                texts = {"answer": h.get("response")}
                if h.get("reasoning"):
                    texts["thinking"] = h["reasoning"]
                for channel, text in texts.items():
                    key = f"{primary}@{channel}" if "reasoning" in h else primary
                    verdict = h["judgements"].get(key)
                    if isinstance(text, str) and text.strip() and isinstance(verdict, bool):
                        units.append(
                            {"cue": task, "cue_text": h.get("cue", ""), "cot": text, "verbalized": None,
                             "judge": primary, "judge_verdict": verdict, "condition": cue,
                             "item_id": h["item_id"], "channel": channel}
                        )
    return units


def _allocate(sizes: dict, budget: int) -> dict:
    """Sample sizes per stratum: one each while the budget lasts, the rest in proportion to size
    (largest remainders), never more than a stratum holds."""
    order = sorted(sizes, key=lambda k: -sizes[k])
    take = {k: 0 for k in sizes}
    for k in order[:budget]:
        take[k] = 1
    left = budget - sum(take.values())
    while left > 0:
        room = {k: sizes[k] - take[k] for k in sizes if sizes[k] > take[k]}
        if not room:
            break
        total = sum(sizes[k] for k in room)
        shares = {k: left * sizes[k] / total for k in room}
        extra = {k: min(int(shares[k]), room[k]) for k in room}
        if not any(extra.values()):  # fractions only: the largest remainders get one each
            for k in sorted(room, key=lambda k: -(shares[k] - int(shares[k])))[:left]:
                extra[k] = 1
        for k, n in extra.items():
            take[k] += n
        left = budget - sum(take.values())
    return take


def draw_sample(units: list[dict], n: int, seed: int = 0) -> list[dict]:
    """A stratified sample of ``n`` units, each with its stratum and inclusion weight."""
    if n < 1:
        raise UserError("--n must be at least 1")
    if not units:
        raise UserError("no cue-moved CoT with a judge's verdict in these results (run with --judge)")
    strata: dict[tuple, list[dict]] = defaultdict(list)
    for unit in units:
        strata[(unit["judge_verdict"], unit["cue"], unit["condition"], unit["channel"])].append(unit)
    by_verdict = {v: {k: len(s) for k, s in strata.items() if k[0] is v} for v in (True, False)}
    available = {v: sum(sizes.values()) for v, sizes in by_verdict.items()}
    half = {True: min(n // 2 + n % 2, available[True])}
    half[False] = min(n - half[True], available[False])
    half[True] = min(n - half[False], available[True])
    rng = random.Random(seed)
    sample = []
    for verdict, sizes in by_verdict.items():
        for key, k in _allocate(sizes, half[verdict]).items():
            if k:
                chosen = rng.sample(sorted(strata[key], key=lambda u: (str(u["item_id"]), u["channel"])), k)
                stratum = f"{'verbalized' if verdict else 'not verbalized'}|{key[1]}|{key[2]}|{key[3]}"
                sample += [{**u, "stratum": stratum, "weight": len(strata[key]) / k} for u in chosen]
    rng.shuffle(sample)
    return sample
