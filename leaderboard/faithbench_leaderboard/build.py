"""The static leaderboard site: results files in, a folder of HTML/CSS/JS out.

No server and no CDN: the page shell, stylesheet and script sit beside this module and ship in
the wheel; the data is written as assets/data.js so the
site also opens from the file system. The script inserts every value with textContent, so a model
named ``<img src=x onerror=alert(1)>`` is shown as text.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections import Counter
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from faithbench import __version__
from faithbench.api.errors import UserError
from faithbench.results.io import collect, load_results, load_samples
from faithbench.results.naming import cue_label, model_label
from faithbench_leaderboard.corrected import assign, corrections
from faithbench_leaderboard.directions import directions, observed
from faithbench_leaderboard.headline import chips, figures, moved_cots, with_moved
from faithbench_leaderboard.pairs import compared
from faithbench_leaderboard.samples import write_sample_pages
from faithbench_leaderboard.staging import write_whole

SCRIPTS = ("app.js", "charts.js", "browser.js", "first.js", "label.js", "compare.js")


def page_name(text: str) -> str:
    """A file-name-safe name for a task's page, distinct for distinct task names: a name that is
    not already safe (lowercase letters, digits, _ and -) gets a hash of its exact text, so "a b"
    and "a-b", or "A_B" and "a_b", never share a page (nor on a case-insensitive file system)."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-") or "task"
    if slug == text:
        return slug
    return f"{slug}-{hashlib.sha1(text.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}"


def run_id(res: dict) -> str:
    """A run's id in page names and links, from what the run is (model label, run date, a hash of
    its model, config and tasks' config hashes), never its position among the files: a shared
    ``compare.html#A,B`` or ``model-ID.html`` names the same runs after more folders are added."""
    label = re.sub(r"[^a-z0-9]+", "-", model_label(res["model"]).lower()).strip("-")[:40] or "model"
    when = re.sub(r"[^0-9]", "", str(res.get("date", "")))[:12] or "undated"
    what = {
        "model": res["model"],
        "date": res.get("date"),
        "config": res.get("config"),
        "tasks": {t: e.get("config_hash") for t, e in res["tasks"].items()},
    }
    digest = hashlib.sha1(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()[:8]
    return f"{label}-{when}-{digest}"


def channel_figures(res: dict) -> dict:
    """A reasoning model's articulation judged on its thinking and on its answer alone, each
    pooled over the cues as verbalized / moved (the per-cue figures' n-weighted mean), so the
    first screen shows both beside the pooled figure; {} for a model without a thinking channel."""
    shown = (res.get("summary") or {}).get("framing")
    out = {}
    for channel in ("thinking", "answer"):
        figs = [
            row["articulation"]
            for row in res.get("faithfulness", [])
            if row.get("channel") == channel and row.get("framing") == shown
            and (row.get("articulation") or {}).get("value") is not None
        ]
        n = sum(f["n"] for f in figs)
        if n:
            out[channel] = {"value": sum(f["value"] * f["n"] for f in figs) / n, "n": n}
    return out


METRIC_KEYS = ("metric", "family", "value", "ci_low", "ci_high", "n", "note", "judge", "observer")
METRIC_KEYS += ("difficulty", "n_moved")  # n_moved: articulation_V's moved CoTs (headline.moved_cots)
METRIC_KEYS += ("n_groups",)  # the units a CI resamples where they are not items (IPHR: comparison groups)


def site_data(results: list[dict]) -> dict:
    runs, tasks, ids = [], {}, Counter()
    for res in results:
        metrics = []
        for task, entry in res["tasks"].items():
            slot = tasks.setdefault(task, {"slug": page_name(task), "metrics": {}})
            for m in entry["metrics"]:
                # a framed run's figures are per framing: each framing is its own column set
                condition = cue_label(m["condition"], m.get("framing"))
                names = slot["metrics"].setdefault(condition, [])
                if m["metric"] not in names:
                    names.append(m["metric"])
                kept = {k: m.get(k) for k in METRIC_KEYS}
                metrics.append({"task": task, "condition": condition, "framing": m.get("framing"), **kept})
        rid = run_id(res)
        ids[rid] += 1
        runs.append(
            {
                "id": rid if ids[rid] == 1 else f"{rid}-{ids[rid]}",  # the same file given twice
                "model": res["model"]["name"],
                "model_label": model_label(res["model"]),
                "model_args": res["model"].get("args", {}),
                "command": res["command"],
                "config": {k: res.get("config", {}).get(k) for k in DIFFERS},
                "date": res["date"],
                "faithbench_version": res["faithbench_version"],
                "git_hash": res.get("git_hash"),
                "tasks": {
                    t: {"version": e["version"], "config_hash": e["config_hash"], "status": e["status"]}
                    for t, e in res["tasks"].items()
                },
                "metrics": metrics,
                "faithfulness": res.get("faithfulness", []),
                "observer": res.get("observer"),
                "summary": res.get("summary"),
                "channels": channel_figures(res),
                "corrected": res.get("judge_correction"),  # --judge-labels: articulation corrected
                "samples": {},  # {task: {condition: pages}}, filled when the samples are written
            }
        )
    tell_apart(runs)
    return {
        "faithbench_version": __version__,
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "runs": runs,
        "tasks": dict(sorted(tasks.items())),
    }


DIFFERS = ("seed", "limit", "num_fewshot", "visibility", "judge", "observer", "items", "gen_kwargs")


def tell_apart(runs: list[dict]) -> None:
    """Runs of the same model get what differs between them in their label (seed, limit, ...),
    else their run's date, and a number where even that is shared: every row, heatmap line and
    legend entry names one run."""
    groups: dict[str, list[dict]] = {}
    for run in runs:
        groups.setdefault(run["model_label"], []).append(run)
    for group in (g for g in groups.values() if len(g) > 1):
        keys = [k for k in DIFFERS if len({json.dumps(r["config"].get(k)) for r in group}) > 1]
        if keys:
            for run in group:
                # a setting a run left unset is not printed as "None": the others tell it apart
                said = ", ".join(f"{k}={run['config'][k]}" for k in keys if run["config"].get(k) is not None)
                run["model_label"] = f"{run['model_label']} · {said or 'defaults'}"
    labels = Counter(run["model_label"] for run in runs)
    dated = Counter(f"{run['model_label']} {run['date']}" for run in runs)
    seen: Counter = Counter()
    for run in runs:
        if labels[run["model_label"]] < 2:
            continue
        key = f"{run['model_label']} {run['date']}"
        seen[key] += 1
        suffix = f" #{seen[key]}" if dated[key] > 1 else ""
        run["model_label"] = f"{run['model_label']} · {run['date']}{suffix}"


FIRST_SCREEN = ("id", "model", "model_label", "date", "observer")
FIGURE = ("value", "ci_low", "ci_high", "n")  # a figure in data.js: [value, low, high, n, {rest}]


def _rounded(value):
    """Figures to 4 decimals (the site shows 2 or 3): the first screen's data stays small."""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _packed(fig: dict) -> list:
    """A figure as a short array (charts.js unpacks it): the first screen of 100 models stays
    under 500 kB."""
    rest = {k: v for k, v in fig.items() if k not in FIGURE and k != "n_draws"}
    return [_rounded(fig.get(k)) for k in FIGURE] + ([rest] if rest else [])


ROW_KEYS = ("task", "condition", "framing")


def first_screen(run: dict, places: dict) -> dict:
    """What data.js keeps of a run: its names, the first screen's figures and chips, and its
    summary (rows, pooled figures, verdict; summaries.js, loaded after the first paint). A
    row is [its (task, condition, framing)'s index in ``places``, {figure: packed}]: the names are
    written once per site, not once per model."""
    summary = dict(run["summary"] or {})
    if summary:
        summary["rows"] = [
            [
                places.setdefault(json.dumps([row.get(k) for k in ROW_KEYS]), len(places)),
                {k: _packed(v) for k, v in row.items() if k not in ROW_KEYS},
            ]
            for row in with_moved(summary["rows"], run["cues"])  # articulation: its moved CoTs too
        ]
        summary["aggregates"] = {k: _packed(v) for k, v in (summary.get("aggregates") or {}).items() if v}
    shown = figures(run)
    return {
        **{k: run[k] for k in FIRST_SCREEN},
        "first": {k: _packed(v) for k, v in shown.items()},  # its columns and chips, worked out here
        "chips": _rounded(chips(run, shown, run["cues"])),
        "summary": summary or None,
        "has_samples": bool(run["samples"]),
    }


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def write_site(results: list[dict], out: str | Path, samples: list[list[dict] | None] | None = None) -> Path:
    """The site for ``results``; ``samples`` (one list per results file, or None) feed the sample
    browser, written as small script files each page loads only when asked for. Written whole or
    not at all (``staging.py``): a full disk leaves an earlier site as it was."""
    return write_whole(out, lambda folder: _write_site(results, folder, samples))


def _write_site(results: list[dict], out: Path, samples: list[list[dict] | None] | None) -> Path:
    out = Path(out)
    try:
        (out / "assets").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot write the site to {out}: {exc.strerror}") from None
    data = site_data(results)
    for run, records in zip(data["runs"], samples or [None] * len(results), strict=True):
        if records:
            folder, judge = out / "assets" / "samples" / run["id"], run["config"].get("judge")
            run["samples"] = write_sample_pages(folder, records, judge)
        run["cues"] = moved_cots(run)  # the model page's per-cue chips (in its own file)
    (out / "assets" / "style.css").write_text(_asset("style.css"), encoding="utf-8")
    for script in SCRIPTS:
        (out / "assets" / script).write_text(_asset(script), encoding="utf-8")
    # JSON is JavaScript; escaping "<" keeps the file inert even if opened as HTML
    # JSON.parse, not an object literal: in a literal, a task named "__proto__" would set the
    # prototype instead of adding a key. The JSON text goes in as a JS string; "<" is escaped so
    # the file stays inert even if opened as HTML.
    def parsed(value) -> str:
        # in single quotes, JSON's many double quotes need no escaping (a fifth of data.js)
        text = json.dumps(value, separators=(",", ":"))  # ASCII: no line separators left in it
        quoted = text.replace("\\", "\\\\").replace("'", "\\'").replace("<", "\\u003c")
        return "JSON.parse('" + quoted + "')"

    # per-page data: data.js holds what the first screen and compare read (labels, summaries);
    # each run's every figure, table and sample index is its own file, loaded by the pages that
    # show them, so the first screen's weight grows by a summary per model, not by every figure
    (out / "assets" / "runs").mkdir(exist_ok=True)
    for run in data["runs"]:
        (out / "assets" / "runs" / f"{run['id']}.js").write_text(
            f"window.FAITHBENCH_RUN({parsed(run)});\n", encoding="utf-8"
        )
    places: dict[str, int] = {}
    light = {**data, "runs": [first_screen(run, places) for run in data["runs"]]}
    light["places"] = [json.loads(k) for k in places]
    light["directions"] = directions()  # compare's arrows: which way each figure is more faithful
    light["observed"] = observed()  # compare: figures comparable only under one observer
    # compare's paired B - A: one file per pair of runs, loaded by compare.html for that pair
    (out / "assets" / "pairs").mkdir(exist_ok=True)
    light["pairs"] = []
    for (a, b), figs in compared(data["runs"], samples or [None] * len(results)).items():
        light["pairs"].append([a, b])
        text = parsed({"a": a, "b": b, "figures": figs})
        pair = out / "assets" / "pairs" / f"{a}--{b}.js"
        pair.write_text(f"window.FAITHBENCH_PAIR({text});\n", encoding="utf-8")
    # the summaries (heatmaps, compare) in their own file, loaded once the first screen is painted
    rest = {"places": light.pop("places"), "summaries": {r["id"]: r.pop("summary") for r in light["runs"]}}
    later = f"window.FAITHBENCH_SUMMARIES({parsed(rest)});\n"
    (out / "assets" / "summaries.js").write_text(later, encoding="utf-8")
    (out / "assets" / "data.js").write_text(f"window.FAITHBENCH_DATA = {parsed(light)};\n", encoding="utf-8")
    shell = _asset("page.html")

    def page(name: str, kind: str, key: str) -> None:
        text = shell.replace("__PAGE__", kind).replace("__KEY__", html.escape(key, quote=True))
        (out / name).write_text(text, encoding="utf-8")

    page("index.html", "index", "")
    page("compare.html", "compare", "")
    for run in data["runs"]:
        page(f"model-{run['id']}.html", "model", run["id"])
        if run["samples"]:
            page(f"samples-{run['id']}.html", "samples", run["id"])
    for task, info in data["tasks"].items():
        page(f"task-{info['slug']}.html", "task", task)
    return out / "index.html"


def build(paths: list[str | Path], out: str | Path, judge_labels: list[str] = ()) -> Path:
    """``judge_labels``: ``[RUN=]labels.jsonl`` specs, each run's articulation corrected (corrected.py)."""
    files = collect(paths)
    samples = [load_samples(p) if (p.parent / "samples.jsonl").is_file() else None for p in files]
    results, labels = [load_results(p) for p in files], assign(list(judge_labels), files)
    for res, path in zip(results, files, strict=True):
        res["judge_correction"] = corrections(path, labels[path]) if path in labels else None
    return write_site(results, out, samples)
