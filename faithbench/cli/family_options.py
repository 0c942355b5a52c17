"""Options the installed families declare, on the run command: each task parameter's convenience
flag (``--samples-per-arm K``) and each side-model role's pair (``--monitor-model NAME``,
``--monitor-model-args k=v``). The run command accepts them as extra arguments, read here once the
plugins are loaded, so the core names no family's option; anything else left over is an unknown
option, refused with a did-you-mean as click would."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

import click

from faithbench.api.errors import UserError

PARAM, MODEL, ARGS = "parameter", "model", "args"


@dataclass
class FamilyOptions:
    task_args: dict[str, str] = field(default_factory=dict)  # parameter name -> text
    role_models: dict[str, list] = field(default_factory=dict)  # role -> [name, args text]
    given: list[tuple[str, str, str]] = field(default_factory=list)  # (flag, value, kind), in order


def declared_flags(
    reg, core: Iterable[str] = (), problems: list[str] | None = None
) -> dict[str, tuple[str, str, str]]:
    """flag -> (kind, parameter or role name, help) for every option the families declare (the
    core's own ``--observer`` excepted). A flag the run command already has, or one declared for
    two different settings, is left out and said in ``problems``; ``core`` holds the run command's
    own flags."""
    core = set(core)
    problems = [] if problems is None else problems
    flags: dict[str, tuple[str, str, str]] = {}
    owners: dict[str, list[str]] = {}
    typed: dict[str, tuple] = {}
    for task in reg.tasks.values():
        for param in task.parameters:
            declared = (param.type, param.choices)
            if typed.setdefault(param.name, declared) != declared:
                problems.append(
                    f"task '{task.name}' declares parameter '{param.name}' with another type or choices "
                    "than an earlier task: -T and its flag would set both"
                )
            if not param.flag:
                continue
            bounds = "".join(
                [f", >= {param.minimum:g}" if param.minimum is not None else "",
                 f", <= {param.maximum:g}" if param.maximum is not None else ""]
            )
            text = f"{param.help} [{param.type.__name__}, default {param.default}{bounds}]"
            owners.setdefault(param.flag, []).append(task.name)
            if flags.get(param.flag, (PARAM, param.name))[1] != param.name:
                problems.append(f"flag {param.flag} is declared for two settings; it is left out")
            flags.setdefault(param.flag, (PARAM, param.name, text))
    for flag, tasks in owners.items():
        kind, name, text = flags[flag]
        flags[flag] = (kind, name, f"{text} (tasks: {', '.join(tasks)})")
    from faithbench.api.passes import Role

    seen_roles: dict[str, object] = {"observer": Role.OBSERVER}
    for post in reg.passes.values():
        role = post.role
        if role is None or isinstance(role, str):
            continue
        if seen_roles.setdefault(role.name, role) != role:
            problems.append(
                f"pass '{post.name}' declares role '{role.name}' unlike its earlier declaration: first wins"
            )
    for role in reg.roles.values():
        if role.flag and role.name != "observer":
            flags.setdefault(role.flag, (MODEL, role.name, f"lm-eval model name for {role.help}"))
            flags.setdefault(f"{role.flag}-args", (ARGS, role.name, f"k=v args for {role.help}"))
    for flag in sorted(set(flags) & core):
        problems.append(
            f"family flag {flag} is one of faithbench's own: it is left out (use -T or --role-model)"
        )
        del flags[flag]
    return flags


def warn_declarations(reg, core: Iterable[str]) -> dict[str, tuple[str, str, str]]:
    """The families' flags (as ``declared_flags``), their clashing declarations said once, as
    warnings."""
    import logging

    problems: list[str] = []
    flags = declared_flags(reg, core, problems)
    for problem in dict.fromkeys(problems):
        logging.getLogger("faithbench").warning(problem)
    return flags


def parse_extra(args: list[str], reg, core: list[str]) -> FamilyOptions:
    """The families' options among the run command's extra arguments. ``core`` holds the run
    command's own flags, for the did-you-mean of a misspelt one."""
    flags = declared_flags(reg, core)
    out = FamilyOptions()
    i = 0
    while i < len(args):
        token = args[i]
        flag, eq, value = token.partition("=")
        if not token.startswith("--") or flag not in flags:
            close = difflib.get_close_matches(flag, list(flags) + core, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            what = "option" if token.startswith("-") else "argument"
            raise UserError(f"no such {what}: {token}{hint}")
        if not eq:
            if i + 1 >= len(args):
                raise UserError(f"option {flag} requires a value")
            i += 1
            value = args[i]
        kind, name, _ = flags[flag]
        if any(given == flag for given, _, _ in out.given):
            raise UserError(f"option {flag} is given twice")
        if kind == PARAM:
            out.task_args[name] = value
        else:
            slot = out.role_models.setdefault(name, [None, ""])
            slot[0 if kind == MODEL else 1] = value
        out.given.append((flag, value, kind))
        i += 1
    return out


def merge_task_args(flags: dict, pairs: dict) -> dict:
    """A family flag and ``-T`` naming one parameter is the same setting given twice: refused."""
    twice = sorted(set(flags) & {key.rpartition(".")[2] for key in pairs})
    if twice:
        raise UserError(f"task parameter '{twice[0]}' is set twice (its flag and -T)")
    return {**flags, **pairs}


def parse_pairs(values, option: str) -> dict[str, str]:
    """``ROLE=VALUE`` (or ``NAME=VALUE``) items of a repeatable option; a repeat is an error."""
    out: dict[str, str] = {}
    for item in values:
        key, eq, value = str(item).partition("=")
        if not eq or not key.strip():
            raise UserError(f"invalid {option} '{item}': give NAME=VALUE")
        if key.strip() in out:
            raise UserError(f"{option} sets '{key.strip()}' twice")
        out[key.strip()] = value
    return out


def role_models(opts: dict, extra: FamilyOptions, reg) -> dict[str, list]:
    """Every side model named for a declared role: ``--role-model``/``--role-args`` and the roles'
    own flags (which may not both name one role)."""
    roles = reg.roles
    named = {**extra.role_models}
    for option, index in (("role_model", 0), ("role_args", 1)):
        for role, value in parse_pairs(opts.get(option) or (), f"--{option.replace('_', '-')}").items():
            if role not in roles or role == "observer":
                known = ", ".join(r for r in sorted(roles) if r != "observer") or "none"
                hint = "; the observer has --observer" if role == "observer" else ""
                raise UserError(f"unknown side-model role '{role}' (roles: {known}){hint}")
            slot = named.setdefault(role, [None, ""])
            if slot[index]:
                raise UserError(f"role '{role}' is set twice (its own flag and --{option.replace('_', '-')})")
            slot[index] = value
    for role, (name, args) in named.items():
        flag = roles[role].flag or f"--role-model {role}="
        if name is not None and not name.strip():
            raise UserError(f"{flag} is empty for the {role} role: name a model, or 'none'")
        if args and (not name or name == "none"):
            raise UserError(f"args given for the {role} role without a model: give {flag} NAME")
    return named


def help_section(formatter: click.HelpFormatter, reg, core: Iterable[str]) -> None:
    """The families' options in ``run --help``, under their own heading."""
    rows = []
    for flag, (kind, _, text) in sorted(declared_flags(reg, core).items()):
        metavar = {PARAM: "VALUE", MODEL: "NAME", ARGS: "k=v,..."}[kind]
        rows.append((f"{flag} {metavar}", text))
    if rows:
        with formatter.section("Options the installed families add (also: -T NAME=VALUE, --role-model)"):
            formatter.write_dl(rows)
