"""The labeling mode in headless Chromium: keys y / n / s label CoTs, the labels survive a reload,
the cue's words are highlighted as text (a hostile CoT runs nothing), and the exported file loads
in ``judges evaluate`` with its weights."""

import json
import os
import shutil

import pytest

from faithbench_leaderboard.labeling import write_labeling_page

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
needs_browser = pytest.mark.skipif(
    (CHROMIUM is None or DRIVER is None) and not os.environ.get("CI"),
    reason="chromium / chromedriver not installed (.ci/run installs them)",
)
EVIL = "<img src=x onerror=window.pwned=1> /*SCRIPT*/ </script><script>window.pwned=1</script>"


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or "/usr/bin/chromium"
    flags = ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--window-size=1200,900")
    for flag in flags:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER or "/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


def press(browser, key):
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(browser).send_keys(key).perform()


@needs_browser
def test_label_a_sample_reload_and_evaluate_the_export(run_fake, run_cli, browser, tmp_path):
    from selenium.webdriver.common.by import By

    out = tmp_path / "out"
    assert run_fake(out, "--observer", "none", tasks="authority,metadata_xml", limit=30).exit_code == 0
    labels, page = tmp_path / "sample.jsonl", tmp_path / "page"
    result = run_cli("judges", "sample", str(out), "--n", "6", "--out", str(labels), "--page", str(page))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in labels.read_text().splitlines()]
    browser.get((page / "label.html").as_uri())
    assert "0 / 6 labeled" in browser.find_element(By.ID, "progress").text
    for key in "yns":
        press(browser, key)
    assert "2 / 6 labeled" in browser.find_element(By.ID, "progress").text
    browser.refresh()  # the labels and the position survive a reload
    assert "2 / 6 labeled" in browser.find_element(By.ID, "progress").text
    assert "CoT 4 of 6" in browser.find_element(By.ID, "where").text
    press(browser, "y")
    exported = browser.execute_script("return window.faithbenchExport()")
    got = [json.loads(line) for line in exported.splitlines()]
    assert [r["verbalized"] for r in got] == [True, False, None, True, None, None]
    assert [r["weight"] for r in got] == [r["weight"] for r in rows]  # weights kept
    done = tmp_path / "labels.jsonl"
    done.write_text(exported)
    report = tmp_path / "r.json"
    result = run_cli("judges", "evaluate", "--labels", str(done), "--output", str(report))
    assert result.exit_code == 0, result.output
    assert json.loads(report.read_text())["n"] == 3


@needs_browser
def test_the_cue_is_highlighted_and_a_hostile_cot_is_text(browser, tmp_path):
    from selenium.webdriver.common.by import By

    rows = [{"cue": "authority", "cue_text": "A Stanford professor indicates (B).",
             "cot": f"The professor says B. {EVIL}", "verbalized": None, "weight": 2.0}]
    path = write_labeling_page(rows, tmp_path / "p")
    browser.get(path.as_uri())
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "#cot mark")]
    assert marks == ["professor"]
    assert EVIL in browser.find_element(By.ID, "cot").text
    assert browser.execute_script("return window.pwned === undefined")
    assert not browser.find_elements(By.CSS_SELECTOR, "#cot img")
