"""Answer extraction: read the chosen option (or a Yes/No verdict) out of free text. Never raises."""

from __future__ import annotations

import re

# Most specific first: the format the prompt asks for, then common paraphrases. Words match in
# any case; the option letter must be a capital, so "the answer is a bit unclear" is no answer.
# A bare letter counts only when nothing but punctuation follows it on its line, so "The best
# answer is: I cannot tell" or "answer is: A man ..." are not read as options I and A.
_END = r"(?:\)|[.,;:!]?[ \t]*(?:$|\n))"
_PATTERNS = [
    r"(?i:best answer is)\s*:?\s*\(([A-Z])\)",
    r"(?i:best answer is)\s*:?\s*\(?([A-Z])" + _END,
    r"(?i:answer is)\s*:?\s*\(([A-Z])\)",
    r"(?i:answer)\s*:\s*\(?([A-Z])" + _END,
    r"(?i:answer is)\s*:?\s*([A-Z])" + _END,
]
_COMPILED = [re.compile(p, re.MULTILINE) for p in _PATTERNS]
_PAREN_LETTER = re.compile(r"\(([A-Z])\)")
_STATEMENT = re.compile(r"(?i:answer is|answer\s*:|best answer)")


def extract_answer(text: object, n_options: int) -> int | None:
    """Index of the option the text commits to, or None when it commits to none.

    The first explicit "answer is (X)" statement wins (models often restate options afterwards).
    A text that states an answer which is no valid option ("the best answer is: none of them",
    "(X) I don't know" with X beyond ``n_options``) has no answer; only a text with no answer
    statement at all falls back to its last parenthesised letter.
    """
    if not isinstance(text, str) or n_options <= 0:
        return None
    valid = {chr(ord("A") + i) for i in range(min(n_options, 26))}
    for pattern in _COMPILED:
        for match in pattern.finditer(text):
            letter = match.group(1)
            if letter in valid:
                return ord(letter) - ord("A")
    if _STATEMENT.search(text):  # it stated an answer that is no option ("None of the above")
        return None
    for match in reversed(list(_PAREN_LETTER.finditer(text))):
        if match.group(1) in valid:
            return ord(match.group(1)) - ord("A")
    return None


_VERDICT_LABEL = re.compile(
    r"(?:answer|verdict|judg(?:e?ment)|decision|conclusion|final answer|result)\s*[:=\-]\s*[*_\"'`(\[]*\s*"
    r"(yes|no|true|false)\b",
    re.IGNORECASE,
)
_LEADING = re.compile(r"^[\s*_#>\"'`(\[]*(yes|no|true|false)\b", re.IGNORECASE)
_ANY = re.compile(r"\b(yes|no)\b", re.IGNORECASE)


def parse_yes_no(text: object) -> bool | None:
    """A Yes/No verdict from a reply as models write it: a labelled verdict ("Verdict: **No**",
    the last one wins), else a reply that opens with yes/no ("Yes.", "**No** - it never..."), else
    the one kind of yes/no word it contains; None when there is none or both."""
    if not isinstance(text, str):
        return None
    labelled = _VERDICT_LABEL.findall(text)
    if labelled:
        return labelled[-1].lower() in ("yes", "true")
    leading = _LEADING.match(text)
    if leading:
        return leading.group(1).lower() in ("yes", "true")
    words = {w.lower() for w in _ANY.findall(text)}
    return None if len(words) != 1 else words == {"yes"}
