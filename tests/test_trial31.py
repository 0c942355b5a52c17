"""Issue 31 read as a new user: the compare page at 1400 px and every page at a real 390 px
(Chromium device emulation: a headless window cannot be narrower than 500 px)."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from faithbench.cli import cli
from faithbench_leaderboard import build
from tests import test_leaderboard as shared

browser, needs_browser, site_json = shared.browser, shared.needs_browser, shared.site_json


def _run(out: Path, *args: str) -> Path:
    common = ["--tasks", "suggested_answer,answer_always_a", "--limit", "12", "--observer", "none"]
    result = CliRunner().invoke(cli, ["run", "--model", "fake", *args, *common, "--output-path", str(out)])
    assert result.exit_code == 0, result.output
    return next(out.rglob("results.json")).parent


@pytest.fixture(scope="module")
def two_fakes(tmp_path_factory):
    """fake and fake at bias 0.3: answer_always_a moves nothing, so its articulation is undefined."""
    root = tmp_path_factory.mktemp("trial31")
    site = root / "site"
    build([_run(root / "a"), _run(root / "b", "--model-args", "bias=0.3")], site)
    ids = [r["id"] for r in site_json(site)["runs"]]
    return site, ids


@needs_browser
def test_compare_shows_b_minus_a_on_screen_and_says_undefined(two_fakes, browser):
    """On a laptop screen the B - A column is on screen (it wraps, the table does not scroll), and a
    figure a run has no value for reads "undefined, n=..", never "- [-, -] n=..."."""
    from selenium.webdriver.common.by import By

    site, ids = two_fakes
    browser.set_window_size(1024, 900)  # a laptop: the full table is wider than that unless B - A wraps
    try:
        browser.get((site / "compare.html").as_uri() + f"#{ids[0]},{ids[1]}")
        for table in ("compare", "compare-pooled"):
            script = f"var t = document.getElementById('{table}'); return [t.scrollWidth, t.clientWidth]"
            widths = browser.execute_script(script)
            assert widths[0] <= widths[1], (table, widths)
    finally:
        browser.set_window_size(1400, 1200)
    text = browser.find_element(By.ID, "compare").text
    assert "[-, -]" not in text
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#compare tr")]
    rows = [r for r in rows if "answer_always_a" in r]
    undefined = [r for r in rows if "articulation" in r]
    assert undefined and "undefined, n=" in undefined[0], rows


@needs_browser
def test_no_page_scrolls_sideways_at_390_px(two_fakes, browser):
    site, ids = two_fakes
    pages = [
        "index.html",
        f"model-{ids[0]}.html",
        f"samples-{ids[0]}.html#task=suggested_answer&condition=suggested_answer&moved=yes",
        f"compare.html#{ids[0]},{ids[1]}",
    ]
    phone = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    try:
        for page in pages:
            browser.get((site / page).as_uri())
            width = browser.execute_script("return [document.documentElement.scrollWidth, innerWidth]")
            assert width == [390, 390], (page, width)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@needs_browser
def test_compare_says_which_way_each_figure_is_more_faithful(two_fakes, browser):
    """Each figure carries the direction its metric declares (pooled verbalized_when_moved takes
    articulation's): a reader of a B - A of -0.108 can tell whether B is the more faithful."""
    from selenium.webdriver.common.by import By

    site, ids = two_fakes
    assert site_json(site)["directions"]["verbalized_when_moved"] is True
    browser.get((site / "compare.html").as_uri() + f"#{ids[0]},{ids[1]}")
    way = {
        td.text: td.get_attribute("data-way")
        for td in browser.find_elements(By.CSS_SELECTOR, "#compare td.name, #compare-pooled td.name")
    }
    assert way["bias_susceptibility"] == "↓" and way["articulation"] == "↑"
    assert way["verbalized_when_moved"] == "↑"
    shown = browser.execute_script(
        "var td = document.querySelector('#compare-pooled td[data-way]');"
        "return getComputedStyle(td, '::after').content"
    )
    assert "↓" in shown or "↑" in shown, shown
    assert "higher is more faithful" in browser.find_element(By.ID, "compare-note").text


def test_the_terminal_summary_of_all_tasks_fits_100_columns(tmp_path, monkeypatch):
    """With a model label that carries its args, the observer line after the summary wrapped to 113
    columns; `show` prints the same summary."""
    monkeypatch.delenv("FAITHBENCH_OBSERVER")  # the default observer: the model itself
    args = ["--model", "rationalizer", "--model-args", "mode=thinking", "--tasks", "all", "--limit", "2"]
    ran = CliRunner().invoke(cli, ["run", *args, "--output-path", str(tmp_path)])
    assert ran.exit_code == 0, ran.output
    shown = CliRunner().invoke(cli, ["show", str(next(tmp_path.rglob("results.json")))])
    assert shown.exit_code == 0, shown.output
    for out in (ran.stdout, shown.stdout):
        assert "predictive figures by observer rationalizer (mode=thinking)" in out
        assert max(len(line) for line in out.splitlines()) <= 100, max(out.splitlines(), key=len)


@needs_browser
def test_a_phone_card_says_each_figures_direction(two_fakes, browser):
    """At 390 px the header row is hidden and each figure is labelled in its card: the label
    carries the direction the header gives on a wide screen."""
    site, _ = two_fakes
    phone = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    try:
        browser.get((site / "index.html").as_uri())
        labels = browser.execute_script(
            "return Array.from(document.querySelectorAll('#models tbody tr:first-child td.num'))"
            ".map(function (td) { return getComputedStyle(td, '::before').content; })"
        )
        script = "return getComputedStyle(document.querySelector('#models thead')).display"
        header = browser.execute_script(script)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert header == "none" and len(labels) >= 4, (header, labels)
    assert all(label.rstrip('"').endswith(("↑", "↓", "→0")) for label in labels), labels
    assert any("verbalized when moved ↑" in label for label in labels), labels


@needs_browser
def test_an_iphr_card_shows_its_responses_not_an_empty_response(tmp_path, browser):
    """IPHR keeps a question's several responses as evidence: the card listed them as one JSON
    string under an empty "response" box and said "(read from -)", "cue target -"."""
    import json

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    args = ["--model", "rationalizer", "--tasks", "iphr", "--limit", "2", "--samples-per-question", "3"]
    ran = CliRunner().invoke(cli, ["run", *args, "--output-path", str(tmp_path / "out")])
    assert ran.exit_code == 0, ran.output
    folder = next((tmp_path / "out").rglob("results.json")).parent
    record = json.loads((folder / "samples.jsonl").open().readline())
    assert len(record["responses"]) == 3 and not record.get("response")
    build([folder], tmp_path / "site")
    page = next((tmp_path / "site").glob("samples-*.html")).as_uri()
    browser.get(page + f"#task=iphr&condition={record['condition']}&q=")
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#sample-list .sample"))
    card = next(
        c for c in browser.find_elements(By.CSS_SELECTOR, "#sample-list .sample")
        if c.find_element(By.TAG_NAME, "h3").text.startswith(str(record["item_id"]) + " ")
    )
    heads = [h.text for h in card.find_elements(By.TAG_NAME, "h4")]
    assert "response" not in heads and "task evidence" in heads, heads
    facts = card.find_element(By.CSS_SELECTOR, "p.facts").text
    assert "read from -" not in facts and "cue target -" not in facts, facts
    dd = next(
        dd for dt, dd in zip(card.find_elements(By.CSS_SELECTOR, "dl.evidence dt"),
                             card.find_elements(By.CSS_SELECTOR, "dl.evidence dd"), strict=True)
        if dt.text == "responses"
    )  # fmt: skip
    shown = [pre.text for pre in dd.find_elements(By.TAG_NAME, "pre")]
    assert shown == [f"{i + 1}. {text}" for i, text in enumerate(record["responses"])]


@needs_browser
def test_the_model_page_says_undefined_never_dashes_in_brackets(two_fakes, browser):
    """fake's answer_always_a moves nothing: its articulation is undefined, shown so with its n."""
    from selenium.webdriver.common.by import By

    site, ids = two_fakes
    browser.get((site / f"model-{ids[0]}.html").as_uri())
    table = browser.find_element(By.ID, "model-metrics")
    assert "[-, -]" not in table.text
    trs = table.find_elements(By.TAG_NAME, "tr")
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in trs]
    row = next(r for r in rows if r[:1] == ["answer_always_a"] and "articulation" in r)
    assert row[-1].startswith("undefined n="), row


def test_a_framed_run_pairs_its_articulation_and_verbalized_when_moved(tmp_path):
    """A framed run's summary holds a cue's row twice (its framing's, with articulation, and an
    unframed one with bias only); the second hid the first, so compare gave articulation and
    verbalized_when_moved no paired B - A ("not paired (no item rows)") for any framed run."""
    from faithbench.results.io import load_results, load_samples
    from faithbench_leaderboard.pairs import item_rows

    args = ["--model", "observer-effect", "--model-args", "mode=private", "--visibility", "all"]
    args += ["--tasks", "suggested_answer", "--limit", "12", "--observer", "none"]
    ran = CliRunner().invoke(cli, ["run", *args, "--output-path", str(tmp_path)])
    assert ran.exit_code == 0, ran.output
    path = next(tmp_path.rglob("results.json"))
    rows = item_rows(load_samples(path), load_results(path)["summary"])
    assert "verbalized_when_moved" in rows, list(rows)
    assert "suggested_answer\0suggested_answer\0articulation" in rows, list(rows)
