"""``faithbench.evaluate``: a run from Python, as ``lm_eval.simple_evaluate`` and
``inspect_ai.eval`` are. It builds its spec from the run command's own option definitions (same
names, same defaults, same checks) and executes it through the same session, so a notebook and
the command line get the same numbers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from faithbench.pipeline.results import Results
from faithbench.pipeline.spec import check_known


def _run_options(given: dict) -> dict:
    """Every run option: the given ones converted and checked by the command's own option types
    (a bad value is the error the flag would give), the rest at their defaults."""
    import click

    from faithbench.api.errors import UserError
    from faithbench.cli.run import run

    with run.make_context("run", []) as ctx:  # parses no argument: every option at its default
        opts = dict(ctx.params)
        params = {p.name: p for p in run.params}
        for key, value in given.items():
            if isinstance(value, str) and params[key].multiple:
                value = (value,)
            whole = isinstance(params[key].type, click.types.IntParamType)
            if whole and (isinstance(value, bool) or isinstance(value, float) and not value.is_integer()):
                raise UserError(f"invalid {key}={value!r}: a whole number is needed")
            try:
                opts[key] = params[key].type_cast_value(ctx, value)
            except click.BadParameter as exc:
                raise UserError(f"invalid {key}={value!r}: {exc.message}") from None
    return opts


def _as_list(value) -> list:
    return [value] if isinstance(value, str) else list(value or ())


def _as_text(value, separator: str = ",") -> str:
    """A keyword given as Python values (a dict of model args, a list of tasks) in flag syntax."""
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return separator.join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable):
        return separator.join(str(v) for v in value)
    return str(value)


TEXT_OPTIONS = ("model_args", "gen_kwargs", "observer_args", "judge", "visibility")


def _core_flags() -> list[str]:
    from faithbench.cli.run import run

    return [o for p in run.params for o in p.opts]


def _aliases() -> dict[str, str]:
    """Each option's flag spelt as a keyword (``items`` for ``--items``) -> the option's name."""
    from faithbench.cli.run import run

    return {o.lstrip("-").replace("-", "_"): p.name for p in run.params for o in p.opts if o.startswith("--")}


def _command(model: str, tasks: str, model_args, options: dict) -> str:
    """The call as a reader could repeat it, secrets redacted by structure as in a command line."""
    from faithbench.models.args import parse_model_args, redact, redact_url

    def shown(key, value):
        if key.endswith("_args") and value:
            return repr(redact(parse_model_args(_as_text(value))))
        return repr(redact_url(value) if isinstance(value, str) else value)

    parts = [repr(redact_url(model)), repr(tasks)]
    if model_args:
        parts.append(f"model_args={shown('model_args', model_args)}")
    parts += [f"{k}={shown(k, v)}" for k, v in options.items()]
    return f"faithbench.evaluate({', '.join(parts)})"


def _family_keywords(options: dict, flags: dict) -> tuple[dict, dict]:
    """Keywords that name a family's own option (``samples_per_arm=4``, ``monitor_model=...``,
    ``monitor_model_args={...}``; ``flags`` as ``declared_flags`` gives them), as task arguments
    and role models, taken out of ``options``; the rest are unknown."""
    from faithbench.cli.family_options import ARGS, MODEL

    task_args: dict = {}
    roles: dict[str, list] = {}
    for flag, (kind, name, _) in flags.items():
        key = flag.lstrip("-").replace("-", "_")
        if key not in options:
            continue
        value = options.pop(key)
        if kind == MODEL:
            roles.setdefault(name, [None, ""])[0] = value
        elif kind == ARGS:
            roles.setdefault(name, [None, ""])[1] = _as_text(value)
        else:
            task_args[name] = value
    return task_args, roles


def _role_pairs(given: Mapping) -> dict:
    """``role_models={"monitor": "NAME"}`` or ``{"monitor": ("NAME", {"k": "v"})}``."""
    from faithbench.api.errors import UserError

    out = {}
    for role, value in given.items():
        sequence = isinstance(value, (tuple, list))
        pair = (value, "") if isinstance(value, str) else tuple(value) if sequence else ()
        if len(pair) != 2 or not isinstance(pair[0], str):
            raise UserError(f"role_models['{role}'] must be 'MODEL' or ('MODEL', {{args}}), not {value!r}")
        out[role] = pair
    return out


def evaluate(
    model: str,
    tasks: str | Iterable[str] = "all",
    *,
    model_args: str | Mapping | None = None,
    output_path: str | None = None,
    **options,
) -> Results:
    """Run ``tasks`` on ``model`` (any ``--model`` name; ``"llama-cpp"`` is the embedded one) and
    return the :class:`~faithbench.Results`.

    Options are the ``faithbench run`` flags as keywords (``limit=20``, ``seed=1``,
    ``judge="rules,llm"``, ``observer="none"``, ``max_gen_toks=128`` ...), with lists and dicts
    accepted where a flag takes a comma list or ``k=v`` pairs; the families' own flags too
    (``samples_per_arm=4``, ``monitor_model="NAME"``), and ``task_args={"task.name": value}`` and
    ``role_models={"role": "NAME" or ("NAME", {args})}`` for any declared parameter or role.
    ``output_path`` None (the default) writes no files and keeps no response cache; give a folder
    to write results.json and samples.jsonl there and resume from its cache as the command does.
    An unknown keyword is an error with a did-you-mean; a bad value raises
    :class:`~faithbench.UserError`."""
    from faithbench.api.errors import UserError
    from faithbench.cli.family_options import FamilyOptions, merge_task_args, role_models, warn_declarations
    from faithbench.cli.options import load_plugins
    from faithbench.cli.spec import build_spec
    from faithbench.pipeline.session import run

    given = dict(options)
    aliases = _aliases()
    options = {aliases.get(k, k): v for k, v in options.items()}
    task_args, roles = options.pop("task_args", None) or {}, options.pop("role_models", None) or {}
    reg = load_plugins(tuple(_as_list(options.get("include_path"))))
    flags = warn_declarations(reg, _core_flags())
    family_args, family_roles = _family_keywords(options, flags)
    family_names = [f.lstrip("-").replace("-", "_") for f in flags]
    check_known(options, dict.fromkeys([*aliases.values(), *aliases, *family_names]), "option")
    for key in TEXT_OPTIONS:
        if key in options:
            options[key] = _as_text(options[key])
    opts = _run_options(options)
    if not isinstance(task_args, Mapping) or not isinstance(roles, Mapping):
        raise UserError("task_args and role_models are dicts: {'name': value}, {'role': 'MODEL'}")
    opts["task_args"] = merge_task_args(family_args, dict(task_args))
    pairs = _role_pairs(roles)
    opts["role_model"] = tuple(f"{role}={model}" for role, (model, _) in pairs.items())
    opts["role_args"] = tuple(f"{role}={_as_text(args)}" for role, (_, args) in pairs.items() if args)
    opts["role_models"] = role_models(opts, FamilyOptions(role_models=family_roles), reg)
    opts["model_name"] = model
    opts["tasks"] = _as_text(tasks)
    opts["model_args"] = _as_text(model_args)
    opts["output_path"] = output_path
    if opts.get("dry_run"):
        raise UserError("dry_run is a command-line report: use `faithbench run ... --dry-run`")
    opts["observer_explicit"] = "observer" in options
    opts["progress"] = options.get("progress", False)
    command = _command(model, opts["tasks"], model_args, {k: v for k, v in given.items()})
    spec, selected, judges = build_spec(opts, reg, command)
    return run(spec, reg, selected, judges)
