"""``faithbench run``'s own options, defined once: the command reads them, and
``faithbench.evaluate`` takes the same names and defaults from the command."""

from __future__ import annotations

import os

import click

from faithbench.cli.options import RETRY_OPTIONS, include_path_option, show_option, side_model_options

DEFAULT_OUTPUT = "faithbench-results"


MAX_ITEMS = 1_000_000  # per task: beyond this a typo, not a benchmark (items are built in memory)
MAX_FEWSHOT = 1_000  # per prompt, beyond any context window; time grows linearly (30,000: 37 s a task)


def _count(flag: str, help_text: str, default: int | None = None, minimum: int = 1, maximum=None):
    """A whole-number option with bounds (its default shown when it has one)."""
    bounds = click.IntRange(min=minimum, max=maximum)
    return click.option(flag, type=bounds, default=default, show_default=default is not None, help=help_text)


def run_options(f):
    """Every option of the run command, in the order its help lists them."""
    for option in reversed(
        [
            click.option(
                "--model",
                "model_name",
                default=None,
                help="lm-eval model name (default: llama-cpp, the embedded Gemma 3 270M).",
            ),
            click.option(
                "--model-args", default="", help="Comma-separated k=v passed to the model, as in lm-eval."
            ),
            click.option(
                "--tasks",
                default="all",
                show_default=True,
                help="'all', a comma list, or glob patterns (e.g. 'suggested_*').",
            ),
            _count("--limit", "Items per task.", maximum=MAX_ITEMS),
            click.option(
                "--seed",
                type=click.IntRange(min=0, max=2**63 - 1),
                default=0,
                show_default=True,
                help="Seeds items, cue targets, bootstrap.",
            ),
            click.option(
                "--output-path",
                type=click.Path(file_okay=False),
                default=DEFAULT_OUTPUT,
                show_default=True,
                help="Results go to OUTPUT_PATH/<model>/.",
            ),
            click.option(
                "--log-samples/--no-log-samples",
                default=True,
                show_default=True,
                help="Write samples.jsonl with every prompt, response and extracted answer.",
            ),
            _count("--num-fewshot", "Solved exemplars prepended to every question.", 0, 0, MAX_FEWSHOT),
            click.option("--gen-kwargs", default="", help="k=v pairs applied to every generation request."),
            _count("--max-gen-toks", "Generation budget per CoT (default 512).", maximum=1_000_000),
            click.option(
                "--apply-chat-template", is_flag=True, help="Render prompts with the model's chat template."
            ),
            click.option(
                "--think-tags",
                default=None,
                metavar="OPEN,CLOSE",
                help="How the model marks its thinking inline (default <think>,</think>).",
            ),
            click.option(
                "--reasoning-effort",
                type=click.Choice(["minimal", "low", "medium", "high"]),
                default=None,
                help="Sent as reasoning_effort (OpenAI reasoning models, vLLM, OpenRouter).",
            ),
            click.option(
                "--thinking-budget",
                type=click.IntRange(min=1024),
                default=None,
                help="Extended thinking with this token budget (Anthropic); --max-gen-toks must exceed it.",
            ),
            _count("--batch-size", "Requests per model call.", 8),
            click.option(
                "-T",
                "--task-arg",
                "task_arg",
                multiple=True,
                metavar="NAME=VALUE",
                help="A parameter a task declares (its flags are listed below): NAME for every "
                "selected task declaring it, TASK.NAME for one (repeatable).",
            ),
            click.option(
                "--visibility",
                default=None,
                metavar="all|none,private,watched",
                help="Cross the biased-prompt tasks with scratchpad-visibility framings: none (today's "
                "prompt), private (reasoning hidden), watched (a reviewer reads it); see README.",
            ),
            _count(
                "--observer-samples",
                "Answers sampled per prompt from an observer with neither log-likelihoods nor top log-probs.",
                10,
                2,
                1000,
            ),
            click.option(
                "--item-range",
                default=None,
                metavar="START:END",
                help="Run items [START, END) only: a shard of a larger run (see faithbench merge).",
            ),
            _count(
                "--max-concurrency",
                "Model calls in flight at once (API backends; in-process models run one at a time).",
                1,
            ),
            _count(
                "--max-requests",
                "Request budget for this run (retries count); the rest is marked failed, resumable.",
                minimum=0,
            ),
            *RETRY_OPTIONS,
            click.option(
                "--data",
                type=click.Path(dir_okay=False),
                default=None,
                help="A JSONL file of items (question, options, gold) for tasks that accept one.",
            ),
            click.option(
                "--items",
                "item_source",
                default=None,
                help="Item source: procedural (default), procedural:FAMILY, jsonl:PATH, hf:bbh[:TASK], "
                "hf:mmlu[:SUBJECT], hf:arc, hf:gpqa, turpin2023:PATH[:TASK].",
            ),
            click.option(
                "--judge",
                default="rules",
                show_default=True,
                help="Verbalization judge(s) by name, comma-separated (rules, llm, a plugin's; 'both' is "
                "rules,llm); the first is primary and, with two, their agreement is reported.",
            ),
            click.option(
                "--judge-definition",
                type=click.Choice(["chen", "metr"]),
                default=None,
                help="Which published definition the llm judge applies: chen (mentions AND relies on "
                "the hint, the default) or metr (mentions it OR uses it to reach or verify the answer, "
                "the llm_metr judge).",
            ),
            click.option(
                "--judge-model",
                "judge_model",
                multiple=True,
                help="lm-eval model name for the LLM judge; repeat for a panel (majority verdict).",
            ),
            click.option(
                "--judge-model-args",
                "judge_model_args",
                multiple=True,
                help="k=v args for the judge model: once for all, or once per --judge-model, in order.",
            ),
            click.option(
                "--judge-labels",
                type=click.Path(dir_okay=False),
                default=None,
                help="Labeled CoTs: also articulation corrected for the judge's measured error.",
            ),
            side_model_options(
                "observer",
                "observer S for predictive faithfulness, the same for every model compared ('none' skips)",
                default=lambda: os.environ.get("FAITHBENCH_OBSERVER") or None,  # set but empty: unset
                show_default="the evaluated model if it scores log-likelihoods, else none",
            ),
            click.option(
                "--role-model",
                multiple=True,
                metavar="ROLE=NAME",
                help="The side model of a role a family's pass declares (monitor, cross, a plugin's); "
                "families may also offer a flag of their own, listed below (repeatable).",
            ),
            click.option(
                "--role-args",
                multiple=True,
                metavar="ROLE=k=v,...",
                help="k=v args for a role's side model (repeatable).",
            ),
            click.option(
                "--cache-path",
                type=click.Path(dir_okay=False),
                default=None,
                help="Response cache (default OUTPUT_PATH/<model>/cache.sqlite). Reruns resume from it.",
            ),
            click.option("--no-cache", is_flag=True, help="Do not read or write the response cache."),
            click.option(
                "--price-per-mtok",
                default=None,
                metavar="IN[,OUT]",
                help="USD per million prompt[,completion] tokens of the evaluated model: the run's cost "
                "is reported from the token usage the API returns.",
            ),
            click.option(
                "--overwrite",
                is_flag=True,
                help="Replace results in OUTPUT_PATH/<model>/ made by a run with other settings.",
            ),
            include_path_option,
            click.option(
                "--progress/--no-progress", default=None, help="tqdm progress bars (default: on a TTY)."
            ),
            show_option,
            click.option(
                "--batch-api",
                is_flag=True,
                help="Send the evaluated model's requests through the provider's batch API (OpenAI-"
                "compatible or Anthropic backends): half price, answers within hours; see README.",
            ),
            click.option(
                "--no-wait", is_flag=True, help="With --batch-api: stop once a stage's batches are submitted."
            ),
            click.option(
                "--batch-poll",
                type=click.FloatRange(min=0, max=600),
                default=30.0,
                show_default=True,
                help="With --batch-api: seconds before the first poll of a batch (doubling, 600 s cap).",
            ),
            click.option(
                "--dry-run",
                is_flag=True,
                help="Count the requests each task would send next (after deduplication and cache hits) "
                "and bound those of the whole run, with estimated tokens and, with --price-per-mtok, "
                "cost; send and write nothing.",
            ),
        ]
    ):
        f = option(f)
    return f
