"""Embedded-model throughput: several sequences decoded together against one at a time, side by
side; shared prompt prefixes evaluated once against each prompt in full (--part sharing); and, with
--threads-too, every physical core against one thread.

The backend decodes the requests of one ``generate_until`` call ``n_seq`` at a time, one token of
each per ``llama_decode`` (faithbench/models/llama_batch.py). This script sends the same prompts
as one call to the embedded Gemma 3 270M with ``n_seq=1`` and with ``n_seq=--together``, from an
empty cache, in alternating rounds, and prints generated tokens/s (wall, prompts included), the
process CPU-seconds, their ratio, and whether both gave the same text (they must). With
--threads-too it also runs the earlier comparison of ``n_threads=1`` and every physical core:

    prompt  - the prompts evaluated from an empty KV cache (prompt tokens/s)
    decode  - greedy generation of ``--tokens`` new tokens per prompt (generated tokens/s)

The sharing comparison sends few-shot prompts (the same 3 worked examples and instructions, then
``--prompts`` different questions, as the biased-prompt tasks send them) as two calls of different
questions to ``n_seq=--together`` with ``share_prefix`` false and true, alternating, and prints
generated tokens/s (wall, prompts included), prompt tokens evaluated, CPU-seconds and whether the
texts are the same (they must be). On a loaded machine the threads ratio is lower than on a quiet
one (the second thread waits for a core).

The continuous comparison (--part continuous) sends prompts with budgets of 2, 6 and --tokens new
tokens as one call at ``n_seq=--together``: static groups (each runs until its slowest sequence
finishes) against continuous batching (a finished sequence's stream takes the next request at
once), alternating, and prints generated tokens/s, decode steps, CPU-seconds and whether the
texts are the same (they must be). Usage:
    python bench/embedded_throughput.py [--prompts 8] [--tokens 48] [--repeats 3] [--together 4]
                                        [--part all|sequences|sharing|mixed|continuous]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time

from lm_eval.api.instance import Instance

from faithbench.api.items import ItemConfig
from faithbench.helpers import mcq_prompt
from faithbench.items.procedural import arithmetic
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


def together_round(lm: LlamaCppLM, texts: list[str], tokens: int) -> dict:
    """All prompts as one generate_until call (as a stage sends them), from an empty cache."""
    lm.clear_cache()
    lm.loaded.clear_streams()
    requests = [Instance("generate_until", {}, (text, {"max_gen_toks": tokens}), 0) for text in texts]
    before, start_cpu, t0 = lm.stats.generated, cpu(), time.perf_counter()
    outputs = lm.generate_until(requests)
    wall = time.perf_counter() - t0
    generated = lm.stats.generated - before
    return {"tok/s": generated / wall, "cpu": cpu() - start_cpu, "outputs": outputs, "generated": generated}


def compare_sequences(args, texts: list[str]) -> None:
    models = {
        "one at a time": LlamaCppLM(n_ctx=1024, n_threads=args.threads, n_seq=1),
        f"{args.together} together": LlamaCppLM(n_ctx=1024, n_threads=args.threads, n_seq=args.together),
    }
    rounds: dict[str, list[dict]] = {name: [] for name in models}
    for _ in range(args.repeats):  # alternate, so a change in machine load hits both alike
        for name, lm in models.items():
            rounds[name].append(together_round(lm, texts, args.tokens))
    same = all(a["outputs"] == b["outputs"] for a, b in zip(*rounds.values(), strict=True))
    print(f"{args.prompts} prompts as one call, up to {args.tokens} new tokens each, {args.threads} thread(s), "  # noqa: E501
          f"median of {args.repeats} rounds")
    print(f"{'':16} {'generated tok/s':>16} {'CPU-s/round':>12}")
    med = {}
    for name, rs in rounds.items():
        med[name] = {k: statistics.median(r[k] for r in rs) for k in ("tok/s", "cpu")}
        print(f"{name:16} {med[name]['tok/s']:16.1f} {med[name]['cpu']:12.2f}")
    one, many = med.values()
    print(f"ratio together/one at a time: tokens/s {many['tok/s'] / one['tok/s']:.2f}x, "
          f"CPU-seconds {many['cpu'] / one['cpu']:.2f}x")
    print(f"same text from both: {same} ({rounds['one at a time'][0]['generated']} tokens a round)")


def fewshot_prompts(n: int, shots: int = 3) -> list[str]:
    """``n`` questions after the same ``shots`` worked examples and instructions."""
    items = arithmetic(ItemConfig(limit=n + shots, seed=0))
    return [mcq_prompt(item, items[:shots]).as_text() for item in items[shots:]]


def sharing_round(lm: LlamaCppLM, calls: list[list[str]], tokens: int) -> dict:
    """Each call's prompts as one generate_until call, the streams emptied before the first."""
    lm.loaded.clear_streams()
    before, evaluated, start_cpu, t0 = lm.stats.generated, lm.stats.evaluated, cpu(), time.perf_counter()
    outputs, per_call = [], []
    for texts in calls:
        e0 = lm.stats.evaluated
        requests = [Instance("generate_until", {}, (t, {"max_gen_toks": tokens}), 0) for t in texts]
        outputs += lm.generate_until(requests)
        per_call.append(lm.stats.evaluated - e0)
    wall, generated = time.perf_counter() - t0, lm.stats.generated - before
    return {"tok/s": generated / wall, "cpu": cpu() - start_cpu, "evaluated": lm.stats.evaluated - evaluated,
            "per call": per_call, "generated": generated, "outputs": outputs}  # fmt: skip


def compare_sharing(args) -> None:
    texts = fewshot_prompts(2 * args.prompts)
    calls = [texts[: args.prompts], texts[args.prompts :]]
    settings = {"n_ctx": 2048, "n_threads": args.threads, "n_seq": args.together}
    models = {
        "prefix shared": LlamaCppLM(**settings, share_prefix=True),
        "each in full": LlamaCppLM(**settings, share_prefix=False),
    }
    rounds: dict[str, list[dict]] = {name: [] for name in models}
    for _ in range(args.repeats):  # alternate, so a change in machine load hits both alike
        for name, lm in models.items():
            rounds[name].append(sharing_round(lm, calls, args.tokens))
    same = all(a["outputs"] == b["outputs"] for a, b in zip(*rounds.values(), strict=True))
    lm = models["each in full"]
    lengths = [len(lm.tokenize(t)) for t in texts]
    print(f"\n2 calls of {args.prompts} few-shot prompts ({min(lengths)}-{max(lengths)} tokens, "
          f"{sum(lengths)} in all), n_seq={args.together}, up to {args.tokens} new tokens each, "
          f"{args.threads} thread(s), median of {args.repeats} rounds")  # fmt: skip
    print(f"{'':14} {'generated tok/s':>16} {'prompt tokens evaluated':>24} {'CPU-s/round':>12}")
    med = {}
    for name, rs in rounds.items():
        med[name] = {k: statistics.median(r[k] for r in rs) for k in ("tok/s", "cpu", "evaluated")}
        calls_text = " + ".join(str(n) for n in rs[0]["per call"])
        print(f"{name:14} {med[name]['tok/s']:16.1f} {calls_text:>24} {med[name]['cpu']:12.2f}")
    shared, full = med.values()
    print(f"ratio shared/full: tokens/s {shared['tok/s'] / full['tok/s']:.2f}x, prompt tokens evaluated "
          f"{shared['evaluated'] / full['evaluated']:.2f}x, CPU-seconds {shared['cpu'] / full['cpu']:.2f}x")
    print(f"same text from both: {same} ({rounds['each in full'][0]['generated']} tokens a round)")


def compare_mixed(args) -> None:
    """Prompts of mixed lengths (0 to 5 worked examples before the question) as one call with
    n_seq=1 and n_seq=--together, flash attention off and on: how many texts differ. Without it,
    llama.cpp pads every stream's attention to the longest stream's width, which changed logits."""
    items = arithmetic(ItemConfig(limit=args.prompts + 5, seed=1))
    texts = [mcq_prompt(item, items[: i % 6]).as_text() for i, item in enumerate(items[5:])]
    for flash in (False, True):
        outputs, cpus = {}, []
        for n_seq in (1, args.together):
            lm = LlamaCppLM(n_ctx=2048, n_threads=args.threads, n_seq=n_seq, flash_attn=flash)
            done = together_round(lm, texts, args.tokens)
            outputs[n_seq] = done["outputs"]
            cpus.append(f"{done['cpu']:.2f}")
        lengths = sorted(len(lm.tokenize(t)) for t in texts)
        differ = sum(a != b for a, b in zip(*outputs.values(), strict=True))
        print(f"flash_attn={flash}: {differ} of {len(texts)} texts differ between n_seq=1 and "
              f"n_seq={args.together} (prompts {lengths[0]}-{lengths[-1]} tokens, up to {args.tokens} new); "
              f"CPU-s {' vs '.join(cpus)}")


def continuous_round(lm: LlamaCppLM, requests: list[Instance]) -> dict:
    """One generate_until call from emptied streams, a finished sequence's stream refilled at once
    (``continuous=true``) or groups of n_seq run until all finish (false)."""
    lm.clear_cache()
    lm.loaded.clear_streams()
    streams = lm.loaded.streams(lm.n_seq, lm.n_ctx, lm.n_batch, lm.n_threads)
    before, start_cpu, t0 = lm.stats.generated, cpu(), time.perf_counter()
    outputs = lm.generate_until(requests)
    wall = time.perf_counter() - t0
    generated = lm.stats.generated - before
    return {"tok/s": generated / wall, "cpu": cpu() - start_cpu, "outputs": outputs,
            "generated": generated, "steps": streams.steps}  # fmt: skip


def compare_continuous(args, texts: list[str]) -> None:
    """Requests whose outputs differ in length (budgets from 2 to --tokens new tokens, as early
    stop and stop strings make them): static groups against continuous batching, alternating."""
    settings = {"n_ctx": 1024, "n_threads": args.threads, "n_seq": args.together}
    models = {"static groups": LlamaCppLM(**settings, continuous=False), "continuous": LlamaCppLM(**settings)}
    budgets = [2 if i % 2 else args.tokens if i % 4 == 0 else 6 for i in range(len(texts))]
    pairs = zip(texts, budgets, strict=True)
    requests = [Instance("generate_until", {}, (t, {"max_gen_toks": b}), 0) for t, b in pairs]
    lone = LlamaCppLM(n_ctx=1024, n_threads=args.threads, n_seq=1)
    lone.clear_cache()
    expected = lone.generate_until(requests)  # each request alone: the texts both must give
    rounds: dict[str, list[dict]] = {name: [] for name in models}
    for _ in range(args.repeats):  # alternate, so a change in machine load hits both alike
        for name, lm in models.items():
            rounds[name].append(continuous_round(lm, requests))
    same = all(a["outputs"] == b["outputs"] for a, b in zip(*rounds.values(), strict=True))
    print(f"\n{args.prompts} prompts as one call, budgets {budgets} new tokens, n_seq={args.together}, "
          f"{args.threads} thread(s), median of {args.repeats} rounds")  # fmt: skip
    print(f"{'':14} {'generated tok/s':>16} {'decode steps':>13} {'CPU-s/round':>12}")
    med = {}
    for name, rs in rounds.items():
        med[name] = {k: statistics.median(r[k] for r in rs) for k in ("tok/s", "cpu", "steps")}
        print(f"{name:14} {med[name]['tok/s']:16.1f} {med[name]['steps']:13.0f} {med[name]['cpu']:12.2f}")
    static, continuous = med.values()
    print(f"ratio continuous/static: tokens/s {continuous['tok/s'] / static['tok/s']:.2f}x, "
          f"CPU-seconds {continuous['cpu'] / static['cpu']:.2f}x, decode steps "
          f"{continuous['steps'] / static['steps']:.2f}x")
    alone = all(r["outputs"] == expected for r in rounds["continuous"])
    print(f"same text from both: {same}, and as n_seq=1: {alone} ({rounds['continuous'][0]['generated']} "
          "tokens a round)")


def compare_threads(args, texts: list[str]) -> None:
    cores = physical_cores()
    models = {
        "one thread": LlamaCppLM(n_ctx=1024, n_threads=1, n_seq=1),
        "all cores": LlamaCppLM(n_ctx=1024, n_threads=cores, n_seq=1),
    }
    rounds: dict[str, list[dict]] = {name: [] for name in models}
    for _ in range(args.repeats):
        for name, lm in models.items():
            rounds[name].append(one_round(lm, texts, args.tokens))
    same = all(a["outputs"] == b["outputs"] for a, b in zip(*rounds.values(), strict=True))
    print(f"physical cores: {cores}; default now (cores the load leaves idle): {default_threads()}")
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--prompts", type=int, default=8)
    parser.add_argument("--tokens", type=int, default=48, help="new tokens per prompt")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--together", type=int, default=4, help="n_seq: sequences decoded together")
    parser.add_argument("--threads", type=int, default=1, help="n_threads for the sequences comparison")
    parser.add_argument("--threads-too", action="store_true", help="also one thread vs every core")
    parts = ("all", "sequences", "sharing", "mixed", "continuous")
    parser.add_argument("--part", choices=parts, default="all")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    texts = prompts(args.prompts)
    if args.part in ("all", "sequences"):
        compare_sequences(args, texts)
    if args.part in ("all", "sharing"):
        compare_sharing(args)
    if args.part in ("all", "mixed"):
        compare_mixed(args)
    if args.part in ("all", "continuous"):
        compare_continuous(args, texts)
    if args.threads_too:
        compare_threads(args, texts)


if __name__ == "__main__":
    main()
