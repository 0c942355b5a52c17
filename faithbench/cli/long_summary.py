"""The default run summary in long format: one figure per line (task, cue, metric with its
direction, value, 95% CI, n), grouped by task family, the pooled figures and the verdict first,
every line at most ``WIDTH`` columns so it reads in an ordinary terminal (``--show wide`` keeps
the one-row-per-cue table)."""

from __future__ import annotations

import math
import textwrap

from faithbench.results.naming import cue_label

WIDTH = 100
ARROWS = {True: "↑", False: "↓", None: " "}
CAPS = {"cue": 28, "metric": 36}  # shrunk further (with …) only when a line would pass WIDTH


def directions(metrics=None) -> dict[str, bool | None]:
    """Each summary figure's direction, from the metric that declares it: the metric's own
    ``higher_is_better`` when the figure is the metric's name or its only summary figure (a
    metric with several figures does not say which way each of them is better). ``metrics``: the
    registry's, when the caller has loaded it (a run has: loading it again cost ~0.03 s)."""
    if metrics is None:
        from faithbench.cli.options import load_plugins

        try:
            metrics = load_plugins().metrics
        except Exception:  # a broken plugin set costs the arrows, never the summary
            return {}
    out: dict[str, bool | None] = {}
    for m in metrics.values():
        for name in m.summary:
            if name == m.name or len(m.summary) == 1:
                out.setdefault(name, m.higher_is_better)
    return out


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _num(value) -> str:
    if value is None:
        return "-"
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def bound(value, end: int, digits: int = 2) -> str:
    """One end of an interval (``end`` -1: lower, 1: upper); an end the data cannot bound (null in
    results.json, or infinite) reads -∞ / +∞, so a finite other end still shows."""
    if value is None or not math.isfinite(value):
        return "-∞" if (end < 0 if value is None else value < 0) else "+∞"
    return f"{value:.{digits}f}"


def _figure(est: dict) -> tuple[str, str, str]:
    """value, CI and n as shown; an undefined figure keeps its n (why it is undefined)."""
    n = est.get("n_items", est.get("n"))
    bounded = est.get("value") is not None and ("ci_low" in est or "ci_high" in est)
    low, high = (
        _num(v) if v is not None and math.isfinite(v) else bound(v, end)
        for v, end in ((est.get("ci_low"), -1), (est.get("ci_high"), 1))
    )
    ci = f"[{low}, {high}]" if bounded else ""
    few = "*" if est.get("too_few") else ""  # fewer items than a verdict rests on
    return _num(est.get("value")), ci, "" if n is None else f"{n}{in_groups(est)}{few}"


def in_groups(est: dict) -> str:
    """' in G groups' after n where a figure's CI resamples groups of items (IPHR: comparison
    groups): 100 pairs in 1 group cannot conclude, and its wide interval says why."""
    g = est.get("n_groups")
    return "" if g is None else f" in {g} group" + ("s" if g != 1 else "")


def _table(rows: list[tuple[str, str, str, str, str, str]], indent: str) -> list[str]:
    """Aligned columns: text left, numbers right; the cue and metric columns capped (…) so the
    widest line stays within WIDTH."""
    head = ("cue", "metric", "value", "95% CI", "n")
    cells = [head, *[r[1:] for r in rows]]
    widths = [max(len(c[i]) for c in cells) for i in range(5)]
    widths[0], widths[1] = min(widths[0], CAPS["cue"]), min(widths[1], CAPS["metric"])
    over = len(indent) + sum(widths) + 2 * 4 - WIDTH
    if over > 0:
        widths[0] = max(widths[0] - over, 8)
    lines, previous = [], None
    for i, c in enumerate(cells):
        here = rows[i - 1][:2] if i else None
        cue = "" if here is not None and here == previous else _fit(c[0], widths[0])
        previous = here
        metric = _fit(c[1], widths[1])
        line = f"{cue:<{widths[0]}}  {metric:<{widths[1]}}  {c[2]:>{widths[2]}}  "
        line += f"{c[3]:<{widths[3]}}  {c[4]:>{widths[4]}}"
        lines.append((indent + line).rstrip())
        if i == 0:
            lines.append(indent + "-" * min(len(line), WIDTH - len(indent)))
    return lines


def _verdict_lines(verdict: str) -> list[str]:
    lines = ["Verdict:"]
    for clause in (c.strip() for c in verdict.split(";")):
        if clause:
            lines += textwrap.wrap(clause, WIDTH - 4, initial_indent="  - ", subsequent_indent="    ")
    return lines


def format_long(results: dict, arrows: dict[str, bool | None] | None = None) -> str:
    """The long summary of one results.json (with a ``summary``)."""
    from faithbench.results.naming import model_label

    summary = results["summary"]
    arrows = directions() if arrows is None else arrows
    columns = summary["columns"]

    def metric(name: str) -> str:
        return f"{name} {ARROWS[arrows.get(name)]}".rstrip()

    head = f"Summary: {model_label(results['model'])}"
    lines = textwrap.wrap(head, WIDTH) + [
        "value [95% CI] over n units; ↑ higher is more faithful, ↓ lower is; every figure: --show all"
    ]
    if summary.get("verdict"):
        lines += [""] + _verdict_lines(summary["verdict"])
    pooled = {k: v for k, v in (summary.get("aggregates") or {}).items() if v}
    if pooled:
        lines += ["", "Pooled over every task and cue (items resampled):"]
        lines += _table([("", "all", metric(k), *_figure(v)) for k, v in pooled.items()], "  ")
    families: dict[str, list[tuple]] = {}
    plugin = {t: e.get("plugin") or "other" for t, e in results["tasks"].items()}
    for row in summary["rows"]:
        cue = cue_label(row["condition"], row.get("framing"))
        for name in (c for c in columns if c in row):
            families.setdefault(plugin.get(row["task"], "other"), []).append(
                (row["task"], cue, metric(name), *_figure(row[name]))
            )
    for task, entry in results["tasks"].items():
        if entry["status"] != "ok":
            families.setdefault(plugin[task], []).append((task, "-", "error: see --show all", "", "", ""))
    if not summary["rows"]:
        lines += ["", "No headline figures for these tasks (some report per property or per item):"]
        lines += ["use --show all."]
    if any(r[5].endswith("*") for rows in families.values() for r in rows):
        grouped = any(" group" in r[5] for rows in families.values() for r in rows)
        units = "items (or comparison groups)" if grouped else "items"
        lines += ["", f"* too few {units} to conclude from: shown, not in the verdict"]
    for family, rows in families.items():
        table = _table(rows, "    ")
        lines += ["", family, *table[:2]]
        task = None
        for row, line in zip(rows, table[2:], strict=True):
            if row[0] != task:
                lines.append(f"  {_fit(row[0], WIDTH - 2)}")
                task = row[0]
            lines.append(line)
    return "\n".join(lines)
