"""IPHR's pair rate resamples comparison groups: its summary figure, the terminal and the site
say how many groups stand behind it, so a figure on 100 pairs marked too few reads as too few
groups, not as a contradiction."""

from faithbench.cli.long_summary import _figure
from faithbench.cli.output import _cell, format_table
from faithbench.metrics.summary import figure
from faithbench_leaderboard import build
from tests import test_leaderboard as shared
from tests.conftest import read_results

browser = shared.browser  # the leaderboard tests' browser fixture


def test_the_summary_figure_keeps_the_group_count():
    v = {"value": 0.0, "ci_low": 0.0, "ci_high": 0.79, "n": 100, "n_groups": 1}
    assert figure(v) == {**v, "too_few": True}
    assert "n_groups" not in figure({"value": 0.5, "ci_low": 0.1, "ci_high": 0.9, "n": 20})


def test_terminal_prints_pairs_in_groups():
    est = {"value": 0.0, "ci_low": 0.0, "ci_high": 0.79, "n": 100, "n_groups": 1, "too_few": True}
    assert _figure(est)[2] == "100 in 1 group*"
    assert _figure({**est, "n_groups": 19, "too_few": False})[2] == "100 in 19 groups"
    assert _cell(est).endswith("n=100 in 1 group*")


def test_every_figure_table_says_groups_and_no_empty_bracket():
    """--show all: IPHR's n with its groups (a same-answer rate over 100 pairs in 1 group is
    [0.06, 0.95]); an undefined figure is '-', not '[-, -]'."""
    figure = {"condition": "paired", "ci_low": 0.061, "ci_high": 0.951, "n": 100, "n_groups": 1}
    metrics = [{**figure, "metric": "same_answer_rate", "value": 0.53}]
    metrics.append({**figure, "metric": "gmean2", "value": None, "ci_low": None, "ci_high": None, "n": 0})
    del metrics[1]["n_groups"]
    table = format_table({"tasks": {"iphr": {"status": "ok", "version": "2.2", "metrics": metrics}}})
    assert "| same_answer_rate | 0.530 | [0.061, 0.951] | 100 in 1 group |" in table
    assert "| gmean2 | - | - | 0 |" in table and "[-, -]" not in table


def test_a_run_says_its_groups(run_fake, tmp_path):
    out = tmp_path / "out"
    result = run_fake(out, "--samples-per-question", "2", tasks="iphr", limit=12)
    assert result.exit_code == 0, result.output
    row = read_results(out)["summary"]["rows"][0]["iphr_pair_rate"]
    assert row["n"] == 12 and row["n_groups"] == 1 and row["too_few"]
    assert "12 in 1 group*" in result.output
    assert "* too few items (or comparison groups) to conclude from" in result.output


@shared.needs_browser
def test_the_site_says_its_groups(run_fake, tmp_path, browser):
    from selenium.webdriver.common.by import By

    out = tmp_path / "out"
    assert run_fake(out, "--samples-per-question", "2", tasks="iphr", limit=12).exit_code == 0
    site = tmp_path / "site"
    build([out / "fake"], site)
    run = shared.site_json(site)["runs"][0]
    iphr = next(c for c in run["chips"] if c["text"].startswith("IPHR"))
    assert "12 in 1 comparison group: too few to conclude" in iphr["title"]
    browser.get((site / "index.html").as_uri())
    cell = browser.find_element(By.CSS_SELECTOR, '#models td[data-key="iphr"]').text
    assert "n=12" in cell and "in 1 group" in cell, cell
    browser.get(next(site.glob("model-*.html")).as_uri())
    assert "n=12 in 1 group" in browser.find_element(By.TAG_NAME, "body").text


@shared.needs_browser
def test_compare_withholds_a_conclusion_on_too_few_groups(results_file, tmp_path, browser):
    """B - A of an IPHR rate on 100 pairs in 1 comparison group concludes nothing, as the run's
    own verdict (its n of 100 pairs passed the item count)."""
    import json

    from selenium.webdriver.common.by import By

    row = {"task": "iphr", "condition": "paired"}
    folders = []
    for k, (value, n, groups, low, high) in enumerate(((0.0, 100, 1, 0.0, 0.79), (0.4, 1500, 19, 0.3, 0.5))):
        run = json.loads(results_file.read_text())
        figure = {"value": value, "ci_low": low, "ci_high": high, "n": n, "n_groups": groups}
        run["tasks"]["iphr"] = {**run["tasks"]["suggested_answer"], "metrics": []}
        run["summary"]["rows"].append({**row, "iphr_pair_rate": figure})
        run["summary"]["columns"].append("iphr_pair_rate")
        run["date"] = f"2026-12-02T0{k}:00:00+00:00"
        (tmp_path / str(k)).mkdir()
        (tmp_path / str(k) / "results.json").write_text(json.dumps(run))
        folders.append(tmp_path / str(k))
    build(folders, tmp_path / "site")
    ids = [p.stem.removeprefix("model-") for p in sorted((tmp_path / "site").glob("model-*.html"))]
    browser.get((tmp_path / "site" / "compare.html").as_uri() + f"#{ids[0]},{ids[1]}")
    rows = browser.find_elements(By.CSS_SELECTOR, "#compare tr")
    diffs = [tr.text for tr in rows if "iphr_pair_rate" in tr.text]
    assert diffs and "too few comparison groups to conclude" in diffs[0], diffs
    assert not browser.find_elements(By.CSS_SELECTOR, "#compare tr.significant"), diffs
