"""Hook functions pluggy would silently ignore, reported as problems of their plugin.

pluggy calls only functions marked ``@hookimpl`` whose name is a hook: a forgotten decorator or a
misspelled name (``faithbench_task``) would otherwise load nothing, and the author would meet an
"unknown task" with no hint why.
"""

from __future__ import annotations

import difflib
import inspect

import pluggy

from faithbench.api import hookspecs


def hook_problems(pm: pluggy.PluginManager) -> list[tuple[str, str]]:
    """(plugin, message) for every implementation of a hook that does not exist and every
    unmarked function named like a hook; pluggy's ``check_pending`` guards what this misses."""
    hooks = [name for name in vars(hookspecs) if pm.parse_hookspec_opts(hookspecs, name)]
    found: list[tuple[str, str]] = []
    for name, plugin in pm.list_name_plugin():
        for caller in pm.get_hookcallers(plugin) or []:
            if caller.has_spec():
                continue
            for impl in caller.get_hookimpls():
                if impl.plugin is plugin and not impl.optionalhook:
                    function = impl.function.__name__
                    called = f" (it implements '{caller.name}')" if function != caller.name else ""
                    found.append((name, f"{function}(){called} is ignored: no faithbench hook has that "
                                        f"name{_did_you_mean(caller.name, hooks)}"))
        for attr in dir(plugin):
            function = getattr(plugin, attr, None) if attr.startswith("faithbench_") else None
            if not inspect.isfunction(function) or pm.parse_hookimpl_opts(plugin, attr) is not None:
                continue
            if attr in hooks:
                found.append((name, f"{attr}() is ignored: it is not marked @hookimpl "
                                    "(from faithbench import hookimpl)"))
            elif difflib.get_close_matches(attr, hooks, n=1, cutoff=MISSPELT):
                # an unmarked helper whose name merely starts with faithbench_ is the author's own
                found.append((name, f"{attr}() is ignored: it is not marked @hookimpl and no hook "
                                    f"has that name{_did_you_mean(attr, hooks)}"))
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) or repr(exc.plugin)
        if all(plugin != name for plugin, _ in found):
            found.append((name, str(exc)))
    return found


# How close an unmarked function's name must be to a hook's to be taken for a misspelling of it
# (faithbench_task, faithbench_taks), not for a helper of the author's (faithbench_tasks_helper).
MISSPELT = 0.88


def _did_you_mean(name: str, hooks: list[str]) -> str:
    guess = difflib.get_close_matches(name, hooks, n=1)
    return f" (did you mean {guess[0]}?)" if guess else f"; the hooks are {', '.join(sorted(hooks))}"
