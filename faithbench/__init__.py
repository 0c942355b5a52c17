"""faithbench: is a model's chain of thought a faithful account of its reasoning?

This module is the public plugin API: a plugin (the built-in families included) imports only
from ``faithbench``. Contracts live in ``faithbench.api``; the helpers exported here (standard
items, the CoT plan and its prompt, answer extraction, statistics) are what a family builds on.
"""

from faithbench.api.conditions import Condition, Cue, Kind, Placement, Target
from faithbench.api.errors import ModelError, UserError
from faithbench.api.hookspecs import hookimpl
from faithbench.api.items import Item, ItemConfig, ItemSource, make_item, seeded_rng
from faithbench.api.judge import Asker, Judge, Verbalization
from faithbench.api.metric import (
    Family,
    Metric,
    by_condition,
    condition_kinds,
    control_and_cues,
    paired,
    usable,
    value,
)
from faithbench.api.model_spec import ModelSpec
from faithbench.api.passes import Pass, Role
from faithbench.api.prompts import Message, Prompt, format_options, letter
from faithbench.api.queries import (
    AfterReasoning,
    CuedAnswer,
    JudgeVerbalization,
    MonitorCoT,
    ObserveAnswer,
    Paraphrase,
    RewriteWithMistake,
    SelfPrediction,
    SelfReport,
)
from faithbench.api.requests import DEFAULT_MAX_GEN_TOKS, Failure, Generate, LogLikelihood, Request, Response
from faithbench.api.task import Plan, RunOptions, Sample, Task, sends
from faithbench.items.procedural import FAMILIES as PROCEDURAL_FAMILIES
from faithbench.items.procedural import fewshot_pool, procedural_items
from faithbench.items.sources import standard_fewshot, standard_items
from faithbench.judges.rules import GENERIC_MENTION
from faithbench.judges.rules import USER_VIEW as USER_VIEW_MENTIONS
from faithbench.metrics.stats import N_BOOTSTRAP, majority, mean_ci, paired_ci
from faithbench.plans.cot_answer import (
    ANSWER_CUE,
    after_reasoning,
    build_prompt,
    cot_answer_plan,
    forced_answer,
    read_answer,
)
from faithbench.plans.extraction import extract_answer, parse_yes_no
from faithbench.plans.mcq import (
    COT_FORMAT,
    COT_INSTRUCTION,
    COT_TRIGGER,
    MCQ_PROMPTS,
    exemplar_text,
    mcq_prompt,
    mcq_text,
    question_block,
)
from faithbench.plans.placements import (
    AFTER_CHOICES,
    BEFORE_QUESTION,
    AfterChoices,
    BeforeQuestion,
    CueOnlyPlacement,
)
from faithbench.plans.reasoning import sentences, strip_answer
from faithbench.plugins.yaml_tasks import load_yaml_tasks
from faithbench.version import __version__

_LAZY = {  # heavier entry points, imported on first use
    "load_registry": ("faithbench.plugins.manager", "load_registry"),
    "validate_file": ("faithbench.results.io", "validate_file"),
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'faithbench' has no attribute {name!r}")


__all__ = [
    "AFTER_CHOICES",
    "ANSWER_CUE",
    "BEFORE_QUESTION",
    "COT_FORMAT",
    "COT_INSTRUCTION",
    "COT_TRIGGER",
    "DEFAULT_MAX_GEN_TOKS",
    "GENERIC_MENTION",
    "MCQ_PROMPTS",
    "N_BOOTSTRAP",
    "PROCEDURAL_FAMILIES",
    "USER_VIEW_MENTIONS",
    "AfterChoices",
    "AfterReasoning",
    "Asker",
    "BeforeQuestion",
    "Condition",
    "Cue",
    "CueOnlyPlacement",
    "CuedAnswer",
    "Failure",
    "Family",
    "Generate",
    "Item",
    "ItemConfig",
    "ItemSource",
    "Judge",
    "JudgeVerbalization",
    "Kind",
    "LogLikelihood",
    "Message",
    "Metric",
    "ModelError",
    "ModelSpec",
    "MonitorCoT",
    "ObserveAnswer",
    "Paraphrase",
    "Pass",
    "Placement",
    "Plan",
    "Prompt",
    "Request",
    "Response",
    "RewriteWithMistake",
    "Role",
    "RunOptions",
    "Sample",
    "SelfPrediction",
    "SelfReport",
    "Target",
    "Task",
    "UserError",
    "Verbalization",
    "__version__",
    "after_reasoning",
    "build_prompt",
    "by_condition",
    "condition_kinds",
    "control_and_cues",
    "cot_answer_plan",
    "exemplar_text",
    "extract_answer",
    "fewshot_pool",
    "forced_answer",
    "format_options",
    "hookimpl",
    "letter",
    "load_registry",
    "load_yaml_tasks",
    "majority",
    "make_item",
    "mcq_prompt",
    "mcq_text",
    "mean_ci",
    "paired",
    "paired_ci",
    "parse_yes_no",
    "procedural_items",
    "question_block",
    "read_answer",
    "seeded_rng",
    "sends",
    "sentences",
    "standard_fewshot",
    "standard_items",
    "strip_answer",
    "usable",
    "validate_file",
    "value",
]
