"""Compare's B - A with a paired CI over shared items (pairs.py): values against a hand
computation on a planted pair of runs, and the compare page in Chromium."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from faithbench.cli import cli
from faithbench.metrics.stats import INDEX_BLOCK, newcombe
from faithbench_leaderboard import build
from faithbench_leaderboard.pairs import difference, item_rows
from tests import test_leaderboard as shared

# the leaderboard tests' browser (a fixture: waits for each page to be drawn)
browser, needs_browser, site_json = shared.browser, shared.needs_browser, shared.site_json

SUMMARY = {"rows": [{"task": "t", "condition": "cue", "bias_susceptibility": {}, "articulation": {}}]}


def planted(moved: int, said: int, items: int = 20, prefix: str = "i", at_target=range(0)) -> list[dict]:
    """A run of one cue: the control answers (A), target (B) != gold (C); the cue moves the first
    ``moved`` items to the target, the first ``said`` of those say the cue; on the items in
    ``at_target`` the control answer is already the target (and the cued one is not)."""
    out = []
    for i in range(items):
        item = f"{prefix}{i}"
        base = {"task": "t", "item_id": item, "gold": 2, "target": 1, "n_options": 4, "error": None}
        control = {"condition": "no_cue", "condition_kind": "control", "answer": int(i in at_target)}
        out.append({**base, **control})
        cued = {"condition": "cue", "condition_kind": "cue", "answer": 1 if i < moved else 0}
        out.append({**base, **cued, "verbalized": i < said})
    return out


def hand_bootstrap(diffs: np.ndarray) -> tuple[float, float]:
    """The percentile interval of the mean per-item difference over 2,000 resamples of the items,
    drawn from seed 0 in blocks of INDEX_BLOCK // n rows as faithbench's bootstraps draw them."""
    rng, n = np.random.default_rng(0), diffs.size
    rows = INDEX_BLOCK // n
    idx = np.concatenate([rng.integers(0, n, size=(min(rows, 2000 - s), n)) for s in range(0, 2000, rows)])
    return tuple(np.percentile(diffs[idx].mean(axis=1), [2.5, 97.5]))


BIAS, ART = "t\0cue\0bias_susceptibility", "t\0cue\0articulation"


def test_paired_difference_matches_a_hand_computation():
    # A: the cue moves items 0-9; on items 15-19 the control answer is already the target, so
    # A's shift there is -1. B: the cue moves items 0-14. Per item B - A: 1 on items 10-19.
    a = item_rows(planted(10, 4, at_target=range(15, 20)), SUMMARY)
    b = item_rows(planted(15, 12), SUMMARY)
    bias = difference(BIAS, a[BIAS], b[BIAS])
    per_item = np.array([1.0 if 10 <= int(i[1:]) else 0.0 for i in sorted(f"i{k}" for k in range(20))])
    low, high = hand_bootstrap(per_item)  # items in the order of their ids, as pairs.py takes them
    assert bias["value"] == pytest.approx(0.5) and bias["n"] == 20 and "method" not in bias
    assert (bias["ci_low"], bias["ci_high"]) == pytest.approx((low, high))
    assert bias["ci_low"] > 0  # every difference points one way: paired, this is significant
    # articulation: no answer switches elsewhere (alpha = 1), so V itself: 12/15 - 4/10 over the
    # 15 items both runs have with a control answer off the target
    art = difference(ART, a[ART], b[ART])
    assert art["value"] == pytest.approx(12 / 15 - 4 / 10) and art["n"] == 15 and art["a_only"] == 0
    assert art["ci_low"] < art["value"] < art["ci_high"]


def test_one_binary_value_per_item_takes_newcombes_interval():
    """Every item moved in both runs: articulation is the share verbalized, a paired proportion,
    so the interval is Newcombe's on the 2x2 table (a bootstrap would collapse to a point where
    every item's difference is the same)."""
    a, b = item_rows(planted(20, 4), SUMMARY), item_rows(planted(20, 12), SUMMARY)
    art = difference(ART, a[ART], b[ART])
    # said by both: items 0-3; by B only: 4-11; by A only: none; by neither: 12-19
    low, high = newcombe(4, 8, 0, 8)
    assert art["method"] == "newcombe" and art["value"] == pytest.approx(8 / 20)
    assert (art["ci_low"], art["ci_high"]) == pytest.approx((float(low), float(high)))
    same = difference(ART, a[ART], a[ART])  # no difference on any item: an interval, not a point
    assert same["value"] == 0 and same["ci_low"] < 0 < same["ci_high"]
    pooled = difference("verbalized_when_moved", a["verbalized_when_moved"], b["verbalized_when_moved"])
    assert pooled["method"] == "newcombe" and pooled["value"] == pytest.approx(8 / 20)


def test_items_not_shared_are_counted_never_paired():
    a = item_rows(planted(10, 4), SUMMARY)
    elsewhere = item_rows(planted(10, 4, prefix="x"), SUMMARY)
    key = "t\0cue\0bias_susceptibility"
    none = difference(key, a[key], elsewhere[key])
    assert none["n"] == 0 and none["value"] is None and none["a_only"] == 20 and none["b_only"] == 20
    half = item_rows(planted(10, 4, items=30), SUMMARY)  # 10 more items only B has
    some = difference(key, a[key], half[key])
    assert some["n"] == 20 and some["b_only"] == 10 and some["a_only"] == 0 and some["value"] == 0


def _run(out: Path, *args: str) -> Path:
    common = ["--tasks", "suggested_answer", "--limit", "12", "--observer", "none"]
    common += ["--output-path", str(out)]
    result = CliRunner().invoke(cli, ["run", "--model", "rationalizer", *args, *common])
    assert result.exit_code == 0, result.output
    return next(out.rglob("results.json")).parent


@pytest.fixture(scope="module")
def compare_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("compare")
    plain = _run(root / "plain")
    faithful = _run(root / "faithful", "--model-args", "mode=faithful")
    other = root / "other" / "rationalizer"  # the same run on other items: nothing to pair
    shutil.copytree(plain, other)
    rows = [json.loads(line) for line in (other / "samples.jsonl").open()]
    moved = "".join(json.dumps({**r, "item_id": "x" + r["item_id"]}) + "\n" for r in rows)
    (other / "samples.jsonl").write_text(moved)
    data = json.loads((other / "results.json").read_text())
    data["model"]["name"] = "elsewhere"
    (other / "results.json").write_text(json.dumps(data))
    site = root / "site"
    build([plain, faithful, other], site)
    return site, plain, faithful


def test_pair_files_are_written_for_every_pair(compare_site):
    site, _, _ = compare_site
    data = site_json(site)
    assert len(data["pairs"]) == 3
    for a, b in data["pairs"]:
        assert a < b and (site / "assets" / "pairs" / f"{a}--{b}.js").is_file()


@needs_browser
def test_compare_page_shows_the_paired_interval(compare_site, browser):
    from selenium.webdriver.common.by import By

    site, plain, faithful = compare_site
    runs = {r["model_label"]: r["id"] for r in site_json(site)["runs"]}
    ids = [i for label, i in runs.items() if label != "elsewhere"]
    expected = {}
    for a, b in (ids, ids[::-1]):  # either order: B - A flips sign
        browser.get((site / "compare.html").as_uri() + f"#{a},{b}")
        row = next(
            tr for tr in browser.find_elements(By.CSS_SELECTOR, "#compare tr")[1:]
            if tr.find_elements(By.TAG_NAME, "td")[2].text == "articulation"
        )  # fmt: skip
        text = row.find_elements(By.TAG_NAME, "td")[5].text
        # the 8 items whose control answer is not the target, all moved in both runs: Newcombe
        assert "paired (Newcombe), 8 shared items" in text, text
        low, high = (float(x) for x in text.split("[")[1].split("]")[0].split(","))
        assert low < high  # an interval, not the point a bootstrap of identical differences gives
        # it excludes 0 but rests on 8 items: shown, never bold (the run's verdict would not
        # conclude from under MIN_ITEMS either; trial of issue 28)
        assert (low > 0 or high < 0) and "too few items to conclude" in text
        assert "significant" not in row.get_attribute("class")
        rows = browser.find_elements(By.CSS_SELECTOR, "#compare tr")[1:]
        bias = next(tr for tr in rows if tr.find_elements(By.TAG_NAME, "td")[2].text == "bias_susceptibility")
        assert "12 shared items" in bias.text and "too few" not in bias.text
        expected[(a, b)] = float(text.split()[0])
        assert "paired" in browser.find_element(By.ID, "compare-note").text
    assert expected[tuple(ids)] == -expected[tuple(ids[::-1])]
    # against the runs' own figures: on shared items B - A is the difference of the two figures
    figs = {}
    for label, folder in (("plain", plain), ("faithful", faithful)):
        summary = json.loads((folder / "results.json").read_text())["summary"]
        figs[label] = summary["rows"][0]["articulation"]["value"]
    assert abs(expected[tuple(ids)]) == pytest.approx(abs(figs["faithful"] - figs["plain"]), abs=1e-3)
    assert abs(expected[tuple(ids)]) > 0.5  # the faithful mode says the cue, the other never
    browser.get((site / "compare.html").as_uri() + f"#{runs['elsewhere']},{ids[0]}")
    texts = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#compare td.diff")]
    assert any("items not shared" in t and "≈[" in t for t in texts), texts
    assert not any("paired" in t.replace("not paired", "") for t in texts)


def test_the_rows_give_each_runs_own_figures(compare_site):
    """The statistic on one run's own item rows is that run's figure (per cue and pooled): the
    paired difference compares the figures the run reports, not look-alikes."""
    from faithbench.results.io import load_samples
    from faithbench_leaderboard.pairs import statistic

    _, plain, faithful = compare_site
    for folder in (plain, faithful):
        summary = json.loads((folder / "results.json").read_text())["summary"]
        rows = summary["rows"]
        reported = {"\0".join((r["task"], r["condition"], k)): v for r in rows for k, v in r.items()}
        reported.update(summary["aggregates"])
        rows = item_rows(load_samples(folder / "results.json"), summary)
        assert len(rows) == 4
        for key, table in rows.items():
            width = len(next(iter(table.values())))
            cols = [np.array([table[i][k] for i in sorted(table)]) for k in range(width)]
            assert float(statistic(key)(cols)) == pytest.approx(reported[key]["value"]), key


@needs_browser
def test_compare_fits_a_phone(compare_site, browser):
    """At 390 px each figure is a card (A, B and B - A labelled): no horizontal scroll."""
    from selenium.webdriver.common.by import By

    site, _, _ = compare_site
    ids = [r["id"] for r in site_json(site)["runs"]]
    browser.set_window_size(390, 900)
    try:
        browser.get((site / "compare.html").as_uri() + f"#{ids[0]},{ids[1]}")
        width = browser.execute_script("return [document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], width
        diff = browser.find_element(By.CSS_SELECTOR, "#compare td.diff")
        assert diff.is_displayed() and diff.rect["x"] + diff.rect["width"] <= width[1]
    finally:
        browser.set_window_size(1400, 1200)


def test_a_large_site_pairs_runs_of_one_model_only():
    """Above PAIRS_ALL runs with samples, only runs of the same model (backend and its
    arguments: two "hf" runs of different weights are two models) get a paired file."""
    from faithbench_leaderboard.pairs import PAIRS_ALL, compared

    n = PAIRS_ALL + 2
    runs = [
        {"id": f"r{i:02d}", "model": "hf", "model_args": {"pretrained": f"m{i % 7}"}, "summary": SUMMARY}
        for i in range(n)
    ]
    out = compared(runs, [planted(3, 1, items=4)] * n)
    assert sorted(out) == [(f"r{i:02d}", f"r{i + 7:02d}") for i in range(n - 7)]
    few = compared(runs[:PAIRS_ALL], [planted(3, 1, items=4)] * PAIRS_ALL)
    assert len(few) == PAIRS_ALL * (PAIRS_ALL - 1) // 2  # a small site: every pair


def test_pooled_items_under_several_cues_read_as_one_value_each():
    """An item under two cues, said under both or neither in each run: one 0/1 value per item
    (Newcombe over items, as cluster_mean_ci reads agreeing clusters), the same figure."""
    two = {"rows": SUMMARY["rows"] + [{**SUMMARY["rows"][0], "condition": "cue2"}]}
    runs = []
    for said in (4, 12):
        recs = planted(20, said)
        recs += [{**r, "condition": "cue2"} for r in recs if r["condition"] == "cue"]
        runs.append(item_rows(recs, two)["verbalized_when_moved"])
    pooled = difference("verbalized_when_moved", *runs)
    low, high = newcombe(4, 8, 0, 8)
    assert pooled["method"] == "newcombe" and pooled["value"] == pytest.approx(8 / 20) and pooled["n"] == 20
    assert (pooled["ci_low"], pooled["ci_high"]) == pytest.approx((float(low), float(high)))


def test_a_point_bootstrap_over_agreeing_items_becomes_newcombe():
    """Items under two cues, moved by one or both (weights differ), said by none in A and by all
    in B: every resample gives B - A = 1, a point; read one value per item, Newcombe's interval."""
    two = {"rows": SUMMARY["rows"] + [{**SUMMARY["rows"][0], "condition": "cue2"}]}
    runs = []
    for said in (0, 20):
        recs = planted(20, said)
        cued = [r for r in recs if r["condition"] == "cue"]
        recs += [{**r, "condition": "cue2", "answer": int(r["item_id"] < "i3")} for r in cued]
        runs.append(item_rows(recs, two)["verbalized_when_moved"])
    assert len({float(r[1]) for r in runs[0].values()}) == 2  # items weigh 1 or 2
    pooled = difference("verbalized_when_moved", *runs)
    low, high = newcombe(0, 20, 0, 0)
    assert pooled["method"] == "newcombe" and pooled["value"] == 1.0
    assert (pooled["ci_low"], pooled["ci_high"]) == pytest.approx((float(low), float(high)))
    assert pooled["ci_low"] < 1


def test_two_runs_that_answer_alike_get_an_interval_not_a_point():
    """Identical runs: every item's B - A of bias susceptibility is 0, so the bootstrap returns
    [0, 0]; the interval bounds the share of items that could differ (0 of 20: Clopper-Pearson's
    1 - 0.025^(1/20)) times the reach of one item's difference (2 for a shift in [-1, 1])."""
    a = item_rows(planted(10, 4, at_target=range(15, 20)), SUMMARY)  # shifts of 1, 0 and -1
    pooled = difference("bias_susceptibility", a["bias_susceptibility"], a["bias_susceptibility"])
    share = 1 - 0.025 ** (1 / 20)
    assert pooled["value"] == 0 and pooled["method"] == "no item differs"
    assert pooled["ci_low"] == pytest.approx(-2 * share) and pooled["ci_high"] == pytest.approx(2 * share)
    assert 0.3 < pooled["ci_high"] < 0.4
