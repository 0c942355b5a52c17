"""Which observer makes a run's predictive figures. ``--observer NAME`` (or ``none``) decides;
without it (and without the FAITHBENCH_OBSERVER default scripts set) the evaluated model observes
itself when its backend scores log-likelihoods, sharing its loaded weights, and otherwise there is
no observer and the run says how to get one: no run loads a model it did not ask for."""

from __future__ import annotations

from faithbench.pipeline.config import ModelRef


class Itself(ModelRef):
    """The observer is the evaluated model (same name and args): its weights are shared, and its
    figures say whose they are (``observer.self_observer`` in results.json)."""


def choose_observer(opts: dict) -> ModelRef | None:
    """The observer for the parsed ``run`` options, or None."""
    from faithbench.models.args import parse_model_args
    from faithbench.models.capabilities import scores_loglikelihood
    from faithbench.models.client import DEFAULT_MODEL
    from faithbench.models.registry import model_class

    name = opts["model_name"] if opts["model_name"] is not None else DEFAULT_MODEL
    args = parse_model_args(opts["model_args"])
    chosen = opts["observer"]
    if chosen == "none":
        return None
    if chosen is None:  # --observer-args without --observer: refused by cli/option_links.py
        return Itself(name, args) if scores_loglikelihood(model_class(name)) else None
    ref = ModelRef(chosen, parse_model_args(opts["observer_args"], "--observer-args"))
    return Itself(name, args) if (ref.name, ref.args) == (name, args) else ref
