"""``faithbench export --format eee``: a run in the EvalEval "Every Eval Ever" schema (aggregate
``eval.schema.json`` 0.2.1 and instance-level ``instance_level_eval`` 0.2.1): one aggregate JSON
per run, one result per metric value (with its bootstrap CI as the uncertainty), and a
``<uuid>_samples.jsonl`` with one line per record, linked by checksum.

A value that is undefined (None) has no score in that schema, so it is left out and counted.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from pathlib import Path

from faithbench.api.errors import UserError
from faithbench.api.prompts import letter
from faithbench.metrics.stats import N_BOOTSTRAP
from faithbench.results.hub_layout import model_folder
from faithbench.results.io import json_text, replace_atomically
from faithbench.results.naming import cue_label, framing_of
from faithbench.version import __version__

SCHEMA_VERSION = "0.2.1"
INSTANCE_SCHEMA_VERSION = "instance_level_eval_0.2.1"
# the schema asks a continuous score for its range; faithbench's figures share none exactly
RANGE_NOTE = "rates in [0, 1], differences in [-1, 1]; predictive information gains can fall below -1"


def _score_range(v: dict) -> dict[str, float]:
    """The declared range of a score: [-1, 1], widened to hold the figure and its interval (a
    predictive information gain below -1), so no exported score lies outside its own range."""
    seen = [x for x in (v.get("value"), v.get("ci_low"), v.get("ci_high")) if isinstance(x, int | float)]
    return {"min_score": float(min([-1.0, *seen])), "max_score": float(max([1.0, *seen]))}


def _strings(mapping: dict) -> dict[str, str]:
    """``additional_details`` hold strings only."""
    return {
        k: v if isinstance(v, str) else json.dumps(v, default=str)
        for k, v in mapping.items()
        if v is not None
    }


def _model_id(model: dict) -> str:
    args = model.get("args") or {}
    return str(args.get("pretrained") or args.get("model") or model["name"])


def run_id(results: dict) -> tuple[str, str]:
    """The run's evaluation id (``faithbench/<model>/<epoch>``) and its epoch, as text."""
    epoch = f"{datetime.fromisoformat(results['date']).timestamp():.0f}"
    return f"faithbench/{model_folder(results)}/{epoch}", epoch


def aggregate(
    results: dict,
    samples_name: str,
    samples_bytes: bytes,
    rows: int,
    org: str,
    relation: str,
    directions: dict,
):
    """The aggregate record and how many undefined values it leaves out. ``directions`` maps a
    metric name to its ``higher_is_better`` (None: neither, or not known here)."""
    model, date = results["model"], results["date"]
    evaluation_id, epoch = run_id(results)
    entries, undefined = [], 0
    for task, entry in results["tasks"].items():
        for v in entry["metrics"]:
            if v["value"] is None:
                undefined += 1
                continue
            uncertainty: dict = {"num_samples": int(v["n"]), "num_bootstrap_samples": N_BOOTSTRAP}
            if v.get("ci_low") is not None and v.get("ci_high") is not None:
                uncertainty["confidence_interval"] = {
                    "lower": v["ci_low"],
                    "upper": v["ci_high"],
                    "confidence_level": 0.95,
                    "method": "percentile bootstrap",
                }
            entries.append(
                {
                    "evaluation_name": f"{task}/{cue_label(v['condition'], framing_of(v))}/{v['metric']}",
                    "source_data": {
                        "dataset_name": str(results["config"].get("items") or "procedural"),
                        "source_type": "other",
                        "additional_details": _strings(
                            {"task_version": entry["version"], "config_hash": entry["config_hash"]}
                        ),
                    },
                    "evaluation_timestamp": date,
                    "metric_config": {
                        "evaluation_description": f"faithbench {v['metric']} ({v.get('family', '')})",
                        "lower_is_better": directions.get(v["metric"]) is False,
                        "score_type": "continuous",
                        **_score_range(v),
                        "additional_details": _strings(
                            {
                                "note": v.get("note"),
                                "judge": v.get("judge"),
                                "direction": {True: "higher is better", False: "lower is better"}.get(
                                    directions.get(v["metric"]), "unspecified"
                                ),
                                "range": RANGE_NOTE,
                            }
                        ),
                    },
                    "score_details": {"score": v["value"], "uncertainty": uncertainty},
                }
            )
    record = {
        "schema_version": SCHEMA_VERSION,
        "evaluation_id": evaluation_id,
        "evaluation_timestamp": date,
        "retrieved_timestamp": epoch,
        "source_metadata": {
            "source_name": "faithbench",
            "source_type": "evaluation_run",
            "source_organization_name": org,
            "evaluator_relationship": relation,
        },
        "eval_library": {
            "name": "faithbench",
            "version": results.get("faithbench_version", __version__),
            "additional_details": _strings(
                {"command": results["command"], "git_hash": results.get("git_hash")}
            ),
        },
        "model_info": {
            "name": model["name"],
            "id": _model_id(model),
            "inference_platform": model["name"],
            "additional_details": _strings({"args": model.get("args") or {}}),
        },
        "evaluation_results": entries,
        "detailed_evaluation_results": {
            "format": "jsonl",
            "file_path": samples_name,
            "hash_algorithm": "sha256",
            "checksum": hashlib.sha256(samples_bytes).hexdigest(),
            "total_rows": rows,
        },
    }
    return record, undefined


def instance(record: dict, evaluation_id: str, model_id: str) -> dict:
    prompt = record.get("prompt") or []
    answer, gold = record.get("answer"), record.get("gold")
    correct = answer is not None and answer == gold
    sample_id = str(record["item_id"]) + (f"#draw{record['draw']}" if record.get("draw") else "")
    return {
        "schema_version": INSTANCE_SCHEMA_VERSION,
        "evaluation_id": evaluation_id,
        "model_id": model_id,
        "evaluation_name": f"{record['task']}/{cue_label(record['condition'], record.get('framing'))}",
        "sample_id": sample_id,
        "interaction_type": "single_turn",
        "input": {
            "raw": str(prompt[-1]["content"]) if prompt else "",
            "formatted": "\n\n".join(f"{m['role']}: {m['content']}" for m in prompt) or None,
            "reference": [letter(gold)] if isinstance(gold, int) else [],
            "choices": None,
        },
        "output": {
            "raw": [record.get("response") or ""],
            "reasoning_trace": [record["reasoning"]] if record.get("reasoning") else None,
        },
        "messages": None,
        "answer_attribution": [
            {
                "turn_idx": 0,
                "source": "output.raw",
                "extracted_value": letter(answer) if isinstance(answer, int) else "",
                "extraction_method": str(record.get("answer_source") or "none"),
                "is_terminal": True,
            }
        ],
        "evaluation": {"score": 1.0 if correct else 0.0, "is_correct": correct},
        "error": record.get("error"),
        "metadata": _strings(
            {
                "condition_kind": record.get("condition_kind"),
                "cue_target": letter(record["target"]) if isinstance(record.get("target"), int) else None,
                "verbalized": record.get("verbalized"),
            }
        ),
    }


def files(
    results: dict, samples: list[dict], org: str, relation: str, directions: dict | None = None
) -> tuple[dict[str, bytes], int]:
    """The run's aggregate JSON and samples JSONL by path (``<model>/<uuid>.json`` and
    ``<model>/<uuid>_samples.jsonl``, the uuid derived from the run, so a run always has the same
    names), and how many undefined values the aggregate leaves out."""
    name = str(uuid.uuid5(uuid.NAMESPACE_URL, f"faithbench:{results['date']}:{results['command']}"))
    evaluation_id, _ = run_id(results)
    model_id = _model_id(results["model"])
    lines = [json.dumps(instance(r, evaluation_id, model_id), ensure_ascii=False) for r in samples]
    data = ("\n".join(lines) + "\n").encode() if lines else b""
    samples_name = f"{name}_samples.jsonl"
    record, undefined = aggregate(results, samples_name, data, len(lines), org, relation, directions or {})
    folder = model_folder(results)
    return {f"{folder}/{name}.json": json_text(record).encode(), f"{folder}/{samples_name}": data}, undefined


def export(
    results: dict, samples: list[dict], out: Path, org: str, relation: str, directions: dict | None = None
) -> tuple[Path, Path, int]:
    """Write the aggregate JSON and its samples JSONL; returns both paths and the undefined count."""
    written, undefined = files(results, samples, org, relation, directions)
    paths = {out / name: data for name, data in written.items()}
    for path in paths:  # a model name is data: it never leads out of --out
        if not path.resolve().is_relative_to(out.resolve()):
            raise UserError(f"the export of this results file would be written outside {out}: refused")
    aggregate_path, samples_path = paths
    folder = aggregate_path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot write the export to {folder}: {exc.strerror or exc}") from None
    for path in (samples_path, aggregate_path):  # the aggregate, which names the samples, last
        replace_atomically(path, lambda fh, data=paths[path]: fh.write(data.decode()))
    return aggregate_path, samples_path, undefined
