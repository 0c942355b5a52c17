"""Publishing results to a Hugging Face Hub dataset repo, and reading them back.

Every results file is validated against the schema first. The upload is one commit holding each
run's files in lm-eval's EvaluationTracker layout (``hub_layout``), the same run in the Every Eval
Ever schema under ``eee/`` (``eee``), and a dataset card (README.md) built with ``DatasetCard``,
whose configs ``datasets.load_dataset`` reads. Files whose content the
repo already has (same git blob id) are left out, so publishing the same results again makes no
commit at all. The token comes from where
``huggingface_hub`` always looks (HF_TOKEN, ``hf auth login``); faithbench never prints or
writes it. ``HF_ENDPOINT`` points the client at another Hub (the tests use one on 127.0.0.1).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from faithbench.api.errors import UserError
from faithbench.results.eee import files as eee_files
from faithbench.results.hub_layout import (
    card_configs,
    card_table,
    latest_results,
    model_folder,
    run_files,
    run_samples,
)
from faithbench.results.io import collect, load_results, load_samples
from faithbench.results.naming import cue_label


def _blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def dataset_card(repo_id: str, paths: list[str]):
    """The card: one config per model x task (and per model's results), for ``load_dataset``, and a
    table of every model the repository holds once ``paths`` (its files after this commit) are in."""
    from huggingface_hub import DatasetCard, DatasetCardData

    data = DatasetCardData(
        license="mit",
        tags=["faithbench", "chain-of-thought", "faithfulness"],
        pretty_name=f"faithbench results: {repo_id}",
        configs=card_configs(paths),
    )
    lines = [
        "# faithbench results",
        "",
        "Results of [faithbench](https://pypi.org/project/faithbench/) runs, laid out like "
        "lm-eval's details repos: per model `results_<date>.json` (validated against faithbench's "
        "schema) and `samples_<task>_<date>.jsonl`. Load a task's samples with "
        f'`datasets.load_dataset("{repo_id}", "<model>__<task>", split="latest")`.',
        "",
        "| model | runs | run dates | tasks with samples |",
        "|---|---|---|---|",
        *card_table(paths),
    ]
    lines += [
        "",
        f"Rebuild the leaderboard from this repo with `faithbench leaderboard build --from-hub {repo_id}`.",
    ]
    return DatasetCard(f"---\n{data.to_yaml()}\n---\n\n" + "\n".join(lines) + "\n")


EEE_FOLDER = "eee"  # the Every Eval Ever files of each run: eee/<model>/<uuid>.json and its samples


def publish(
    paths: list[str | Path],
    repo_id: str,
    private: bool = False,
    eee: tuple[str, str, dict] = ("unknown", "third_party", {}),
) -> str:
    """Upload validated results (and their samples) in one commit, each run also in the Every Eval
    Ever schema (``eee``: the organization, its relationship to the model, and the metrics'
    directions); returns what happened."""
    from huggingface_hub import CommitOperationAdd, HfApi
    from huggingface_hub.errors import HfHubHTTPError

    files = collect(paths)
    entries, operations = [], {}
    for path in files:
        results = load_results(path)  # raises on a schema violation, naming the file
        folder = model_folder(results)
        if any(folder == f for f, _ in entries):
            raise UserError(
                f"two results files for the same model folder '{folder}': publish one run per model"
            )
        entries.append((folder, results))
        samples = load_samples(path) if (path.parent / "samples.jsonl").is_file() else []
        operations.update(run_files(results, path.read_bytes(), samples))
        exported, _ = eee_files(results, samples, *eee)
        operations.update((f"{EEE_FOLDER}/{name}", data) for name, data in exported.items())

    api = HfApi()
    try:
        api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        existing = {
            f.path: getattr(f, "blob_id", None)
            for f in api.list_repo_tree(repo_id, repo_type="dataset", recursive=True)
        }
        card = dataset_card(repo_id, sorted(set(existing) | set(operations)))
        operations["README.md"] = str(card).encode()
        changed = [
            CommitOperationAdd(path_in_repo=p, path_or_fileobj=data)
            for p, data in operations.items()
            if existing.get(p) != _blob_id(data)
        ]
        if not changed:
            return f"{repo_id} already has these {len(files)} result file(s); nothing to commit"
        info = api.create_commit(
            repo_id,
            repo_type="dataset",
            operations=changed,
            commit_message=f"faithbench: publish {len(files)} result file(s)",
        )
    except HfHubHTTPError as exc:
        raise UserError(f"upload to {repo_id} failed: {_reason(exc)}") from None
    except OSError as exc:
        raise UserError(f"cannot reach the Hub to publish {repo_id}: {exc}") from None
    return f"published {len(changed)} file(s) to {repo_id} in one commit: {info.commit_url}"


def _reason(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    return f"HTTP {status}" if status else type(exc).__name__


def download_results(repo_id: str, with_samples: bool = False) -> list:
    """The newest results file of every model in a published repo, validated; ``with_samples``:
    each as (results, its run's records from the samples files, or None), for the sample browser."""
    from huggingface_hub import HfApi, hf_hub_download
    from huggingface_hub.errors import HfHubHTTPError

    from faithbench.strict_json import parse_json

    api = HfApi()
    out = []
    try:
        paths = api.list_repo_files(repo_id, repo_type="dataset")
        names = latest_results(paths)
        with tempfile.TemporaryDirectory() as cache:
            for name in names:
                local = hf_hub_download(repo_id, name, repo_type="dataset", cache_dir=cache)
                results = load_results(Path(local))
                if not with_samples:
                    out.append(results)
                    continue
                records = []
                for sample_file in run_samples(paths, name):
                    got = Path(hf_hub_download(repo_id, sample_file, repo_type="dataset", cache_dir=cache))
                    lines = got.read_text(encoding="utf-8").splitlines()
                    records += [parse_json(line) for line in lines if line.strip()]
                out.append((results, records or None))
    except HfHubHTTPError as exc:
        raise UserError(f"cannot read {repo_id} from the Hub: {_reason(exc)}") from None
    except OSError as exc:
        raise UserError(f"cannot reach the Hub to read {repo_id}: {exc}") from None
    if not out:
        raise UserError(f"{repo_id} holds no faithbench results")
    return out


def eval_results_yaml(results: dict, dataset_id: str, source_url: str | None) -> str:
    """``.eval_results/faithbench.yaml`` in the Hub's eval-results format: one entry per headline
    score of the run's summary (task/cue/figure as the task id), with its CI and n in the notes."""
    from huggingface_hub import EvalResultEntry, eval_result_entries_to_yaml

    summary = results.get("summary") or {}
    version = results.get("faithbench_version", "?")
    entries = []
    for row in summary.get("rows", []):
        for figure in summary.get("columns", []):
            est = row.get(figure)
            if not est or est["value"] is None:
                continue  # undefined stays undefined: no entry, never a zero
            ci = (
                f"95% CI [{est['ci_low']:.4f}, {est['ci_high']:.4f}]"
                if est["ci_low"] is not None and est["ci_high"] is not None
                else "no CI"
            )
            entries.append(
                EvalResultEntry(
                    dataset_id=dataset_id,
                    task_id=f"{row['task']}/{cue_label(row['condition'], row.get('framing'))}/{figure}",
                    value=round(float(est["value"]), 6),
                    date=results["date"],
                    source_url=source_url,
                    source_name="faithbench" if source_url else None,
                    notes=f"evaluation framework: faithbench {version}; {ci}, n={est['n']}",
                )
            )
    if not entries:
        raise UserError("these results have no headline scores to publish (no summary figures with a value)")
    import yaml

    return yaml.safe_dump(eval_result_entries_to_yaml(entries), sort_keys=False, allow_unicode=True)


def open_model_pr(path: Path, model_repo: str, dataset_id: str, source_url: str | None) -> str:
    """Open a pull request on a model repo adding ``.eval_results/faithbench.yaml``."""
    from huggingface_hub import CommitOperationAdd, HfApi
    from huggingface_hub.errors import HfHubHTTPError

    results = load_results(path)
    text = eval_results_yaml(results, dataset_id, source_url)
    try:
        info = HfApi().create_commit(
            model_repo,
            repo_type="model",
            operations=[CommitOperationAdd(".eval_results/faithbench.yaml", text.encode())],
            commit_message="Add faithbench evaluation results",
            commit_description=f"faithbench {results.get('faithbench_version', '?')}: {results['command']}",
            create_pr=True,
        )
    except HfHubHTTPError as exc:
        raise UserError(f"cannot open a pull request on {model_repo}: {_reason(exc)}") from None
    except OSError as exc:
        raise UserError(f"cannot reach the Hub to open a pull request on {model_repo}: {exc}") from None
    return f"opened a pull request on {model_repo} adding .eval_results/faithbench.yaml: {info.pr_url}"
