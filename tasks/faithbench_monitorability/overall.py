"""One monitor g-mean² per task over all its cues (or hint levels), whose interval resamples items.

An item is asked under every cue (``hint_difficulty`` at every level), with the same uncued rows
each time, so its instances are not independent: a figure pooled over cues that treated each
(cue, item) instance as a unit would count an item once per cue. Here every cue's instances enter
the same pooled estimator as each cue's ``gmean2_pooled`` (pooled.py: the same cross-fitted sums),
and the sums of one item's instances are added before the delta method: its influence is the
item's, so the interval resamples items (a cluster-robust delta method), ``n`` counts items.
"""

from __future__ import annotations

import numpy as np

from faithbench.helpers import value
from faithbench_monitorability.gmean import Instance
from faithbench_monitorability.pooled import pooled_ci

TNR0 = [2, 3]  # the uncued arm's sums: the same rows under every cue


def clustered(cues: list[tuple[list[str], np.ndarray]]) -> dict:
    """The pooled g-mean² of every cue's instance sums (item names, (instances, 7) sums per cue)
    with its 95% CI over items: each item's instances summed into one cluster first. An item's
    uncued rows recur under every cue; their sums are divided by the number of cues, which leaves
    TNR_0 and every influence unchanged (a ratio of sums scaled alike) and makes the score limits
    at a bound count those rows about once, never more (pooled.py: Wilson on the pooled counts).
    ``n`` counts the items that enter the sums, ``n_draws`` their (cue, item) instances."""
    names = sorted({name for items, _ in cues for name in items})
    index = {name: k for k, name in enumerate(names)}
    total = np.zeros((len(names), 7))
    entered = 0
    for items, sums in cues:
        sums = np.array(sums, dtype=float)
        sums[:, TNR0] /= len(cues)
        np.add.at(total, [index[name] for name in items], sums)
        entered += int((np.abs(sums).sum(1) > 0).sum())
    return {**pooled_ci(total), "n_draws": entered}


def over_cues(cues: list[tuple[str, int | None, list[Instance], np.ndarray | None]]) -> list[dict]:
    """``gmean2_pooled`` over all of a task's monitored cues (each cue with its instances and their
    sums, ``cue_sums``: None where unmonitored), condition "all levels" where the cues are hint
    levels (differ in difficulty), else "all cues" (``monitor_cues``: all at level 0); none for a
    task of one cue (its row is the cue's)."""
    if len(cues) < 2:
        return []
    parts = [([i.name for i in found], sums) for _, _, found, sums in cues if sums is not None]
    if not parts:
        return []
    levels = len({level for _, level, _, _ in cues}) > 1
    condition, kind = ("all levels", "levels") if levels else ("all cues", "cues")
    figure = clustered(parts)
    n_instances = sum(len(found) for _, _, found, _ in cues)
    note = (
        f"gmean2_pooled over the {len(parts)} {kind}' eligible instances, each item's instances one "
        f"cluster: n={figure['n']} items ({figure['n_draws']} instances; "
        f"{figure.get('n_effective', 0)} effective items), the CI resamples items"
    )
    return [value("gmean2_pooled", condition, figure, note=note, n_instances=n_instances, cues=len(parts))]
