"""The run command's options, parsed once into a frozen RunSpec. ``faithbench.evaluate`` builds
its spec here too, from the same option definitions, so a keyword argument and a flag mean the
same thing and share one default."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from faithbench.api.errors import UserError
from faithbench.pipeline.config import ModelRef
from faithbench.pipeline.spec import Execution, RunSpec

log = logging.getLogger("faithbench")


def chat_only(name: str) -> bool:
    """Whether a backend takes chat messages only (so plans cannot prefill raw text): known from
    its class, before the model loads, so the spec never changes after loading."""
    from faithbench.models.api import is_api, is_chat_only
    from faithbench.models.registry import model_class

    cls = model_class(name)
    return is_api(cls) and is_chat_only(cls)


def build_spec(opts: dict, reg, command: str) -> tuple[RunSpec, list, list]:
    """The spec, the selected tasks and the selected judges; every bad or conflicting option is a
    user error here, before any model loads."""
    from faithbench.cli.option_links import Setting, check_links, check_model_names
    from faithbench.cli.options import apply_judge_definition
    from faithbench.cli.run_config import (
        build_config,
        check_combinations,
        parse_prices,
        side_models,
        think_tags,
    )
    from faithbench.models.api import is_api
    from faithbench.models.args import parse_model_args
    from faithbench.models.client import DEFAULT_MODEL
    from faithbench.models.registry import model_class
    from faithbench.pipeline.session import needed_roles

    args = parse_model_args(opts["model_args"])
    selected = reg.select_tasks(opts["tasks"])
    judges = reg.select_judges(opts["judge"])
    if opts["data"] and not Path(opts["data"]).is_file():
        raise UserError(f"data file not found: {opts['data']}")
    check_combinations(opts)
    name = opts["model_name"] if opts["model_name"] is not None else DEFAULT_MODEL
    needing = [j.name for j in judges if j.needs_model]
    if needing and not opts["judge_model"]:
        raise UserError(f"--judge {','.join(needing)} needs --judge-model (any lm-eval model name)")
    check_model_names(opts)
    side = side_models(opts)
    check_links(Setting(opts, selected, judges, side, api=is_api(model_class(name))))
    judges = apply_judge_definition(judges, opts.get("judge_definition"), reg)
    wanted = needed_roles(reg.passes.values(), selected)
    for role in sorted(set(side) - wanted):
        if role != "observer" or opts.get("observer_explicit"):
            flag = "--observer" if role == "observer" else reg.roles[role].flag or f"--role-model {role}="
            log.warning(f"{flag} is not used: no selected task has a pass that asks the {role} role")
        del side[role]
    config = build_config(opts, side, [j.name for j in judges], command, selected)
    options = dataclasses.replace(
        config.options, raw_text=not chat_only(name), think_tags=think_tags(opts["think_tags"])
    )
    config = dataclasses.replace(config, options=options)
    execution = Execution(
        batch_size=opts["batch_size"],
        max_concurrency=opts["max_concurrency"],
        max_requests=opts["max_requests"],
        max_retries=opts["max_retries"],
        retry_backoff=opts["retry_backoff"],
        progress=opts["progress"],
        cache_path=opts["cache_path"],
        no_cache=opts["no_cache"],
        log_samples=opts["log_samples"],
        overwrite=opts["overwrite"],
        apply_chat_template=opts["apply_chat_template"],
        prices=parse_prices(opts["price_per_mtok"]),
        batch_api=opts["batch_api"],
        no_wait=opts["no_wait"],
        batch_poll=opts["batch_poll"],
    )
    spec = RunSpec(
        model=ModelRef(name, args),
        tasks=tuple(t.name for t in selected),
        judges=tuple(j.name for j in judges),
        config=config,
        execution=execution,
        output_path=Path(opts["output_path"]) if opts["output_path"] is not None else None,
        include_paths=tuple(opts["include_path"]),
        observer_explicit=bool(opts.get("observer_explicit")),
        declined_roles=frozenset(
            [role for role, (model, _) in (opts.get("role_models") or {}).items() if model == "none"]
            + (["observer"] if opts.get("observer") == "none" else [])
        ),
        show=opts["show"],
        dry_run=opts["dry_run"],
    )
    return spec, selected, judges
