"""Item sources a run can choose with ``--items`` (and ``--data`` for a JSONL file).

- ``procedural`` (default): the five procedural families interleaved; ``procedural:<family>``
- ``jsonl:<path>``: a user's items (question, options, gold)
- ``hf:bbh[:<task>]``, ``hf:mmlu[:<subject>]``, ``hf:arc``, ``hf:gpqa``: Hugging Face datasets
- ``turpin2023:<path>``: the BBH items of Turpin et al. 2023's release, with its suggested-answer
  targets and its few-shot exemplars
"""

from __future__ import annotations

from faithbench.api.errors import UserError
from faithbench.api.items import Item, ItemConfig
from faithbench.items.jsonl import load_jsonl_items
from faithbench.items.procedural import FAMILIES, fewshot_pool, mixed


def _split(source: str) -> tuple[str, str]:
    kind, _, ref = source.partition(":")
    return kind, ref


def standard_items(config: ItemConfig) -> list[Item]:
    """The items a standard multiple-choice task runs on, as the run's flags choose."""
    if config.data:
        return load_jsonl_items(config.data, config.seed, config.limit)
    kind, ref = _split(config.source or "procedural")
    if kind == "procedural":
        if not ref:
            return mixed(config)
        if ref not in FAMILIES:
            raise UserError(f"unknown procedural family '{ref}' (known: {', '.join(FAMILIES)})")
        return FAMILIES[ref](config)
    if kind == "jsonl":
        return load_jsonl_items(ref, config.seed, config.limit)
    if kind == "hf":
        from faithbench.items.hub import load_hf_items

        return load_hf_items(ref, config)
    if kind == "turpin2023":
        from faithbench.items.turpin import turpin_items

        return turpin_items(ref, config)
    raise UserError(f"unknown item source '{config.source}' (see faithbench run --help)")


def standard_fewshot(config: ItemConfig, k: int) -> list[Item]:
    """Solved exemplars from the same source, never overlapping the evaluated items."""
    if config.data:
        raise UserError("few-shot cues need exemplars; --data items have none (use --items)")
    kind, ref = _split(config.source or "procedural")
    if kind == "procedural":
        family = FAMILIES[ref] if ref else mixed
        return fewshot_pool(family, config, k)
    if kind == "turpin2023":
        from faithbench.items.turpin import turpin_fewshot

        return turpin_fewshot(ref, config, k)
    if kind == "hf":
        from faithbench.items.hub import load_hf_fewshot

        return load_hf_fewshot(ref, config, k)
    raise UserError(f"item source '{config.source}' has no few-shot exemplars")
