"""Results I/O in one place: results.json (validated against the shipped schema) and samples.jsonl,
written atomically and read back, for run, merge, publish and the site alike."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import jsonschema

from faithbench.api.errors import UserError
from faithbench.api.jsonvalue import thaw
from faithbench.api.record import Record
from faithbench.api.schemas import format_checker, load_schema
from faithbench.strict_json import NotJSON, parse_json

SCHEMA_VERSION = 1


def schema_errors(data: object, schema: str = "results") -> list[str]:
    """Where ``data`` breaks the named shipped schema (results, or record: one samples.jsonl line)."""
    validator = _validator(schema)
    errors = []
    for err in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        errors.append(f"{where}: {err.message}")
    return errors


def read_json(path: Path):
    """A JSON file, or a user error naming it (missing, a folder, not UTF-8, not strict JSON)."""
    if path.exists() and not path.is_file():  # a folder; a pipe or device would block the read
        raise UserError(f"{path} is {'a folder' if path.is_dir() else 'no regular file'}, not a results file")
    try:
        return parse_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"no such file: {path}") from None
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text") from None
    except NotJSON as exc:
        raise UserError(f"{path}: {exc}") from None


@cache
def _validator(schema: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_schema(schema), format_checker=format_checker())


def validate_file(path: str | Path) -> list[str]:
    """Schema problems of a results file, or of every line of a samples.jsonl, as readable lines;
    [] when valid."""
    if Path(path).suffix == ".jsonl":
        return _samples_errors(Path(path))
    try:
        data = read_json(Path(path))
    except UserError as exc:
        return [exc.message]
    try:
        return schema_errors(data)
    except RecursionError:
        return ["nested too deeply"]


def _clean(value):
    """JSON has no NaN: undefined figures are written as null (the record's own rule)."""
    return thaw(value)


def replace_atomically(path: Path, write) -> None:
    """Write to a new temporary file beside ``path`` and rename it over ``path``: a failure (a full
    disk, a folder in the way) leaves the earlier file as it was and is a user error."""
    replace_together({path: write})


def replace_together(writes: dict[Path, object]) -> None:
    """Several files replaced as one: every temporary file is written first (where a full disk
    fails, leaving every earlier file as it was), then all are renamed (which needs no space), so
    new results never sit beside old samples."""
    staged: list[tuple[Path, Path]] = []
    failing = None
    try:
        for path, write in writes.items():
            failing = path
            staged.append((_stage(path, write), path))
        failing = None
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        where = failing or ", ".join(map(str, writes))
        said = f"cannot write {where}: {exc.strerror or exc}; the earlier file is unchanged"
        raise UserError(said) from None


def _stage(path: Path, write) -> Path:
    """``write`` into a new temporary file beside ``path``, flushed to disk, removed again if
    writing fails. Its name is unpredictable and it is created exclusively (``mkstemp``), so a link
    planted in the folder is never followed; the rename then replaces a link at ``path``, not its
    target."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        os.fchmod(fd, 0o644)  # as open() would make it, not mkstemp's owner-only 0600
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def create_exclusive(path: Path):
    """A new file at ``path`` opened for writing text: whatever was there (a stale file, a planted
    link) is removed first, never written through, and the file is created with ``O_EXCL`` and
    ``O_NOFOLLOW``, so a link planted in between is refused rather than followed."""
    try:
        path.unlink(missing_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    return os.fdopen(fd, "w", encoding="utf-8")


def json_text(data: dict) -> str:
    """A JSON file's text as faithbench writes them (indented, undefined figures as null)."""
    return json.dumps(_clean(data), indent=2, ensure_ascii=False) + "\n"


def write_json_atomic(path: Path, data: dict) -> None:
    replace_atomically(path, lambda fh: fh.write(json_text(data)))


def _results_text(results: dict) -> str:
    """results.json's text, checked: a bug, not a user error, if our own validator rejects it."""
    data = _clean(results)
    errors = schema_errors(data)
    if errors:
        raise RuntimeError("results do not match the schema:\n" + "\n".join(errors))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_results(path: Path, data: dict) -> None:
    text = _results_text(data)
    replace_atomically(path, lambda fh: fh.write(text))


def write_run(folder: Path, results: dict, records: Sequence[Record] | None) -> Path:
    """results.json and (with ``records``) samples.jsonl, replaced together (``replace_together``)."""
    text = _results_text(results)
    writes: dict = {}
    if records is not None:
        lines = samples_lines(records)
        writes[folder / "samples.jsonl"] = lambda fh: fh.writelines(lines)
    writes[folder / "results.json"] = lambda fh: fh.write(text)
    replace_together(writes)
    return folder / "results.json"


def write_samples(path: Path, records: Sequence[Record]) -> None:
    """samples.jsonl: one ``Record.to_json()`` per line, each checked against the record schema."""
    lines = samples_lines(records)
    replace_atomically(path, lambda fh: fh.writelines(lines))


def samples_lines(records: Sequence[Record]) -> list[str]:
    """Each record's line. A ``Record`` checked its fields on construction against the hints the
    schema is generated from, so its line is valid by construction (tests/test_record_checks.py);
    anything else (a subclass with its own ``to_json``) is validated here."""
    lines = []
    for record in records:
        data = record.to_json()
        if type(record) is not Record and not _validator("record").is_valid(data):
            problems = "\n".join(schema_errors(data, "record"))
            where = f"{record.task}/{record.item_id}"
            raise RuntimeError(f"record {where} does not match the schema:\n{problems}")
        lines.append(json.dumps(data, ensure_ascii=False) + "\n")
    return lines


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
            found.extend(sorted(p for p in path.rglob("results.json") if p.is_file()))
        else:
            raise UserError(f"no such file or folder: {path}")
    if not found:
        raise UserError("no results.json found in " + ", ".join(map(str, paths)))
    return found


def load_results(path: Path) -> dict:
    """A results file, validated; a user error naming the file when it is not one."""
    data = read_json(path)
    errors = schema_errors(data)
    if errors:
        raise UserError(f"{path}: not a valid results file: {errors[0]}")
    return data


def load_records(results_path: Path) -> list[Record]:
    """The records of the samples.jsonl beside a results file; a user error naming the line that
    is not a record."""
    records = []
    for lineno, data in enumerate(load_samples(results_path), 1):
        try:
            records.append(Record.from_json(data))
        except (TypeError, ValueError) as exc:
            raise UserError(f"{results_path.parent / 'samples.jsonl'}: record {lineno}: {exc}") from None
    return records


def _samples_errors(path: Path) -> list[str]:
    """Where each line of a samples.jsonl breaks the record schema."""
    errors = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return [f"no such file: {path}"]
    except (OSError, UnicodeDecodeError) as exc:
        return [f"cannot read {path}: {exc}"]
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = parse_json(line)
        except NotJSON as exc:
            errors.append(f"line {lineno}: {exc}")
            continue
        except RecursionError:
            errors.append(f"line {lineno}: nested too deeply")
            continue
        errors += [f"line {lineno}: {e}" for e in schema_errors(data, "record")]
    return errors


def load_samples(results_path: Path) -> list[dict]:
    """The samples.jsonl beside a results file, each line as the JSON object it is."""
    samples = results_path.parent / "samples.jsonl"
    if not samples.is_file():
        raise UserError(f"{results_path.parent}: no samples.jsonl (the run must use --log-samples)")
    records = []
    try:
        with samples.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        records.append(parse_json(line))
                    except NotJSON as exc:
                        raise UserError(f"{samples}:{lineno}: {exc}") from None
    except UnicodeDecodeError:
        raise UserError(f"{samples}: not UTF-8 text") from None
    except OSError as exc:
        raise UserError(f"cannot read {samples}: {exc.strerror or exc}") from None
    if not all(isinstance(r, dict) and {"task", "item_id", "condition"} <= set(r) for r in records):
        raise UserError(
            f"{samples}: not a faithbench samples file (each line needs task, item_id, condition)"
        )
    return records
