"""Where a generation is complete: the first match of a plan's ``Generate.stop_after`` pattern in
the text so far. Unlike a stop string (``until``), the match stays in the text, since the answer
is in it. Backends that decode token by token check it after each token; a backend made with
``full_generations=true`` is not sent it and runs to ``max_gen_toks`` or a stop string."""

from __future__ import annotations

import functools
import re

from faithbench.models.channels import DEFAULT_TAGS


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def complete_at(text: str, pattern: str | None) -> int | None:
    """Where ``text`` is complete (the end of the pattern's first match), or None. Inline thinking
    (``<think>...</think>``, the default tags) is not searched, and a text still inside it is not
    complete: a reasoning model states its answer after its thinking."""
    if not pattern:
        return None
    start, (opened, closed) = 0, DEFAULT_TAGS
    if opened in text:
        start = text.rfind(closed)
        if start < text.rfind(opened):
            return None
        start += len(closed)
    match = _compiled(pattern).search(text, start)
    return match.end() if match else None


def cut(text: str, pattern: str | None) -> str:
    """``text`` up to where it is complete (all of it when it is not yet)."""
    end = complete_at(text, pattern)
    return text if end is None else text[:end]
