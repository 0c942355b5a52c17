"""What makes a set of answer options usable: each one a distinct, non-empty, single line. Two
options equal up to case or punctuation make an answer given as text ("The answer is Paris.")
ambiguous, an empty one cannot be chosen by name, and a line break inside one shows the model an
option that does not exist (``Paris\\n(C) London``); an option that is another option's letter
(``B`` as option A) makes "the answer is B" mean two options."""

from __future__ import annotations

import logging
import re
import unicodedata

from faithbench.api.errors import UserError
from faithbench.api.items import Item

log = logging.getLogger("faithbench")

_LABEL = re.compile(r"\(?([A-Za-z])\)?")  # an option that is itself an option letter: "B", "(b)"
_EDGE_PUNCTUATION = " \t.,;:!?'\"`()[]{}"


def visible(text: str) -> str:
    """The text as shown: invisible format characters (zero-width space, joiners, BOM) left out, so
    an option of only those is empty and ``Par\u200bis`` is ``Paris``."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def option_key(text: str) -> str:
    """An option as a reader compares it: case, spacing and punctuation at its ends ignored."""
    folded = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", visible(text)).casefold()).strip()
    return folded.strip(_EDGE_PUNCTUATION) or folded  # an option of punctuation only stays itself


def option_problem(options: list[str] | tuple[str, ...]) -> str | None:
    """Why these options cannot be used as they are, or None."""
    seen: dict[str, int] = {}
    for index, text in enumerate(options):
        label = f"option {chr(ord('A') + index)}"
        if not visible(text).strip():
            return f"{label} is empty"
        if "\n" in text or "\r" in text or "\u2028" in text or "\u2029" in text:
            return f"{label} contains a line break (it would show as more than one option): {text!r}"
        named = _LABEL.fullmatch(visible(text).strip())
        other = named and ord(named.group(1).upper()) - ord("A")
        if named and other != index and other < len(options):
            return f"{label} {text!r} reads as the letter of option {named.group(1).upper()}"
        key = option_key(text)
        if key in seen:
            first = chr(ord("A") + seen[key])
            same = "the same as" if options[seen[key]] == text else "equal, up to case or punctuation, to"
            return f"{label} {text!r} is {same} option {first} {options[seen[key]]!r}"
        seen[key] = index
    return None


def check_options(options: list[str] | tuple[str, ...], where: str) -> None:
    """A user error naming ``where`` (file:line, or the item id) when the options are unusable."""
    problem = option_problem(options)
    if problem:
        raise UserError(f"{where}: {problem}")


def drop_unusable(items: list[Item], source: str) -> list[Item]:
    """A published set's items less those whose options are unusable, each named in one warning:
    a user's own file is refused instead (``check_options``), but one bad item of a released set
    (Turpin et al.'s snarks-49 repeats an option) should not stop its reproduction."""
    kept, dropped = [], []
    for item in items:
        problem = option_problem(item.options)
        if problem:
            dropped.append(f"{item.id}: {problem}")
        else:
            kept.append(item)
    if dropped:
        said = "; ".join(dropped)
        log.warning(f"{source}: {len(dropped)} item(s) left out, their options unusable: {said}")
    return kept
