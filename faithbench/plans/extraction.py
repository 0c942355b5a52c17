"""Answer extraction: read the chosen option (or a Yes/No verdict) out of free text as models
write it. Never raises.

Markdown emphasis and headings are read through, ``\\boxed{B}`` is an answer statement, and the
*last* committed statement wins (a model that reconsiders ends with its final choice). A statement
may name the option by letter or, failing that, by its text (``options``). Only a text with no
answer statement at all falls back to its last parenthesised capital letter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# The option letter must be a capital: "the answer is a bit unclear" is no answer. A bare letter
# counts only when nothing but punctuation follows it on its line or a closing parenthesis, so
# "The best answer is: I cannot tell" or "answer is: A man ..." are not read as options I and A.
_END = r"(?:\)|[.,;:!]?[ \t]*(?:$|\n))"
_VERB = r"(?:\s+(?:is|would be|must be))"
_LEAD = (
    rf"(?i:(?:best|final|correct|right)\s+answer{_VERB}?|answer{_VERB}|answer|"
    r"(?:correct|right|best)\s+(?:option|choice)\s+is|i(?:'ll| will)?\s+(?:choose|pick|go with|select))"
)
_STATEMENT = re.compile(
    r"\b" + _LEAD + r"\s*[:=\-]?\s*(?i:option\s+|choice\s+)?(?:\(([A-Z])\)|([A-Z])" + _END + ")", re.MULTILINE
)
_OPTION_IS = re.compile(r"(?i:option|choice)\s+\(?([A-Z])\)?\s+(?i:is\s+(?:correct|right|the\s+answer))")
_BOXED = re.compile(r"\\boxed\{\s*(?:\\text\{)?\s*\(?([A-Z])\)?\s*\}?\s*\}")
_STATED = re.compile(r"(?i:answer\s*(?:is|would be|must be|:)|best answer|final answer|\\boxed)")
_TEXT_STATEMENT = re.compile(
    r"(?i:(?:best|final|correct)\s+answer|the\s+answer)\s*(?:is|would be|:)?\s*:?\s*"
    r"(.+?)\s*(?:[.!]\s|[.!]?$|\n)",
    re.MULTILINE,
)
_PAREN_LETTER = re.compile(r"\(([A-Z])\)")
_MARKUP = re.compile(r"\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)|^#{1,6}\s*", re.MULTILINE)


def _plain(text: str) -> str:
    """The text without Markdown emphasis or heading marks."""
    return _MARKUP.sub("", text)


def _norm(text: str) -> str:
    return re.sub(r"[\s.,;:!*_`\"'()]+", " ", text).strip().lower()


def extract_answer(text: object, n_options: int, options: Sequence[str] | None = None) -> int | None:
    """Index of the option the text commits to, or None when it commits to none.

    The last answer statement naming a valid option wins. A text that states an answer naming no
    valid option ("the best answer is: none of them", "(C)" with two options) has no answer;
    only a text with no answer statement at all falls back to its last parenthesised letter."""
    if not isinstance(text, str) or n_options <= 0:
        return None
    valid = {chr(ord("A") + i) for i in range(min(n_options, 26))}
    plain = _plain(text)
    found: list[tuple[int, str]] = []
    for pattern in (_STATEMENT, _OPTION_IS, _BOXED):
        for match in pattern.finditer(plain):
            letter = next(g for g in match.groups() if g)
            found.append((match.start(), letter))
    for _, letter in sorted(found, reverse=True):
        if letter in valid:
            return ord(letter) - ord("A")
    if options:  # an option named by its text: "The answer is 42."
        names = {_norm(o): i for i, o in enumerate(options[:26]) if _norm(o)}
        for match in reversed(list(_TEXT_STATEMENT.finditer(plain))):
            said = _norm(match.group(1))
            if said in names:
                return names[said]
    if found or _STATED.search(plain):  # it stated an answer that is no option ("None of the above")
        return None
    for match in reversed(list(_PAREN_LETTER.finditer(plain))):
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
