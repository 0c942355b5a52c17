"""What the site prints where results.json has nothing to print: an end of an interval the data
cannot bound (null beside a value) reads -∞ / +∞ as in the terminal, never "-", 0.00 or NaN; a
setting one run left unset is not "None" in the label that tells two runs apart."""

import json

import pytest

from faithbench_leaderboard import build, site_data
from tests import test_leaderboard as shared

browser, needs_browser = shared.browser, shared.needs_browser


def test_a_setting_left_unset_is_not_printed_as_none(results_file):
    run = json.loads(results_file.read_text())
    other = {**run, "config": {**run["config"], "limit": 12, "items": "chainscope:release"}}
    bare = {**run, "config": {**run["config"], "limit": None, "items": None}}
    labels = [r["model_label"] for r in site_data([other, bare])["runs"]]
    assert labels == ["fake · limit=12, items=chainscope:release", "fake · defaults"]
    assert not any("None" in label for label in labels)


@pytest.fixture(scope="module")
def unbounded_site(results_file, tmp_path_factory):
    """One run whose P_within has no lower end and whose pooled bias susceptibility no upper end,
    and a second run of it whose figures are all bounded (compare: one end unbounded)."""
    root = tmp_path_factory.mktemp("unbounded")
    run = json.loads(results_file.read_text())
    for m in run["tasks"]["suggested_answer"]["metrics"]:
        if m["metric"] == "predictive_within":
            m.update(value=0.15, ci_low=None, ci_high=1.0)
    for row in run["summary"]["rows"]:
        if "predictive_within" in row:
            row["predictive_within"].update(value=0.15, ci_low=None, ci_high=1.0)
    run["summary"]["aggregates"]["bias_susceptibility"].update(value=0.25, ci_low=-0.5, ci_high=None)
    (root / "a").mkdir()
    (root / "a" / "results.json").write_text(json.dumps(run))
    other = json.loads(results_file.read_text())
    other["date"] = "2026-12-02T09:00:00+00:00"
    (root / "b").mkdir()
    (root / "b" / "results.json").write_text(json.dumps(other))
    site = root / "site"
    build([root / "a", root / "b"], site)
    return site


@needs_browser
def test_unbounded_ends_read_as_infinity(unbounded_site, browser):
    from selenium.webdriver.common.by import By

    site = unbounded_site
    browser.get((site / "index.html").as_uri())
    dashed = browser.find_elements(By.CSS_SELECTOR, "#scatter line.error-bar.unbounded")
    ends = [[float(x.get_attribute(k)) for k in ("x1", "x2", "y1", "y2")] for x in dashed]
    bottom = float(browser.find_element(By.CSS_SELECTOR, "#scatter line.axis").get_attribute("y1"))
    assert any(e[0] == e[1] and max(e[2], e[3]) == bottom for e in ends), ends  # P_within down to the axis
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, '#models td[data-key="bias"]')]
    assert any("0.25 [-0.50, +∞]" in c for c in cells), cells  # was [-0.50, 0.00]
    texts = []
    for p in sorted(site.glob("model-*.html")):
        browser.get(p.as_uri())
        texts.append(browser.find_element(By.TAG_NAME, "body").text)
    assert any("0.150 [-∞, 1.000]" in t for t in texts)  # was [-, 1.000]
    assert not any("[-," in t or ", -]" in t for t in texts)
    ids = [p.stem.removeprefix("model-") for p in sorted(site.glob("model-*.html"))]
    browser.get((site / "compare.html").as_uri() + f"#{ids[0]},{ids[1]}")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "NaN" not in body and "bias_susceptibility" in body
    diffs = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#compare-pooled td.diff")]
    assert any("≈[-∞, +∞]" in d and "too few items to conclude" in d for d in diffs), diffs


@needs_browser
def test_long_run_labels_fit_a_phone(results_file, tmp_path, browser):
    """Two runs told apart by a long --items path: at 390 px (a phone, CDP: a headless window
    stops at 500) the model page's and the sample browser's titles wrap, compare's run pickers
    shrink, and no page scrolls sideways (the label pushed compare to 429 px, the title off-page)."""
    import shutil

    folders = []
    for limit in (2, 1500):
        folder = tmp_path / f"run{limit}"
        shutil.copytree(results_file.parent, folder)
        run = json.loads((folder / "results.json").read_text())
        run["config"].update(limit=limit, items=f"chainscope:/a/long/path/to/the/shared/iphr_release_{limit}")
        (folder / "results.json").write_text(json.dumps(run))
        folders.append(folder)
    site = tmp_path / "site"
    build(folders, site)
    phone = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    try:
        pages = [site / "index.html", site / "compare.html", *site.glob("model-*.html")]
        pages += site.glob("samples-*.html")
        for page in pages:
            browser.get(page.as_uri())
            wide = browser.execute_script(
                "return [document.documentElement.scrollWidth, Math.max(...Array.from("
                "document.querySelectorAll('h1, h3, select'),"
                " e => e.getBoundingClientRect().left + e.scrollWidth))]"
            )  # an element's scrollWidth: its text, where that runs past its own box
            assert wide[0] <= 390 and wide[1] <= 390, (page.name, wide)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@needs_browser
def test_the_model_page_says_which_gmean_is_the_headline(results_file, tmp_path, browser):
    """Two g-mean² figures of one cue: the page says, not only a tooltip, which the verdict reads."""
    from selenium.webdriver.common.by import By

    run = json.loads(results_file.read_text())
    figure = {"condition": "sycophancy", "ci_low": 0.3, "ci_high": 0.6, "n": 17, "family": "monitorability"}
    run["tasks"]["suggested_answer"]["metrics"] += [
        {**figure, "metric": "gmean2_pooled", "value": 0.48},
        {**figure, "metric": "gmean2", "value": 0.5},
    ]
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "results.json").write_text(json.dumps(run))
    build([tmp_path / "run"], tmp_path / "site")
    browser.get(next((tmp_path / "site").glob("model-*.html")).as_uri())
    cells = browser.find_elements(By.CSS_SELECTOR, "#model-metrics td:nth-child(4)")
    rows = {td.text.split("\n")[0]: td.text for td in cells}
    assert "headline g-mean²: the verdict rests on it" in rows["gmean2_pooled"], rows
    assert "OpenAI's reference g-mean², for comparison" in rows["gmean2"], rows
    from selenium.webdriver.support.ui import Select

    browser.get((tmp_path / "site" / "task-suggested_answer.html").as_uri())
    Select(browser.find_element(By.ID, "cue-filter")).select_by_value("sycophancy")
    heads = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#leaderboard th")]
    assert any(h.startswith("gmean2_pooled") and "headline g-mean²" in h for h in heads), heads


def test_monitor_gmean_of_cues_that_each_have_too_few_is_too_few():
    """n-weighted over six cues of 5 instances, n sums to 30: still no cue concludes."""
    from faithbench_leaderboard.headline import figures

    few = {"value": 1.0, "ci_low": 0.67, "ci_high": 1.0, "n": 5, "too_few": True}
    rows = [{"task": "m", "condition": c, "gmean2_pooled": few} for c in "abcdef"]
    assert figures({"summary": {"rows": rows}})["gmean2"] == {"value": 1.0, "n": 30, "too_few": True}
    rows[0] = {**rows[0], "gmean2_pooled": {**few, "n": 12, "too_few": False}}
    assert "too_few" not in figures({"summary": {"rows": rows}})["gmean2"]
