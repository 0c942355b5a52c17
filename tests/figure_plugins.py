"""A careless plugin whose metrics return figures results.json must not hold as if they were
measured (NaN, infinities, a value outside its own interval, an n beyond the records), and one
that lists a metric twice: each must be a problem of its task, naming the metric."""

from faithbench import Metric, Task, hookimpl
from faithbench_biased_prompts import TASKS as _BIASED

SUGGESTED = next(t for t in _BIASED if t.name == "suggested_answer")

BAD = {
    "nan_value": {"value": float("nan"), "ci_low": 0.1, "ci_high": 0.9},
    "inf_value": {"value": float("inf"), "ci_low": None, "ci_high": None},
    "inf_low": {"value": 0.5, "ci_low": float("inf"), "ci_high": float("inf")},  # unbounded the wrong way
    "above_ci": {"value": 0.95, "ci_low": 0.1, "ci_high": 0.9},
    "upside_down": {"value": None, "ci_low": 0.9, "ci_high": 0.1},
    "n_beyond": {"value": 0.5, "ci_low": 0.1, "ci_high": 0.9, "n": 10**6},
}


def _returning(figure: dict):
    def compute(records, seed):
        return [{"metric": "x", "condition": "no_cue", "n": len(records), **figure}]

    return compute


@hookimpl
def faithbench_metrics():
    return [Metric(name, f"returns {name}", _returning(figure)) for name, figure in BAD.items()]


@hookimpl
def faithbench_tasks():
    def task(name, metrics):
        return Task(name, "1.0", name, SUGGESTED.items, SUGGESTED.conditions, SUGGESTED.plan, metrics)

    return [task(f"{name}_task", ("accuracy", name)) for name in BAD] + [
        task("twice_task", ("accuracy", "bias_susceptibility", "accuracy"))
    ]
