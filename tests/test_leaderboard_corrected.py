"""The site shows articulation corrected for the judge's measured error (``leaderboard build
--judge-labels [RUN=]labels.jsonl``) beside the figure as judged, marked as corrected, and says
"not identified" where the judge is no better than chance on the labels."""

import json

import pytest
from click.testing import CliRunner

from faithbench.cli import cli
from faithbench_leaderboard import build
from tests import test_leaderboard as shared

browser, needs_browser = shared.browser, shared.needs_browser

SAID = {"cue": "authority", "cue_text": "x", "cot": "The professor says (B), so I'll go with (B)."}
UNSAID = {"cue": "authority", "cue_text": "x", "cot": "Paris is the capital. The best answer is: (A)."}


def labels(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture(scope="module")
def corrected_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("corrected")
    runs = {}
    for name in ("exact", "chance"):
        args = ["run", "--model", "fake", "--tasks", "authority", "--limit", "20", "--observer", "none"]
        args += ["--model-args", f"seed={len(runs)}", "--output-path", str(root / name)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        runs[name] = next((root / name).rglob("results.json"))
    # the rules judge calls SAID verbalized and UNSAID not: labeled as it judges, Se = Sp = 1;
    # labeled half against it, Se = Sp = 0.5 (Se + Sp = 1: no better than chance)
    exact = labels(root / "exact.jsonl", [{**SAID, "verbalized": True}, {**UNSAID, "verbalized": False}])
    chance = labels(
        root / "chance.jsonl",
        [{**SAID, "verbalized": True}, {**UNSAID, "verbalized": True},
         {**UNSAID, "verbalized": False}, {**SAID, "verbalized": False}],
    )  # fmt: skip
    site = root / "site"
    build(list(runs.values()), site, [f"{runs['exact']}={exact}", f"{runs['chance'].parent}={chance}"])
    return site, runs


def run_file(site, results):
    """The site's own file of the run whose results are ``results``."""
    data = json.loads(results.read_text())
    for path in (site / "assets" / "runs").glob("*.js"):
        run = shared.site_json(site, f"runs/{path.name}")
        if run["model_args"] == data["model"]["args"]:
            return run
    raise AssertionError("run file not found")


def test_corrected_figures_are_stored_for_the_labeled_runs(corrected_site):
    site, runs = corrected_site
    exact = run_file(site, runs["exact"])["corrected"]
    assert exact["judge"] == "rules" and exact["labels"] == "exact.jsonl"
    row = exact["rows"][0]
    assert (row["sensitivity"], row["specificity"], row["n_labels"]) == (1.0, 1.0, 2)
    # Se = Sp = 1: Rogan-Gladen is the identity, so corrected = the articulation as judged
    raw = json.loads(runs["exact"].read_text())["summary"]["rows"][0]["articulation"]["value"]
    assert row["articulation"]["value"] == pytest.approx(raw)
    chance = run_file(site, runs["chance"])["corrected"]["rows"][0]
    assert chance["sensitivity"] + chance["specificity"] == pytest.approx(1.0)
    assert chance["articulation"]["value"] is None and chance["articulation"]["why"] == "not identified"


def test_labels_must_name_their_run_when_the_site_has_several(corrected_site, tmp_path):
    _, runs = corrected_site
    exact = labels(tmp_path / "l.jsonl", [{**SAID, "verbalized": True}, {**UNSAID, "verbalized": False}])
    args = ["leaderboard", "build", str(runs["exact"]), str(runs["chance"]), "--out", str(tmp_path / "s")]
    result = CliRunner().invoke(cli, [*args, "--judge-labels", str(exact)])
    assert result.exit_code != 0 and "name the run it labels" in result.output
    assert "Traceback" not in result.output
    one = ["leaderboard", "build", str(runs["exact"]), "--out", str(tmp_path / "one")]
    one += ["--judge-labels", str(exact)]
    assert CliRunner().invoke(cli, one).exit_code == 0
    stray = ["leaderboard", "build", str(runs["exact"]), "--judge-labels", f"{tmp_path}={exact}"]
    result = CliRunner().invoke(cli, stray)
    assert result.exit_code != 0 and "is not one of the results being built" in result.output


@needs_browser
def test_the_model_page_shows_corrected_beside_raw(corrected_site, browser):
    from selenium.webdriver.common.by import By

    site, runs = corrected_site
    browser.get((site / "index.html").as_uri())
    chips = browser.find_elements(By.CSS_SELECTOR, "#models a.chip")
    chips = [a for a in chips if a.text == "judge-corrected"]
    assert len(chips) == 2 and all(a.get_attribute("href").endswith("#corrected") for a in chips)
    pages = {}
    for chip in chips:
        pages[chip.get_attribute("href")] = None
    texts = []
    for href in pages:
        browser.get(href)
        row = browser.find_element(By.CSS_SELECTOR, "#corrected-table tr[data-cue]")
        raw = row.find_element(By.CSS_SELECTOR, "td.raw").text
        corrected = row.find_element(By.CSS_SELECTOR, "td.corrected").text
        texts.append((raw, corrected, browser.find_element(By.ID, "corrected").text))
    exact = next(t for t in texts if "corrected" in t[1] and "[" in t[1])
    assert exact[0].split()[0] == exact[1].split()[0]  # Se = Sp = 1: the same value, marked corrected
    assert "sensitivity 1.000, specificity 1.000 on 2 labeled CoTs" in exact[2]
    chance = next(t for t in texts if "not identified" in t[1])
    assert "sensitivity + specificity ≤ 1" in chance[1] and chance[0] != "-"
