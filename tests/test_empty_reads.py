"""CoTs too short to read (``--max-gen-toks 1`` on the embedded model: every CoT ``"\\n\\n"``) leave
AOC and IPHR with nothing to compute; that is said as the metric's expected emptiness, not as the
plugin-author warning "computed no values (paired() compares only cue and placebo...)"."""

from faithbench.metrics.compute import MetricWarning, _apply
from faithbench_interventions.metrics import METRICS as COT_METRICS
from faithbench_iphr.live import IPHR

ONE_TOKEN_COT = {"condition": "early_answering", "condition_kind": "intervention", "gold": 3, "answer": 0,
                 "n_sentences": 0, "fractions": [0.0], "truncated_answers": [0], "full_answer": 0}


def _iphr_records():
    return [{"item_id": f"iphr-0-0-{k}", "condition": "paired", "condition_kind": "probe", "gold": k,
             "answer": None, "answers": [None, None], "pair": "iphr-0-0", "prop": "planets",
             "comparison": "gt"} for k in (0, 1)]


def test_nothing_to_read_is_no_plugin_author_warning():
    aoc = next(m for m in COT_METRICS if m.name == "aoc")
    for metric, records, note in [
        (aoc, [ONE_TOKEN_COT | {"item_id": "i0"}],
         "no CoT had two steps to truncate (1 of one step or none)"),
        (IPHR, _iphr_records(), "no pair had an answer read from both its questions (4 of 4 CoTs unread)"),
    ]:
        values, problems = _apply([metric], records, 0)
        assert not [p for p in problems if isinstance(p, MetricWarning)], metric.name
        [row] = values
        assert row["value"] is None and row["n"] == 0 and row["note"] == note
