"""Throughput against an API backend with --max-concurrency, as a share of the ideal bound.

A local OpenAI-compatible server (127.0.0.1) answers every request after a fixed latency. With
C requests in flight and latency L, no client can exceed C / L requests per second; this prints
the achieved rate of a real `faithbench run` (lm-eval's local-chat-completions backend, the
runner's concurrent dispatch, the cache) and its ratio to that bound, measured in one run. It
also prints the client's CPU-seconds before the first request and after the last answer (sampled
every 5 ms), which, unlike wall seconds, stay comparable when other processes share the cores.
Usage: python bench/api_throughput.py [--concurrency 32] [--latency 0.1] [--items 110]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from faithbench.cli import cli

TESTS = Path(__file__).resolve().parent.parent / "tests"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--items", type=int, default=110, help="items of suggested_answer (x3 requests)")
    args = parser.parse_args()
    os.environ["FAITHBENCH_OBSERVER"] = "none"
    # the server runs in its own process, so it does not share this one's interpreter lock
    server = subprocess.Popen(
        [sys.executable, str(TESTS / "openai_server.py"), str(args.latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{server.stdout.readline().strip()}"
        with tempfile.TemporaryDirectory() as out:
            clock, imported = CpuClock(), set(sys.modules)
            started, cpu_started = time.time(), time.process_time()
            result = CliRunner().invoke(
                cli,
                [
                    "run",
                    "--model",
                    "local-chat-completions",
                    "--model-args",
                    f"base_url={base}/v1/chat/completions,model=bench",
                    "--apply-chat-template",
                    "--tasks",
                    "suggested_answer",
                    "--limit",
                    str(args.items),
                    "--batch-size",
                    "1",
                    "--max-concurrency",
                    str(args.concurrency),
                    "--no-cache",
                    "--output-path",
                    out,
                ],
            )
            wall, cpu = time.time() - started, time.process_time() - cpu_started
            clock.stop()
            assert result.exit_code == 0, result.output
        stats = json.loads(urllib.request.urlopen(f"{base}/stats", timeout=5).read())
    finally:
        server.terminate()
    n, serving = stats["requests"], stats["last"] - stats["first"]
    ideal = args.concurrency / args.latency
    waves = -(-n // args.concurrency)
    print(f"{n} requests, {args.concurrency} concurrent, {args.latency * 1000:.0f} ms server latency")
    print(
        f"request phase (first request in to last answer out, server clock): {serving:.2f} s; "
        f"whole run with start-up and metrics: {wall:.2f} s"
    )
    rate, best = n / serving, n / (waves * args.latency)
    print(
        f"achieved {rate:.1f} req/s, ideal bound {ideal:.1f} req/s, ratio {rate / ideal:.2f} "
        f"(a perfect client needs {waves} waves: best possible ratio {best / ideal:.2f})"
    )
    print(f"whole-run rate {n / wall:.1f} req/s, ratio {n / wall / ideal:.2f}")
    before = clock.at(stats["first"]) - cpu_started
    after = cpu - (clock.at(stats["last"]) - cpu_started)
    print(
        f"outside the request phase: start-up {stats['first'] - started:.2f} s wall, {before:.2f} CPU-s; "
        f"after the last answer {started + wall - stats['last']:.2f} s wall, {after:.2f} CPU-s "
        f"(total {before + after:.2f} CPU-s)"
    )
    uncached = [n for n, m in list(sys.modules.items()) if n not in imported and _from_source(m)]
    if uncached:  # e.g. PYTHONDONTWRITEBYTECODE=1 on an editable install, unlike an installed wheel
        flag = os.environ.get("PYTHONDONTWRITEBYTECODE", "")
        print(
            f"note: {len(uncached)} of the modules the run imported had no cached bytecode and were "
            f"compiled from source (PYTHONDONTWRITEBYTECODE={flag!r})"
        )


def _from_source(module) -> bool:
    spec = getattr(module, "__spec__", None)
    cached, origin = getattr(spec, "cached", None), getattr(spec, "origin", None)
    return bool(cached and origin and origin.endswith(".py") and not os.path.exists(cached))


class CpuClock:
    """This process's CPU time sampled every 5 ms, to read it at the server's first and last
    timestamps (same machine clock)."""

    def __init__(self):
        self.samples: list[tuple[float, float]] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.done.wait(0.005):
            self.samples.append((time.time(), time.process_time()))

    def stop(self) -> None:
        self.done.set()
        self.thread.join()

    def at(self, when: float) -> float:
        return min(self.samples, key=lambda s: abs(s[0] - when))[1]


if __name__ == "__main__":
    main()
