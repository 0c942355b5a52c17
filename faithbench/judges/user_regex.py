"""A cue's own vocabulary pattern (a YAML task's ``mentions``) is user input: it is searched with
the ``regex`` engine (the syntax of ``re``) under a time limit, so a pattern that backtracks
catastrophically is one clear error naming it, never a hung judge."""

from __future__ import annotations

import functools

from faithbench.api.errors import UserError

USER_REGEX_SECONDS = 1.0  # per sentence: a cue's own pattern (YAML ``mentions``) is user input


@functools.cache
def _user_pattern(pattern: str):
    import regex  # the ``regex`` engine: same syntax as ``re``, and searches that take a timeout

    try:
        return regex.compile(pattern, regex.IGNORECASE)
    except regex.error as exc:
        raise UserError(f"a cue's mentions pattern {pattern!r} is not a valid regex: {exc}") from None


def user_matches(pattern: str, text: str) -> list:
    """Matches of a cue's own vocabulary pattern, with a time limit: a pattern that backtracks
    catastrophically is a user error naming it, never a hang."""
    try:
        return list(_user_pattern(pattern).finditer(text, timeout=USER_REGEX_SECONDS))
    except TimeoutError:
        raise UserError(
            f"a cue's mentions pattern {pattern!r} took over {USER_REGEX_SECONDS:g} s on one sentence "
            "(catastrophic backtracking); simplify it"
        ) from None
