"""Stage: judges. Every selected verbalization judge, run by name over every cued CoT."""

from faithbench.api.hookspecs import hookimpl
from faithbench.judges.llm import LLM_JUDGE, METR_JUDGE
from faithbench.judges.rules import RULES_JUDGE


@hookimpl
def faithbench_judges():
    return [RULES_JUDGE, LLM_JUDGE, METR_JUDGE]
