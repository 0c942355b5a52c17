"""lm-eval's model registry: where faithbench's own backends and plugins' are registered, and where
every model is looked up by name.

A new name goes into lm-eval's registry. A name lm-eval already holds can be taken only by a
subclass of the class it names (faithbench's API backends extend lm-eval's under lm-eval's
names): lm-eval's ``Registry.register`` refuses a second class for a name, and its lazy entries
turn into lm-eval's classes as soon as their module is imported, which subclassing them does. So
such an extension is kept here, and ``model_class`` (the one lookup faithbench makes) prefers it.
"""

from __future__ import annotations

import threading

from faithbench.api.errors import UserError
from faithbench.api.model_spec import ModelSpec

_EXTENDED: dict[str, type] = {}  # lm-eval names whose class a registered subclass extends
_LOCK = threading.Lock()


def register_model_spec(spec: ModelSpec) -> None:
    import lm_eval.models  # noqa: F401  (registers lm-eval's own backends, lazily)
    from lm_eval.api.registry import model_registry

    with _LOCK:
        if spec.name not in model_registry:
            model_registry.register(spec.name)(spec.cls)
            return
        current = _EXTENDED.get(spec.name) or model_registry.get(spec.name)
        if current is spec.cls:
            return
        if not (isinstance(current, type) and issubclass(spec.cls, current)):
            raise ValueError(f"name already taken by {current}")
        _EXTENDED[spec.name] = spec.cls


def _core_backends() -> None:
    """faithbench's API backends, also where no plugin was loaded (a library call)."""
    from faithbench.models.backends import API_BACKENDS

    for spec in API_BACKENDS:
        if spec.name not in _EXTENDED:  # (a plugin's own extension of the name stays)
            register_model_spec(spec)


def registered_names() -> list[str]:
    import lm_eval.models  # noqa: F401
    from lm_eval.api.registry import model_registry

    return sorted(model_registry.keys())


def model_class(name: str) -> type:
    """The ``LM`` class for a name. Plugins' backends are registered when plugins load, which the
    command does before it loads a model."""
    import lm_eval.models  # noqa: F401
    from lm_eval.api.registry import get_model

    try:
        _core_backends()
        return _EXTENDED.get(name) or get_model(name)
    except ImportError as exc:
        raise UserError(
            f"model backend '{name}' needs a package that is not installed: {exc}. "
            f"Install lm-eval's extra for it (e.g. pip install 'lm-eval[hf]')."
        ) from None
    except (ValueError, KeyError) as exc:
        raise UserError(f"unknown model '{name}': {str(exc).splitlines()[0]}") from None
