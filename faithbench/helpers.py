"""Building blocks for a family, beside the contracts in ``faithbench``: none is required, each
saves writing the standard piece again. A plugin imports them from here
(``from faithbench.helpers import standard_items, cot_answer_plan``), as the built-in families do.

Items
    ``standard_items`` / ``standard_fewshot``: the run's item source (``--items``, ``--data``) and
    its exemplars, for a task's ``items=`` and ``fewshot=``. ``procedural_items`` /
    ``fewshot_pool`` / ``PROCEDURAL_FAMILIES``: the seeded procedural families by name.
    ``make_item`` builds an ``Item`` with its seeded cue target; ``seeded_rng`` a generator seeded
    by strings (the same on every machine); ``SeededItems`` a source's items made one index at a
    time when asked for, so a shard far in (``--item-range``) makes only its own.

Prompts and the standard plan
    ``cot_answer_plan``: a chain of thought under the sample's condition, then the option it
    commits to (forced when it names none). Its parts: ``build_prompt`` (the first-turn prompt),
    ``read_answer`` (the option, forced if need be), ``after_reasoning`` (a prompt with a reasoning
    prefilled and ``ANSWER_CUE`` begun). ``mcq_prompt`` / ``mcq_text`` / ``question_block`` /
    ``format_options`` / ``letter`` write a question the standard way; ``COT_INSTRUCTION``,
    ``COT_FORMAT`` and ``MCQ_PROMPTS`` are its fixed texts (for a plan's ``sends``).
    ``DEFAULT_MAX_GEN_TOKS`` is the generation limit when the run sets none.

Placements
    ``AFTER_CHOICES`` and ``BEFORE_QUESTION``: where a remark cue goes (YAML tasks name them too).
    ``CueOnlyPlacement``: a base for cues that change the prompt only under the cue (few-shot,
    multi-turn). ``USER_VIEW_MENTIONS``: how a CoT refers to a user's stated view, for ``mentions``.

Reading answers
    ``extract_answer`` (an option by letter or text), ``parse_yes_no``, ``sentences`` and
    ``strip_answer`` (a CoT cut into steps, without its final answer statement).
    Where a pass needs no more of a generation (``Generate.stop_after``): ``best_answer_stated``,
    ``FIRST_LINE``, ``LEADING_YES_NO``, ``VERDICT_STATED`` (``STOP_PATTERNS`` for ``sends``).

Metrics
    ``usable``, ``by_condition``, ``condition_kinds`` and ``paired`` select records;
    ``mean_ci`` / ``paired_ci`` / ``majority`` compute with a 95% CI (Wilson for 0/1 values,
    else a bootstrap of ``N_BOOTSTRAP`` resamples over items); ``difference_ci`` is Newcombe's
    interval of a paired difference of proportions, ``proportion_ci`` Wilson's of a share
    (``wilson`` of counts), ``ratio_ci`` the MOVER-R limits of a ratio from its parts' intervals,
    ``ratio_of_sums_ci`` sum(num) / sum(den) over items with a studentized bootstrap CI, ``cluster_mean_ci``
    resamples whole items (an item's draws; a ``Paired(x, y)`` value is a paired difference);
    ``too_few`` says a figure has fewer than ``MIN_ITEMS`` items, too few for a verdict to rest on;
    a statistic marked ``batched`` (written with ``axis=-1``) gives ``paired_ci`` every resample
    at once; ``value`` makes one result row.
    ``articulation_columns`` / ``articulation_alpha``: the columns articulation reads per cued
    pair and its chance correction (the judge correction reads the same).
    Score/MOVER intervals built from Wilson limits (never a point on a few items that agree):
    ``alpha_ci`` (articulation's alpha), ``balanced_accuracy_ci`` ((TPR + TNR) / 2),
    ``mover_difference`` (a paired difference of [0, 1] columns), ``signed_ratio_ci`` (a ratio
    whose numerator may be negative).

Request purposes
    ``about=`` values a plan may give a request (``Generate(..., about=SelfReport(...))``): real
    models never see them; the synthetic models of ``faithbench.testing`` act on them instead of
    reading a prompt's wording. ``AfterReasoning``, ``CuedAnswer``, ``MonitorCoT``,
    ``ObserveAnswer``, ``Paraphrase``, ``RewriteWithMistake``, ``SelfPrediction``, ``SelfReport``.
"""

from faithbench.api.items import make_item, seeded_rng
from faithbench.api.metric import by_condition, condition_kinds, paired, usable, value
from faithbench.api.prompts import format_options, letter
from faithbench.api.queries import (
    AfterReasoning,
    CuedAnswer,
    MonitorCoT,
    ObserveAnswer,
    Paraphrase,
    RewriteWithMistake,
    SelfPrediction,
    SelfReport,
)
from faithbench.api.requests import DEFAULT_MAX_GEN_TOKS
from faithbench.items.procedural import FAMILIES as PROCEDURAL_FAMILIES
from faithbench.items.procedural import SeededItems, fewshot_pool, procedural_items
from faithbench.items.sources import standard_fewshot, standard_items
from faithbench.judges.correction import articulation_alpha, articulation_columns
from faithbench.judges.rules import USER_VIEW as USER_VIEW_MENTIONS
from faithbench.metrics.score import alpha_ci, balanced_accuracy_ci, mover_difference, signed_ratio_ci
from faithbench.metrics.stats import (
    MIN_ITEMS,
    N_BOOTSTRAP,
    Paired,
    batched,
    cluster_mean_ci,
    difference_ci,
    majority,
    mean_ci,
    paired_ci,
    proportion_ci,
    ratio_ci,
    ratio_of_sums_ci,
    too_few,
    wilson,
)
from faithbench.plans.cot_answer import (
    ANSWER_CUE,
    after_reasoning,
    build_prompt,
    cot_answer_plan,
    read_answer,
)
from faithbench.plans.extraction import extract_answer, parse_yes_no
from faithbench.plans.mcq import (
    COT_FORMAT,
    COT_INSTRUCTION,
    MCQ_PROMPTS,
    mcq_prompt,
    mcq_text,
    question_block,
)
from faithbench.plans.placements import AFTER_CHOICES, BEFORE_QUESTION, CueOnlyPlacement
from faithbench.plans.reasoning import sentences, strip_answer
from faithbench.plans.stops import (
    FIRST_LINE,
    LEADING_YES_NO,
    STOP_PATTERNS,
    VERDICT_STATED,
    best_answer_stated,
)

__all__ = [
    "alpha_ci",
    "balanced_accuracy_ci",
    "mover_difference",
    "signed_ratio_ci",
    "articulation_alpha",
    "articulation_columns",
    "AFTER_CHOICES",
    "ANSWER_CUE",
    "BEFORE_QUESTION",
    "COT_FORMAT",
    "COT_INSTRUCTION",
    "FIRST_LINE",
    "LEADING_YES_NO",
    "DEFAULT_MAX_GEN_TOKS",
    "MCQ_PROMPTS",
    "MIN_ITEMS",
    "N_BOOTSTRAP",
    "PROCEDURAL_FAMILIES",
    "Paired",
    "STOP_PATTERNS",
    "USER_VIEW_MENTIONS",
    "VERDICT_STATED",
    "AfterReasoning",
    "CueOnlyPlacement",
    "CuedAnswer",
    "MonitorCoT",
    "ObserveAnswer",
    "Paraphrase",
    "RewriteWithMistake",
    "SeededItems",
    "SelfPrediction",
    "SelfReport",
    "after_reasoning",
    "batched",
    "best_answer_stated",
    "build_prompt",
    "by_condition",
    "cluster_mean_ci",
    "condition_kinds",
    "cot_answer_plan",
    "difference_ci",
    "extract_answer",
    "fewshot_pool",
    "format_options",
    "letter",
    "majority",
    "make_item",
    "mcq_prompt",
    "mcq_text",
    "mean_ci",
    "paired",
    "paired_ci",
    "parse_yes_no",
    "procedural_items",
    "proportion_ci",
    "question_block",
    "ratio_ci",
    "ratio_of_sums_ci",
    "read_answer",
    "seeded_rng",
    "sentences",
    "standard_fewshot",
    "standard_items",
    "strip_answer",
    "too_few",
    "usable",
    "value",
    "wilson",
]
