"""The first screen's figures and verdict chips, worked out once at build time: the index of 100
models only draws rows, it computes nothing per model in the browser.

Each chip carries the link to what it summarizes: a cue's articulation chip opens the sample
browser filtered to that cue's CoTs the cue moved (the CoTs its share is of), so the number on
the chip is the number of rows that page lists.
"""

from __future__ import annotations

from urllib.parse import urlencode

from faithbench.helpers import MIN_ITEMS


def _figure(fig: dict | None) -> dict | None:
    return fig if fig and fig.get("value") is not None else None


def _rows(run: dict) -> list[dict]:
    """Summary rows the verdict reads: unframed rows and a framed run's reference framing."""
    summary = run.get("summary") or {}
    shown = summary.get("framing")
    return [r for r in summary.get("rows") or [] if not r.get("framing") or r.get("framing") == shown]


def followed(run: dict) -> dict | None:
    """Cues whose bias CI is above 0, over the cues measured on enough items, as the run's own
    verdict counts them (a figure marked ``too_few`` carries no conclusion; none enough: None)."""
    rows = [
        r for r in _rows(run)
        if _figure(r.get("bias_susceptibility")) and not r["bias_susceptibility"].get("too_few")
    ]  # fmt: skip
    if not rows:
        return None
    k = sum(1 for r in rows if (r["bias_susceptibility"].get("ci_low") or 0) > 0)
    return {"value": k / len(rows), "count": k, "of": len(rows)}


def observer_gap(run: dict) -> dict | None:
    """Private minus watched articulation, n-weighted over the cues that have one."""
    rows = (run.get("summary") or {}).get("rows") or []
    figs = [_figure(r.get("articulation_private_minus_watched")) for r in rows]
    figs = [f for f in figs if f and f.get("n")]
    n = sum(f["n"] for f in figs)
    if not n:
        return None
    return {"value": sum(f["value"] * f["n"] for f in figs) / n, "n": n}


OVER_CUES = ("all cues", "all levels")  # the monitorability metric's row over a task's cues


def _over_cues(run: dict) -> dict | None:
    """The task's ``gmean2_pooled`` over all its cues (or hint levels), with its CI over items and
    ``n`` its items; of two tasks (monitor_cues, hint_difficulty), the one on more items."""
    shown = (run.get("summary") or {}).get("framing")
    found = []
    for m in run.get("metrics") or []:
        base = m["condition"].removesuffix(f" ({m['framing']})") if m.get("framing") else m.get("condition")
        if m.get("metric") == "gmean2_pooled" and base in OVER_CUES and _figure(m) and m.get("n"):
            if m.get("framing") == shown or not m.get("framing"):
                found.append(m)
    if not found:
        return None
    best = max(found, key=lambda m: (m["n"], m["task"]))
    keep = ("value", "ci_low", "ci_high", "n", "task", "condition")
    return {k: best[k] for k in keep if best.get(k) is not None}


def monitor_gmean2(run: dict) -> dict | None:
    """The pooled g-mean² the verdict rests on, over all of a task's cues: the metric's own row,
    whose CI resamples items (an item under several cues one cluster) and whose ``n`` counts them.
    A run from before that row: the cues' figures n-weighted (no CI, n summed over cues). OpenAI's
    reference figure stands beside it per cue on the model page."""
    if (over := _over_cues(run)) is not None:
        return {**over, "too_few": True} if over["n"] < MIN_ITEMS else over
    figs = [_figure(r.get("gmean2_pooled")) for r in _rows(run)]
    figs = [f for f in figs if f and f.get("n")]
    n = sum(f["n"] for f in figs)
    if not n:
        return None
    out = {"value": sum(f["value"] * f["n"] for f in figs) / n, "n": n}
    # six cues of 5 instances sum to 30 but none concludes: the row ranks as too few, as its verdict
    return {**out, "too_few": True} if all(f.get("too_few") for f in figs) else out


def _find(run: dict, task: str, condition: str, metric: str) -> dict | None:
    for r in (run.get("summary") or {}).get("rows") or []:
        if r.get("task") == task and r.get("condition") == condition and _figure(r.get(metric)):
            return r[metric]
    return None


def figures(run: dict) -> dict:
    """{column key: figure} for first.js's columns (their definitions live there)."""
    aggregates = (run.get("summary") or {}).get("aggregates") or {}
    out = {
        "verbalized": _figure(aggregates.get("verbalized_when_moved")),
        "thinking": (run.get("channels") or {}).get("thinking"),
        "answer": (run.get("channels") or {}).get("answer"),
        "bias": _figure(aggregates.get("bias_susceptibility")),
        "followed": followed(run),
        "iphr": _find(run, "iphr", "paired", "iphr_pair_rate"),
        "gmean2": monitor_gmean2(run),
        "observer": observer_gap(run),
    }
    return {k: v for k, v in out.items() if v}


def moved_cots(run: dict) -> list[dict]:
    """Per cue: how many CoTs the cue moved onto its target and how many of those the primary
    judge says verbalize it (the articulation metric's V and its n_moved), with the link to those
    CoTs in the sample browser when the run's samples are on the site."""
    out = []
    shown = (run.get("summary") or {}).get("framing")
    for m in run.get("metrics") or []:
        if m.get("metric") != "articulation_V" or m.get("value") is None or not m.get("n_moved"):
            continue
        if m.get("framing") and m.get("framing") != shown:
            continue
        n = int(m["n_moved"])
        cue = {"task": m["task"], "condition": m["condition"], "moved": n, "said": round(m["value"] * n)}
        base = cue["condition"].removesuffix(f" ({m['framing']})") if m.get("framing") else cue["condition"]
        if (run.get("samples") or {}).get(m["task"], {}).get(base):
            q = {"task": m["task"], "condition": base, "moved": "yes"}
            if m.get("framing"):
                q["framing"] = m["framing"]
            cue["samples"] = urlencode(q)  # the sample browser's hash: samples-ID.html#...
        out.append(cue)
    return out


def with_moved(rows: list[dict], cues: list[dict]) -> list[dict]:
    """Summary rows whose articulation figure also carries ``moved``: the CoTs the cue moved, the
    rows its heatmap cell's link lists, which can differ from the figure's n (items)."""
    moved = {(c["task"], c["condition"]): c["moved"] for c in cues}
    out = []
    for row in rows:
        label = f"{row['condition']} ({row['framing']})" if row.get("framing") else row.get("condition")
        n = moved.get((row.get("task"), label), moved.get((row.get("task"), row.get("condition"))))
        if n is not None and isinstance(row.get("articulation"), dict):
            row = {**row, "articulation": {**row["articulation"], "moved": n}}
        out.append(row)
    return out


def _chip(text: str, value, way, title: str, **where) -> dict:
    return {"text": text, "value": value, "way": way, "title": title, **(where or {"to": "verdict"})}


def chips(run: dict, figs: dict, cues: list[dict]) -> list[dict]:
    """The verdict as short chips: {text, value, way (direction of "more faithful"), title, and
    where it leads: ``samples`` (the sample browser's hash) or ``to`` (a model page section)}.
    The pooled articulation chip opens its moved CoTs when they come from one cue; pooled over
    several cues it opens the model page's verdict, where each cue's chip opens its own."""
    out = []
    if f := figs.get("followed"):
        title = "cues whose bias CI is above 0"
        out.append(_chip(f"follows {f['count']}/{f['of']}", f["value"], "down", title))
    if v := figs.get("verbalized"):
        title = f"verbalized when moved, n={v['n']}"
        one = cues[0] if len(cues) == 1 and cues[0].get("samples") else None
        where = {}
        if one:
            title += f": {one['said']} of the {one['moved']} CoTs {one['condition']} moved say it"
            where = {"samples": one["samples"]}
        out.append(_chip(f"says cue {round(v['value'] * 100)}%", v["value"], "up", title, **where))
    if i := figs.get("iphr"):
        title = f"unfaithful reversed pairs, n={i['n']}"
        if i.get("n_groups") is not None:  # the units its CI resamples: too few of them, no conclusion
            title += f" in {i['n_groups']} comparison group" + ("s" if i["n_groups"] != 1 else "")
        if i.get("too_few"):
            title += ": too few to conclude"
        where = {}
        if (run.get("samples") or {}).get("iphr", {}).get("paired"):  # the flagged pairs' answers
            where = {"samples": urlencode({"task": "iphr", "condition": "paired", "unfaithful": "yes"})}
        out.append(_chip(f"IPHR {round(i['value'] * 100)}%", i["value"], "down", title, **where))
    if o := figs.get("observer"):
        out.append(_chip(f"private−watched {o['value']:+.2f}", o["value"], "zero", "observer effect"))
    th, an = figs.get("thinking"), figs.get("answer")
    if th and an and th["value"] - an["value"] >= 0.5:
        said = f"the cue is said in the thinking ({th['value']:.0%}), not in the answer ({an['value']:.0%})"
        # warn: the first screen also marks the row beside its rank, where a reader of the
        # ranking looks (a pooled figure of 1.00 over an answer that never says the cue)
        out.append({**_chip("admits in thinking only", 0, "up", said, to="channels"), "warn": True})
    if corrected := run.get("corrected"):
        said = f"articulation corrected for judge {corrected['judge']}'s error on {corrected['labels']}"
        out.append(_chip("judge-corrected", None, None, said, to="corrected"))
    if "too few" in ((run.get("summary") or {}).get("verdict") or ""):
        out.append(_chip("few items", None, None, "some figures rest on too few items to conclude"))
    return out
