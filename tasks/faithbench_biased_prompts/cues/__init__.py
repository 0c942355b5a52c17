"""One module per cue: its wording, placement and mention vocabulary, and its task (``TASK``).
Adding a cue to the family is adding a file here; every module in this folder is collected."""

import importlib
import pkgutil


def collect_tasks() -> list:
    modules = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"{__name__}.{name}").TASK for name in modules]
