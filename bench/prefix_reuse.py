"""Early answering with prefix reuse on the embedded model: cost of k truncations vs one CoT pass.

Scoring the option letters after k truncations of one CoT shares every prefix with the full CoT,
so with the KV cache reused (as the runner orders requests) it should cost about one pass over
the CoT. This script measures, in one run and on the same CoT:

    one pass   - the letters scored once after the full CoT, from an empty KV cache
    reuse      - the letters scored after each of K truncation points, KV cache reused
    naive      - the same requests with the KV cache cleared before each one

and prints reuse/one and naive/one (median of several repetitions). Usage:
    python bench/prefix_reuse.py [--points 5] [--repeats 5] [--cot-tokens 256]
"""

from __future__ import annotations

import argparse
import statistics
import time

from lm_eval.api.instance import Instance

from faithbench import ANSWER_CUE, mcq_text, sentences
from faithbench.api.items import ItemConfig
from faithbench.api.prompts import Prompt, letter
from faithbench.items.procedural import arithmetic
from faithbench.models.llama_cpp import LlamaCppLM
from faithbench_interventions.plan import truncation_points


def requests(prompt: Prompt, prefixes: list[str], n: int) -> list[Instance]:
    return [
        Instance("loglikelihood", {}, (prompt.with_prefill(p + ANSWER_CUE).as_text(), letter(i)), 0)
        for p in prefixes
        for i in range(n)
    ]


def timed(lm: LlamaCppLM, batch: list[Instance], naive: bool) -> float:
    lm.clear_cache()
    start = time.perf_counter()
    if naive:
        for inst in batch:
            lm.clear_cache()
            lm.loglikelihood([inst])
    else:
        lm.loglikelihood(batch)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--points", type=int, default=5, help="truncation points k")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cot-tokens", type=int, default=256)
    args = parser.parse_args()

    lm = LlamaCppLM(n_ctx=2048)
    item = arithmetic(ItemConfig(limit=1, seed=0))[0]
    prompt = Prompt.user(mcq_text(item))
    cot = lm.generate_until(
        [Instance("generate_until", {}, (prompt.as_text(), {"max_gen_toks": args.cot_tokens}), 0)]
    )[0]
    steps = sentences(cot) or [cot]
    points = truncation_points(len(steps), args.points)[-args.points :]
    n = len(item.options)
    one = requests(prompt, [" ".join(steps)], n)
    early = requests(prompt, [" ".join(steps[:k]) for k in points], n)
    cot_tokens = len(lm.tokenize(prompt.as_text() + " " + cot)) - len(lm.tokenize(prompt.as_text()))

    t_one, t_reuse, t_naive = [], [], []
    for _ in range(args.repeats):
        t_one.append(timed(lm, one, naive=False))
        t_reuse.append(timed(lm, early, naive=False))
        t_naive.append(timed(lm, early, naive=True))
    one_s, reuse_s, naive_s = (statistics.median(t) for t in (t_one, t_reuse, t_naive))
    print(
        f"CoT: {cot_tokens} tokens, {len(steps)} sentences; {len(points)} truncation points "
        f"x {n} options; median of {args.repeats} runs"
    )
    print(f"one pass (letters after the full CoT): {one_s * 1000:.1f} ms")
    print(f"early answering, KV cache reused:     {reuse_s * 1000:.1f} ms  ratio {reuse_s / one_s:.2f}")
    print(f"early answering, cache cleared:       {naive_s * 1000:.1f} ms  ratio {naive_s / one_s:.2f}")


if __name__ == "__main__":
    main()
