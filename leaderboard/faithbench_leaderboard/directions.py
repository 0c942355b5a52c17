"""Which way each figure is more faithful, for the pages that name figures by their metric
(compare): the plugins' own ``higher_is_better``, never a list kept here."""

from __future__ import annotations


def directions() -> dict[str, bool]:
    """{figure: higher is more faithful}: a metric's summary figures as the terminal summary reads
    them, and the pooled aggregates its ``pool`` contributes to (asked of no records, which names
    them). A figure no metric declares has no entry (no arrow, as in the terminal)."""
    from faithbench.cli.long_summary import directions as summary_directions
    from faithbench.cli.options import load_plugins

    out = {k: v for k, v in summary_directions().items() if v is not None}
    try:
        metrics = load_plugins().metrics.values()
    except Exception:  # a broken plugin set costs the arrows, never the site
        return out
    for m in metrics:
        if m.pool is None or m.higher_is_better is None:
            continue
        try:
            pooled = m.pool([], 0)
        except Exception:  # a pool that needs records names nothing here
            continue
        for name in pooled:
            out.setdefault(name, m.higher_is_better)
    return out


def observed() -> list[str]:
    """Summary figures an observer model computes (the predictive family's): two runs' values of
    one are comparable only when the same observer read both."""
    from faithbench import Family
    from faithbench.cli.options import load_plugins

    try:
        metrics = load_plugins().metrics.values()
    except Exception:  # a broken plugin set: nothing marked, as with the arrows
        return []
    return sorted({name for m in metrics if m.family is Family.PREDICTIVE for name in m.summary})
