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
    assert together.generate_until(requests[::-1]) == expected[::-1]  # other company, same texts
    assert any(expected) and len(set(expected)) > 3
