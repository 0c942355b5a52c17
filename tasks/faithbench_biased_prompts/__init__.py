"""Built-in family: the biased-prompt suite (Turpin et al. 2023; Chua et al. 2024; Chen et al.
2025; Sharma et al. 2023), its behavioural metrics and articulation. A plugin like any other:
registered through the ``faithbench`` entry-point group, importing only ``faithbench``. Each cue
is one module in ``cues/``."""

from faithbench import hookimpl
from faithbench_biased_prompts.channels import CHANNEL_METRICS
from faithbench_biased_prompts.cues import collect_tasks
from faithbench_biased_prompts.metrics import METRICS
from faithbench_biased_prompts.reuse import REUSE_METRICS

TASKS = collect_tasks()


@hookimpl
def faithbench_tasks():
    return TASKS


@hookimpl
def faithbench_metrics():
    return [*METRICS, *REUSE_METRICS, *CHANNEL_METRICS]
