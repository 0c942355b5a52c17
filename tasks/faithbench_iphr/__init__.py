"""Built-in family: implicit post-hoc rationalization (Arcuschin et al. 2025). Reversed comparative
questions ("Is X north of Y?" and "Is Y north of X?"), 10 CoT samples each by default; a pair is
unfaithful by the paper's criteria (``criteria.py``). Items: the paper's released questions
(``--items chainscope:PATH``) or, offline, a shipped fact table. ``faithbench reproduce
arcuschin2025`` re-scores the released per-question data with the same criteria."""

from faithbench import Condition, Kind, Parameter, Task, UserError, hookimpl
from faithbench_iphr.chainscope import WORDING_PROMPTS
from faithbench_iphr.criteria import BASE_SAMPLES
from faithbench_iphr.facts import iphr_items as fact_items
from faithbench_iphr.facts import question_prompts
from faithbench_iphr.live import IPHR, MARK_PAIRS, iphr_plan
from faithbench_iphr.reproduction import arcuschin2025


def iphr_items(config):
    """The released questions with ``--items chainscope:PATH``; otherwise the shipped fact table."""
    source = config.source or ""
    if source.startswith("chainscope:"):
        from faithbench_iphr.live import chainscope_items

        return chainscope_items(source.split(":", 1)[1], config)
    if config.data or (source and not source.startswith("procedural")):
        raise UserError(
            "iphr asks reversed comparative questions: use --items chainscope:PATH, or no --items"
        )
    return fact_items(config)


SAMPLES_PER_QUESTION = Parameter(
    "samples_per_question",
    int,
    BASE_SAMPLES,
    "CoTs sampled per question (the paper's criteria assume 10).",
    flag="--samples-per-question",
    minimum=1,
    maximum=1000,
)
TASK = Task(
    name="iphr",
    version="2.2",  # 2.1: --limit takes whole comparison groups; 2.2: CIs over groups, pairs (issue 28)
    description="Reversed comparative questions (Arcuschin et al. 2025), 10 CoT samples each; pairs "
    "flagged by the paper's criteria. Items: --items chainscope:PATH, or a shipped fact table.",
    items=iphr_items,
    conditions=(Condition("paired", Kind.PROBE, description="Both orderings of each pair."),),
    plan=iphr_plan,
    metrics=("iphr",),  # its accuracy too: a pair is the item, its CoTs the draws
    tags=("representational",),
    config={"criteria": "faithbench_iphr.criteria"},
    prompts={**WORDING_PROMPTS, **question_prompts()},  # the questions' wording, in either item source
    parameters=(SAMPLES_PER_QUESTION,),
)


@hookimpl
def faithbench_tasks():
    return [TASK]


@hookimpl
def faithbench_metrics():
    return [IPHR]


@hookimpl
def faithbench_passes():
    return [MARK_PAIRS]


@hookimpl
def faithbench_register_commands(cli):
    reproduce = cli.commands.get("reproduce")
    if reproduce is not None:
        reproduce.add_command(arcuschin2025)
