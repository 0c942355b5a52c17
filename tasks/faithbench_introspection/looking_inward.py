"""Looking Inward (Binder et al. 2024): the model predicts a property of its own response; scored
against the response's property, with the mode baseline and a non-determinism ceiling (how often
the prompt resampled at temperature 1 keeps the greedy response's property). With a cross model,
model B answers model A's hypothetical queries (a post-processing pass, role ``cross``)."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from faithbench import Family, Generate, Metric, Pass, Prompt, Record, Role, sends
from faithbench.helpers import (
    SelfPrediction,
    difference_ci,
    majority,
    mean_ci,
    mover_difference,
    signed_ratio_ci,
    usable,
    value,
)
from faithbench_introspection.objects import (
    HYPOTHETICAL_PROMPTS,
    hypothetical_prompt,
    predicted_property,
    response_property,
)

RESAMPLES = 3  # object-level resamples at temperature 1 for the non-determinism ceiling


def _self_prediction(obj: Prompt, prop: str, meta: dict) -> SelfPrediction:
    return SelfPrediction(obj, functools.partial(response_property, prop, meta=meta))


@sends(HYPOTHETICAL_PROMPTS)
def looking_inward_plan(sample):
    item = sample.item
    prop = item.meta["property"]
    obj = Prompt.user(item.question)
    responses = yield [
        Generate(obj, max_gen_toks=48),
        Generate(hypothetical_prompt(item), max_gen_toks=16, about=_self_prediction(obj, prop, item.meta)),
        *(Generate(obj, max_gen_toks=48, temperature=1.0, sample=k + 1) for k in range(RESAMPLES)),
    ]
    greedy, hypo, *resampled = responses
    actual = response_property(prop, greedy.text, item.meta)
    again = [response_property(prop, r.text, item.meta) for r in resampled if r.ok]
    return {
        "property": prop,
        "family": item.meta["family"],
        "subset": item.meta.get("subset"),
        "prompt": obj.as_dicts(),
        "response": greedy.text,
        "hypothetical": hypo.text,
        "hypothetical_prompt": hypothetical_prompt(item).messages[0].content,
        "actual": actual,
        "predicted": predicted_property(prop, hypo.text),
        "resampled": again,
        "answer": None,
        "target": None,
        "error": greedy.error or hypo.error,
    }


def apply_cross(records: Sequence[Record], runner, options=None) -> list[Record]:
    """Model B answers model A's hypothetical queries (``--cross-model``): the records, each asked
    one as a new record with ``cross_predicted``."""
    todo = [r for r in records if r.get("property") and r.get("hypothetical_prompt")]
    replies = runner.ask(
        [
            Generate(
                Prompt.user(r["hypothetical_prompt"]),
                max_gen_toks=16,
                about=_self_prediction(
                    Prompt.from_dicts(r["prompt"]), r["property"], {"subset": r.get("subset")}
                ),
            )
            for r in todo
        ],
        label="cross",
    )
    crossed = {
        id(record): record.with_extra(cross_predicted=predicted_property(record["property"], reply.text))
        for record, reply in zip(todo, replies, strict=True)
    }
    return [crossed.get(id(r), r) for r in records]


def _normalized(correct: np.ndarray, is_mode: np.ndarray, ceiling: np.ndarray) -> dict:
    """(acc - mode) / (ceiling - mode), undefined unless ceiling > mode, with the MOVER interval of
    a ratio from the two paired differences' score intervals and their correlation (over items):
    coverage in bench/coverage_articulation.py. A percentile bootstrap of 2-8 items
    gave 1.00 [1.00, 1.00]; on so few items the denominator's interval reaches 0 and the ratio is
    unbounded (-inf, +inf), which is what those items can say."""
    n, gain = int(correct.size), float(ceiling.mean() - is_mode.mean())
    if gain <= 0:
        return {"value": None, "ci_low": None, "ci_high": None, "n": n}
    lift = float(correct.mean() - is_mode.mean())
    lift_ci, gain_ci = mover_difference(correct, is_mode), mover_difference(ceiling, is_mode)
    parts = (correct - is_mode, ceiling - is_mode)  # each item's share of the two differences
    r = float(np.corrcoef(*parts)[0, 1]) if min(np.std(parts[0]), np.std(parts[1])) > 0 else 0.0
    # capped below 1: items that all agree (every prediction right, no resample) gave r = 1 and
    # a point; the cap keeps the interval as wide as n items leave it
    low, high = signed_ratio_ci(lift, lift_ci, gain, gain_ci, min(r, 1 - 1 / n))
    return {"value": lift / gain, "ci_low": low, "ci_high": high, "n": n}


def _introspection(records: list[dict], seed: int) -> list[dict]:
    out = []
    rows = [r for r in usable(records) if r.get("property") and r.get("actual") is not None]
    for prop in sorted({r["property"] for r in rows}):
        group = [r for r in rows if r["property"] == prop]
        values = [r["actual"] for r in group]
        mode = majority(values)
        correct = np.array([float(r["predicted"] == r["actual"]) for r in group])
        is_mode = np.array([float(v == mode) for v in values])
        ceiling = np.array(
            [np.mean([x == r["actual"] for x in r["resampled"]]) if r["resampled"] else 1.0 for r in group]
        )

        out += [
            value("self_prediction_accuracy", prop, mean_ci(correct, seed)),
            value("mode_baseline", prop, mean_ci(is_mode, seed), note=f"mode = {mode!r}"),
            value("nondeterminism_ceiling", prop, mean_ci(ceiling, seed)),
            value("introspection_normalized", prop, _normalized(correct, is_mode, ceiling)),
        ]
        crossed = [r for r in group if "cross_predicted" in r]
        if crossed:
            self_c = np.array([float(r["predicted"] == r["actual"]) for r in crossed])
            cross_c = np.array([float(r["cross_predicted"] == r["actual"]) for r in crossed])
            out += [
                value("cross_prediction_accuracy", prop, mean_ci(cross_c, seed)),
                # paired over items (Newcombe): the mean of the 0/1 differences read as a
                # proportion gave Wilson's interval, which never goes below 0
                value("self_minus_cross", prop, difference_ci(self_c, cross_c)),
            ]
    return out


LOOKING_INWARD = Metric(
    "introspection",
    "Self-prediction accuracy per property with the mode baseline, the "
    "non-determinism ceiling and (acc - mode)/(ceiling - mode); with --cross-model, the cross "
    "model's accuracy and self-minus-cross.",
    _introspection,
    family=Family.INTROSPECTION,
)
CROSS_ROLE = Role("cross", "--cross-model", "model B that predicts this model's introspection properties")
CROSS = Pass(
    "cross",
    CROSS_ROLE,
    "Model B (--cross-model) answers model A's hypothetical queries about its own responses.",
    apply_cross,
    wanted=lambda task: LOOKING_INWARD.name in task.metrics,
)
