"""What a model backend can do, read from its class before anything is loaded: a run decides
from it which models it needs (the default observer) without loading one it did not ask for."""

from __future__ import annotations

from faithbench.models.api import is_api


def scores_loglikelihood(cls: type) -> bool:
    """Whether ``cls`` scores the log-likelihood of a given continuation. A class that says so
    (``supports_loglikelihood``, as faithbench's own backends do) is believed; an HTTP API backend
    is not counted on (chat APIs have none, a completions server may lack them, and every extra
    request is billed); lm-eval's in-process token-level models (``TemplateLM``: hf, vllm, ...)
    compute them."""
    declared = getattr(cls, "supports_loglikelihood", None)
    if isinstance(declared, bool):
        return declared
    if is_api(cls):
        return False
    from lm_eval.api.model import TemplateLM

    return issubclass(cls, TemplateLM)
