"""A model whose self-reports are not yes/no (the embedded 270M model continues the text instead)
gets a figure saying so, not a plugin author's "computed no values" warning."""

from faithbench_introspection.self_report import _self_report


def _records(report):
    out = []
    for i in range(3):
        common = {"item_id": f"i{i}", "gold": "A", "target": "B"}
        out.append({**common, "condition": "no_cue", "condition_kind": "control", "answer": "A"})
        out.append({**common, "condition": "suggested_answer", "condition_kind": "cue", "answer": "B",
                    "self_report_text": " \n\n2. <strong>Step", "self_report": report})
    return out


def test_unreadable_self_reports_give_an_undefined_figure_with_a_note():
    [row] = _self_report(_records(None), 0)
    assert row["metric"] == "self_report_balanced_accuracy" and row["value"] is None and row["n"] == 0
    assert row["note"] == "no readable yes/no self-report (3 of 3 cued replies unreadable)"


def test_readable_ones_are_scored_as_before():
    rows = {r["metric"]: r for r in _self_report(_records(True), 0)}
    assert rows["self_report_yes_rate"]["value"] == 1.0 and rows["measured_influence_rate"]["value"] == 1.0
