"""Unusable answer options are refused with the file and line (issue 30): repeated options, ones
equal up to case or punctuation, empty ones, and one with a line break that shows the model a
phantom option. A released set's bad item is left out with a warning naming it."""

import json
import logging

import pytest
from conftest import fails_cleanly

from faithbench.api.items import Item, ItemConfig
from faithbench.items.options import drop_unusable, option_problem
from faithbench.items.procedural import FAMILIES, mixed


def write(path, *option_sets):
    rows = [{"question": "Capital of France?", "options": list(o), "gold": 0} for o in option_sets]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.parametrize(
    "options, said",
    [
        (["Paris", "Paris", "Rome"], "option B 'Paris' is the same as option A"),
        (["Paris", "Rome", "paris."], "option C 'paris.' is equal, up to case or punctuation, to option A"),
        (["Paris", "  PARIS !", "Rome"], "option B '  PARIS !' is equal, up to case or punctuation"),
        (["Paris", "Rome", "Ｒｏｍｅ"], "option C 'Ｒｏｍｅ' is equal, up to case or punctuation"),
        (["Paris", ""], "option B is empty"),
        (["Paris", " \t ", "Rome"], "option B is empty"),
        (["Paris\n(C) London", "Rome"], "option A contains a line break"),
        (["Paris", "Rome\r(C) London"], "option B contains a line break"),
        (["Paris", "Rome\u2028(C) London"], "option B contains a line break"),
        (["B", "A", "C"], "option A 'B' reads as the letter of option B"),
        (["x", "y", "(A)"], "option C '(A)' reads as the letter of option A"),
        (["(b)", "x", "y"], "option A '(b)' reads as the letter of option B"),
        (["x", "y", "a"], "option C 'a' reads as the letter of option A"),
    ],
)
def test_unusable_options_in_a_data_file_are_refused_with_file_and_line(run_fake, tmp_path, options, said):
    path = write(tmp_path / "items.jsonl", ["Paris", "Rome", "Berlin"], options)
    fails_cleanly(run_fake(tmp_path / "out", "--data", str(path)), 2, f"Error: {path}:2: {said}")


def test_options_that_only_look_alike_are_kept(run_fake, tmp_path):
    path = write(tmp_path / "items.jsonl", ["-1", "1", "+1"], ["1.5", "15", "+", "-"], ["(", ")", "Paris"])
    alike = (["-1", "1"], ["1.5", "15"], ["+", "-"], ["(", ")"], ["A", "B"], ["I", "II"], ["Z", "Y"],
             ["a", "b"], ["x", "y", "z"])  # fmt: skip
    assert [option_problem(o) for o in alike] == [None] * len(alike)
    assert run_fake(tmp_path / "out", "--data", str(path)).exit_code == 0


def test_a_yaml_task_or_items_jsonl_source_is_checked_too(run_fake, tmp_path):
    path = write(tmp_path / "items.jsonl", ["Paris", "Rome"], ["Rome", "rome"])
    fails_cleanly(run_fake(tmp_path / "out", "--items", f"jsonl:{path}"), 2, f"{path}:2: option B")


def test_a_released_sets_bad_item_is_left_out_and_named(caplog):
    good = Item("ok", "q", ("Paris", "Rome"), 0, 1)
    bad = Item("twice-7", "q", ("Paris", "paris"), 0, 1)
    with caplog.at_level(logging.WARNING, logger="faithbench"):
        assert drop_unusable([good, bad], "hf:mmlu") == [good]
    assert "hf:mmlu: 1 item(s) left out" in caplog.text and "twice-7: option B 'paris'" in caplog.text


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_procedural_options_are_all_usable(family):
    items = list(FAMILIES[family](ItemConfig(limit=300, seed=1))) + list(mixed(ItemConfig(limit=50)))
    assert [i.id for i in items if option_problem(i.options)] == []
