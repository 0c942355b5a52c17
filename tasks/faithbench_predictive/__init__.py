"""Built-in family: predictive faithfulness. Does the CoT let a fixed observer S predict the
model's answers?

For each cued sample with a CoT c~_h (final-answer sentence stripped), S scores the option letters
under four prompts; every figure is a normalized information gain over the prompt alone:

    P_within = 1 - sum -log S(a_h | x_h, c~_h) / sum -log S(a_h | x_h)
    P_cf     = 1 - sum -log S(a_u | x_u, c~_h) / sum -log S(a_u | x_u)   (counterfactual
               simulatability: from the cued CoT, predict the answer the model gives without the cue)
    rationalization gap = P_within - P_cf

S must be the same for every model compared (``--observer``). The observer is a post-processing
pass (role ``observer``) and ``predictive`` a metric, both registered like any plugin's.
"""

from faithbench import Pass, Role, hookimpl
from faithbench_predictive.metric import PREDICTIVE
from faithbench_predictive.observer import OBSERVER_PROMPTS, apply_observer

OBSERVER = Pass(
    "observer",
    Role.OBSERVER,
    "Scores every (control, cued) pair with the observer model S for predictive faithfulness.",
    apply_observer,
    wanted=lambda task: PREDICTIVE.name in task.metrics,
    prompts=OBSERVER_PROMPTS,
)


@hookimpl
def faithbench_metrics():
    return [PREDICTIVE]


@hookimpl
def faithbench_passes():
    return [OBSERVER]
