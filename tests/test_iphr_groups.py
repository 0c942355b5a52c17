"""IPHR under --limit (issue 28): whole comparison groups, their pair counts in the results, a
warning for groups too small for the group-bias criterion, and the measured false-flag rate of an
unbiased random answerer at the default settings (the README states it)."""

import random
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT

from faithbench import ItemConfig
from faithbench_iphr.facts import iphr_items
from faithbench_iphr.groups import pairs_needed, whole_groups
from faithbench_iphr.live import _iphr, chainscope_items, judged_pairs

RELEASE = ROOT.parent / "shared" / "chainscope_iphr" / "df_wm_non_ambiguous_hard2_9models.csv.gz"
README = (Path(__file__).parent.parent / "README.md").read_text()


def _random_answers(items, samples: int, rng: np.random.Generator) -> list[dict]:
    """One run of a model that answers Yes or No at random, with no bias: records as the plan
    writes them (the fields the metric reads)."""
    out = []
    for it in items:
        answers = [int(x) for x in rng.integers(0, 2, samples)]  # 0 = Yes
        out.append(
            {
                "pair": it.meta["pair"],
                "prop": it.meta["prop"],
                "comparison": it.meta["comparison"],
                "gold": it.gold,
                "answers": answers,
                "answer": max(set(answers), key=answers.count),
                "p_yes": answers.count(0) / samples,
                "p_correct": sum(a == it.gold for a in answers) / samples,
            }
        )
    return out


def _false_flag_rate(items, samples: int, runs: int, seed: int = 0) -> float:
    rng = np.random.default_rng(seed)
    flags = [f for _ in range(runs) for *_, f in judged_pairs(_random_answers(items, samples, rng))]
    return float(np.mean(flags))


def test_whole_groups_in_a_seeded_order_only_the_last_cut():
    pairs = [(g, i) for g, size in (("a", 5), ("b", 8), ("c", 3), ("d", 30)) for i in range(size)]
    sizes = {"a": 5, "b": 8, "c": 3, "d": 30}
    for seed in range(20):
        chosen = whole_groups(pairs, lambda p: p[0], 12, random.Random(seed))
        assert len(chosen) == 12
        runs = [g for i, (g, _) in enumerate(chosen) if i == 0 or chosen[i - 1][0] != g]
        assert len(runs) == len(set(runs))  # each group's pairs together
        assert all(sum(g == h for h, _ in chosen) == sizes[g] for g in runs[:-1])  # whole but the last
        larger = whole_groups(pairs, lambda p: p[0], 30, random.Random(seed))
        assert larger[:12] == chosen  # a prefix of a larger limit: shards merge to the limit run
    assert len(whole_groups(pairs, lambda p: p[0], None, random.Random(0))) == len(pairs)


def test_the_pairs_a_group_needs():
    assert pairs_needed(10) == 20 and pairs_needed(4) == 49 and pairs_needed(1) == 193


def test_the_default_items_under_a_limit_are_whole_categories_but_the_last():
    items = iphr_items(ItemConfig(limit=100, seed=0))
    full = iphr_items(ItemConfig(seed=0))
    per = {}
    for it in full:
        per[it.meta["prop"]] = per.get(it.meta["prop"], 0) + 1
    chosen = {}
    for it in items:
        chosen[it.meta["prop"]] = chosen.get(it.meta["prop"], 0) + 1
    order = list(dict.fromkeys(it.meta["prop"] for it in items))
    assert all(chosen[g] == per[g] for g in order[:-1]) and chosen[order[-1]] <= per[order[-1]]
    assert len(items) == 200 and len(items.sizes) == 100  # 100 pairs, each one item of two questions


def test_an_unbiased_random_answerer_stays_within_the_stated_false_flag_rate():
    """Default settings (the shipped fact table, 10 samples per question) at --limit 100: the
    README states the measured rate and its bound."""
    pattern = r"false-flag rate of an unbiased\s+random answerer.{0,400}?under ([\d.]+)%"
    stated = re.search(pattern, README, re.S)
    assert stated, "the README states the bound"
    items = iphr_items(ItemConfig(limit=100, seed=0))
    assert _false_flag_rate(items, 10, runs=150) < float(stated.group(1)) / 100


@pytest.mark.skipif(not RELEASE.is_file(), reason="../shared/chainscope_iphr not present")
def test_whole_groups_stop_the_release_flagging_noise():
    """At 4 samples per question, pairs scattered over the release's groups flagged ~21% of an
    unbiased random answerer's pairs; whole groups flag almost none."""
    items = chainscope_items(str(RELEASE), ItemConfig(limit=100, seed=0))
    groups = {(it.meta["prop"], it.meta["comparison"]) for it in items}
    assert len(items) == 200 and len(groups) <= 3
    assert _false_flag_rate(items, 4, runs=60) < 0.01


def _paired(records) -> dict:
    found = _iphr(records, 0)
    return next(v for v in found if v["metric"] == "iphr_pair_rate" and v["condition"] == "paired")


def test_the_pair_rate_reports_groups_and_warns_on_thin_ones(caplog):
    items = iphr_items(ItemConfig(limit=100, seed=0))
    thin = [it for it in items if it.meta["pair"] in {i.meta["pair"] for i in items[:6]}]  # 3 pairs
    records = _random_answers(thin, 10, np.random.default_rng(1))
    paired = _paired(records)
    assert sum(paired["groups"].values()) == 3 and paired["n"] == 3
    assert paired["n_draws"] == 3 * 2 * 10  # n counts pairs; n_draws the CoTs read behind them
    assert "fewer than 20 pairs" in paired["note"] and "fewer than 20 pairs" in caplog.text
    full = _random_answers(items, 10, np.random.default_rng(1))
    paired = _paired(full)
    assert "fewer than" not in paired["note"] and all(n >= 20 for n in paired["groups"].values())


@pytest.mark.skipif(not RELEASE.is_file(), reason="../shared/chainscope_iphr not present")
def test_a_full_release_run_still_concludes():
    """All 58 groups: the interval over groups is enough to conclude from (a few groups are thin)."""
    from faithbench_iphr.live import _verdict

    items = chainscope_items(str(RELEASE), ItemConfig(seed=0))
    paired = _paired(_random_answers(items, 10, np.random.default_rng(0)))
    assert paired["n_groups"] == 58 and paired["n"] == len(items) // 2
    assert _verdict(paired).startswith("0.0% [0.0%, ") and "in 58 comparison groups" in _verdict(paired)
