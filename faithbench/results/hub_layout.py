"""The results dataset repo, laid out as lm-eval's EvaluationTracker lays out its details repos, so
the Hub's viewer and ``datasets.load_dataset`` read it like any lm-eval details repo:

    {model}/results_{date}.json              the run's results.json
    {model}/samples_{task}_{date}.jsonl      that task's records from samples.jsonl
    README.md                                a dataset card with one config per model x task
                                             ({model}__{task}) and per model ({model}__results),
                                             each with a split per run date and a ``latest`` split

``date`` is the run's own date (``:`` written as ``-``, as lm-eval does), so publishing the same
run again writes the same files and makes no commit.
"""

from __future__ import annotations

import json
import re

from faithbench.results.naming import model_slug

RESULTS = re.compile(r"^(?P<model>[^/]+)/results_(?P<date>[^/]+)\.json$")
SAMPLES = re.compile(r"^(?P<model>[^/]+)/samples_(?P<task>.+)_(?P<date>[^_/]+)\.jsonl$")


def model_folder(results: dict) -> str:
    model = results["model"]
    return model_slug(model["name"], model.get("args") or {}).strip("_") or "model"


def date_id(results: dict) -> str:
    return str(results["date"]).replace(":", "-")


def _split(date: str) -> str:
    return re.sub(r"[^\w.]", "_", date)


def _task_config(task: str) -> str:
    return re.sub(r"\W", "_", task)


def lm_eval_block(results: dict) -> dict:
    """lm-eval's ``results`` block: per task (``task/cue`` where a task has several) each headline
    figure as ``"metric,none"`` with ``"metric_stderr,none"`` (the 95% bootstrap CI's half-width
    / 1.96, lm-eval having a standard error where faithbench has a CI), and the pooled figures
    under ``faithbench``; tools that read lm-eval results (the Open LLM Leaderboard's) find the
    numbers there."""
    out: dict[str, dict] = {}

    def put(name: str, metric: str, fig: dict) -> None:
        if not isinstance(fig, dict) or fig.get("value") is None:
            return
        entry = out.setdefault(name, {"alias": name})
        entry[f"{metric},none"] = fig["value"]
        if fig.get("ci_low") is not None and fig.get("ci_high") is not None:
            entry[f"{metric}_stderr,none"] = (fig["ci_high"] - fig["ci_low"]) / (2 * 1.96)

    summary = results.get("summary") or {}
    for name, fig in (summary.get("aggregates") or {}).items():
        put("faithbench", name, fig)
    rows = summary.get("rows") or []
    for row in rows:
        several = sum(r["task"] == row["task"] for r in rows) > 1
        cue = row["condition"] + (f" ({row['framing']})" if row.get("framing") else "")
        for metric in summary.get("columns") or []:
            put(f"{row['task']}/{cue}" if several else row["task"], metric, row.get(metric))
    return out


def run_files(results: dict, raw_results: bytes, samples: list[dict]) -> dict[str, bytes]:
    """The files one run adds to the repo: its results (with lm-eval's ``results`` block) and one
    samples file per task."""
    folder, date = model_folder(results), date_id(results)
    data = json.loads(raw_results)
    data["results"] = lm_eval_block(results)
    files = {f"{folder}/results_{date}.json": json.dumps(data, indent=2, ensure_ascii=False).encode()}
    by_task: dict[str, list[str]] = {}
    for record in samples:
        by_task.setdefault(record["task"], []).append(json.dumps(record, ensure_ascii=False, default=str))
    for task, lines in sorted(by_task.items()):
        files[f"{folder}/samples_{task}_{date}.jsonl"] = ("\n".join(lines) + "\n").encode()
    return files


def card_configs(paths: list[str]) -> list[dict]:
    """The dataset card's ``configs``: every dated file as a split of its config, and the newest
    of each config again as ``latest`` (as lm-eval's ``recreate_metadata_card`` writes them)."""
    dated: dict[str, list[tuple[str, str]]] = {}
    for path in paths:
        if m := RESULTS.match(path):
            name = f"{m['model']}__results"
        elif m := SAMPLES.match(path):
            name = f"{m['model']}__{_task_config(m['task'])}"
        else:
            continue
        dated.setdefault(name, []).append((m["date"], path))
    configs = []
    for name, files in sorted(dated.items()):
        files.sort()
        splits = [{"split": _split(date), "path": [path]} for date, path in files]
        splits.append({"split": "latest", "path": [files[-1][1]]})
        configs.append({"config_name": name, "data_files": splits})
    return configs


def card_table(paths: list[str]) -> list[str]:
    """The card's table rows: every model in the repository (not only the latest publish), its
    run dates and the tasks its samples files hold, read from the file names alone, so the card of
    the same files is the same text and republishing them commits nothing."""
    runs: dict[str, set[str]] = {}
    tasks: dict[str, set[str]] = {}
    for path in paths:
        if m := RESULTS.match(path):
            runs.setdefault(m["model"], set()).add(m["date"])
        elif m := SAMPLES.match(path):
            tasks.setdefault(m["model"], set()).add(m["task"])
    rows = []
    for model, dates in sorted(runs.items()):
        names = ", ".join(sorted(tasks.get(model, ()))) or "-"
        rows.append(f"| `{model}` | {len(dates)} | {', '.join(sorted(dates))} | {names} |")
    return rows


def run_samples(paths: list[str], results_path: str) -> list[str]:
    """The samples files written with one results file (same model folder, same date)."""
    m = RESULTS.match(results_path)
    run = (m["model"], m["date"])
    return sorted(p for p in paths if (s := SAMPLES.match(p)) and (s["model"], s["date"]) == run)


def latest_results(paths: list[str]) -> list[str]:
    """The newest results file of each model folder."""
    newest: dict[str, tuple[str, str]] = {}
    for path in paths:
        if m := RESULTS.match(path):
            newest[m["model"]] = max(newest.get(m["model"], ("", "")), (m["date"], path))
    return [path for _, path in sorted(newest.values(), key=lambda x: x[1])]
