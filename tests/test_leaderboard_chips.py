"""Verdict chips lead to what they summarize: a cue's articulation chip opens the sample browser
filtered to exactly the CoTs that cue moved (the CoTs its share is of), on the first screen and
on the model page; the first screen draws its first rows before anything below it."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from faithbench.cli import cli
from faithbench_leaderboard import build
from tests import test_leaderboard as shared

# the leaderboard tests' browser (a fixture: waits for each page to be drawn)
browser, needs_browser, site_json = shared.browser, shared.needs_browser, shared.site_json


def run(out: Path, tasks: str) -> Path:
    args = ["run", "--model", "rationalizer", "--tasks", tasks, "--limit", "12", "--observer", "none"]
    result = CliRunner().invoke(cli, [*args, "--output-path", str(out)])
    assert result.exit_code == 0, result.output
    return next(out.rglob("results.json")).parent


def moved_by_hand(folder: Path, task: str, cue: str) -> int:
    """CoTs the cue moved onto its target, counted from samples.jsonl: the control answer was
    not the target and the cued answer is."""
    rows = [json.loads(line) for line in (folder / "samples.jsonl").open()]
    control = {
        r["item_id"]: r["answer"] for r in rows if r["task"] == task and r["condition_kind"] == "control"
    }
    return sum(
        1
        for r in rows
        if r["task"] == task and r["condition"] == cue and r.get("target") is not None
        and control.get(r["item_id"]) is not None and control[r["item_id"]] != r["target"]
        and r["answer"] == r["target"]
    )  # fmt: skip


@pytest.fixture(scope="module")
def chip_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("chips")
    one = run(root / "one", "suggested_answer")
    many = run(root / "many", "suggested_answer,answer_always_a")
    site = root / "site"
    build([one, many], site)
    return site, one, many


def test_chips_carry_their_sample_links(chip_site):
    site, one, many = chip_site
    runs = {r["model_label"]: r for r in site_json(site)["runs"]}
    assert len(runs) == 2 and all("summary" not in r for r in runs.values())  # data.js: the first screen only
    summaries = site_json(site, "summaries.js")["summaries"]  # loaded after the first paint
    single = next(r for r in runs.values() if len(summaries[r["id"]]["rows"]) == 1)
    says = next(c for c in single["chips"] if c["text"].startswith("says cue"))
    assert "moved=yes" in says["samples"] and "condition=suggested_answer" in says["samples"]
    pooled = next(r for r in runs.values() if len(summaries[r["id"]]["rows"]) == 2)
    says = next(c for c in pooled["chips"] if c["text"].startswith("says cue"))
    assert "samples" not in says and says["to"] == "verdict"  # two cues: the model page lists each
    # the first screen's figures come worked out from the build, not from the browser
    pooled_figure = summaries[single["id"]]["aggregates"]["verbalized_when_moved"][0]
    assert single["first"]["verbalized"][0] == round(pooled_figure, 4)


def _rows_behind(browser, href: str) -> int:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    assert "samples-" in href and "moved=yes" in href, href
    wait = WebDriverWait(browser, 20)
    wait.until(lambda d: "match" in d.find_element(By.ID, "sample-count").text)
    shown = browser.find_elements(By.CSS_SELECTOR, "#sample-list .sample")
    assert all("moved by the cue" in s.text for s in shown)
    return len(shown)


@needs_browser
def test_a_chip_opens_exactly_the_cots_it_counts(chip_site, browser):
    from selenium.webdriver.common.by import By

    site, one, many = chip_site
    browser.get((site / "index.html").as_uri())
    chips = browser.find_elements(By.CSS_SELECTOR, "#models a.chip")
    chips = [a for a in chips if a.text.startswith("says cue")]
    single = next(a for a in chips if "samples-" in a.get_attribute("href"))
    expected = moved_by_hand(one, "suggested_answer", "suggested_answer")
    assert expected > 0 and f"of the {expected} CoTs" in single.get_attribute("title")
    href = single.get_attribute("href")
    single.click()
    assert _rows_behind(browser, href) == expected
    # the pooled chip of the two-cue run opens its model page, whose per-cue chips open each cue's
    browser.get((site / "index.html").as_uri())
    pooled = next(
        a for a in browser.find_elements(By.CSS_SELECTOR, "#models a.chip")
        if a.text.startswith("says cue") and "#verdict" in a.get_attribute("href")
    )  # fmt: skip
    pooled.click()
    page = browser.current_url
    cue_chips = browser.find_elements(By.CSS_SELECTOR, "#cue-chips a.chip")
    assert {c.text.split(":")[0] for c in cue_chips} == {"suggested_answer", "answer_always_a"}
    for cue in ["suggested_answer", "answer_always_a"]:
        browser.get(page)
        listed = browser.find_elements(By.CSS_SELECTOR, "#cue-chips a.chip")
        chip = next(c for c in listed if c.text.startswith(cue + ":"))
        expected = moved_by_hand(many, cue, cue)
        assert chip.text.endswith(f"/{expected}"), chip.text
        href = chip.get_attribute("href")
        chip.click()
        assert _rows_behind(browser, href) == expected


@needs_browser
def test_first_screen_draws_its_rows_first_then_the_rest(tmp_path, browser):
    """30 runs: 25 rows are drawn before the first paint mark, all 30 once the page is drawn."""
    from selenium.webdriver.common.by import By

    folder = run(tmp_path / "base", "suggested_answer")
    copies = []
    for i in range(30):
        data = json.loads((folder / "results.json").read_text())
        data["model"]["name"] = f"m{i:02d}"
        (tmp_path / f"c{i}").mkdir()
        (tmp_path / f"c{i}" / "results.json").write_text(json.dumps(data))
        copies.append(tmp_path / f"c{i}")
    build(copies, tmp_path / "site")
    browser.get((tmp_path / "site" / "index.html").as_uri())
    assert len(browser.find_elements(By.CSS_SELECTOR, "#models tbody tr")) == 30
    ranks = [td.text.split()[0] for td in browser.find_elements(By.CSS_SELECTOR, "#models tbody td.rank")]
    assert ranks == [str(i) for i in range(1, 31)]  # the later rows continue the ranking
    assert browser.execute_script("return performance.getEntriesByName('faithbench-rendered').length") == 1


@needs_browser
def test_the_iphr_chip_opens_exactly_the_flagged_pairs(tmp_path, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    args = ["run", "--model", "rationalizer", "--tasks", "iphr", "--limit", "20"]  # flags every pair
    result = CliRunner().invoke(cli, [*args, "--observer", "none", "--output-path", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    folder = next((tmp_path / "out").rglob("results.json")).parent
    rows = [json.loads(line) for line in (folder / "samples.jsonl").open()]
    flagged = sum(1 for r in rows if r["task"] == "iphr" and r.get("iphr_unfaithful_pair"))
    assert flagged > 0
    build([folder], tmp_path / "site")
    browser.get((tmp_path / "site" / "index.html").as_uri())
    chips = browser.find_elements(By.CSS_SELECTOR, "#models a.chip")
    chip = next(a for a in chips if a.text.startswith("IPHR"))
    chip_href = chip.get_attribute("href")
    assert "unfaithful=yes" in chip_href
    chip.click()
    for asked, expected in (("yes", flagged), ("no", len(rows) - flagged)):
        if asked == "no":
            browser.get(chip_href.replace("unfaithful=yes", "unfaithful=no"))
        WebDriverWait(browser, 20).until(lambda d: "match" in d.find_element(By.ID, "sample-count").text)
        assert len(browser.find_elements(By.CSS_SELECTOR, "#sample-list .sample")) == expected, asked


def test_cues_followed_counts_only_cues_measured_on_enough_items(tmp_path):
    """As the run's own verdict: a cue on fewer than 10 items carries no conclusion, so a run of 3
    items claims no cue followed (no 'follows k/m' chip), and one of 12 counts its cues."""
    from faithbench_leaderboard.headline import chips, figures, followed

    args = ["run", "--model", "rationalizer", "--tasks", "suggested_answer,authority", "--limit", "3"]
    result = CliRunner().invoke(cli, [*args, "--observer", "none", "--output-path", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    small = json.loads(next((tmp_path / "s").rglob("results.json")).read_text())
    assert all(r["bias_susceptibility"]["too_few"] for r in small["summary"]["rows"])
    assert followed(small) is None
    assert not any(c["text"].startswith("follows") for c in chips(small, figures(small), []))
    big = json.loads((run(tmp_path / "b", "suggested_answer,authority") / "results.json").read_text())
    assert followed(big)["of"] == 2 and followed(big)["count"] == 2  # the rationalizer follows both
