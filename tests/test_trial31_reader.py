"""Issue 31's reader trial, second pass: what a reader of the site still misread (a row on 4 items
ranked first, a thinking-only model ranked first unmarked, observer-bound figures compared across
observers, "authority / authority" headers, a scatter point under its axis, an n that is not the
count its link lists)."""

import json
from pathlib import Path

from click.testing import CliRunner

from faithbench.cli import cli
from faithbench_leaderboard import build
from tests import test_leaderboard as shared

browser, needs_browser, site_json = shared.browser, shared.needs_browser, shared.site_json


def _run(out: Path, *args: str, tasks: str = "suggested_answer") -> Path:
    common = ["--tasks", tasks, "--limit", "12", "--observer", "none"]
    result = CliRunner().invoke(cli, ["run", *args, *common, "--output-path", str(out)])
    assert result.exit_code == 0, result.output
    return next(out.rglob("results.json")).parent


def _copy(folder: Path, to: Path, name: str, verbalized: dict) -> Path:
    """The run as another model whose pooled verbalized_when_moved is ``verbalized``."""
    data = json.loads((folder / "results.json").read_text())
    data["model"]["name"] = name
    data["summary"]["aggregates"]["verbalized_when_moved"] = verbalized
    to.mkdir(parents=True)
    (to / "results.json").write_text(json.dumps(data))
    return to


@needs_browser
def test_a_row_on_too_few_items_ranks_after_the_rows_that_have_enough(tmp_path, browser):
    from selenium.webdriver.common.by import By

    base = _run(tmp_path / "base", "--model", "rationalizer")
    few = {"value": 0.25, "ci_low": 0.05, "ci_high": 0.7, "n": 4, "too_few": True}
    folders = [
        _copy(base, tmp_path / "a", "few-items", few),
        _copy(base, tmp_path / "b", "enough-low", {"value": 0.10, "ci_low": 0.03, "ci_high": 0.3, "n": 30}),
        _copy(base, tmp_path / "c", "enough-high", {"value": 0.22, "ci_low": 0.1, "ci_high": 0.4, "n": 60}),
    ]
    build(folders, tmp_path / "site")
    browser.get((tmp_path / "site" / "index.html").as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "#models tbody tr")
    names = [r.find_element(By.CSS_SELECTOR, "td.model").text for r in rows]
    assert [n.split()[0] for n in names] == ["enough-high", "enough-low", "few-items"], names
    marked = [r.find_element(By.CSS_SELECTOR, "td.rank").text for r in rows]
    assert "too few items" in marked[2] and "too few" not in marked[0] + marked[1], marked
    assert "fewer than 10 items ranks after" in browser.find_element(By.ID, "primary").text


@needs_browser
def test_a_model_that_admits_the_cue_in_thinking_only_is_marked_beside_its_rank(tmp_path, browser):
    """rationalizer mode=thinking says the cue in its thinking, never in its answer: its pooled
    figure ranks it high; the row itself, not only a chip at its far end, says so."""
    from selenium.webdriver.common.by import By

    thinking = _run(tmp_path / "t", "--model", "rationalizer", "--model-args", "mode=thinking")
    plain = _run(tmp_path / "p", "--model", "rationalizer")
    build([thinking, plain], tmp_path / "site")
    browser.get((tmp_path / "site" / "index.html").as_uri())
    rows = {
        r.find_element(By.CSS_SELECTOR, "td.model a").text: r
        for r in browser.find_elements(By.CSS_SELECTOR, "#models tbody tr")
    }
    marked = rows["rationalizer (mode=thinking)"].find_elements(By.CSS_SELECTOR, "td.model .warn-mark")
    assert marked and marked[0].is_displayed(), list(rows)
    assert "admits in thinking only" in marked[0].text and "in answer 0.00" in marked[0].text, marked[0].text
    assert "#channels" in marked[0].get_attribute("href")
    assert not rows["rationalizer"].find_elements(By.CSS_SELECTOR, ".warn-mark")
    phone = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    try:  # on a phone's card the mark wraps, the page does not scroll sideways
        browser.get((tmp_path / "site" / "index.html").as_uri())
        width = browser.execute_script("return [document.documentElement.scrollWidth, innerWidth]")
        inside = browser.execute_script(
            "var m = document.querySelector('td.model .warn-mark');"
            "return m.getBoundingClientRect().right <= m.closest('tr').getBoundingClientRect().right"
        )
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert width == [390, 390] and inside, width  # the mark inside its card, not cut off at its edge


@needs_browser
def test_compare_does_not_rank_figures_from_different_observers(tmp_path, browser, monkeypatch):
    """Each model observing itself (the default observer): A's P_within and B's come from two
    observers, so their B - A is no difference between the models; it sat first, in bold."""
    from selenium.webdriver.common.by import By

    monkeypatch.delenv("FAITHBENCH_OBSERVER", raising=False)  # the default: the model itself
    args = ["--tasks", "suggested_answer", "--limit", "12"]
    folders = []
    for name, model in (("a", ["--model", "rationalizer"]), ("b", ["--model", "fake"])):
        ran = CliRunner().invoke(cli, ["run", *model, *args, "--output-path", str(tmp_path / name)])
        assert ran.exit_code == 0, ran.output
        folders.append(next((tmp_path / name).rglob("results.json")).parent)
    build(folders, tmp_path / "site")
    data = site_json(tmp_path / "site")
    assert "predictive_within" in data["observed"] and "articulation" not in data["observed"]
    ids = [r["id"] for r in data["runs"]]
    browser.get((tmp_path / "site" / "compare.html").as_uri() + f"#{ids[0]},{ids[1]}")
    rows = browser.find_elements(By.CSS_SELECTOR, "#compare tr")[1:]
    figures = [(r.find_elements(By.TAG_NAME, "td")[2].text, r) for r in rows]
    observed = [i for i, (f, _) in enumerate(figures) if f in data["observed"]]
    assert observed, [f for f, _ in figures]
    for i in observed:
        row = figures[i][1]
        assert row.find_element(By.CSS_SELECTOR, "td.diff").text == "not comparable (different observers)"
        assert "significant" not in row.get_attribute("class")
    assert min(observed) > max(i for i, (f, _) in enumerate(figures) if f not in data["observed"])
    assert "not comparable" in browser.find_element(By.ID, "compare-observers").text


SCATTER = """
function fig(v, lo, hi) { return {value: v, ci_low: lo, ci_high: hi, n: 20}; }
var runs = [0, 1].map(function (i) { return {model_label: 'm' + i, faithfulness: [
  ['authority', 0.50, -0.21], ['suggested_answer', 0.51, -0.20], ['sycophancy', 0.52, -0.19],
  ['metadata', 0.50 + i * 0.01, 0.40], ['answer_always_a', 0.49, 0.41], ['grader_hack', 0.9, 0.9]
].map(function (c) { return {task: c[0], condition: c[0], articulation: fig(c[1], c[1] - 0.1, c[1] + 0.1),
  predictive_within: fig(c[2] + i * 0.005, c[2] - 0.05, c[2] + 0.05)}; })}; });
var box = FB.scatter(runs); document.body.appendChild(box);  // id scatter: its stylesheet
var svg = box.querySelector('svg');
var labels = Array.from(svg.querySelectorAll('text.point-label')).map(function (t) {
  var b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; });
var points = Array.from(svg.querySelectorAll('circle.point')).map(
  function (c) { return +c.getAttribute('cy'); });
var axis = +svg.querySelectorAll('line.axis')[0].getAttribute('y1');
var ticks = Array.from(svg.querySelectorAll('text.y-tick')).map(function (t) { return +t.textContent; });
var listed = (box.querySelector('p.unlabelled') || {}).textContent || '';
return [labels, points, axis, ticks, listed, points.length];
"""


@needs_browser
def test_scatter_spans_its_data_and_its_labels_do_not_overlap(tmp_path, browser):
    """Twelve points, six of them crowded near P_within -0.2 and one at -0.21: every point sits
    above the x axis, the y axis reaches below -0.21, and no two cue labels overlap (a label with
    no free room is left off and listed under the plot)."""
    build([_run(tmp_path / "r", "--model", "rationalizer")], tmp_path / "site")
    browser.get((tmp_path / "site" / "index.html").as_uri())
    labels, points, axis, ticks, listed, n = browser.execute_script(SCATTER)
    assert n == 12
    assert all(cy < axis for cy in points), (points, axis)  # above the x axis, not on or under it
    assert min(ticks) <= -0.21 and max(ticks) >= 1, ticks
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            overlap = a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
            assert not overlap, (a, b)
    assert len(labels) + listed.count(" / ") == 12 and len(labels) >= 6, (len(labels), listed)


@needs_browser
def test_an_articulation_cell_says_its_items_and_the_moved_cots_its_link_lists(tmp_path, browser):
    """The cell's n counts items, its link lists the CoTs the cue moved: both numbers are said,
    and the second is the number of samples the link opens."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.test_leaderboard_chips import moved_by_hand

    folder = _run(tmp_path / "r", "--model", "rationalizer")
    build([folder], tmp_path / "site")
    n = json.loads((folder / "results.json").read_text())["summary"]["rows"][0]["articulation"]["n"]
    moved = moved_by_hand(folder, "suggested_answer", "suggested_answer")
    browser.get((tmp_path / "site" / "index.html").as_uri())
    wait = WebDriverWait(browser, 20)
    link = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#heat-articulation td.heat a.cell-link"))
    said = f"{n} items, {moved} moved CoTs"
    assert said in link.get_attribute("title"), link.get_attribute("title")
    cell = browser.find_element(By.CSS_SELECTOR, "#heat-articulation td.heat")
    assert said in cell.get_attribute("title"), cell.get_attribute("title")
    link.click()
    wait.until(lambda d: "match" in d.find_element(By.ID, "sample-count").text)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#sample-list .sample")) == moved
