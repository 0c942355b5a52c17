"""A chain of thought as text to work on: without its final answer, and as sentences."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_ANSWER_SENTENCE = re.compile(r"(?i:(?:so,? |therefore,? |thus,? )?the best answer is\b.*)", re.DOTALL)


def strip_answer(cot: str | None) -> str:
    """The reasoning without its final-answer statement (c~ in DESIGN.md)."""
    text = cot or ""
    match = _ANSWER_SENTENCE.search(text)
    return (text[: match.start()] if match else text).strip()


def sentences(reasoning: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(reasoning) if s and s.strip()]
