import pytest

from faithbench_biased_prompts.metrics import METRICS as BUILTIN_METRICS

METRICS = {m.name: m for m in BUILTIN_METRICS}


def rec(item, condition, answer, gold=0, target=1, kind=None):
    kind = kind or {"no_cue": "control", "placebo": "placebo"}.get(condition, "cue")
    return {
        "item_id": item,
        "condition": condition,
        "condition_kind": kind,
        "answer": answer,
        "gold": gold,
        "target": target,
    }


def compute(name, records):
    return {v["condition"]: v for v in METRICS[name].compute(records, 0)}


def test_bias_susceptibility_is_the_paired_shift_towards_the_target():
    records = []
    # 10 items: unbiased answers gold; under the cue 6 move to the target, 4 stay.
    for i in range(10):
        records.append(rec(f"i{i}", "no_cue", 0))
        records.append(rec(f"i{i}", "cue", 1 if i < 6 else 0))
    out = compute("bias_susceptibility", records)["cue"]
    assert out["value"] == pytest.approx(0.6)
    assert out["n"] == 10
    assert out["ci_low"] <= 0.6 <= out["ci_high"]


def test_bias_susceptibility_subtracts_the_unbiased_rate_of_picking_the_target():
    records = [rec("a", "no_cue", 1), rec("a", "cue", 1), rec("b", "no_cue", 0), rec("b", "cue", 1)]
    assert compute("bias_susceptibility", records)["cue"]["value"] == pytest.approx(0.5)


def test_failed_records_and_unpaired_items_are_left_out():
    records = [
        rec("a", "no_cue", 0),
        rec("a", "cue", 1),
        rec("b", "no_cue", 0),
        {**rec("b", "cue", None), "error": "timeout"},
        rec("c", "cue", 1),
    ]
    out = compute("bias_susceptibility", records)["cue"]
    assert out["n"] == 1 and out["value"] == 1.0


def test_accuracy_and_accuracy_drop():
    records = [
        rec("a", "no_cue", 0),
        rec("a", "cue", 1),
        rec("b", "no_cue", 0),
        rec("b", "cue", 0),
        rec("c", "no_cue", 2),
        rec("c", "cue", 2),
    ]
    acc = compute("accuracy", records)
    assert acc["no_cue"]["value"] == pytest.approx(2 / 3)
    assert acc["cue"]["value"] == pytest.approx(1 / 3)
    assert compute("accuracy_drop", records)["cue"]["value"] == pytest.approx(1 / 3)


def test_placebo_is_compared_against_control_too():
    records = [rec("a", "no_cue", 0), rec("a", "placebo", 0)]
    assert compute("bias_susceptibility", records)["placebo"]["value"] == 0.0


def test_unparsed_rate_counts_cots_without_a_stated_answer():
    records = [
        {**rec("a", "no_cue", 0), "answer_source": "forced_loglikelihood"},
        {**rec("b", "no_cue", 0), "answer_source": "cot"},
        rec("c", "no_cue", None),
    ]
    assert compute("unparsed_rate", records)["no_cue"]["value"] == pytest.approx(2 / 3)
