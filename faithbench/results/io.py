"""Results I/O in one place: results.json (validated against the shipped schema) and samples.jsonl,
written atomically and read back, for run, merge, publish and the site alike."""

from __future__ import annotations

import json
import math
import os
import subprocess
from pathlib import Path

import jsonschema

from faithbench.api.errors import UserError
from faithbench.api.schemas import load_schema

SCHEMA_VERSION = 1


def schema_errors(data: object) -> list[str]:
    validator = jsonschema.Draft202012Validator(load_schema("results"))
    errors = []
    for err in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        errors.append(f"{where}: {err.message}")
    return errors


def validate_file(path: str | Path) -> list[str]:
    """Schema problems of a results file, as readable lines; [] when valid."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"no such file: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return [f"not valid JSON: {exc}"]
    return schema_errors(data)


def _clean(value):
    """JSON has no NaN: undefined figures are written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(_clean(data), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def write_results(path: Path, data: dict) -> None:
    data = _clean(data)
    errors = schema_errors(data)
    if errors:  # a bug, not a user error: never write a file our own validator rejects
        raise RuntimeError("results do not match the schema:\n" + "\n".join(errors))
    write_json_atomic(path, data)


def write_samples(path: Path, records: list[dict]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(_clean(record), ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def git_hash() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=Path(__file__).parent,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def ensure_writable_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".faithbench-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise UserError(f"cannot write to output path {path}: {exc.strerror or exc}") from None
    return path


def collect(paths: list[str | Path]) -> list[Path]:
    """results.json files: given directly, or found anywhere below the given folders."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(sorted(path.rglob("results.json")))
        else:
            raise UserError(f"no such file or folder: {path}")
    if not found:
        raise UserError("no results.json found in " + ", ".join(map(str, paths)))
    return found


def load_results(path: Path) -> dict:
    """A results file, validated; a user error naming the file when it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{path}: cannot read results ({exc})") from None
    errors = schema_errors(data)
    if errors:
        raise UserError(f"{path}: not a valid results file: {errors[0]}")
    return data


def load_samples(results_path: Path) -> list[dict]:
    """The samples.jsonl beside a results file."""
    samples = results_path.parent / "samples.jsonl"
    if not samples.is_file():
        raise UserError(f"{results_path.parent}: no samples.jsonl (the run must use --log-samples)")
    with samples.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
