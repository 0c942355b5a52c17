"""Items from Hugging Face datasets (BBH, MMLU, ARC, GPQA) through ``datasets.load_dataset``.

Loading needs the Hub, its cache, or a mirror named by the Hub client's own ``HF_ENDPOINT`` (the
tests serve the datasets from a local Hub that way). Evaluated items are a seeded sample of the
split; few-shot exemplars come from the other end of the same shuffled order, so the two never
overlap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from faithbench.api.errors import UserError
from faithbench.api.items import Item, ItemConfig, make_item, seeded_rng
from faithbench.items.options import drop_unusable

TURPIN_BBH_TASKS = (
    "causal_judgment",
    "date_understanding",
    "disambiguation_qa",
    "hyperbaton",
    "logical_deduction_five_objects",
    "movie_recommendation",
    "navigate",
    "ruin_names",
    "snarks",
    "sports_understanding",
    "temporal_sequences",
    "tracking_shuffled_objects_three_objects",
    "web_of_lies",
)


@dataclass(frozen=True)
class HubSet:
    repo: str
    config: str
    split: str


def _spec(name: str, sub: str) -> list[HubSet]:
    if name == "mmlu":
        return [HubSet("cais/mmlu", sub or "all", "test")]
    if name == "arc":
        return [HubSet("allenai/ai2_arc", sub or "ARC-Challenge", "test")]
    if name == "gpqa":
        return [HubSet("Idavidrein/gpqa", sub or "gpqa_main", "train")]
    if name == "bbh":
        tasks = [sub] if sub else list(TURPIN_BBH_TASKS)
        return [HubSet("lukaemon/bbh", task, "test") for task in tasks]
    raise UserError(f"unknown Hugging Face item source 'hf:{name}' (known: bbh, mmlu, arc, gpqa)")


def _load(hub: HubSet):
    try:
        import datasets
    except ImportError:  # pragma: no cover - a declared dependency
        raise UserError("hf: item sources need the 'datasets' package") from None
    try:
        return datasets.load_dataset(hub.repo, hub.config, split=hub.split)
    except Exception as exc:
        raise UserError(
            f"could not load {hub.repo} ({hub.config}, {hub.split}): "
            f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
        ) from None


_BBH_OPTION = re.compile(r"^\(([A-Z])\)\s*(.*)$", re.MULTILINE)


def _bbh_item(row: dict, item_id: str, labels: list[str], seed: int) -> Item | None:
    text, target = row["input"], row["target"].strip()
    if "Options:" in text:
        stem, _, block = text.partition("Options:")
        options = [m.group(2).strip() for m in _BBH_OPTION.finditer(block)]
        letters = [m.group(1) for m in _BBH_OPTION.finditer(block)]
        gold = letters.index(target.strip("()")) if target.strip("()") in letters else None
        if gold is None or len(options) < 2:
            return None
        return make_item(item_id, stem.strip(), options, gold, seed, permute=False)
    if target not in labels:
        return None
    return make_item(item_id, text.strip(), list(labels), labels.index(target), seed, permute=False)


def _convert(name: str, hub: HubSet, row: dict, index: int, seed: int, labels: list[str]) -> Item | None:
    item_id = f"{name}-{hub.config}-{index}"
    if name == "mmlu":
        return make_item(
            item_id, row["question"], list(row["choices"]), int(row["answer"]), seed, permute=False
        )
    if name == "arc":
        keys = list(row["choices"]["label"])
        if row["answerKey"] not in keys:
            return None
        return make_item(
            item_id,
            row["question"],
            list(row["choices"]["text"]),
            keys.index(row["answerKey"]),
            seed,
            permute=False,
        )
    if name == "gpqa":
        options = [row["Correct Answer"]] + [row[f"Incorrect Answer {i}"] for i in (1, 2, 3)]
        return make_item(item_id, row["Question"].strip(), [o.strip() for o in options], 0, seed)
    return _bbh_item(row, item_id, labels, seed)


def _items(ref: str, config: ItemConfig, fewshot_k: int = 0) -> list[Item]:
    name, _, sub = ref.partition(":")
    per_set: list[list[Item]] = []
    for hub in _spec(name, sub):
        rows = _load(hub)
        labels = sorted({r["target"].strip() for r in rows}) if name == "bbh" else []
        if name == "bbh" and len(labels) > 5:
            labels = []  # free-form targets: only rows with an Options block are usable
        order = list(range(len(rows)))
        seeded_rng("hf-order", hub.repo, hub.config, config.seed).shuffle(order)
        if fewshot_k:
            order = order[::-1]
        converted = []
        for index in order:
            item = _convert(name, hub, rows[index], index, config.seed, labels)
            if item is not None and drop_unusable([item], f"hf:{ref}"):
                converted.append(item)
            if len(converted) >= (fewshot_k or config.limit or len(rows)):
                break
        per_set.append(converted)
    # interleave the sets (BBH's tasks) so a --limit samples all of them
    mixed = [s[i] for i in range(max(map(len, per_set), default=0)) for s in per_set if i < len(s)]
    return mixed[: fewshot_k or config.limit or len(mixed)]


def load_hf_items(ref: str, config: ItemConfig) -> list[Item]:
    items = _items(ref, config)
    if not items:
        raise UserError(f"hf:{ref} yielded no usable multiple-choice items")
    return items


def load_hf_fewshot(ref: str, config: ItemConfig, k: int) -> list[Item]:
    return _items(ref, config, fewshot_k=k)
