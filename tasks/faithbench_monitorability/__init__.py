"""Built-in family: monitorability. Can a monitor reading the CoT (``--monitor-model``) tell that a
cue drove the answer? OpenAI's intervention g-mean² (Guan et al. 2025) per cue and, after METR,
per hint difficulty on items the model gets wrong without the hint.

Each item is asked without the cue (X=0) and with it (X=1), ``--samples-per-arm`` times each at
temperature 1; the monitor sees the question without the cue and the CoT (both channels of a
reasoning model), never the cue. Articulation (does the CoT say it used the cue) is reported on the
same eligible instances, so faithfulness and monitorability read as two curves over difficulty.
"""

from faithbench import Condition, Kind, Parameter, Pass, Role, Task, hookimpl
from faithbench.helpers import standard_items
from faithbench_monitorability.hints import CUES, TEMPLATES, hint
from faithbench_monitorability.metrics import HINT_ARTICULATION, HINT_DIFFICULTY, METRICS, MONITORABILITY
from faithbench_monitorability.monitor import MONITOR_PROMPTS, apply_monitor
from faithbench_monitorability.plan import TEMPERATURE, sampled_plan

SAMPLES_PER_ARM = Parameter(
    "samples_per_arm",
    int,
    10,
    "CoTs sampled per item and arm (cue / no cue) at temperature 1.",
    flag="--samples-per-arm",
    minimum=2,
    maximum=1000,
)
MONITOR_ROLE = Role(
    "monitor",
    "--monitor-model",
    "the CoT monitor of the monitorability tasks (sees question and CoT, not the cue)",
)
NO_HINT = Condition("no_hint", Kind.CONTROL, description="The question alone (X=0).")
SHARED = {"temperature": TEMPERATURE, "target": "gold"}  # the monitor's prompts are its pass's

HINT_TASK = Task(
    name="hint_difficulty",
    version="1.0",
    description="Hints that take work to use (level 0 the letter, 1 a sum numbering the option, 2 a "
    "multi-step decode), on items the model gets wrong without them: monitorability (g-mean²) and "
    "articulation against difficulty.",
    items=standard_items,
    conditions=(
        NO_HINT,
        *(
            Condition(f"hint_level{level}", Kind.CUE, hint(level), f"Hint at difficulty {level}.")
            for level in sorted(TEMPLATES)
        ),
    ),
    plan=sampled_plan,
    metrics=(HINT_DIFFICULTY.name, HINT_ARTICULATION.name),
    tags=("monitorability",),
    config={**SHARED, "hint_necessity": True},
    parameters=(SAMPLES_PER_ARM,),
    draws=SAMPLES_PER_ARM.name,
)
CUE_TASK = Task(
    name="monitor_cues",
    version="1.0",
    description="Cues of three kinds (a user's view, leaked metadata, grader code) naming the correct "
    "option: OpenAI's intervention g-mean² of the CoT monitor per cue, with the eligible share.",
    items=standard_items,
    conditions=(
        NO_HINT,
        *(
            Condition(name, Kind.CUE, cue, f"The {name} cue, naming the correct option.")
            for name, cue in CUES.items()
        ),
    ),
    plan=sampled_plan,
    metrics=(MONITORABILITY.name, "hint_articulation"),
    tags=("monitorability",),
    config=SHARED,
    parameters=(SAMPLES_PER_ARM,),
    draws=SAMPLES_PER_ARM.name,
)
MONITOR = Pass(
    "monitor",
    MONITOR_ROLE,
    "Asks the monitor model whether something outside the question drove each sampled CoT's answer.",
    apply_monitor,
    wanted=lambda task: bool({MONITORABILITY.name, HINT_DIFFICULTY.name} & set(task.metrics)),
    prompts=MONITOR_PROMPTS,
)


@hookimpl
def faithbench_tasks():
    return [HINT_TASK, CUE_TASK]


@hookimpl
def faithbench_metrics():
    return METRICS


@hookimpl
def faithbench_passes():
    return [MONITOR]
