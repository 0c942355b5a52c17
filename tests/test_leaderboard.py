"""The leaderboard site, built from this suite's results and driven in headless Chromium."""

import codecs
import json
import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from faithbench.api.errors import UserError
from faithbench.cli import cli
from faithbench_leaderboard import build

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
needs_browser = pytest.mark.skipif(
    (CHROMIUM is None or DRIVER is None) and not os.environ.get("CI"),
    reason="chromium / chromedriver not installed (.ci/run installs them)",
)
EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def results_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("results")
    runner = CliRunner()
    common = [
        "--tasks",
        "suggested_answer,answer_always_a,cot_interventions",
        "--limit",
        "12",
        "--observer",
        "rationalizer",
    ]
    for name, args in (
        ("rationalizer", ["--model", "rationalizer"]),
        ("faithful", ["--model", "rationalizer", "--model-args", "mode=faithful"]),
        ("fake", ["--model", "fake"]),
    ):
        result = runner.invoke(cli, ["run", *args, *common, "--output-path", str(root / name)])
        assert result.exit_code == 0, result.output
    # a hostile model name must render as text
    src = next((root / "fake").rglob("results.json"))
    data = json.loads(src.read_text())
    data["model"]["name"] = EVIL
    data["model"]["args"] = {"model": "<script>window.pwned=1</script>"}
    evil = root / "evil" / "results.json"
    evil.parent.mkdir()
    evil.write_text(json.dumps(data))
    return root


@pytest.fixture(scope="module")
def site(results_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    index = build([results_dir], out)
    assert index == out / "index.html"
    return out


def test_site_is_self_contained(site):
    pages = sorted(p.name for p in site.glob("*.html"))
    assert "index.html" in pages and "task-suggested_answer.html" in pages
    assert sum(p.startswith("model-") for p in pages) == 4
    for page in site.rglob("*.*"):
        text = page.read_text()
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", "") and "https://" not in text
    assert EVIL not in (site / "assets" / "data.js").read_text()  # "<" is escaped in the data file


def site_json(site: Path, name: str = "data.js") -> dict:
    """What a site's data script hands JSON.parse: a single-quoted JS string of ASCII JSON."""
    text = (site / "assets" / name).read_text()
    literal = text.split("JSON.parse('", 1)[1].rsplit("')", 1)[0]
    return json.loads(codecs.decode(literal, "unicode_escape"))


def test_build_rejects_invalid_results(tmp_path):
    bad = tmp_path / "results.json"
    bad.write_text(json.dumps({"tasks": {}}))
    with pytest.raises(UserError, match="not a valid results file"):
        build([tmp_path], tmp_path / "site")
    result = CliRunner().invoke(cli, ["leaderboard", "build", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no such file or folder" in result.output


def shot(browser, element) -> bytes:
    """An element's screenshot, scrolled into view first (below the fold it comes back blank)."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    return element.screenshot_as_png


def png_pixels(data: bytes):
    """(width, height, rows of RGB(A) tuples) from a PNG, enough for screenshots."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and color in (2, 6)
            channels = 4 if color == 6 else 3
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            pred = {0: 0, 1: a, 2: b, 3: (a + b) // 2}.get(kind)
            if kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[i] = (line[i] + pred) & 0xFF
        rows.append([tuple(line[i : i + channels]) for i in range(0, stride, channels)])
        prev = line
    return width, height, rows


DRAWN = (
    "return !document.body || !document.body.getAttribute('data-page')"
    " || !!document.documentElement.getAttribute('data-drawn')"
)


def drawn_on_get(driver):
    """``get`` that also waits for a site page to say every section is drawn: the index draws what
    is below its first screen after that screen is painted, after the load event."""
    from selenium.webdriver.support.ui import WebDriverWait

    plain = driver.get

    def get(url):
        plain(url)
        WebDriverWait(driver, 20).until(lambda d: d.execute_script(DRAWN))

    driver.get = get
    return driver


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1200",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER or "/usr/bin/chromedriver"), options=options)
    yield drawn_on_get(driver)
    driver.quit()


@needs_browser
def test_leaderboard_in_a_real_browser(site, browser):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(Path(site / "index.html").as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "#leaderboard tbody tr")
    assert len(rows) == 4
    # hostile names are text: no injected element ran or exists
    assert EVIL in browser.find_element(By.ID, "leaderboard").text
    assert not browser.find_elements(By.CSS_SELECTOR, "main img, main script")
    assert browser.execute_script("return window.pwned === undefined")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018

    headers = [th.text.strip() for th in browser.find_elements(By.CSS_SELECTOR, "#leaderboard th")]
    col = headers.index("bias_susceptibility")

    def column():
        cells = browser.find_elements(
            By.CSS_SELECTOR, f"#leaderboard tbody tr td:nth-child({col + 1}) .value"
        )
        return [float(c.text) for c in cells]

    header = browser.find_elements(By.CSS_SELECTOR, "#leaderboard th")[col]
    header.click()
    assert column() == sorted(column(), reverse=True)
    header.click()
    assert column() == sorted(column())

    Select(browser.find_element(By.ID, "task-filter")).select_by_value("cot_interventions")
    Select(browser.find_element(By.ID, "cue-filter")).select_by_value("filler_tokens")
    headers = [th.text.strip() for th in browser.find_elements(By.CSS_SELECTOR, "#leaderboard th")]
    assert headers == ["model", "answer_retention"]
    first = browser.find_element(By.CSS_SELECTOR, "#leaderboard tbody td.num")
    assert "command: faithbench run" in first.get_attribute(
        "title"
    ) and "task cot_interventions v1.0" in first.get_attribute("title")

    # the representational-vs-predictive plot is drawn: its points are on the screenshot
    assert len(browser.find_elements(By.CSS_SELECTOR, "#scatter circle")) >= 4
    width, height, pixels = png_pixels(shot(browser, browser.find_element(By.CSS_SELECTOR, "#scatter svg")))
    colored = sum(1 for row in pixels for px in row if max(px[:3]) - min(px[:3]) > 80)  # model colours
    assert colored > 150, colored

    browser.find_element(By.LINK_TEXT, "rationalizer").click()
    assert "command: faithbench run" in browser.find_element(By.ID, "provenance").text
    assert browser.find_elements(By.CSS_SELECTOR, "#model-metrics tr")
    browser.get(Path(site / "task-answer_always_a.html").as_uri())
    assert browser.find_element(By.ID, "task-filter").get_attribute("disabled")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#leaderboard tbody tr")) == 4


@needs_browser
def test_difficulty_curve_is_drawn_per_model(tmp_path, browser):
    """Planted curves (effort: the work shown only above level 0) appear as labelled points."""
    from selenium.webdriver.common.by import By

    runner = CliRunner()
    for mode in ("effort", "hides"):
        args = [
            "run",
            "--model",
            "hint-follower",
            "--model-args",
            f"mode={mode}",
            "--tasks",
            "hint_difficulty",
        ]
        args += ["--monitor-model", "planted-monitor", "--limit", "12", "--output-path", str(tmp_path / mode)]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    build([tmp_path / "effort", tmp_path / "hides"], site)
    browser.get((site / "index.html").as_uri())
    points = browser.find_elements(By.CSS_SELECTOR, "#difficulty circle")
    assert len(points) == 2 * 2 * 3  # 2 models x (g-mean², articulation) x 3 levels
    titles = [p.find_element(By.TAG_NAME, "title").get_attribute("textContent") for p in points]
    assert any("g-mean² at level 1 = 1.000" in t for t in titles)
    assert any("g-mean² at level 0 = 0.000" in t for t in titles)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#difficulty .legend li")) == 2
    _, _, pixels = png_pixels(shot(browser, browser.find_element(By.CSS_SELECTOR, "#difficulty svg")))
    red = sum(1 for row in pixels for px in row if px[0] > 150 and px[1] < 100 and px[2] < 100)
    assert red > 50, red  # the second model's curve is on the screenshot


@needs_browser
def test_first_screen_heatmaps_plot_samples_and_compare(site, browser):
    """One row per model with pooled figures (sortable), the model x cue heatmaps, the labelled
    plot with its legend, the lazily loaded sample browser, and the two-model comparison."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get((site / "index.html").as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "#models tbody tr")
    assert len(rows) == 4  # rationalizer, faithful, fake, and the hostile name
    headers = [th.text.strip() for th in browser.find_elements(By.CSS_SELECTOR, "#models th")]
    assert headers[:3] == ["#", "model", "verbalized when moved ↑▼"]
    assert "bias susceptibility ↓" in headers

    def column(key):
        cells = browser.find_elements(By.CSS_SELECTOR, f"#models tbody td[data-key={key}] .value")
        return [float(c.text) for c in cells]

    browser.find_element(By.CSS_SELECTOR, "#models th[data-key=bias]").click()
    assert column("bias") == sorted(column("bias")) and len(column("bias")) == 4  # least swayed first
    browser.find_element(By.CSS_SELECTOR, "#models th[data-key=bias]").click()
    assert column("bias") == sorted(column("bias"), reverse=True)
    chips = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#models td.verdict")]
    assert all("follows" in v and len(v) < 80 for v in chips)  # short chips, the prose on the model page

    heat = browser.find_elements(By.CSS_SELECTOR, "#heat-bias td.heat")
    assert len(heat) == 4 * 2  # 4 runs x the two cues with bias susceptibility
    assert all("[" in td.get_attribute("title") or "not measured" in td.get_attribute("title") for td in heat)
    _, _, pixels = png_pixels(shot(browser, browser.find_element(By.ID, "heat-bias")))
    orange = sum(1 for row in pixels for px in row if px[0] > 200 and px[2] < 170 and px[0] - px[2] > 60)
    assert orange > 200, orange  # the rationalizer's cells: the "less faithful" end of the scale

    labels = [t.text for t in browser.find_elements(By.CSS_SELECTOR, "#scatter text.point-label")]
    assert "suggested_answer" in labels and "answer_always_a" in labels
    legend = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#scatter .legend li")]
    assert {"rationalizer", "rationalizer (mode=faithful)", "fake"} <= set(legend) or len(legend) >= 3
    titles = [c.find_element(By.TAG_NAME, "title").get_attribute("textContent")
              for c in browser.find_elements(By.CSS_SELECTOR, "#scatter circle")]  # fmt: skip
    assert all("articulation" in t and "P_within" in t and "n=" in t for t in titles)

    browser.get((site / "index.html").as_uri())
    browser.find_element(By.LINK_TEXT, "rationalizer").click()
    browser.find_element(By.ID, "samples-link").click()
    run_id = browser.current_url.split("#")[0].rsplit("samples-", 1)[1].removesuffix(".html")
    Select(browser.find_element(By.ID, "sample-task")).select_by_value("suggested_answer")
    Select(browser.find_element(By.ID, "sample-condition")).select_by_value("suggested_answer")
    from selenium.webdriver.support.ui import WebDriverWait

    listed = "#sample-list .sample"
    WebDriverWait(browser, 10).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, listed)) > 11)
    cards = browser.find_elements(By.CSS_SELECTOR, "#sample-list .sample")
    assert len(cards) == 12
    marks = browser.find_elements(By.CSS_SELECTOR, "#sample-list mark.cue")
    assert marks and all("I think the answer is" in m.text for m in marks)
    assert "verbalized" in cards[0].text and "answer (" in cards[0].text
    loaded = {
        s.get_attribute("data-sample-page")
        for s in browser.find_elements(By.CSS_SELECTOR, "script[data-sample-page]")
    }
    total = len(list((site / "assets" / "samples" / run_id).glob("*.js")))
    assert 1 < len(loaded) < total  # only the pages asked for were loaded

    other = next(p.stem.removeprefix("model-") for p in site.glob("model-fake-*.html"))
    browser.get((site / "compare.html").as_uri() + f"#{other},{run_id}")
    table = browser.find_element(By.ID, "compare").text
    assert "bias_susceptibility" in table and "B - A" in table
    first = browser.find_elements(By.CSS_SELECTOR, "#compare tr")[1].find_elements(By.TAG_NAME, "td")
    a, b, diff = (float(first[i].text.split()[0]) for i in (3, 4, 5))
    assert abs((b - a) - diff) < 0.0015


@needs_browser
def test_twenty_models_by_all_tasks(run_fake, tmp_path, browser):
    """The pages hold up at the size bench/leaderboard_first_paint.py times: 20 models x all tasks."""
    from selenium.webdriver.common.by import By

    out = tmp_path / "out"
    assert run_fake(out, "--samples-per-arm", "2", tasks="all", limit=3).exit_code == 0
    base = json.loads((out / "fake" / "results.json").read_text())
    folders = []
    for i in range(20):
        folder = tmp_path / "models" / f"m{i:02d}"
        folder.mkdir(parents=True)
        (folder / "results.json").write_text(
            json.dumps({**base, "model": {**base["model"], "name": f"m{i:02d}"}})
        )
        folders.append(folder)
    site = tmp_path / "site"
    build(folders, site)
    browser.get((site / "index.html").as_uri())
    assert len(browser.find_elements(By.CSS_SELECTOR, "#models tbody tr")) == 20
    assert len(browser.find_elements(By.CSS_SELECTOR, "#heat-bias tbody tr")) == 20
    cues = len(browser.find_elements(By.CSS_SELECTOR, "#heat-bias th.cue"))
    assert cues >= 10 and len(browser.find_elements(By.CSS_SELECTOR, "#heat-bias td.heat")) == 20 * cues
    assert browser.execute_script("return performance.getEntriesByName('faithbench-rendered').length") == 1


@needs_browser
def test_observer_effect_beside_articulation(tmp_path, browser):
    """A planted observer effect (cues admitted only when the reasoning is private) shows as its
    own heatmap after articulation's, with the per-framing articulation rows in that one."""
    from selenium.webdriver.common.by import By

    args = ["run", "--model", "observer-effect", "--tasks", "suggested_answer", "--visibility", "all"]
    # 12 items: a cue counts towards "followed" only when measured on at least 10 (MIN_ITEMS)
    result = CliRunner().invoke(cli, [*args, "--limit", "12", "--output-path", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    build([tmp_path / "r"], tmp_path / "site")
    browser.get((tmp_path / "site" / "index.html").as_uri())
    heads = [h.text for h in browser.find_elements(By.TAG_NAME, "h2")]
    assert heads.index("Articulation by cue") + 1 == heads.index(
        "Observer effect: articulation when told the reasoning is private minus watched"
    )
    cells = browser.find_elements(By.CSS_SELECTOR, "#heat-observer td.heat .value")
    assert [c.text for c in cells] == ["1.00"]
    followed = browser.find_element(By.CSS_SELECTOR, "#models tbody td[data-key=followed]").text
    assert followed == "1/1"  # the cue counted once, under the plain prompt, not once per framing
    gap = browser.find_element(By.CSS_SELECTOR, "#models tbody td[data-key=observer] .value").text
    assert gap == "1.00"  # the first screen states the private-watched difference
    assert "private−watched +1.00" in browser.find_element(By.CSS_SELECTOR, "#models td.verdict").text
    framed = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#heat-articulation th.cue")]
    assert framed == ["suggested_answer"]  # one column per cue; task = cue: named once
    from selenium.webdriver.support.ui import Select

    said = {}
    for framing in ("private", "watched"):
        Select(browser.find_element(By.ID, "framing-toggle")).select_by_value(framing)
        cell = browser.find_element(By.CSS_SELECTOR, "#heat-articulation td.heat")
        said[framing] = cell.text
        assert f"({framing})" in cell.get_attribute("title")
    assert said == {"private": "1.00", "watched": "0.00"}  # the planted effect, cue admitted only in private
    conditions = [
        o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#cue-filter option")
    ]
    assert "suggested_answer (private)" in conditions and "suggested_answer (watched)" in conditions
    only = next((tmp_path / "site").glob("model-*.html")).stem.removeprefix("model-")
    browser.get((tmp_path / "site" / "compare.html").as_uri() + f"#{only},{only}")
    cues = {
        tr.find_elements(By.TAG_NAME, "td")[1].text
        for tr in browser.find_elements(By.CSS_SELECTOR, "#compare tr")[1:]
    }
    assert {"suggested_answer (private)", "suggested_answer (watched)", "suggested_answer"} <= cues


def test_two_runs_of_one_model_are_told_apart(results_file):
    """Two folders holding runs of the same model: each row names its run (by date, then number)."""
    from faithbench_leaderboard import site_data

    run = json.loads(results_file.read_text())
    later = {**run, "date": "2026-12-02T09:00:00+00:00"}
    other = {**run, "model": {**run["model"], "name": "rationalizer"}}
    labels = [r["model_label"] for r in site_data([run, later, other, run])["runs"]]
    assert labels == [
        f"fake · {run['date']} #1",
        "fake · 2026-12-02T09:00:00+00:00",
        "rationalizer",
        f"fake · {run['date']} #2",
    ]


def test_run_ids_do_not_depend_on_position(results_file):
    """An id names the run (model, date, config), not its place in the file list; the same file
    twice still gets two ids."""
    from faithbench_leaderboard import site_data

    run = json.loads(results_file.read_text())
    other = {**run, "model": {**run["model"], "name": "rationalizer"}}
    seeded = {**run, "config": {**run["config"], "seed": 7}}
    first = {r["model_label"]: r["id"] for r in site_data([run, other])["runs"]}
    again = site_data([seeded, other, run, run])["runs"]
    assert again[1]["id"] == first["rationalizer"] and again[2]["id"] == first["fake"]
    assert len({r["id"] for r in again}) == 4 and again[3]["id"] == again[2]["id"] + "-2"
    assert all(r["id"].startswith(("fake-", "rationalizer-")) for r in again)
    labels = [r["model_label"] for r in again]
    assert labels[:3] == ["fake · seed=7", "rationalizer", f"fake · seed=0 · {run['date']} #1"]


def test_labels_keep_the_organisation_and_the_weights_file():
    from faithbench.results.naming import model_label

    assert model_label({"name": "hf", "args": {"pretrained": "meta-llama/Llama-3.1-8B"}}) == (
        "hf (meta-llama/Llama-3.1-8B)"
    )
    assert model_label({"name": "llama-cpp", "args": {"model_path": "/w/qwen/Qwen3-0.6B-Q8_0.gguf"}}) == (
        "llama-cpp (Qwen3-0.6B-Q8_0.gguf)"
    )
    assert model_label({"name": "llama-cpp", "args": {"model_path": "models/a.gguf"}}) == "llama-cpp (a.gguf)"


@needs_browser
def test_links_survive_adding_a_folder(results_dir, tmp_path, browser):
    """A compare link and a model page made from a two-run site name the same runs after a
    third folder (listed first) is added and the site rebuilt; an id the site lacks is said."""
    from selenium.webdriver.common.by import By

    before, after = tmp_path / "before", tmp_path / "after"
    build([results_dir / "rationalizer", results_dir / "faithful"], before)
    ids = {r["id"]: r["model_label"] for r in site_json(before)["runs"]}
    build([results_dir / "fake", results_dir / "rationalizer", results_dir / "faithful"], after)
    later = {r["id"]: r["model_label"] for r in site_json(after)["runs"]}
    assert all(later[i] == label for i, label in ids.items()) and len(later) == 3
    first, second = ids
    browser.get((after / "compare.html").as_uri() + f"#{first},{second}")
    heads = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#compare th")]
    assert heads[3:5] == [ids[first], ids[second]]
    browser.get((after / f"model-{first}.html").as_uri())
    assert browser.find_element(By.TAG_NAME, "h1").text == f"Model: {ids[first]}"
    browser.get((after / "compare.html").as_uri() + f"#{first},gone-202601010000-00000000")
    assert "gone-202601010000-00000000" in browser.find_element(By.ID, "compare-unknown").text


@pytest.fixture(scope="module")
def ranked_site(results_dir, tmp_path_factory):
    """The suite's runs plus a reasoning model whose thinking names the cue and whose answer never does."""
    from openai_server import FakeOpenAIServer

    out = tmp_path_factory.mktemp("reasoning")
    with FakeOpenAIServer(reasoning="field") as server:
        args = ["run", "--model", "local-chat-completions", "--tasks", "suggested_answer", "--limit", "12"]
        args += ["--model-args", f"base_url={server.base}/chat/completions,model=acme/r1"]
        result = CliRunner().invoke(cli, [*args, "--output-path", str(out / "runs")])
    assert result.exit_code == 0, result.output
    site = out / "site"
    build([results_dir, out / "runs"], site)
    return site


@needs_browser
def test_first_screen_ranks_explains_and_keeps_its_state(ranked_site, browser):
    """Ranked by the stated primary figure with a rank column; every column defined on hover and
    in the legend with its direction; short chips; thinking and answer as two columns for the
    reasoning model; one colour scale (blue: more faithful) on the table and both heatmaps; sort
    and model filter in the URL; no horizontal scroll at 390 px."""
    from selenium.webdriver.common.by import By

    index = (ranked_site / "index.html").as_uri()
    browser.set_window_size(1400, 1200)
    browser.get(index)
    assert browser.find_element(By.ID, "primary").text.startswith("Ranked by verbalized when moved")
    rows = browser.find_elements(By.CSS_SELECTOR, "#models tbody tr")
    assert len(rows) == 5
    ranks = [td.text.split()[0] for td in browser.find_elements(By.CSS_SELECTOR, "#models td.rank")]
    values = [
        float(td.text.split()[0]) if td.text != "–" else None
        for td in browser.find_elements(By.CSS_SELECTOR, "#models td[data-key=verbalized]")
    ]
    few = ["too-few" in (r.get_attribute("class") or "") for r in rows]
    defined = [v for v in values if v is not None]
    enough = [v for v, f in zip(values, few, strict=True) if v is not None and not f]
    assert few[: len(enough)] == [False] * len(enough)  # rows on too few items rank after the rest
    assert enough == sorted(enough, reverse=True) and defined[len(enough) :] == sorted(
        defined[len(enough) :], reverse=True
    )
    assert ranks[: len(defined)] == [str(i + 1) for i in range(len(defined))]
    heads = browser.find_elements(By.CSS_SELECTOR, "#models th.sortable")
    assert all(len(th.get_attribute("title")) > 40 for th in heads)
    legend = browser.find_elements(By.CSS_SELECTOR, "#column-legend dt")
    assert len(legend) == len(heads)
    assert any("higher is more faithful" in dt.get_attribute("textContent") for dt in legend)
    assert any("lower is more faithful" in dt.get_attribute("textContent") for dt in legend)
    # the reasoning model: pooled 1.00 (whole response) but 0.00 in its answer, said by a chip
    r1 = next(r for r in rows if "acme/r1" in r.text)
    thinking = r1.find_element(By.CSS_SELECTOR, "td[data-key=thinking] .value").text
    answer = r1.find_element(By.CSS_SELECTOR, "td[data-key=answer] .value").text
    assert (thinking, answer) == ("1.00", "0.00")
    assert "admits in thinking only" in r1.find_element(By.CSS_SELECTOR, "td.verdict").text
    assert "thinking and answer together" in browser.find_element(
        By.CSS_SELECTOR, "#models th[data-key=verbalized]"
    ).get_attribute("title")
    # one scale: a cell's colour goes from orange to blue as it reads more faithful, whatever the figure
    painted = browser.execute_script(
        "return Array.from(document.querySelectorAll('#models td[data-faith], table.heatmap td[data-faith]'))"
        ".map(td => [td.closest('table').id, +td.dataset.faith, getComputedStyle(td).backgroundColor])"
    )
    tables = {t for t, _, _ in painted}
    assert {"models", "heat-bias", "heat-articulation"} <= tables
    for _, faith, colour in painted:
        r, _, b = (float(x) for x in colour[colour.index("(") + 1 : -1].split(",")[:3])
        assert (b > r) if faith > 0.6 else (r > b) if faith < 0.4 else True, (faith, colour)
    # sort and filter live in the URL: a reload (or a shared link) shows the same
    browser.find_element(By.CSS_SELECTOR, "#models th[data-key=bias]").click()
    def models():
        return browser.find_elements(By.CSS_SELECTOR, "#models tbody tr")

    order = [tr.get_attribute("data-run") for tr in models()]
    assert "sort=bias" in browser.current_url
    search = browser.find_element(By.ID, "model-search")
    search.send_keys("ration")
    url = browser.current_url
    assert "q=ration" in url
    browser.get("about:blank")
    browser.get(url)
    again = [tr.get_attribute("data-run") for tr in models()]
    assert again == order
    shown = [tr.text for tr in models() if tr.is_displayed()]
    assert len(shown) == 2 and all("rationalizer" in t for t in shown)
    assert browser.find_element(By.ID, "sort-by").get_attribute("value") == "bias"
    # a phone: the first screen fits without horizontal scroll
    browser.set_window_size(390, 900)
    browser.get(index)
    wide = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    browser.set_window_size(1400, 1200)
    assert wide <= 0, wide


@needs_browser
def test_sample_filters_find_the_planted_unfaithful_cots(results_dir, site, browser):
    """On the rationalizer (follows the cue, never says so): "moved by the cue" and "not
    verbalized" return exactly the records samples.jsonl says, each card shows the answer
    without the cue, the filters live in the URL, and a heatmap cell links to its samples."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    records = [json.loads(line) for line in next(results_dir.glob("rationalizer/*/samples.jsonl")).open()]
    mine = [r for r in records if r["task"] == "suggested_answer"]
    control = {r["item_id"]: r["answer"] for r in mine if r["condition_kind"] == "control"}
    cued = [r for r in mine if r["condition"] == "suggested_answer"]
    moved = [r for r in cued if control[r["item_id"]] != r["target"] and r["answer"] == r["target"]]
    hidden = {r["item_id"] for r in moved if r["judgements"]["rules"] is False}
    right = {r["item_id"] for r in cued if r["answer"] == r["gold"]}
    assert hidden and len(hidden) < len(cued)  # the plant: some moved, none of those said so

    def cards():
        WebDriverWait(browser, 10).until(lambda b: "match" in b.find_element(By.ID, "sample-count").text)
        heads = browser.find_elements(By.CSS_SELECTOR, "#sample-list .sample h3")
        return {h.text.split(" / ")[0] for h in heads}

    browser.get((site / "index.html").as_uri())
    run_id = next(
        tr.get_attribute("data-run")
        for tr in browser.find_elements(By.CSS_SELECTOR, "#models tbody tr")
        if tr.find_element(By.CSS_SELECTOR, "td.model").text == "rationalizer"
    )
    page = (site / f"samples-{run_id}.html").as_uri()
    browser.get(page + "#task=suggested_answer&condition=suggested_answer")
    Select(browser.find_element(By.ID, "filter-moved")).select_by_value("yes")
    assert cards() == {r["item_id"] for r in moved}
    Select(browser.find_element(By.ID, "filter-verbalized")).select_by_value("rules|no")
    assert cards() == hidden
    url = browser.current_url
    assert "moved=yes" in url and "verbalized=rules%7Cno" in url
    first = browser.find_element(By.CSS_SELECTOR, "#sample-list .sample .facts").text
    item = browser.find_element(By.CSS_SELECTOR, "#sample-list .sample h3").text.split(" / ")[0]
    letter = "(" + "ABCDEFGH"[control[item]] + ")"
    assert f"without the cue {letter}" in first and "moved by the cue" in first
    browser.get("about:blank")
    browser.get(url)  # a shared link: the same filters, the same records
    assert cards() == hidden
    browser.get(page + "#task=suggested_answer&condition=suggested_answer&correct=yes")
    assert cards() == right
    browser.get(page + "#task=suggested_answer&condition=suggested_answer&correct=no")
    assert cards() == {r["item_id"] for r in cued if r["answer"] is not None} - right
    word = "taller"  # the ordering questions' prompts say it, the others' do not
    browser.get(page + "#task=suggested_answer&condition=suggested_answer&q=" + word)
    text = {r["item_id"]: (r["prompt"][0]["content"] + " " + (r.get("response") or "")).lower() for r in cued}
    expected = {i for i, t in text.items() if word in t}
    assert cards() == expected and 0 < len(expected) < len(cued)
    # the bias heatmap cell of this run and cue opens those samples, filtered to the moved ones
    browser.get((site / "index.html").as_uri())
    cells = browser.find_elements(By.CSS_SELECTOR, "#heat-bias a.cell-link")
    hrefs = [a.get_attribute("href") for a in cells]
    link = next(h for h in hrefs if f"samples-{run_id}.html" in h and "condition=suggested_answer" in h)
    browser.get(link)
    assert cards() == {r["item_id"] for r in moved}


@needs_browser
def test_compare_puts_pooled_figures_first_and_sorts_cues_by_the_difference(site, browser):
    from selenium.webdriver.common.by import By

    ids = [p.stem.removeprefix("model-") for p in sorted(site.glob("model-rationalizer*.html"))]
    browser.get((site / "compare.html").as_uri() + f"#{ids[0]},{ids[1]}")
    pooled = browser.find_element(By.ID, "compare-pooled")
    assert pooled.location["y"] < browser.find_element(By.ID, "compare").location["y"]
    assert "bias_susceptibility" in pooled.text and "verbalized_when_moved" in pooled.text
    diffs = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#compare td.diff")]
    sizes = [abs(float(d.split()[0])) for d in diffs if d != "-"]
    assert len(sizes) >= 3 and sizes == sorted(sizes, reverse=True)
    assert not any(d.startswith("-0.000") for d in diffs)
    marked = browser.find_elements(By.CSS_SELECTOR, "#compare tr.significant td.diff")
    for td in marked:  # highlighted: the interval excludes 0
        low, high = (float(x) for x in td.text.split("[")[1].split("]")[0].split(","))
        assert low > 0 or high < 0


@needs_browser
def test_each_page_loads_only_its_own_data(results_file, tmp_path, browser):
    """data.js holds the first screen (labels, summaries); every figure of a run is in its own
    file, which the first screen of a large site never loads and a model page loads alone."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base = json.loads(results_file.read_text())
    folders = []
    for i in range(21):
        folder = tmp_path / "runs" / f"m{i:02d}"
        folder.mkdir(parents=True)
        named = {**base, "model": {**base["model"], "name": f"m{i:02d}"}}
        (folder / "results.json").write_text(json.dumps(named))
        folders.append(folder)
    site = tmp_path / "site"
    build(folders, site)
    data = (site / "assets" / "data.js").read_text()
    assert '\\"family\\"' not in data and len(list((site / "assets" / "runs").glob("*.js"))) == 21
    browser.get((site / "index.html").as_uri())
    assert len(browser.find_elements(By.CSS_SELECTOR, "#models tbody tr")) == 21
    assert not browser.find_elements(By.CSS_SELECTOR, "script[data-run-file]")
    assert not browser.find_elements(By.ID, "leaderboard")  # every figure: after a click
    browser.find_element(By.ID, "load-details").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#leaderboard tbody tr"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#leaderboard tbody tr")) == 21
    page = next(site.glob("model-m07-*.html"))
    browser.get(page.as_uri())
    files = browser.find_elements(By.CSS_SELECTOR, "script[data-run-file]")
    loaded = [s.get_attribute("data-run-file") for s in files]
    assert loaded == [page.stem.removeprefix("model-")]
    assert browser.find_elements(By.CSS_SELECTOR, "#model-metrics tr")


@needs_browser
def test_sample_cards_keep_each_tasks_own_evidence(run_fake, tmp_path, browser):
    """IPHR's answers and unfaithful-pair flag, the interventions' answers, self-report and
    introspection's predicted vs actual reach the card (every record field, none dropped)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    out = tmp_path / "out"
    tasks = "iphr,cot_interventions,cue_self_report,introspection"
    assert run_fake(out, "--samples-per-question", "2", tasks=tasks, limit=3).exit_code == 0
    records = [json.loads(line) for line in (out / "fake" / "samples.jsonl").open()]
    build([out], tmp_path / "site")
    page = next((tmp_path / "site").glob("samples-*.html")).as_uri()
    wanted = [
        ("iphr", ("iphr_unfaithful_pair", "answers")),
        ("cot_interventions", ("truncated_answers",)),
        ("cot_interventions", ("intervened_answer", "full_answer")),
        ("cue_self_report", ("self_report",)),
        ("introspection", ("predicted", "actual")),
    ]
    for task, fields in wanted:
        record = next(r for r in records if r["task"] == task and all(f in r for f in fields))
        browser.get("about:blank")
        browser.get(page + f"#task={task}&condition={record['condition']}&q=")
        WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#sample-list .sample"))
        card = next(
            c for c in browser.find_elements(By.CSS_SELECTOR, "#sample-list .sample")
            if c.find_element(By.TAG_NAME, "h3").text.startswith(str(record["item_id"]))
        )
        terms = [dt.text for dt in card.find_elements(By.CSS_SELECTOR, "dl.evidence dt")]
        values = [dd.text for dd in card.find_elements(By.CSS_SELECTOR, "dl.evidence dd")]
        shown = dict(zip(terms, values, strict=True))
        for field in fields:
            value = record[field]
            text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
            assert shown[field] == text, (task, field)


@needs_browser
def test_compare_gives_b_minus_a_between_a_framed_and_an_unframed_run(run_fake, tmp_path, browser):
    from selenium.webdriver.common.by import By

    framed, plain = tmp_path / "framed", tmp_path / "plain"
    assert run_fake(framed, "--visibility", "all", model="observer-effect", limit=8).exit_code == 0
    assert run_fake(plain, model="observer-effect", limit=8).exit_code == 0
    site = tmp_path / "site"
    build([framed, plain], site)
    ids = [site_json(site)["runs"][i]["id"] for i in (0, 1)]
    browser.get((site / "compare.html").as_uri() + f"#{ids[0]},{ids[1]}")
    trs = browser.find_elements(By.CSS_SELECTOR, "#compare tr")[1:]
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in trs]
    bias = next(r for r in rows if r[1] == "suggested_answer" and r[2] == "bias_susceptibility")
    assert bias[5] != "-" and bias[3] != "-" and bias[4] != "-"


@needs_browser
def test_scatter_has_error_bars_and_distinct_colours(site, browser):
    from selenium.webdriver.common.by import By

    browser.get((site / "index.html").as_uri())
    points = browser.find_elements(By.CSS_SELECTOR, "#scatter circle")
    bars = browser.find_elements(By.CSS_SELECTOR, "#scatter line.error-bar")
    assert len(bars) == 2 * len(points) > 0  # a whisker on each axis per point
    colours = browser.execute_script("return Array.from({length: 100}, (_, i) => FB.color(i))")
    assert len(set(colours)) == 100
