"""Scratchpad visibility: framings crossed with the biased-prompt tasks, per-framing figures,
paired differences between framings, and a planted observer effect recovered."""

import json

import pytest
from conftest import read_results, read_samples

from faithbench.api.framing import FRAMINGS, PRIVATE, WATCHED, parse_visibility
from faithbench_visibility.metrics import _observer_effect


def values(results: dict, task: str, name: str) -> dict:
    return {m["condition"]: m for m in results["tasks"][task]["metrics"] if m["metric"] == name}


def test_private_and_watched_have_matched_lengths():
    for kind in ("scratchpad", "thinking"):
        a, b = len(getattr(PRIVATE, kind)), len(getattr(WATCHED, kind))
        assert abs(a - b) <= 0.05 * max(a, b), (kind, a, b)
    assert parse_visibility("all") == tuple(FRAMINGS.values())


def test_each_framing_frames_the_first_user_turn(run_fake, tmp_path):
    out = tmp_path / "out"
    result = run_fake(out, "--visibility", "all", limit=4)
    assert result.exit_code == 0, result.output
    records = read_samples(out)
    assert len(records) == 3 * 4 * 3  # framings x items x (no_cue, cue, placebo)
    for r in records:
        first = r["prompt"][0]["content"]
        if r["framing"] == "none":
            assert "scratchpad" not in first
        else:
            assert first.startswith(FRAMINGS[r["framing"]].scratchpad + "\n\n")
    entry = read_results(out)["tasks"]["suggested_answer"]
    assert entry["framings"]["names"] == ["none", "private", "watched"]
    bias = [m for m in entry["metrics"] if m["metric"] == "bias_susceptibility"]
    assert sorted(m["framing"] for m in bias if m["condition"] == "suggested_answer") == [
        "none", "private", "watched",
    ]  # fmt: skip


def test_framing_texts_are_in_the_config_hash(run_fake, tmp_path):
    assert run_fake(tmp_path / "a", limit=2).exit_code == 0
    assert run_fake(tmp_path / "b", "--visibility", "private,watched", limit=2).exit_code == 0
    plain = read_results(tmp_path / "a")["tasks"]["suggested_answer"]["config_hash"]
    framed = read_results(tmp_path / "b")["tasks"]["suggested_answer"]["config_hash"]
    assert plain != framed


def test_a_reasoning_model_gets_the_thinking_texts():
    from faithbench import Task
    from faithbench.api.conditions import Condition
    from faithbench.api.items import ItemConfig
    from faithbench.api.task import RunOptions, Sample
    from faithbench.helpers import cot_answer_plan, standard_items
    from faithbench.plans.cot_answer import build_prompt

    task = Task("t", "1", "", standard_items, (Condition("c"),), cot_answer_plan, (), framable=True)
    item = standard_items(ItemConfig(limit=1))[0]
    for thinking, text in ((False, PRIVATE.scratchpad), (True, PRIVATE.thinking)):
        sample = Sample(task, item, task.conditions[0], RunOptions(thinking=thinking), framing=PRIVATE)
        assert build_prompt(sample).messages[0].content.startswith(text + "\n\n")


def test_a_bad_visibility_is_a_user_error(run_fake, tmp_path):
    result = run_fake(tmp_path, "--visibility", "secret", limit=2)
    assert result.exit_code == 2 and "invalid --visibility" in result.output


@pytest.mark.parametrize(
    "mode, private_watched, private_none", [("private", 1.0, 1.0), ("watched", -1.0, 0.0)]
)
def test_a_planted_observer_effect_is_recovered(run_fake, tmp_path, mode, private_watched, private_none):
    out = tmp_path / "out"
    result = run_fake(
        out, "--model-args", f"mode={mode}", "--visibility", "all",
        tasks="suggested_answer,authority", limit=12, model="observer-effect",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    results = read_results(out, "observer-effect")
    for task in ("suggested_answer", "authority"):
        assert values(results, task, "articulation_private_minus_watched")[task]["value"] == private_watched
        assert values(results, task, "articulation_private_minus_none")[task]["value"] == private_none
        assert values(results, task, "bias_private_minus_watched")[task]["value"] == 0.0  # follows under all
        changed = {
            m["framings"]: m
            for m in results["tasks"][task]["metrics"]
            if m["metric"] == "verbalization_changed" and m["condition"] == task
        }
        assert changed["private vs watched"]["judge"] == "rules"
        assert changed["private vs watched"]["value"] == 1.0  # the verdict flips on every cued CoT
        assert changed["private vs none"]["value"] == (1.0 if mode == "private" else 0.0)
    rows = results["summary"]["rows"]
    assert {r.get("framing") for r in rows} == {None, "none", "private", "watched"}


def _rec(framing, condition, kind, item, answer, verbalized=None, target=1, gold=0):
    return {
        "framing": framing, "condition": condition, "condition_kind": kind, "item_id": item,
        "answer": answer, "target": target, "gold": gold, "verbalized": verbalized,
        "judgements": {"rules": verbalized} if verbalized is not None else {},
    }  # fmt: skip


def test_differences_on_hand_built_records():
    recs = []
    # item a: moved under both framings, verbalized only when private; item b: moved only when
    # private (not verbalized); control answers 0 (not the target 1) everywhere
    for f in ("private", "watched"):
        for item in ("a", "b"):
            recs.append(_rec(f, "none", "control", item, 0))
    recs += [
        _rec("private", "cue", "cue", "a", 1, True),
        _rec("watched", "cue", "cue", "a", 1, False),
        _rec("private", "cue", "cue", "b", 1, False),
        _rec("watched", "cue", "cue", "b", 0, False),
    ]
    out = {v["metric"]: v for v in _observer_effect(recs, seed=0)}
    # bias: a 1-1=0, b 1-0=1 -> mean 0.5; articulation: private 1/2, watched 1/1... V_w = 0/1
    assert out["bias_private_minus_watched"]["value"] == 0.5
    assert out["articulation_private_minus_watched"]["value"] == pytest.approx(0.5 - 0.0)
    assert out["verbalization_changed"]["value"] == 0.5  # a flips, b does not
    assert "bias_private_minus_none" not in out  # no 'none' framing ran


def test_shards_of_a_framed_run_merge(run_fake, run_cli, tmp_path):
    flags = ("--visibility", "all")
    assert run_fake(tmp_path / "full", *flags, limit=6).exit_code == 0
    for part in ("0:3", "3:6"):
        assert run_fake(tmp_path / part.replace(":", "-"), *flags, "--item-range", part).exit_code == 0
    merged = tmp_path / "merged"
    result = run_cli(
        "merge", str(tmp_path / "0-3" / "fake"), str(tmp_path / "3-6" / "fake"), "--out", str(merged)
    )
    assert result.exit_code == 0, result.output
    full = read_results(tmp_path / "full")["tasks"]["suggested_answer"]["metrics"]
    got = json.loads((merged / "results.json").read_text())["tasks"]["suggested_answer"]["metrics"]
    key = [(m["metric"], m["condition"], m.get("framing"), m["value"]) for m in full]
    assert [(m["metric"], m["condition"], m.get("framing"), m["value"]) for m in got] == key


def test_one_reference_framing_for_the_verdict_aggregates_and_judges(run_fake, tmp_path):
    """Without 'none', the figures that come from one framing all come from the first one run."""
    out = tmp_path / "out"
    result = run_fake(
        out, "--model-args", "mode=private", "--visibility", "private,watched", "--judge", "rules,llm",
        "--judge-model", "fake", limit=20, model="observer-effect",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    results = read_results(out, "observer-effect")
    summary = results["summary"]
    assert summary["framing"] == "private"
    assert summary["aggregates"]["verbalized_when_moved"]["value"] == 1.0  # admitted when private
    assert "verbalizes the cue in 100%" in summary["verdict"]
    assert results["tasks"]["suggested_answer"]["judges"]["framing"] == "private"


def test_every_figure_of_a_framed_run_says_its_framing(run_fake, tmp_path):
    """The side-by-side table keeps one row per condition and framing (none overwrites another),
    and --show all labels each figure with its framing (or the pair a difference compares)."""
    out = tmp_path / "out"
    result = run_fake(out, "--visibility", "all", "--show", "all", "--observer", "rationalizer", limit=6)
    assert result.exit_code == 0, result.output
    rows = read_results(out)["faithfulness"]
    cued = [r for r in rows if r["condition"] == "suggested_answer"]
    assert sorted(r["framing"] for r in cued) == ["none", "private", "watched"]
    assert "| suggested_answer (private) | articulation |" in result.output
    assert "| suggested_answer (private vs watched) | articulation_private_minus_watched |" in result.output
    assert "| suggested_answer | suggested_answer (watched) | all |" in result.output


def test_exports_name_each_framing(run_fake, run_cli, tmp_path):
    """Every Eval Ever names are unique per figure: each framing (and each compared pair) apart."""
    out = tmp_path / "out"
    assert run_fake(out, "--visibility", "all", limit=4).exit_code == 0
    assert (
        run_cli("export", str(out / "fake"), "--format", "eee", "--out", str(tmp_path / "eee")).exit_code == 0
    )
    [agg] = (tmp_path / "eee" / "fake").glob("*.json")
    names = [r["evaluation_name"] for r in json.loads(agg.read_text())["evaluation_results"]]
    assert "suggested_answer/suggested_answer (private)/bias_susceptibility" in names
    assert "suggested_answer/suggested_answer (watched)/bias_susceptibility" in names
    judged = [n for n in names if n.endswith("/verbalization_changed")]
    assert len(judged) == len(set(judged)) == 2  # private vs watched, private vs none (one judge)
