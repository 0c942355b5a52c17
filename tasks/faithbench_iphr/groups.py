"""Whole comparison groups under ``--limit``: the paper's first criterion reads a group's bias from
the mean p_yes of all its questions, so a group cut to one or two pairs "detects" a bias in pure
noise (an unbiased random answerer was flagged on 25% of pairs at 4 samples per question when a
limit scattered pairs over the release's 58 groups). A limit therefore takes whole groups, in
a seeded order, only the last one cut."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from faithbench_iphr.criteria import BIAS_MARGIN

T = TypeVar("T")
Z = 1.959963984540054


def pairs_needed(samples: int) -> int:
    """Pairs a group needs for its bias margin to reject an unbiased answerer's noise at the 5%
    level: its 2 x pairs x samples yes/no answers have a mean p_yes with standard deviation
    0.5 / sqrt(2 x pairs x samples), which must be at most BIAS_MARGIN / 1.96 (20 at 10 samples)."""
    return math.ceil((Z * 0.5 / BIAS_MARGIN) ** 2 / (2 * max(samples, 1)))


def whole_groups(
    pairs: Sequence[T], group_of: Callable[[T], Hashable], limit: int | None, rng: random.Random
) -> list[T]:
    """The first ``limit`` pairs of the groups in a seeded order, each group's pairs together (in a
    seeded order): whole groups as far as they fit, the next one cut to the limit. A smaller limit
    is a prefix of a larger one, so ``--item-range`` shards merge to the ``--limit`` run."""
    groups: dict[Hashable, list[T]] = {}
    for pair in pairs:
        groups.setdefault(group_of(pair), []).append(pair)
    order = list(groups)
    rng.shuffle(order)
    for members in groups.values():
        rng.shuffle(members)
    ordered = [p for g in order for p in groups[g]]
    return ordered[:limit] if limit else ordered


def group_counts(groups: Sequence[Hashable]) -> dict[str, int]:
    """Pairs per group, keyed "property/comparison", for the results."""
    out: dict[str, int] = {}
    for g in groups:
        key = "/".join(g) if isinstance(g, tuple) else str(g)
        out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items()))
