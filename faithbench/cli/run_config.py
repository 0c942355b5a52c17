"""Parsing ``faithbench run``'s options into one RunConfig: side models, the judge panel, bounds
and combinations the options must respect."""

from __future__ import annotations

import math

from faithbench.api.errors import UserError
from faithbench.cli.options import parse_item_range

MAX_PRICE = 1e6  # USD per million tokens: far above any price, and every cost stays finite


def parse_prices(text: str | None) -> tuple[float, float] | None:
    """``IN`` or ``IN,OUT`` in USD per million tokens (one price for both when OUT is left out)."""
    if not text:
        return None
    try:
        prices = [float(x) for x in text.split(",")]
    except ValueError:
        prices = []
    if len(prices) not in (1, 2) or any(not 0 <= p <= MAX_PRICE for p in prices):
        raise UserError(
            f"invalid --price-per-mtok '{text}': give IN or IN,OUT in USD per million tokens, "
            f"each from 0 to {MAX_PRICE:,.0f}"
        )
    return prices[0], prices[-1]


def check_combinations(opts: dict) -> None:
    """Flags that contradict each other, or say nothing, are refused rather than half-obeyed."""
    if opts["model_name"] is not None and not opts["model_name"].strip():
        raise UserError("--model is empty: name a model (faithbench ls models)")
    if not str(opts["output_path"]).strip():
        raise UserError("--output-path is empty: name a folder")
    if opts.get("batch_api") and opts.get("no_cache"):
        raise UserError(
            "--batch-api needs the response cache (batch answers are kept there): drop --no-cache"
        )
    for a, b in (("no_cache", "cache_path"), ("data", "item_source"), ("item_range", "limit")):
        if opts[a] not in (None, False) and opts[b] is not None:
            flags = [f"--{x.replace('_', '-')}".replace("item-source", "items") for x in (a, b)]
            raise UserError(f"{flags[0]} and {flags[1]} cannot be used together")


MAX_GEN_TOKS = 1_000_000  # no model writes more in one reply; 9.2e18 is a typo, not a budget
GEN_KWARG_TYPES = {  # name: (accepted types, lowest value, what to say)
    "temperature": ((int, float), 0, "a number >= 0"),
    "top_p": ((int, float), 0, "a number between 0 and 1"),
    "top_k": ((int,), 0, "a whole number >= 0"),
    "max_gen_toks": ((int,), 1, f"a whole number from 1 to {MAX_GEN_TOKS:,}"),
    "seed": ((int,), 0, "a whole number >= 0"),
}


def check_gen_kwargs(kwargs: dict) -> dict:
    """Generation kwargs of a known meaning must have a value of that meaning: a string sent as a
    temperature, or a negative token budget, is refused here rather than by the server."""
    for key, value in kwargs.items():
        if key not in GEN_KWARG_TYPES:
            continue
        types, low, what = GEN_KWARG_TYPES[key]
        if isinstance(value, bool) or not isinstance(value, types) or not low <= value < math.inf:
            raise UserError(f"invalid --gen-kwargs: {key} must be {what}, not {value!r}")
        if key == "max_gen_toks" and value > MAX_GEN_TOKS:
            raise UserError(f"invalid --gen-kwargs: {key} must be {what}, not {value!r}")
        if key == "top_p" and value > 1:
            raise UserError(f"invalid --gen-kwargs: top_p must be {what}, not {value!r}")
    return kwargs


def side_models(opts: dict) -> dict:
    """The side models named on the command line, by role ('none' names none); the observer, the
    one role with a default, as ``choose_observer`` decides."""
    from faithbench.cli.observer_choice import choose_observer
    from faithbench.models.args import parse_model_args
    from faithbench.pipeline.config import ModelRef

    side = {}
    for role, (name, args) in (opts.get("role_models") or {}).items():
        if name and name != "none":
            side[role] = ModelRef(name, parse_model_args(args or "", f"the {role} role's args"))
    observer = choose_observer(opts)
    if observer is not None:
        side["observer"] = observer
    return side


def judge_models(opts: dict) -> tuple:
    """The judge panel: each --judge-model with its --judge-model-args (one set for all, or one
    per model in order)."""
    from faithbench.models.args import parse_model_args
    from faithbench.pipeline.config import ModelRef

    names, args = opts["judge_model"], opts["judge_model_args"]
    if len(args) not in (0, 1, len(names)):
        raise UserError(
            f"give --judge-model-args once, or once per --judge-model ({len(names)}), not {len(args)} times"
        )
    parsed = [parse_model_args(a, "--judge-model-args") for a in args] or [{}]
    return tuple(ModelRef(n, parsed[i] if len(parsed) > 1 else parsed[0]) for i, n in enumerate(names))


def build_config(opts: dict, side: dict, judges: list[str], command: str = "faithbench run", tasks=()):
    """The one RunConfig for this run, from the parsed options (``task_args``: each task's
    declared parameters by name, as text or values)."""
    from faithbench.api.framing import parse_visibility
    from faithbench.api.items import ItemConfig
    from faithbench.api.parameters import resolve_all
    from faithbench.api.task import RunOptions
    from faithbench.models.args import parse_model_args
    from faithbench.pipeline.config import RunConfig

    item_range = parse_item_range(opts["item_range"])
    return RunConfig(
        items=ItemConfig(
            limit=item_range[1] if item_range else opts["limit"],
            seed=opts["seed"],
            data=opts["data"],
            source=opts["item_source"],
        ),
        options=RunOptions(
            max_gen_toks=opts["max_gen_toks"],
            observer_samples=opts["observer_samples"],
            framings=parse_visibility(opts.get("visibility")),
            thinking=bool(opts.get("reasoning_effort") or opts.get("thinking_budget")),
        ),
        limit=opts["limit"],
        num_fewshot=opts["num_fewshot"],
        gen_kwargs={
            **check_gen_kwargs(parse_model_args(opts["gen_kwargs"], "--gen-kwargs")),
            **reasoning_kwargs(opts),
        },
        item_range=item_range,
        judges=tuple(judges),
        judge_models=judge_models(opts),
        side_models=side,
        task_params=resolve_all(tasks, opts.get("task_args") or {}),
        command=command,
    )


def panel_labels(refs) -> list[str]:
    """A distinct label for each judge model: its results-folder name, numbered when repeated."""
    from faithbench.results.naming import model_slug

    labels: list[str] = []
    for ref in refs:
        label = model_slug(ref.name, ref.args)
        labels.append(label if label not in labels else f"{label}#{len(labels) + 1}")
    return labels


def reasoning_kwargs(opts: dict) -> dict:
    """Generation kwargs that turn on a reasoning model's thinking, as each provider names them."""
    out: dict = {}
    if opts.get("reasoning_effort"):
        out["reasoning_effort"] = opts["reasoning_effort"]
    if opts.get("thinking_budget"):
        budget = opts["thinking_budget"]
        if opts.get("max_gen_toks") is not None and opts["max_gen_toks"] <= budget:
            raise UserError("--max-gen-toks must exceed --thinking-budget: it covers thinking plus answer")
        out["thinking"] = {"type": "enabled", "budget_tokens": budget}
    return out


def think_tags(text: str | None) -> tuple[str, str]:
    from faithbench.models.channels import DEFAULT_TAGS

    if not text:
        return DEFAULT_TAGS
    parts = text.split(",")
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise UserError(f"invalid --think-tags '{text}': give OPEN,CLOSE, e.g. <think>,</think>")
    opening, closing = parts[0].strip(), parts[1].strip()
    if opening == closing:  # the first closing tag would be read as the opening one: no thinking found
        raise UserError(f"invalid --think-tags '{text}': OPEN and CLOSE must differ, e.g. <think>,</think>")
    return opening, closing
