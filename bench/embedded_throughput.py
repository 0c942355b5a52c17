"""Embedded-model throughput: every physical core against one thread, side by side.

llama-cpp-python decodes on half the logical CPUs unless told otherwise (one core on a 2-core
machine); the backend's default is now the physical cores the machine's load leaves idle. This
script loads the embedded Gemma 3 270M twice (``n_threads=1`` and ``n_threads`` = physical
cores), and in alternating rounds on the same prompts runs

    prompt  - the prompts evaluated from an empty KV cache (prompt tokens/s)
    decode  - greedy generation of ``--tokens`` new tokens per prompt (generated tokens/s)

and prints the median tokens/s of each, their ratio (all cores / one thread) and the process
CPU-seconds each spent; it also checks that both give the same text. On a loaded machine the
ratio is lower than on a quiet one (the second thread waits for a core). Usage:
    python bench/embedded_throughput.py [--prompts 6] [--tokens 48] [--repeats 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

from lm_eval.api.instance import Instance

from faithbench.models.llama_cpp import LlamaCppLM
from faithbench.models.llama_load import default_threads, physical_cores

QUESTIONS = [
    "Q: What is {a} + {b}?\nAnswer choices:\n(A) {c}\n(B) {d}\n(C) {e}\n(D) {f}\n"
    "Please think step by step, then give your answer as 'The best answer is: (X)'.\nA:"
]


def prompts(n: int) -> list[str]:
    out = []
    for i in range(n):
        a, b = 17 + 7 * i, 25 + 11 * i
        out.append(QUESTIONS[0].format(a=a, b=b, c=a + b, d=a + b + 2, e=a + b - 10, f=a * 2))
    return out


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def one_round(lm: LlamaCppLM, texts: list[str], tokens: int) -> dict:
    prompt_tokens = generated = 0
    prompt_wall = decode_wall = 0.0
    start_cpu = cpu()
    outputs = []
    for text in texts:
        lm.clear_cache()
        ids = lm.tokenize(text)
        t0 = time.perf_counter()
        lm.feed(ids)
        prompt_wall += time.perf_counter() - t0
        prompt_tokens += len(ids)
        before = lm.stats.generated
        t0 = time.perf_counter()  # the prompt is cached now: this times the decoding
        request = Instance("generate_until", {}, (text, {"max_gen_toks": tokens}), 0)
        outputs.append(lm.generate_until([request])[0])
        decode_wall += time.perf_counter() - t0
        generated += lm.stats.generated - before
    return {
        "prompt": prompt_tokens / prompt_wall,
        "decode": generated / decode_wall,
        "cpu": cpu() - start_cpu,
        "generated": generated,
        "outputs": outputs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--prompts", type=int, default=6)
    parser.add_argument("--tokens", type=int, default=48, help="new tokens per prompt")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    texts = prompts(args.prompts)
    cores = physical_cores()
    models = {
        "one thread": LlamaCppLM(n_ctx=1024, n_threads=1),
        "all cores": LlamaCppLM(n_ctx=1024, n_threads=cores),
    }
    rounds: dict[str, list[dict]] = {name: [] for name in models}
    for _ in range(args.repeats):  # alternate, so a change in machine load hits both alike
        for name, lm in models.items():
            rounds[name].append(one_round(lm, texts, args.tokens))

    same = all(a["outputs"] == b["outputs"] for a, b in zip(*rounds.values(), strict=True))
    print(f"physical cores: {cores}; default now (cores the load leaves idle): {default_threads()}")
    print(f"{args.prompts} prompts, {args.tokens} new tokens each, median of {args.repeats} rounds")
    print(f"{'':12} {'prompt tok/s':>13} {'decode tok/s':>13} {'CPU-s/round':>12}")
    med = {}
    for name, rs in rounds.items():
        med[name] = {k: statistics.median(r[k] for r in rs) for k in ("prompt", "decode", "cpu")}
        m = med[name]
        print(f"{name:12} {m['prompt']:13.1f} {m['decode']:13.1f} {m['cpu']:12.2f}")
    one, default = med["one thread"], med["all cores"]
    print(
        f"ratio all cores/one thread: prompt {default['prompt'] / one['prompt']:.2f}x, "
        f"decode {default['decode'] / one['decode']:.2f}x, CPU-seconds {default['cpu'] / one['cpu']:.2f}x"
    )
    print(f"same text from both: {same}")


if __name__ == "__main__":
    main()
