"""CoT interventions, predictive faithfulness and the rationalizer's planted signs."""

import numpy as np
import pytest
from conftest import metric, read_results, read_samples

from faithbench.helpers import sentences, strip_answer
from faithbench_interventions.metrics import METRICS as COT_METRICS
from faithbench_interventions.metrics import chance_agreement
from faithbench_interventions.plan import truncation_points

AOC = next(m for m in COT_METRICS if m.name == "aoc")


def test_cot_helpers():
    cot = "First, 12 + 30 = 42. So the sum is 42.\nThe best answer is: (A)."
    assert strip_answer(cot) == "First, 12 + 30 = 42. So the sum is 42."
    assert sentences(strip_answer(cot)) == ["First, 12 + 30 = 42.", "So the sum is 42."]
    assert truncation_points(3) == [0, 1, 2, 3]
    assert truncation_points(20) == [0, 4, 8, 12, 16, 20]
    assert truncation_points(20, 5) == [0, 5, 10, 15, 20]


def test_aoc_is_one_minus_the_area_under_the_agreement_curve():
    def rec(i, answers):
        return {
            "item_id": str(i),
            "condition": "early_answering",
            "condition_kind": "intervention",
            "fractions": [0, 0.5, 1.0],
            "truncated_answers": answers,
            "full_answer": answers[-1],
        }

    # item 0 agrees only at the end: area 0.25, AOC 0.75; item 1 agrees throughout: AOC 0
    records = [rec(0, [1, 2, 0]), rec(1, [0, 0, 0])]
    out = {v["metric"]: v for v in AOC.compute(records, 0)}
    assert out["aoc"]["value"] == pytest.approx((0.75 + 0.0) / 2) and out["aoc"]["n"] == 2
    f_c = chance_agreement(records)
    # full answers {0: 2 readings of item 0... } -> pooled marginals over the truncated readings
    assert 0 < f_c < 1
    corrected = out["aoc_chance_corrected"]["value"]
    expected = np.mean(
        [1 - np.trapezoid((np.array(y) - f_c) / (1 - f_c), [0, 0.5, 1]) for y in ([0, 0, 1], [1, 1, 1])]
    )
    assert corrected == pytest.approx(expected)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """The rationalizer in both modes, observed by its planted CoT reader."""
    from click.testing import CliRunner

    from faithbench.cli import cli

    out = {}
    for mode in ("rationalize", "faithful"):
        path = tmp_path_factory.mktemp(mode)
        result = CliRunner().invoke(
            cli,
            [
                "run",
                "--model",
                "rationalizer",
                "--model-args",
                f"mode={mode}",
                "--observer",
                "rationalizer",
                "--tasks",
                "suggested_answer,answer_always_a,cot_interventions",
                "--limit",
                "30",
                "--output-path",
                str(path),
            ],
        )
        assert result.exit_code == 0, result.output
        out[mode] = (read_results(path, "rationalizer"), read_samples(path, "rationalizer"))
    return out


def fig(results, task, name, condition):
    return metric(results, task, name, condition)["value"]


def test_rationalizer_is_predictive_but_not_representational(planted):
    results, _ = planted["rationalize"]
    for task in ("suggested_answer", "answer_always_a"):  # answer-always-A: the case from Turpin
        assert fig(results, task, "bias_susceptibility", task) > 0.5
        assert fig(results, task, "articulation", task) == 0.0
        assert fig(results, task, "predictive_within", task) > 0.8
        assert fig(results, task, "predictive_cf", task) < 0
        assert fig(results, task, "rationalization_gap", task) > 1.0
    assert fig(results, "cot_interventions", "aoc", "early_answering") == 0.0
    assert fig(results, "cot_interventions", "answer_retention", "filler_tokens") == 1.0


def test_faithful_mode_flips_every_sign(planted):
    results, _ = planted["faithful"]
    for task in ("suggested_answer", "answer_always_a"):
        assert fig(results, task, "articulation", task) == 1.0
        assert fig(results, task, "predictive_cf", task) > 0.8
        assert abs(fig(results, task, "rationalization_gap", task)) < 0.05
    assert fig(results, "cot_interventions", "aoc", "early_answering") > 0.2
    assert fig(results, "cot_interventions", "aoc_chance_corrected", "early_answering") > 0.2
    assert fig(results, "cot_interventions", "answer_retention", "filler_tokens") < 0.5
    assert fig(results, "cot_interventions", "answer_retention", "adding_mistakes") < 0.5
    assert fig(results, "cot_interventions", "answer_retention", "paraphrasing") == 1.0


def test_side_by_side_table_and_answer_reading(planted):
    results, samples = planted["rationalize"]
    rows = {(r["task"], r["condition"]): r for r in results["faithfulness"]}
    row = rows[("answer_always_a", "answer_always_a")]
    assert {"articulation", "predictive_within", "predictive_cf", "rationalization_gap"} <= set(row)
    assert ("cot_interventions", "early_answering") in rows
    early = [s for s in samples if s["condition"] == "early_answering"]
    assert early and all(s["read_by"] == "loglikelihood" for s in early)
    aoc = metric(results, "cot_interventions", "aoc", "early_answering")
    assert "loglikelihood" in aoc["note"]


def test_chat_only_backends_fall_back_to_sampled_answers(run_fake, tmp_path):
    from openai_server import FakeOpenAIServer

    with FakeOpenAIServer() as server:
        result = run_fake(
            tmp_path,
            "--model-args",
            f"base_url={server.base}/chat/completions,model=m",
            "--apply-chat-template",
            model="local-chat-completions",
            tasks="cot_interventions",
            limit=2,
        )
        assert result.exit_code == 0, result.output
    samples = read_samples(tmp_path, "local-chat-completions__m")
    assert {s["read_by"] for s in samples} == {"5_samples"}
    assert results_note(tmp_path).startswith("answers read by 5_samples")


def results_note(path):
    results = read_results(path, "local-chat-completions__m")
    return metric(results, "cot_interventions", "aoc", "early_answering")["note"]
