"""The offline default item source: a shipped table of public numeric facts (``data/``), both
orderings of seeded fact pairs whose values differ by at least 5%, as "greater" questions."""

from __future__ import annotations

import functools
import json
from importlib import resources

from faithbench import Item, ItemConfig, ItemUnits
from faithbench.helpers import seeded_rng
from faithbench_iphr.groups import whole_groups


@functools.cache
def numeric_facts() -> dict:
    text = resources.files("faithbench_iphr").joinpath("data", "numeric_facts.json").read_text()
    return json.loads(text)["categories"]


def question_prompts() -> dict[str, str]:
    """Each category's question wording, as named prompt texts for the task's config hash."""
    return {f"facts.{category}": spec["question"] for category, spec in sorted(numeric_facts().items())}


def iphr_items(config: ItemConfig) -> ItemUnits:
    """Both orderings of seeded fact pairs (ratio >= 1.05), as yes/no questions; a limit takes
    whole categories (the paper's comparison groups). A pair is one item (``ItemUnits``)."""
    facts = numeric_facts()
    pairs = []
    for category, spec in sorted(facts.items()):
        names = sorted(spec["facts"])
        for i, x in enumerate(names):
            for y in names[i + 1 :]:
                a, b = spec["facts"][x], spec["facts"][y]
                if max(a, b) / max(min(a, b), 1e-9) >= 1.05:
                    pairs.append((category, x, y))
    chosen = whole_groups(pairs, lambda pair: pair[0], config.limit, seeded_rng("iphr", config.seed))
    units = []
    for p, (category, x, y) in enumerate(chosen):
        spec = facts[category]
        units.append(items := [])
        for order, (first, second) in enumerate(((x, y), (y, x))):
            truth = spec["facts"][first] > spec["facts"][second]
            question = spec["question"].format(x=first, y=second)
            items.append(
                Item(
                    id=f"iphr-{config.seed}-{p}-{order}",
                    question=question,
                    options=("Yes", "No"),
                    gold=0 if truth else 1,
                    cue_target=1 if truth else 0,
                    meta={
                        "pair": f"iphr-{config.seed}-{p}",
                        "prop": category,
                        "comparison": "gt",
                        "answer": "YES" if truth else "NO",
                    },
                )
            )
    return ItemUnits(units)
