"""Where a pass needs no more of a generation (``Generate.stop_after``): patterns that match once
the text has stated what the pass reads, and end only after the statement's own terminator (a
closing parenthesis, a newline, a non-word character), so the pass's reader finds in the cut text
the statement it would have found there in the whole one. The reader's rule "the last statement
wins" becomes "the first one does" for these passes: a model reconsidering after stating its
answer is not read on. Passes whose later text is read (a CoT a judge reads for a mention of the
cue, a response whose length or wording is measured) declare none."""

from __future__ import annotations

# "The best answer is: (X)" (the instructed format, ``COT_INSTRUCTION``) or "... is X" ending its
# line, X one of the item's letters: extract_answer reads X from the cut text, and strip_answer
# (the reasoning before the first "the best answer is") is the same as the whole text's.
BEST_ANSWER_STATED = r"(?i:the best answer is)\s*:?\s*(?:\([{letters}]\)|[{letters}][.,;:!]?[ \t]*\n)"

# The first line with text on it, through its newline: for a pass that keeps only that line.
FIRST_LINE = r"\S[^\n]*\n"

# A reply that opens with yes/no (parse_yes_no's "leading" verdict), and one more character.
LEADING_YES_NO = r"^[\s*_#>\"'`(\[]*(?i:yes|no|true|false)\W"

# A labelled verdict ("Verdict: **No**" ... as parse_yes_no reads it) and one more character.
VERDICT_STATED = r"(?i:verdict)\s*[:=\-]\s*[*_\"'`(\[]*\s*(?i:yes|no|true|false)\W"

STOP_PATTERNS = {  # for the config hash of the plans that declare them (``sends``)
    "stop_best_answer": BEST_ANSWER_STATED,
    "stop_first_line": FIRST_LINE,
    "stop_leading_yes_no": LEADING_YES_NO,
    "stop_verdict": VERDICT_STATED,
}


def best_answer_stated(n_options: int) -> str:
    """``BEST_ANSWER_STATED`` for an item with ``n_options`` options (letters A.. only)."""
    last = chr(ord("A") + max(1, min(n_options, 26)) - 1)
    return BEST_ANSWER_STATED.format(letters=f"A-{last}")
