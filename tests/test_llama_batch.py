"""Several sequences decoded together on the embedded model give each request the text it gets
alone (issue 29): the same greedy and sampled texts, stop strings and token budgets."""

import pytest
from lm_eval.api.instance import Instance

pytestmark = pytest.mark.gguf

QUESTION = "Q: What is {a} + {b}?\nAnswer choices:\n(A) {c}\n(B) {d}\n(C) {e}\n(D) {f}\nA:"


def _requests(n: int) -> list[Instance]:
    out = []
    for i in range(n):
        a, b = 17 + 7 * i, 25 + 11 * i
        text = QUESTION.format(a=a, b=b, c=a + b, d=a + b + 2, e=a + b - 10, f=a * 2)
        until = ["B:"] if i % 2 else []  # the model's next line: some stop well before their budget
        kwargs = {"max_gen_toks": 12 + 2 * i, "until": until, "temperature": 0.7 if i == 3 else 0}
        out.append(Instance("generate_until", {}, (text, kwargs), 0))
    return out


def test_sequences_decoded_together_give_each_request_its_lone_text(embedded_lm):
    from faithbench.models.llama_cpp import LlamaCppLM

    threads = embedded_lm.n_threads  # the suite's model's settings: its weights, no second load
    together = LlamaCppLM(n_threads=threads, n_seq=4)
    alone = LlamaCppLM(n_threads=threads, n_seq=1)
    assert together.loaded is embedded_lm.loaded
    requests = _requests(6)  # two groups: the second starts from emptied streams
    expected = []
    for request in requests:
        alone.clear_cache()
        expected.append(alone.generate_until([request])[0])
    generated = together.stats.generated
    assert together.generate_until(requests) == expected
    assert together.stats.generated - generated == alone.stats.generated
    evaluated, prompts = together.stats.evaluated, sum(len(together.tokenize(r.args[0])) for r in requests)
    assert together.generate_until(requests[::-1]) == expected[::-1]  # other company, same texts
    assert together.stats.evaluated - evaluated < prompts  # the streams kept the prompts' shared start
    assert any(expected) and len(set(expected)) > 3


def test_shared_prefixes_are_evaluated_once_and_give_the_lone_logits(embedded_lm):
    """A prefix shared with an earlier prompt of the group (a few-shot block; a whole question) is
    evaluated once and copied, each stream keeps the start it shares with its next prompt, and the
    logits (prompt and decoded tokens) are the lone pass's bit for bit, prompts one token past a
    held or copied one included (a token evaluated alone gave logits up to 0.73 off)."""
    import numpy as np

    from faithbench.models.llama_batch import common_length

    lm = embedded_lm
    streams = lm.loaded.streams(4, lm.n_ctx, lm.n_batch, lm.n_threads)
    shot = QUESTION.format(a=3, b=8, c=11, d=13, e=1, f=6) + " (A)\n\n"
    base = [lm.tokenize(2 * shot + QUESTION.format(a=a, b=5, c=a + 5, d=a, e=1, f=9)) for a in (11, 42, 97)]
    first = [base[0], base[1], base[2], base[0] + base[1][-1:]]
    later = [base[0] + base[1][-1:], base[2], base[1], base[0]]  # stream 0 held base[0]: one token more

    def run(share: bool, prompts: list[list[int]], steps: int = 3) -> tuple[list[np.ndarray], int]:
        logits, evaluated = streams.fill(prompts, share)
        out = list(logits)
        for _ in range(steps):  # greedy steps: the KV left by the prompts
            logits = streams.step([(k, int(np.argmax(x))) for k, x in enumerate(logits)])
            out += logits
        return out, evaluated

    streams.clear()
    lone, evaluated = run(False, first)
    assert evaluated == sum(map(len, first))
    streams.clear()
    shared, evaluated = run(True, first)
    assert all(np.array_equal(a, b) for a, b in zip(lone, shared, strict=True))
    common = min(common_length(first[0], p) for p in first)
    rests = [len(p) - common for p in base]  # the questions after the shared shots
    assert common > 60 and evaluated == common + sum(rests) + 2  # the shots once, base[0] once
    again, evaluated = run(True, later)  # a later call: each stream keeps what it shares
    assert evaluated == 2 + rests[2] + rests[1] + 2
    streams.clear()
    assert all(np.array_equal(a, b) for a, b in zip(again, run(False, later)[0], strict=True))
    # A smaller group after longer prompts: the streams it leaves out are emptied (while they held
    # 236 tokens, the group's logits went up to 0.96 off once its own passed 128)
    questions = [QUESTION.format(a=a, b=5, c=a + 5, d=a, e=1, f=9) for a in (11, 42, 97, 5)]
    run(True, [lm.tokenize(4 * shot + question) for question in questions])
    small = [base[0][:126], base[1][:127]]
    after = run(True, small, steps=12)[0]
    streams.clear()
    assert all(np.array_equal(a, b) for a, b in zip(after, run(False, small, steps=12)[0], strict=True))


def test_prompts_of_very_different_lengths_decoded_together_give_the_lone_logits(embedded_lm):
    """llama.cpp gives every stream of a context one attention width, the longest stream's padded
    length; without flash attention the padding changed a shorter stream's logits (up to 0.61 off
    for a 126-token prompt beside a 233-token one). With it, masked cells are skipped, so a prompt's
    logits are the lone pass's beside a longer prompt and beside a finished sequence's stream."""
    import numpy as np

    lm = embedded_lm
    shot = QUESTION.format(a=3, b=8, c=11, d=13, e=1, f=6) + " (A)\n\n"
    ask = QUESTION.format(a=42, b=5, c=47, d=42, e=1, f=9)
    short, long = lm.tokenize(2 * shot + ask), lm.tokenize(5 * shot + ask)
    assert len(short) < 150 and len(long) > 2 * len(short)

    def lone(prompt: list[int], steps: int) -> list[np.ndarray]:
        lm.clear_cache()
        out = [lm.feed(prompt)]
        for _ in range(steps):
            lm.llm.eval([int(np.argmax(out[-1]))])
            out.append(lm._logits())
        return out

    steps = 30  # the short prompt's cells pass 160: its lone width changes twice, the long one's not
    expected = lone(short, steps), lone(long, steps)
    streams = lm.loaded.streams(4, lm.n_ctx, lm.n_batch, lm.n_threads)
    for finish in (steps, 2):  # the long sequence runs along, or finishes and its stream stays full
        streams.clear()
        got = [[x] for x in streams.fill([short, long], share=False)[0]]
        for step in range(steps):
            running = [0, 1] if step < finish else [0]
            logits = streams.step([(k, int(np.argmax(got[k][-1]))) for k in running])
            for k, x in zip(running, logits, strict=True):
                got[k].append(x)
        assert all(np.array_equal(a, b) for a, b in zip(got[0], expected[0], strict=True)), finish
        assert all(np.array_equal(a, b) for a, b in zip(got[1], expected[1][: len(got[1])], strict=True))


def test_a_finished_sequence_s_stream_takes_the_next_request_and_texts_stay_the_lone_ones(embedded_lm):
    """Continuous batching: requests of mixed prompt lengths and budgets (2 to 24 new tokens) at
    n_seq=3 give the lone pass's texts, and a stream freed by a short request takes the next one
    while the others keep decoding, so fewer decoding steps run than in groups that wait for
    their slowest sequence."""
    from faithbench.models.llama_cpp import LlamaCppLM

    threads = embedded_lm.n_threads
    together = LlamaCppLM(n_threads=threads, n_seq=3)
    alone = LlamaCppLM(n_threads=threads, n_seq=1)
    shot = QUESTION.format(a=3, b=8, c=11, d=13, e=1, f=6) + " (A)\n\n"
    budgets = [2, 24, 3, 20, 2, 16, 5, 2]
    requests = []
    for i, budget in enumerate(budgets):
        text = (i % 3) * shot + QUESTION.format(a=11 + 9 * i, b=5, c=16 + 9 * i, d=4, e=1, f=9)
        until, temperature = ["B:"] if i == 5 else [], 0.7 if i == 3 else 0
        kwargs = {"max_gen_toks": budget, "until": until, "temperature": temperature}
        requests.append(Instance("generate_until", {}, (text, kwargs), 0))
    expected = []
    for request in requests:
        alone.clear_cache()
        expected.append(alone.generate_until([request])[0])
    streams = together.loaded.streams(3, together.n_ctx, together.n_batch, threads)
    assert streams.refills_exact  # flash attention, the default
    static = LlamaCppLM(n_threads=threads, n_seq=3, continuous=False)  # groups wait for their slowest
    steps, reused = {}, together.stats.reused
    for refill, lm in ((True, together), (False, static)):
        before = streams.steps
        assert lm.generate_until(requests) == expected, refill
        steps[refill] = streams.steps - before
    assert steps[True] < steps[False] - 10, steps  # the 24-token budget no longer holds a group
    assert together.stats.reused > reused  # shared worked examples were kept or copied
    assert len(set(expected)) > 5 and sum(len(t) > 20 for t in expected) >= 3
