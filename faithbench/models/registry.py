"""lm-eval's model registry: where faithbench's own backends and plugins' are registered, and where
every model is looked up by name."""

from __future__ import annotations

from faithbench.api.errors import UserError
from faithbench.api.model_spec import ModelSpec


def register_model_spec(spec: ModelSpec) -> None:
    import lm_eval.models  # noqa: F401  (registers lm-eval's own backends, lazily)
    from lm_eval.api.registry import model_registry

    if spec.name not in model_registry:
        model_registry.register(spec.name)(spec.cls)
    elif (current := model_registry.get(spec.name)) is not spec.cls:
        raise ValueError(f"name already taken by {current}")


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
        return get_model(name)
    except ImportError as exc:
        raise UserError(
            f"model backend '{name}' needs a package that is not installed: {exc}. "
            f"Install lm-eval's extra for it (e.g. pip install 'lm-eval[hf]')."
        ) from None
    except (ValueError, KeyError) as exc:
        raise UserError(f"unknown model '{name}': {str(exc).splitlines()[0]}") from None
