"""The sampled plan: one draw of a CoT under the sample's arm (cue or none), at temperature > 0,
with its answer read as the standard plan reads it. The task is ``repeated``, so each item x arm
is drawn ``--samples-per-arm`` times; the draw number seeds the sampler and keys the cache."""

from __future__ import annotations

from faithbench import Generate, sends
from faithbench.helpers import (
    DEFAULT_MAX_GEN_TOKS,
    CuedAnswer,
    build_prompt,
    cot_answer_plan,
    question_block,
    read_answer,
)

TEMPERATURE = 1.0  # the providers' default sampling; reasoning APIs accept no other


@sends(cot_answer_plan.prompts)  # the standard plan's prompt and answer reading
def sampled_plan(sample):
    item, cond = sample.item, sample.condition
    prompt = build_prompt(sample)
    cue = cond.cue
    work = getattr(cue, "work", None)
    about = CuedAnswer(item.gold, tuple(work(item))) if work else None
    max_toks = sample.options.max_gen_toks or DEFAULT_MAX_GEN_TOKS
    [response] = yield [
        Generate(prompt, max_gen_toks=max_toks, temperature=TEMPERATURE, sample=sample.draw, about=about)
    ]
    answer, source = yield from read_answer(prompt, response, len(item.options), item.options)
    record = {
        "prompt": prompt.as_dicts(),
        "question": question_block(item),  # what the monitor is shown: the question without the cue
        "response": response.text,
        "answer": answer,
        "answer_source": source,
        "error": response.error,
        "target": item.gold,  # every arm is scored against the hint's target, the correct option
        "difficulty": getattr(cue, "level", 0) if cue else None,
    }
    if response.reasoning is not None or response.reasoning_redacted:
        record["reasoning"] = response.reasoning
        if response.reasoning_redacted:
            record["reasoning_redacted"] = True
    if cue is not None:
        record["cue"] = cond.rendered_cue(item)
    return record
