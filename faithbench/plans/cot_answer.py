"""The standard plan (a solver, in inspect_ai's terms): a chain of thought under the sample's
condition, then the option it commits to, forced in a further stage when it states none."""

from __future__ import annotations

from faithbench.api.prompts import Message, Prompt, letter
from faithbench.api.queries import AfterReasoning, Framed
from faithbench.api.requests import DEFAULT_MAX_GEN_TOKS, Generate, LogLikelihood, Response
from faithbench.api.task import Sample, sends
from faithbench.plans.extraction import extract_answer
from faithbench.plans.mcq import MCQ_PROMPTS, mcq_prompt

ANSWER_CUE = "\n\nThe best answer is: ("
COT_PROMPTS = {**MCQ_PROMPTS, "answer_cue": ANSWER_CUE}  # what the standard plan sends


def channels(response: Response) -> dict:
    """A reasoning model's thinking beside its visible answer (``response``), and whether it was
    cut off while thinking (a thinking with no answer after it)."""
    if response.reasoning is None and not response.reasoning_redacted:
        return {}
    out: dict = {"reasoning": response.reasoning}
    if response.reasoning_redacted:
        out["reasoning_redacted"] = True
    out["cut_off_in_thinking"] = bool(response.reasoning) and not (response.text or "").strip()
    return out


def build_prompt(sample: Sample) -> Prompt:
    """The first-turn prompt of a sample: the question after its exemplars, with the condition's
    cue placed where its placement puts it."""
    cond, shots = sample.condition, list(sample.fewshot)
    if cond.cue is None:
        prompt = mcq_prompt(sample.item, shots)
    else:
        prompt = cond.cue.placement.first_turn(sample, cond.rendered_cue(sample.item), shots)
    return frame(prompt, sample)


def frame(prompt: Prompt, sample: Sample) -> Prompt:
    """The prompt with the sample's visibility framing before its first user turn."""
    framing = sample.framing
    if framing is None or not framing.text(sample.options.thinking):
        return prompt
    messages = list(prompt.messages)
    first = next(i for i, m in enumerate(messages) if m.role == "user")
    messages[first] = Message("user", framing.apply(messages[first].content, sample.options.thinking))
    return Prompt(tuple(messages), prompt.prefill)


def after_reasoning(prompt: Prompt, reasoning: str) -> Prompt:
    """The prompt with ``reasoning`` written by the model and the answer statement begun."""
    return prompt.with_prefill(prompt.prefill + reasoning + ANSWER_CUE)


def forced_answer(prompt: Prompt, cot: str, n_options: int):
    """Stage 2: after the CoT, force "The best answer is: (" and read the option off the model.

    Options are scored by log-probability where the backend has it; otherwise the model
    generates a few tokens. Returns (option index or None, how it was read).
    """
    about = AfterReasoning(cot.rstrip())
    forced = after_reasoning(prompt, cot.rstrip())
    scored = yield [LogLikelihood(forced, letter(i), about=about) for i in range(n_options)]
    if all(r.ok for r in scored):
        return max(range(n_options), key=lambda i: scored[i].logprob), "forced_loglikelihood"
    [reply] = yield [Generate(forced, max_gen_toks=4, about=about)]
    return extract_answer(f"({reply.text})" if reply.ok else None, n_options), "forced_generation"


def read_answer(prompt: Prompt, response: Response, n: int, options: tuple[str, ...] = ()):
    """The option a CoT commits to (by letter, or by the option's text), forcing it in a further
    stage when the CoT states none."""
    answer, source = extract_answer(response.text, n, options), "cot"
    if answer is None and response.ok:
        answer, source = yield from forced_answer(prompt, response.text or "", n)
    return answer, source


@sends(COT_PROMPTS)
def cot_answer_plan(sample: Sample):
    """Ask for a chain of thought under the sample's condition, then read the chosen option.

    A placement with a second turn (are-you-sure) adds it after the first answer; the record
    then holds the second answer, with the first beside it.
    """
    item, cond = sample.item, sample.condition
    prompt = build_prompt(sample)
    n = len(item.options)
    max_toks = sample.options.max_gen_toks or DEFAULT_MAX_GEN_TOKS
    about = Framed(sample.framing.name) if sample.framing is not None else None
    [response] = yield [Generate(prompt, max_gen_toks=max_toks, about=about)]
    answer, source = yield from read_answer(prompt, response, n, item.options)
    record = {
        "prompt": prompt.as_dicts(),
        "response": response.text,
        "answer": answer,
        "answer_source": source,
        "error": response.error,
        "target": cond.target_index(item),
        **channels(response),
    }
    if cond.cue is None:
        return record
    cue = cond.rendered_cue(item)
    record["cue"] = cue
    second = cond.cue.placement.second_turn(sample, cue, prompt, response.text or "") if response.ok else None
    if second is not None:
        [reply] = yield [Generate(second, max_gen_toks=max_toks)]
        final, final_source = yield from read_answer(second, reply, n, item.options)
        first_channels = {k: record.pop(k) for k in channels(response)}  # the record's are the reply's
        if first_channels:
            record["first_channels"] = first_channels
        record.update(
            first_answer=answer,
            first_response=response.text,
            prompt=second.as_dicts(),
            response=reply.text,
            answer=final,
            answer_source=final_source,
            error=reply.error,
            **channels(reply),
        )
    return record
