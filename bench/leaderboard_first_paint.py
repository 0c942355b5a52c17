"""First paint of the leaderboard site in headless Chromium, side by side in one run:

- the index of a site with 20 models x all tasks against one with a single model;
- the sample browser of a run with 10,000 samples against one with 100 (pages load lazily, so
  the first screen should not grow with the run).

The 20 models are one fake run (``--tasks all --limit 20``) under 20 names: first paint depends on
the size of the data the page renders, not on which model made it. The time is from navigation
start to the page's own mark that it has rendered (``performance.mark`` in app.js, set in a
task queued from the frame after the first screen is drawn, i.e. once it is painted; in
browser.js once the first page of samples is in): headless Chromium records no paint entries for
pages opened from files. The pages compared take turns load by load; prints medians of 9 loads
(ms) and the ratios, side by side from the one run. Needs chromium and
chromedriver (Debian packages) and selenium.

    python bench/leaderboard_first_paint.py
"""

from __future__ import annotations

import json
import shutil
import statistics
import tempfile
from pathlib import Path

from click.testing import CliRunner

from faithbench.cli import cli
from faithbench_leaderboard import build

LOADS = 9
# the page marks when it has rendered (app.js; browser.js once the first page of samples is in)
MARK = "const e = performance.getEntriesByName(arguments[0]); return e.length ? e[0].startTime : null;"


def run(out: Path, *args: str) -> Path:
    result = CliRunner().invoke(cli, ["run", "--model", "fake", "--output-path", str(out), *args])
    assert result.exit_code in (0, 4), result.output
    return out / "fake"


def clones(src: Path, root: Path, n: int) -> list[Path]:
    folders = []
    for i in range(n):
        folder = root / f"model-{i:02d}"
        folder.mkdir(parents=True)
        data = json.loads((src / "results.json").read_text())
        data["model"]["name"] = f"model-{i:02d}"
        (folder / "results.json").write_text(json.dumps(data))
        shutil.copy(src / "samples.jsonl", folder / "samples.jsonl")
        folders.append(folder)
    return folders


def page_weight(index: Path) -> int:
    """Bytes the first screen loads: the page, its stylesheet and every script it names."""
    import re

    html = index.read_text(encoding="utf-8")
    files = [index] + [index.parent / p for p in re.findall(r'(?:src|href)="(assets/[^"]+)"', html)]
    return sum(f.stat().st_size for f in files)


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1024"):
        options.add_argument(arg)
    return webdriver.Chrome(
        service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options
    )


def load_once(driver, url: str, ready: str, mark: str) -> float:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get("about:blank")
    driver.get(url)
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ready))
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(MARK, mark) is not None)
    return float(driver.execute_script(MARK, mark))


def first_paint(driver, urls: list[str], ready: str, mark: str = "faithbench-rendered") -> list[float]:
    """Median time (ms) from navigation start to the page's render mark over LOADS loads of each
    url, the urls taking turns (load 1 of each, then load 2 of each, ...) so a change in the
    machine's load falls on all of them alike; one unmeasured load of each first (warm-up)."""
    for url in urls:
        load_once(driver, url, ready, mark)
    times: list[list[float]] = [[] for _ in urls]
    for _ in range(LOADS):
        for url, got in zip(urls, times, strict=True):
            got.append(load_once(driver, url, ready, mark))
    return [statistics.median(t) for t in times]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base = run(
            root / "base", "--tasks", "all", "--limit", "20", "--samples-per-arm", "4", "--observer", "none"
        )
        many = build(clones(base, root / "many", 20), root / "site-many")
        hundred = build(clones(base, root / "hundred", 100), root / "site-hundred")
        one = build(clones(base, root / "one", 1), root / "site-one")
        big = run(root / "big", "--tasks", "hint_difficulty", "--limit", "250", "--samples-per-arm", "10")
        small = run(root / "small", "--tasks", "hint_difficulty", "--limit", "5", "--samples-per-arm", "5")
        big_site = build([big], root / "site-big")
        small_site = build([small], root / "site-small")
        n_big = sum(1 for _ in (big / "samples.jsonl").open())
        n_small = sum(1 for _ in (small / "samples.jsonl").open())
        driver = browser()
        try:
            pages = [one.as_uri(), many.as_uri(), hundred.as_uri()]
            t_one, t_many, t_hundred = first_paint(driver, pages, "#models tbody tr")
            marked = "faithbench-samples-rendered"
            big_page = next(big_site.parent.glob("samples-*.html")).as_uri()  # ids are names, not positions
            small_page = next(small_site.parent.glob("samples-*.html")).as_uri()
            t_big, t_small = first_paint(driver, [big_page, small_page], "#sample-list .sample", marked)
        finally:
            driver.quit()
        weights = {n: page_weight(site) for n, site in ((1, one), (20, many), (100, hundred))}
    print(
        f"index, 20 models x all tasks: {t_many:.0f} ms; 1 model: {t_one:.0f} ms; ratio {t_many / t_one:.2f}"
    )
    print(f"index, 100 models x all tasks: {t_hundred:.0f} ms; ratio to 1 model {t_hundred / t_one:.2f}")
    print("first-screen page weight (HTML, CSS, scripts, data): " + "; ".join(
        f"{n} model(s) {w / 1000:.0f} kB" for n, w in weights.items()
    ))
    print(
        f"sample browser, {n_big} samples: {t_big:.0f} ms; {n_small} samples: {t_small:.0f} ms; "
        f"ratio {t_big / t_small:.2f}"
    )


if __name__ == "__main__":
    main()
