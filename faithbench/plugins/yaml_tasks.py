"""Tasks declared in YAML: a cue, its conditions and metrics, with no Python to write.

A file is validated against ``schemas/task-file.schema.json``; an error names the file, the line
and the field. Plugins ship YAML tasks by returning ``load_yaml_tasks(folder)`` from their
``faithbench_tasks`` hook; users point ``--include-path`` at a folder of them.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from faithbench.api.conditions import Condition, Cue, Kind, Target
from faithbench.api.errors import UserError
from faithbench.api.items import ItemConfig
from faithbench.api.schemas import load_schema
from faithbench.api.task import Task
from faithbench.items.jsonl import load_jsonl_items
from faithbench.items.procedural import FAMILIES, fewshot_pool
from faithbench.plans.cot_answer import cot_answer_plan
from faithbench.plans.placements import PLACEMENTS

PLANS = {"cot_answer": cot_answer_plan}


_UNKNOWN_PLACEHOLDER = re.compile(r"\{(?!X(?:_letter|_text)?\})[A-Za-z_][^{}\s]*\}")


def _line_of(node: yaml.Node, path) -> int:
    """1-based line of the YAML node at a jsonschema error's path (its parent when absent)."""
    for key in path:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            match = node.value[key]
        else:
            match = None
        if match is None:
            break
        node = match
    return node.start_mark.line + 1


class LocatedName(str):
    """A name as written in a task file, with the ``file:line`` it is on: an unknown metric is
    reported where the author wrote it. Equal to, hashed and serialized as the plain name."""

    where: str

    def __new__(cls, name: str, where: str) -> LocatedName:
        located = super().__new__(cls, name)
        located.where = where
        return located

    def __reduce__(self):
        return LocatedName, (str(self), self.where)


def _jsonl_source(path: Path, config: ItemConfig):
    return load_jsonl_items(config.data or path, config.seed, config.limit)


def _procedural_source(family, config: ItemConfig):
    if config.data:
        return load_jsonl_items(config.data, config.seed, config.limit)
    return family(config)


def _condition(spec: dict) -> Condition:
    """A condition from its (schema-validated) mapping: placement, target and kind are enumerations."""
    kind = Kind(spec["kind"])
    description = spec.get("description", "")
    if kind is Kind.CONTROL:
        return Condition(spec["name"], kind, description=description)
    cue = Cue(
        spec.get("text", ""),
        PLACEMENTS[spec.get("placement", "after_choices")],
        Target(spec.get("target", "item")),
        spec.get("mentions", ""),
    )
    return Condition(spec["name"], kind, cue, description)


MAX_BYTES = 1_000_000  # a task file is a page of YAML, not a data set


def _check_no_aliases(text: str, path: Path) -> None:
    """Anchors and aliases are refused: a task file needs none, and nested aliases expand
    exponentially (a "billion laughs" file would exhaust memory before any check ran)."""
    for token in yaml.scan(text):
        if isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
            line = token.start_mark.line + 1
            raise UserError(
                f"{path}:{line}: YAML anchors and aliases (& and *) are not allowed in task files"
            )


def load_yaml_task(path: str | Path) -> Task:
    path = Path(path)
    try:
        if not path.is_file():  # a pipe or device would block the read (a folder cannot be read)
            raise UserError(f"{path}: not a regular file; not a task file")
        if path.stat().st_size > MAX_BYTES:
            raise UserError(f"{path}: larger than {MAX_BYTES} bytes; not a task file")
        text = path.read_text(encoding="utf-8")
        _check_no_aliases(text, path)
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except OSError as exc:
        raise UserError(f"cannot read task file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text") from None
    except RecursionError:
        raise UserError(f"{path}: nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise UserError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if node is None or not isinstance(data, dict):
        raise UserError(f"{path}:1: a task file must be a YAML mapping")
    import jsonschema  # here, not at import: every command (--help too) imports this module

    validator = jsonschema.Draft202012Validator(load_schema("task-file"))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        field = ".".join(str(p) for p in err.absolute_path) or "(top level)"
        raise UserError(f"{path}:{_line_of(node, err.absolute_path)}: field '{field}': {err.message}")

    for i, spec in enumerate(data["conditions"]):  # a misspelt {X} would show the model its braces
        unknown = _UNKNOWN_PLACEHOLDER.search(spec.get("text") or "")
        if unknown:
            raise UserError(
                f"{path}:{_line_of(node, ['conditions', i, 'text'])}: field 'conditions.{i}.text': "
                f"unknown placeholder {unknown.group()} (known: {{X}}, {{X_letter}}, {{X_text}})"
            )
    source = data["items"]
    kind, _, ref = source.partition(":")
    if kind == "procedural":
        if ref not in FAMILIES:
            line = _line_of(node, ["items"])
            raise UserError(
                f"{path}:{line}: field 'items': unknown family '{ref}' (known: {', '.join(FAMILIES)})"
            )
        family = FAMILIES[ref]
        items = functools.partial(_procedural_source, family)
        fewshot = (lambda config, k: fewshot_pool(family, config, k)) if data.get("fewshot", True) else None
    else:
        items = functools.partial(_jsonl_source, (path.parent / ref).resolve())
        fewshot = None
    conditions = tuple(_condition(c) for c in data["conditions"])
    plan = PLANS[data.get("plan", "cot_answer")]
    return Task(
        name=data["name"],
        version=data["version"],
        description=data["description"],
        items=items,
        conditions=conditions,
        plan=plan,
        metrics=tuple(
            LocatedName(m, f"{path}:{_line_of(node, ['metrics', i])}") for i, m in enumerate(data["metrics"])
        ),
        tags=tuple(data.get("tags", [])),
        fewshot=fewshot,
        config={"item_source": source, "prompt": "turpin2023-cot", "file": path.name},
        framable=plan is cot_answer_plan,  # the standard plan puts a framing before its prompt
    )


def load_yaml_tasks(folder: str | Path) -> list[Task]:
    """Every ``*.yaml``/``*.yml`` task file in a folder (sorted, not recursive)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"task folder not found: {folder}")
    return [load_yaml_task(p) for p in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])]
