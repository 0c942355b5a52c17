"""The site with hostile task names: every name keeps its own key and its own page."""

import json
import shutil
import subprocess

import pytest
from conftest import read_results

from faithbench_leaderboard import write_site

NAMES = ["__proto__", "constructor", "a b", "a-b", "A_B", "a_b", "toString"]


def _results_with_tasks(base: dict) -> dict:
    entry = base["tasks"]["suggested_answer"]
    return {**base, "tasks": {name: entry for name in NAMES}}


def test_hostile_task_names_keep_their_keys_and_pages(run_fake, tmp_path):
    assert run_fake(tmp_path / "out", limit=2).exit_code == 0
    results = _results_with_tasks(read_results(tmp_path / "out"))
    site = tmp_path / "site"
    write_site([results], site)
    pages = sorted(p.name for p in site.glob("task-*.html"))
    assert len(pages) == len(NAMES) == len({p.lower() for p in pages})  # case-insensitive too
    assert "task-a-b.html" in pages and "task-a_b.html" in pages
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed")
    script = (
        "global.window = {};"
        f"require({json.dumps(str(site / 'assets' / 'data.js'))});"
        "const t = window.FAITHBENCH_DATA.tasks;"
        "console.log(JSON.stringify(Object.keys(t).map(k => [k, typeof t[k].slug])));"
    )
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True, timeout=30)
    keys = dict(json.loads(out.stdout))
    assert sorted(keys) == sorted(NAMES) and set(keys.values()) == {"string"}
