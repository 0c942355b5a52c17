from hypothesis import given
from hypothesis import strategies as st

from faithbench.plans.extraction import extract_answer


def test_requested_format():
    assert extract_answer("... so 85. The best answer is: (B).", 4) == 1


def test_the_committed_statement_wins_over_restated_options():
    text = "The best answer is: (C). For reference (A) and (B) were wrong."
    assert extract_answer(text, 4) == 2


def test_paraphrases_and_bare_letters():
    assert extract_answer("I'd say the answer is (D)", 4) == 3
    assert extract_answer("Answer: A", 4) == 0
    assert extract_answer("it must be (b) then", 4) is None  # lowercase bare letters are not answers
    assert extract_answer("so it is (B)", 4) == 1


def test_letters_beyond_the_options_are_ignored():
    assert extract_answer("The best answer is: (E)", 4) is None
    assert extract_answer("The best answer is: (X)", 26) == 23


def test_no_answer():
    assert extract_answer("I cannot decide.", 4) is None
    assert extract_answer(None, 4) is None
    assert extract_answer("The best answer is: (A)", 0) is None


@given(st.text(), st.integers(min_value=-3, max_value=40))
def test_never_raises_and_stays_in_range(text, n):
    out = extract_answer(text, n)
    assert out is None or 0 <= out < min(n, 26)


def test_lowercase_words_are_not_letters():
    assert extract_answer("The answer is a bit unclear.", 4) is None
    assert extract_answer("THE BEST ANSWER IS: (B)", 4) == 1


def test_bare_capital_words_are_not_letters():
    assert extract_answer("The best answer is: I cannot determine this.", 10) is None
    assert extract_answer("The best answer is: A man would not do that.", 4) is None
    assert extract_answer("The best answer is: B.\nDone", 4) == 1
    assert extract_answer("Answer: C", 4) == 2


def test_a_stated_non_option_is_no_answer_not_a_stray_letter():
    text = "(D) is not humorous either.\nNone of the options work. So the best answer is: None."
    assert extract_answer(text, 4) is None
    assert extract_answer("Both fail. The best answer is: (C) More context is needed.", 2) is None
    assert extract_answer("Only (B) survives scrutiny.", 4) == 1  # no statement: last letter


def test_answer_styles_real_models_write():
    """Every response in tests/data/answer_styles.jsonl is read as labeled."""
    import json
    from pathlib import Path

    corpus = [json.loads(line) for line in (Path(__file__).parent / "data" / "answer_styles.jsonl").open()]
    wrong = [
        row["style"]
        for row in corpus
        if extract_answer(row["text"], len(row["options"]), row["options"]) != row["answer"]
    ]
    assert len(corpus) >= 25 and wrong == []
