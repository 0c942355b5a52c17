"""Introspection (Looking Inward), cue self-report and reversed-pair IPHR."""

from conftest import metric, read_results, read_samples

from faithbench import ItemConfig
from faithbench_introspection.objects import (
    hypothetical_prompt,
    object_prompts,
    predicted_property,
    response_property,
)
from faithbench_iphr.facts import iphr_items, numeric_facts


def test_response_properties():
    assert response_property("first_character", "  'Apple.'\nmore", {}) == "a"
    assert response_property("second_character", "Apple", {}) == "p"
    assert response_property("first_word", "The cat sat.", {}) == "the"
    assert response_property("second_word", "The cat sat.", {}) == "cat"
    assert response_property("starts_with_vowel", "Umbrella", {}) == "yes"
    assert response_property("is_even", "The next is 42.", {}) == "even"
    assert response_property("is_even", "no number", {}) is None
    assert response_property("among_options", "B", {"subset": ["A", "B"]}) == "yes"
    assert response_property("among_options", "(C)", {"subset": ["A", "B"]}) == "no"
    assert predicted_property("starts_with_vowel", "Yes.") == "yes"
    assert predicted_property("is_even", "It would be odd") == "odd"
    assert predicted_property("first_character", '"t"') == "t"


def test_object_prompts_cover_every_family_and_property():
    items = object_prompts(ItemConfig(limit=10, seed=0))
    props = {i.meta["property"] for i in items}
    assert props == {
        "first_character",
        "second_character",
        "first_word",
        "second_word",
        "starts_with_vowel",
        "is_even",
        "among_options",
    }
    item = next(i for i in items if i.meta["property"] == "among_options")
    text = hypothetical_prompt(item).messages[0].content
    assert item.question in text and all(f"({x})" in text for x in item.meta["subset"])


def run(run_cli, tmp_path, *args):
    result = run_cli("run", "--model", "fake", "--output-path", str(tmp_path), *args)
    assert result.exit_code == 0, result.output
    return read_results(tmp_path)


def test_self_prediction_tracks_the_models_introspective_accuracy(run_cli, tmp_path):
    perfect = run(
        run_cli, tmp_path / "a", "--tasks", "introspection", "--limit", "30", "--model-args", "introspect=1"
    )
    blind = run(
        run_cli, tmp_path / "b", "--tasks", "introspection", "--limit", "30", "--model-args", "introspect=0"
    )
    for prop in ("first_character", "second_word", "is_even"):
        assert metric(perfect, "introspection", "self_prediction_accuracy", prop)["value"] == 1.0
        assert metric(blind, "introspection", "self_prediction_accuracy", prop)["value"] == 0.0
        assert metric(perfect, "introspection", "nondeterminism_ceiling", prop)["value"] == 1.0
    first = metric(perfect, "introspection", "introspection_normalized", "first_character")
    assert first["value"] == 1.0  # (acc - mode) / (ceiling - mode) with acc = ceiling
    mode = metric(perfect, "introspection", "mode_baseline", "first_character")
    assert mode["value"] < 1 and "mode =" in mode["note"]


def test_cross_prediction_gap(run_cli, tmp_path):
    results = run(
        run_cli,
        tmp_path,
        "--tasks",
        "introspection",
        "--limit",
        "30",
        "--model-args",
        "introspect=1",
        "--cross-model",
        "fake",
        "--cross-model-args",
        "introspect=0",
    )
    gap = metric(results, "introspection", "self_minus_cross", "first_character")
    assert gap["value"] == 1.0 and results["config"]["side_models"] == {"cross": "fake"}


def test_cue_self_report_is_scored_against_measured_influence(run_cli, tmp_path):
    results = run(run_cli, tmp_path, "--tasks", "cue_self_report", "--limit", "40")
    honest = metric(results, "cue_self_report", "self_report_balanced_accuracy", "suggested_answer")
    assert honest["value"] == 1.0 and honest["n"] == 40
    influence = metric(results, "cue_self_report", "measured_influence_rate", "suggested_answer")
    assert 0.2 < influence["value"] < 0.9
    reports = [s for s in read_samples(tmp_path) if s.get("self_report_prompt")]
    assert reports and reports[0]["self_report_prompt"][-1]["content"].startswith("Did the suggestion")
    none_moved = run(
        run_cli, tmp_path / "zero", "--tasks", "cue_self_report", "--limit", "20", "--model-args", "bias=0"
    )
    undefined = metric(none_moved, "cue_self_report", "self_report_balanced_accuracy", "suggested_answer")
    assert undefined["value"] is None and "undefined" in undefined["note"]


def test_iphr_items_are_reversed_pairs_of_shipped_facts():
    facts = numeric_facts()
    assert set(facts) == {"mountains", "rivers", "planets", "elements"}
    items = iphr_items(ItemConfig(limit=30, seed=0))
    assert 0 < len(items) <= 60 and len(items) % 2 == 0  # whole groups, up to 30 pairs
    for a, b in zip(items[::2], items[1::2], strict=True):
        assert a.meta["pair"] == b.meta["pair"] and a.gold != b.gold  # exactly one is true


def test_iphr_run(run_cli, tmp_path):
    results = run(run_cli, tmp_path, "--tasks", "iphr", "--limit", "20")
    rate = metric(results, "iphr", "iphr_pair_rate", "paired")
    assert rate["n"] == 20 and 0 <= rate["value"] <= 1
    samples = read_samples(tmp_path)
    assert all(len(s["answers"]) == 10 for s in samples)  # the paper's 10 CoTs per question
    flagged = [s for s in samples if s.get("iphr_unfaithful_pair")]
    assert len(flagged) == 2 * round(rate["value"] * 20)  # both questions of a flagged pair are marked


def test_self_minus_cross_is_a_paired_difference_with_newcombes_interval():
    """self - cross over the same items: Newcombe's paired interval, which reaches below 0; the
    mean of the 0/1 differences was read as a proportion (Wilson), so two items where only self
    was right printed 0.50 [0.09, 0.91] and agreeing models [0.00, 0.28] (trial of issue 28)."""
    from faithbench.helpers import difference_ci
    from faithbench_introspection.looking_inward import _introspection

    def rows(selfs, crosses):
        return [
            {"item_id": f"i{i}", "property": "is_even", "actual": "even", "resampled": [],
             "predicted": "even" if s else "odd", "cross_predicted": "even" if c else "odd"}
            for i, (s, c) in enumerate(zip(selfs, crosses, strict=True))
        ]

    def gap(selfs, crosses):
        return next(v for v in _introspection(rows(selfs, crosses), 0) if v["metric"] == "self_minus_cross")

    split = gap([1, 1], [0, 1])
    assert split["value"] == 0.5 and split["ci_low"] < 0 < split["ci_high"]
    newcombe = difference_ci([1, 1], [0, 1])
    assert (split["ci_low"], split["ci_high"]) == (newcombe["ci_low"], newcombe["ci_high"])
    agree = gap([1] * 5 + [0] * 5, [1] * 5 + [0] * 5)
    assert agree["value"] == 0 and agree["ci_low"] == -agree["ci_high"] < 0
