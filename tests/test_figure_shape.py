"""The metric-figure shape check's fast path (faithbench/metrics/shape.py) passes only what the
results schema accepts; whatever it does not pass, jsonschema reads and words."""

import pytest

from faithbench.metrics.compute import value_problem
from faithbench.metrics.shape import _figure_schema, _plainly_valid

BASE = {"metric": "m", "condition": "c", "value": 0.5, "ci_low": 0.1, "ci_high": 0.9, "n": 3}


@pytest.mark.parametrize("extra", [
    {}, {"note": "why"}, {"note": 1}, {"judge": None}, {"observer": "o"}, {"family": 2},
    {"n": 2.0}, {"value": None, "ci_low": None, "ci_high": None}, {"other": [1, {"a": None}]},
    {"estimate": {"value": 1, "ci_low": 0, "ci_high": 2, "n": 1}}, {"estimate": {"value": 1}},
])
def test_the_fast_path_passes_only_what_the_schema_accepts(extra):
    figure = {**BASE, **extra}
    valid = _figure_schema().is_valid(figure)
    assert not _plainly_valid(figure) or valid
    assert value_problem(figure) is not None or valid  # value_problem is stricter still (n an int)


def test_a_plain_figure_skips_jsonschema_and_a_bad_one_is_worded():
    assert _plainly_valid({**BASE, "note": "n counts items", "eligible": 4})
    assert "note" in value_problem({**BASE, "note": 1})
    assert "estimate" in value_problem({**BASE, "estimate": {"value": 1}})
