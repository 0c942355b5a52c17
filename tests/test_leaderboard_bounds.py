"""What the site prints where results.json has nothing to print: an end of an interval the data
cannot bound (null beside a value) reads -∞ / +∞ as in the terminal, never "-", 0.00 or NaN; a
setting one run left unset is not "None" in the label that tells two runs apart."""

import json

from faithbench_leaderboard import site_data


def test_a_setting_left_unset_is_not_printed_as_none(results_file):
    run = json.loads(results_file.read_text())
    other = {**run, "config": {**run["config"], "limit": 12, "items": "chainscope:release"}}
    bare = {**run, "config": {**run["config"], "limit": None, "items": None}}
    labels = [r["model_label"] for r in site_data([other, bare])["runs"]]
    assert labels == ["fake · limit=12, items=chainscope:release", "fake · defaults"]
    assert not any("None" in label for label in labels)
