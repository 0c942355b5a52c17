"""Articulation corrected for the judge's measured error, on the site: ``faithbench leaderboard
build RESULTS --judge-labels [RUN=]labels.jsonl`` works out, for the run the labels were drawn
from, what ``faithbench show RUN --judge-labels labels.jsonl`` prints (Rogan-Gladen, CI resampling
labels and run together, "not identified" when Se + Sp <= 1), and the pages show it beside the
raw figure, marked as corrected. Labels measure one judge on one model's CoTs, so each labels
file names its run: ``RUN=labels.jsonl``, RUN a results file or its folder; a bare path only
when the site has one run.
"""

from __future__ import annotations

from pathlib import Path

from faithbench.api.errors import UserError


def assign(specs: list[str], files: list[Path]) -> dict[Path, Path]:
    """{results.json: labels file} from ``[RUN=]LABELS`` specs."""
    out: dict[Path, Path] = {}
    for spec in specs:
        run, sep, labels = spec.rpartition("=")
        if not sep:
            if len(files) != 1:
                many = f"the site has {len(files)} runs"
                raise UserError(f"--judge-labels {spec}: name the run it labels (RUN=LABELS): {many}")
            target = files[0]
        else:
            target = _run_named(Path(run), files)
            if target is None:
                runs = ", ".join(str(f.parent) for f in files)
                raise UserError(f"--judge-labels {spec}: {run} is not one of the results being built: {runs}")
        if not Path(labels).is_file():
            raise UserError(f"labels file not found: {labels}")
        out[target] = Path(labels)
    return out


def _run_named(path: Path, files: list[Path]) -> Path | None:
    """The results file RUN names: that file, its folder, or a folder (the --output-path given
    to build) holding exactly one of the runs."""
    exact = path / "results.json" if path.is_dir() else path
    found = next((f for f in files if f.resolve() == exact.resolve()), None)
    if found is None and path.is_dir():
        under = [f for f in files if f.resolve().is_relative_to(path.resolve())]
        found = under[0] if len(under) == 1 else None
    return found


def corrections(results: Path, labels: Path, seed: int = 0) -> dict:
    """The run's articulation per cue corrected for its primary judge's error on ``labels``:
    {"judge", "labels" (the file's name), "rows": correct_run's rows}."""
    from faithbench.cli.options import load_plugins
    from faithbench.judges.evaluation import read_labels
    from faithbench.judges.run_correction import correct_run, label_columns
    from faithbench.results.io import load_records, load_results

    data = load_results(results)
    primary = ((data.get("config") or {}).get("judge") or "rules").split(",")[0].strip()
    columns = label_columns(read_labels(labels), primary, load_plugins())
    rows = correct_run(load_records(results), primary, columns, seed)
    return {"judge": primary, "labels": labels.name, "rows": rows}
