"""The sample browser's labeling mode and its "content reused" / "cut off" filters, in headless
Chromium, on the leaderboard tests' planted runs: keys y / n / s label and advance, the labels
survive a reload, the export loads in ``judges evaluate`` with the expected precision and recall
(the browser's own rows, and a ``judges sample`` draw with its weights), and each new filter
returns exactly the planted records."""

import json
import shutil

import pytest
import test_leaderboard as shared

from faithbench_leaderboard import build

# the leaderboard tests' planted runs (rationalizer, faithful, fake) and their browser
results_dir, browser, needs_browser = shared.results_dir, shared.browser, shared.needs_browser
FAITHFUL, RATIONALIZER = 0, 1


EVIL = "<img src=x onerror=window.pwned=1> </script><script>window.pwned=1</script> (C)"


def press(browser, keys):
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(browser).send_keys(keys).perform()


def records_of(folder):
    return [json.loads(line) for line in next(folder.glob("*/samples.jsonl")).open()]


def moved_texts(records, task, condition):
    """The cue-moved answers with a judge's verdict, worked out here from samples.jsonl."""
    mine = [r for r in records if r["task"] == task]
    control = {r["item_id"]: r["answer"] for r in mine if r["condition_kind"] == "control"}
    return [
        r for r in mine
        if r["condition"] == condition and control[r["item_id"]] != r["target"] and r["answer"] == r["target"]
        and isinstance(r["judgements"].get("rules"), bool) and (r.get("response") or "").strip()
    ]  # fmt: skip


@pytest.fixture(scope="module")
def site(results_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("label-site")
    build([results_dir / "faithful", results_dir / "rationalizer"], out)
    return out


def page_of(site, which):
    """The sample browser of the faithful or the rationalizer run (run ids start with the label)."""
    pages = sorted(site.glob("samples-*.html"), key=lambda p: "mode-faithful" not in p.name)
    return pages[which].as_uri()


def exported_rows(browser):
    text = browser.execute_script("return window.faithbenchExport()")
    return [json.loads(line) for line in text.splitlines()]


def status(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    shown = "#labeling:not([hidden]) #cot"
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, shown))
    return browser.find_element(By.ID, "progress").text, browser.find_element(By.ID, "where").text


def evaluate(run_cli, text, tmp_path):
    labels, report = tmp_path / "labels.jsonl", tmp_path / "report.json"
    labels.write_text(text)
    result = run_cli("judges", "evaluate", "--labels", str(labels), "--output", str(report))
    assert result.exit_code == 0, result.output
    return json.loads(report.read_text())


def expected(rows):
    """Weighted precision and recall of the rows' recorded judge verdicts against their labels."""
    done = [r for r in rows if r["verbalized"] is not None]
    tp = sum(r["weight"] for r in done if r["verbalized"] and r["judge_verdict"])
    said = sum(r["weight"] for r in done if r["judge_verdict"])
    true = sum(r["weight"] for r in done if r["verbalized"])
    return tp / said, tp / true


@needs_browser
def test_label_mode_keys_reload_and_export_scores_the_judge(results_dir, site, browser, run_cli, tmp_path):
    from selenium.webdriver.common.by import By

    moved = moved_texts(records_of(results_dir / "faithful"), "suggested_answer", "suggested_answer")
    n = len(moved)
    assert n >= 4 and all(r["judgements"]["rules"] for r in moved)  # the plant: moved, and says so
    page = page_of(site, FAITHFUL)
    browser.get(page + "#task=suggested_answer&condition=suggested_answer")
    browser.execute_script("localStorage.clear()")
    browser.find_element(By.ID, "label-mode").click()  # into the labeling mode; the URL keeps it
    assert status(browser) == (f"0 / {n} labeled", f"CoT 1 of {n}")
    assert "label=yes" in browser.current_url
    assert not browser.find_element(By.ID, "sample-list").is_displayed()
    assert browser.find_element(By.ID, "cue").text.startswith("I think the answer is (")
    assert [m.text for m in browser.find_elements(By.CSS_SELECTOR, "#cot mark")]  # the cue's words
    shown = browser.find_element(By.ID, "cot").text
    press(browser, "y")
    assert status(browser) == (f"1 / {n} labeled", f"CoT 2 of {n}")
    assert browser.find_element(By.ID, "cot").text != shown or n == 1
    press(browser, "ns")  # no, then skip: skipped is not labeled
    assert status(browser) == (f"2 / {n} labeled", f"CoT 4 of {n}")
    browser.refresh()  # the labels and the position survive a reload
    assert status(browser) == (f"2 / {n} labeled", f"CoT 4 of {n}")
    browser.find_element(By.ID, "label-yes").click()  # the buttons do what the keys do
    exported = exported_rows(browser)
    assert [r["verbalized"] for r in exported] == [True, False, None, True] + [None] * (n - 4)
    assert {r["cot"] for r in exported} == {r["response"] for r in moved}  # every moved CoT, once
    assert all(r["weight"] == n / 3 for r in exported)  # N / k: 3 labeled of the n
    assert {r["judge"] for r in exported} == {"rules"} and all(r["judge_verdict"] for r in exported)
    report = evaluate(run_cli, "\n".join(json.dumps(r) for r in exported) + "\n", tmp_path)
    scored = report["judges"]["rules"]
    assert report["n"] == 3
    assert scored["precision"]["value"] == pytest.approx(2 / 3) and scored["recall"]["value"] == 1.0
    assert (scored["precision"]["value"], scored["recall"]["value"]) == pytest.approx(expected(exported))
    # back to the samples: the list again, and typing in the search box labels nothing
    browser.find_element(By.ID, "label-mode").click()
    assert "label=" not in browser.current_url and browser.find_element(By.ID, "sample-list").is_displayed()
    press(browser, "yyy")  # outside the mode the keys label nothing
    browser.get(page + "#task=suggested_answer&condition=suggested_answer&label=yes")
    assert status(browser) == (f"3 / {n} labeled", f"CoT 5 of {n}")


@needs_browser
def test_label_mode_on_a_judges_sample_draw_keeps_its_weights(results_dir, site, browser, run_cli, tmp_path):
    from selenium.webdriver.common.by import By

    drawn = tmp_path / "sample.jsonl"
    # a draw over the planted runs: the faithful one's CoTs say the cue, the others' do not
    for name in ("faithful", "rationalizer"):
        shutil.copytree(results_dir / name, tmp_path / "runs" / name)
    result = run_cli("judges", "sample", str(tmp_path / "runs"), "--n", "5", "--out", str(drawn))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in drawn.read_text().splitlines()]
    assert len({r["weight"] for r in rows}) > 1  # stratified: the weights differ
    browser.get(page_of(site, RATIONALIZER) + "#task=suggested_answer&condition=no_cue&label=yes")
    browser.execute_script("localStorage.clear()")
    browser.refresh()
    assert "No cue-moved CoT" in browser.find_element(By.ID, "label-source").text  # a control condition
    browser.find_element(By.ID, "label-file").send_keys(str(drawn))
    assert status(browser) == ("0 / 5 labeled", "CoT 1 of 5")
    assert "label=file" in browser.current_url
    press(browser, "yyyy")  # every CoT verbalized: the judge's recall is its weighted share of "yes"
    browser.refresh()  # the loaded file and its labels survive a reload
    assert status(browser) == ("4 / 5 labeled", "CoT 5 of 5")
    press(browser, "y")
    exported = exported_rows(browser)
    assert [r["weight"] for r in exported] == [r["weight"] for r in rows]  # the draw's weights kept
    assert [r["stratum"] for r in exported] == [r["stratum"] for r in rows]
    assert [r["verbalized"] for r in exported] == [True] * 5
    report = evaluate(run_cli, "\n".join(json.dumps(r) for r in exported) + "\n", tmp_path)
    scored = report["judges"]["rules"]
    assert report["weighted"] and report["n"] == 5
    said = sum(r["weight"] for r in rows if r["judge_verdict"])
    assert expected(exported) == (1.0, said / sum(r["weight"] for r in rows))  # every CoT labeled yes
    assert scored["precision"]["value"] == 1.0
    assert scored["recall"]["value"] == pytest.approx(said / sum(r["weight"] for r in rows))
    assert scored["recall"]["value"] != pytest.approx(sum(r["judge_verdict"] for r in rows) / 5)  # weighted


@pytest.fixture(scope="module")
def planted(results_dir, tmp_path_factory):
    """The rationalizer's run with two signals planted on its suggested_answer cue records:
    content reuse on every third item, and a cut-off generation (no answer stated: forced after
    the CoT, or cut off in the thinking) on two others."""
    root = tmp_path_factory.mktemp("planted")
    shutil.copytree(results_dir / "rationalizer", root / "run")
    path = next((root / "run").glob("*/samples.jsonl"))
    records = [json.loads(line) for line in path.open()]
    cued = [r for r in records if r["task"] == "suggested_answer" and r["condition"] == "suggested_answer"]
    reused = {r["item_id"] for r in cued[::3]}
    cut = {cued[1]["item_id"]: "forced", cued[2]["item_id"]: "thinking"}
    for r in cued:
        r["cue_content_reused"] = r["item_id"] in reused
        if cut.get(r["item_id"]) == "forced":
            r["answer_source"] = "forced_loglikelihood"
        elif cut.get(r["item_id"]) == "thinking":
            r.update(reasoning="Let me think about (", cut_off_in_thinking=True)
    moved = moved_texts(records, "suggested_answer", "suggested_answer")
    hostile = next(r for r in moved if r["item_id"] not in cut)
    hostile["response"] = EVIL + " " + hostile["response"]  # a CoT that tries to run a script
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = root / "site"
    build([root / "run"], out)
    return out, cued, reused, set(cut)


@needs_browser
def test_reused_and_cut_off_filters_return_exactly_the_planted_samples(planted, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    site, cued, reused, cut = planted
    everyone = {r["item_id"] for r in cued}
    assert 0 < len(reused) < len(everyone) and cut - reused == cut
    page = next(site.glob("samples-*.html")).as_uri() + "#task=suggested_answer&condition=suggested_answer"

    def cards(hash_tail=None):
        if hash_tail is not None:
            browser.get("about:blank")
            browser.get(page + hash_tail)
        WebDriverWait(browser, 10).until(lambda b: "match" in b.find_element(By.ID, "sample-count").text)
        heads = browser.find_elements(By.CSS_SELECTOR, "#sample-list .sample h3")
        return {h.text.split(" / ")[0] for h in heads}

    assert cards("&reused=yes") == reused
    assert browser.find_element(By.ID, "filter-reused").get_attribute("value") == "yes"  # read from the URL
    facts = browser.find_element(By.CSS_SELECTOR, "#sample-list .sample .facts").text
    assert "reuses the cue's content" in facts
    assert cards("&reused=no") == everyone - reused
    assert cards("&cutoff=yes") == cut
    assert cards("&cutoff=no") == everyone - cut
    assert cards("&cutoff=yes&reused=no") == cut
    hidden = {r["item_id"] for r in cued if r["verbalized"] is False}
    assert hidden and cards("&verbalized=no") == hidden  # the primary judge's verdict
    assert cards("&verbalized=yes") == everyone - hidden
    # set from the page, the filters land in the URL in the same keys
    browser.get(page)
    Select(browser.find_element(By.ID, "filter-cutoff")).select_by_value("yes")
    assert cards() == cut and "cutoff=yes" in browser.current_url
    Select(browser.find_element(By.ID, "filter-reused")).select_by_value("no")
    Select(browser.find_element(By.ID, "filter-verbalized")).select_by_value("no")
    assert cards() == cut & hidden
    assert "reused=no" in browser.current_url and "verbalized=no" in browser.current_url


@needs_browser
def test_label_mode_and_filters_fit_a_phone(site, browser):
    """At 390 CSS px (emulated: a headless window cannot be that narrow) nothing scrolls sideways."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 900, "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        for tail in ("&label=yes", "&moved=yes&reused=no&cutoff=no"):
            cue = "#task=suggested_answer&condition=suggested_answer"
            browser.get(page_of(site, RATIONALIZER) + cue + tail)
            browser.execute_script("return 1")
            if tail == "&label=yes":
                status(browser)
            wide = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            assert browser.execute_script("return window.innerWidth") == 390 and wide <= 0, (tail, wide)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@needs_browser
def test_a_hostile_cot_is_labeled_as_text(planted, browser):
    from selenium.webdriver.common.by import By

    site = planted[0]
    page = next(site.glob("samples-*.html")).as_uri()
    browser.get(page + "#task=suggested_answer&condition=suggested_answer&label=yes")
    status(browser)
    rows = exported_rows(browser)
    at = [EVIL in r["cot"] for r in rows].index(True)
    press(browser, "\ue014" * at)  # arrow right to it
    assert EVIL in browser.find_element(By.ID, "cot").text
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "#cot mark")]
    assert marks and all(m in rows[at]["cue_text"] for m in marks)  # the cue's option, marked
    assert not browser.find_elements(By.CSS_SELECTOR, "#cot img, #labeling script")
    assert browser.execute_script("return window.pwned === undefined")
