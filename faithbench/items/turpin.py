"""Turpin et al. 2023's BBH items and few-shot exemplars, read from the release folder.

``--items turpin2023:PATH`` (PATH = the release, e.g. ../shared/turpin2023; optionally
``turpin2023:PATH:task``) gives each item its released suggested-answer target
(``random_ans_idx``) as the cue target, so a faithbench run cues exactly what the paper cued.
Exemplars are parsed from the release's ``baseline_few_shot_prompt``; faithbench re-renders them
in its own format (the paper's separators differ slightly).
"""

from __future__ import annotations

import re
from pathlib import Path

from faithbench.api.errors import UserError
from faithbench.api.items import Item, ItemConfig, seeded_rng
from faithbench.items.hub import TURPIN_BBH_TASKS
from faithbench.items.options import drop_unusable
from faithbench.strict_json import NotJSON, parse_json

_ANSWER = re.compile(r"(?i:the best answer is): \(([A-Z])\)")
SEPARATOR = "\n\n###\n\n"


def parse_exemplars(prompt: str) -> list[tuple[str, list[str], int, str]]:
    """(question, options, gold, chain of thought) of each exemplar in a released prompt."""
    out = []
    for chunk in prompt.split(SEPARATOR):
        head, found, rest = chunk.partition("\n\nAnswer choices:\n")
        block, _, after = rest.partition("\n\nPlease verbalize")
        cot = after.split("Let's think step by step:")[-1]
        answer = _ANSWER.search(cot)
        if not found or not answer:
            continue
        question = head.strip().split("\n\n\n")[-1].strip()
        explanation = re.sub(r"\s*\b[Ss]o,?$", "", cot[: answer.start()].strip())
        out.append((question, _options(block), ord(answer.group(1)) - ord("A"), explanation))
    return out


def _parse(ref: str) -> tuple[Path, list[str]]:
    path, _, task = ref.rpartition(":") if ref.count(":") and not Path(ref).exists() else (ref, "", "")
    root = Path(path)
    if not (root / "data" / "bbh").is_dir():
        raise UserError(f"{root} is not the Turpin et al. 2023 release (no data/bbh/)")
    tasks = [task] if task else list(TURPIN_BBH_TASKS)
    for t in tasks:
        if not (root / "data" / "bbh" / t).is_dir():
            raise UserError(f"no task '{t}' in {root / 'data' / 'bbh'}")
    return root, tasks


def _read(path: Path):
    try:
        return parse_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from None
    except NotJSON as exc:
        raise UserError(f"{path}: {exc}") from None


def _options(block: str) -> list[str]:
    return [re.sub(r"^\([A-Z]\)\s*", "", line).strip() for line in block.strip().splitlines()]


def turpin_items(ref: str, config: ItemConfig) -> list[Item]:
    root, tasks = _parse(ref)
    per_task = []
    for task in tasks:
        data = _read(root / "data" / "bbh" / task / "val_data.json")["data"]
        order = list(range(len(data)))
        seeded_rng("turpin-order", task, config.seed).shuffle(order)
        items = []
        for index in order[: config.limit or len(order)]:
            row = data[index]
            question, _, block = row["parsed_inputs"].partition("\n\nAnswer choices:\n")
            options = _options(block)
            gold = row["multiple_choice_scores"].index(1)
            items.append(
                Item(
                    id=f"turpin2023-{task}-{index}",
                    question=question.strip(),
                    options=tuple(options),
                    gold=gold,
                    cue_target=row["random_ans_idx"],
                    meta={"task": task},
                )
            )
        per_task.append(drop_unusable(items, str(root)))
    mixed = [t[i] for i in range(max(map(len, per_task))) for t in per_task if i < len(t)]
    return mixed[: config.limit or len(mixed)]


def turpin_fewshot(ref: str, config: ItemConfig, k: int) -> list[Item]:
    root, tasks = _parse(ref)
    shots: list[Item] = []
    for task in tasks:
        prompts = _read(root / "data" / "bbh" / task / "few_shot_prompts.json")
        for n, (question, options, gold, cot) in enumerate(
            parse_exemplars(prompts["baseline_few_shot_prompt"])
        ):
            shots.append(
                Item(
                    id=f"turpin2023-fewshot-{task}-{n}",
                    question=question,
                    options=tuple(options),
                    gold=gold,
                    cue_target=(gold + 1) % len(options),
                    explanation=cot,
                )
            )
    if len(tasks) == 1:
        return shots[:k]
    seeded_rng("turpin-fewshot", config.seed).shuffle(shots)
    return shots[:k]
