"""Publishing results to a Hugging Face Hub dataset repo, and reading them back.

Every results file is validated against the schema first. The upload is one commit holding, per
model, ``<model>/results.json`` and ``<model>/samples.jsonl`` plus a dataset card (README.md)
built with ``DatasetCard``. Files whose content the repo already has (same git blob id) are left
out, so publishing the same results again makes no commit at all. The token comes from where
``huggingface_hub`` always looks (HF_TOKEN, ``hf auth login``); faithbench never prints or
writes it. ``HF_ENDPOINT`` points the client at another Hub (the tests use one on 127.0.0.1).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from faithbench.api.errors import UserError
from faithbench.results.io import collect, load_results
from faithbench.results.naming import model_slug


def _blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _folder(results: dict) -> str:
    model = results["model"]
    return model_slug(model["name"], model.get("args") or {}).strip("_") or "model"


def dataset_card(entries: list[tuple[str, dict]], repo_id: str):
    from huggingface_hub import DatasetCard, DatasetCardData

    data = DatasetCardData(
        license="mit",
        tags=["faithbench", "chain-of-thought", "faithfulness"],
        pretty_name=f"faithbench results: {repo_id}",
    )
    lines = [
        "# faithbench results",
        "",
        "Results of [faithbench](https://pypi.org/project/faithbench/) runs, one folder per model "
        "(`results.json`, validated against faithbench's schema, and `samples.jsonl`).",
        "",
        "| model | tasks | faithbench | date |",
        "|---|---|---|---|",
    ]
    for folder, res in entries:
        tasks = ", ".join(f"{t} v{e['version']}" for t, e in sorted(res["tasks"].items()))
        lines.append(f"| `{folder}` | {tasks} | {res['faithbench_version']} | {res['date']} |")
    lines += [
        "",
        f"Rebuild the leaderboard from this repo with `faithbench leaderboard build --from-hub {repo_id}`.",
    ]
    return DatasetCard(f"---\n{data.to_yaml()}\n---\n\n" + "\n".join(lines) + "\n")


def publish(paths: list[str | Path], repo_id: str, private: bool = False) -> str:
    """Upload validated results (and their samples) in one commit; returns what happened."""
    from huggingface_hub import CommitOperationAdd, HfApi
    from huggingface_hub.errors import HfHubHTTPError

    files = collect(paths)
    entries, operations = [], {}
    for path in files:
        results = load_results(path)  # raises on a schema violation, naming the file
        folder = _folder(results)
        if any(folder == f for f, _ in entries):
            raise UserError(
                f"two results files for the same model folder '{folder}': publish one run per model"
            )
        entries.append((folder, results))
        operations[f"{folder}/results.json"] = path.read_bytes()
        samples = path.parent / "samples.jsonl"
        if samples.is_file():
            operations[f"{folder}/samples.jsonl"] = samples.read_bytes()
    operations["README.md"] = str(dataset_card(entries, repo_id)).encode()

    api = HfApi()
    try:
        api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        existing = {
            f.path: getattr(f, "blob_id", None)
            for f in api.list_repo_tree(repo_id, repo_type="dataset", recursive=True)
        }
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


def download_results(repo_id: str) -> list[dict]:
    """Every ``*/results.json`` of a published repo, validated."""
    from huggingface_hub import HfApi, hf_hub_download
    from huggingface_hub.errors import HfHubHTTPError

    api = HfApi()
    out = []
    try:
        names = sorted(
            f for f in api.list_repo_files(repo_id, repo_type="dataset") if f.endswith("/results.json")
        )
        with tempfile.TemporaryDirectory() as cache:
            for name in names:
                local = hf_hub_download(repo_id, name, repo_type="dataset", cache_dir=cache)
                out.append(load_results(Path(local)))
    except HfHubHTTPError as exc:
        raise UserError(f"cannot read {repo_id} from the Hub: {_reason(exc)}") from None
    except OSError as exc:
        raise UserError(f"cannot reach the Hub to read {repo_id}: {exc}") from None
    if not out:
        raise UserError(f"{repo_id} holds no faithbench results")
    return out
