"""Reading the answer a model gives after a reasoning prefix: from the log-probabilities of the
option letters where the backend has them, otherwise from K sampled answers (majority vote)."""

from __future__ import annotations

from collections import Counter

from faithbench import Generate, LogLikelihood, Prompt
from faithbench.helpers import AfterReasoning, after_reasoning, extract_answer, letter

K_SAMPLES = 5  # answers sampled per reading when the backend has no log-probabilities


def read_answers(prompt: Prompt, prefixes: list[str], n_options: int):
    """Stage: the option chosen after each reasoning prefix, and how it was read."""
    scored = yield [
        LogLikelihood(after_reasoning(prompt, p), letter(i), about=AfterReasoning(p))
        for p in prefixes
        for i in range(n_options)
    ]
    if all(r.ok for r in scored):
        answers = []
        for j in range(len(prefixes)):
            block = scored[j * n_options : (j + 1) * n_options]
            answers.append(max(range(n_options), key=lambda i: block[i].logprob))
        return answers, "loglikelihood"
    sampled = yield [
        Generate(
            after_reasoning(prompt, p), max_gen_toks=4, temperature=1.0, sample=s + 1, about=AfterReasoning(p)
        )
        for p in prefixes
        for s in range(K_SAMPLES)
    ]
    answers = []
    for j in range(len(prefixes)):
        votes = Counter(
            extract_answer(f"({r.text})", n_options) for r in sampled[j * K_SAMPLES :][:K_SAMPLES] if r.ok
        )
        votes.pop(None, None)
        answers.append(votes.most_common(1)[0][0] if votes else None)
    return answers, f"{K_SAMPLES}_samples"
