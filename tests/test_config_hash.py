"""The config hash covers every prompt a task sends (its plan's, its own, its placements', and the
judges' and passes' that read its records), so a prompt change can never merge with old results;
and it is the same in every process."""

import dataclasses
import json
import os
import re
import subprocess
import sys
from types import MappingProxyType

import pytest
from conftest import ROOT, read_results

from faithbench import ItemConfig, Response, RunOptions, Sample, sends
from faithbench.helpers import COT_INSTRUCTION, cot_answer_plan
from faithbench.judges.llm import LLM_JUDGE, LLM_JUDGE_PROMPT
from faithbench.judges.rules import RULES_JUDGE
from faithbench.pipeline.hashing import side_prompts
from faithbench.plugins.manager import load_registry


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def _texts(task) -> set[str]:
    return {text for group in task.sent_prompts().values() for text in group.values()}


def test_the_iphr_wording_is_hashed_as_text(registry):
    from faithbench_iphr.chainscope import WORDING
    from faithbench_iphr.facts import numeric_facts

    task = registry.tasks["iphr"]
    assert {text for pair in WORDING.values() for text in pair} <= _texts(task)
    assert {spec["question"] for spec in numeric_facts().values()} <= _texts(task)
    assert COT_INSTRUCTION in _texts(task)  # its plan asks with the standard instruction
    edited = {**task.prompts, "chainscope.lat.gt": "Is {x} further north than {y}?"}
    assert dataclasses.replace(task, prompts=edited).config_hash() != task.config_hash()


def test_the_cot_instruction_is_in_every_standard_task(registry):
    for task in registry.tasks.values():
        if task.plan is cot_answer_plan:
            assert COT_INSTRUCTION in _texts(task), task.name
    task = registry.tasks["suggested_answer"]
    edited = {**cot_answer_plan.prompts, "cot_instruction": "Think aloud, then answer."}
    other = sends(edited)(cot_answer_plan.plan)
    assert dataclasses.replace(task, plan=other).config_hash() != task.config_hash()
    assert dataclasses.replace(task).config_hash() == task.config_hash()


def test_an_intervention_prompt_changes_the_hash(registry):
    from faithbench_interventions.plan import MISTAKE_PROMPT, PARAPHRASE_PROMPT

    task = registry.tasks["cot_interventions"]
    assert {MISTAKE_PROMPT, PARAPHRASE_PROMPT, COT_INSTRUCTION} <= _texts(task)
    edited = {**task.plan.prompts, "paraphrasing": "Reword this:\n\n{text}"}
    changed = dataclasses.replace(task, plan=sends(edited)(task.plan.plan))
    assert changed.config_hash() != task.config_hash()


def test_introspection_and_self_report_prompts_are_hashed(registry):
    from faithbench_introspection.objects import HYPOTHETICAL, OBJECT_PROMPTS
    from faithbench_introspection.self_report import SELF_REPORT_QUESTION

    assert {HYPOTHETICAL, *OBJECT_PROMPTS.values()} <= _texts(registry.tasks["introspection"])
    assert SELF_REPORT_QUESTION in _texts(registry.tasks["cue_self_report"])


def test_the_llm_judge_prompt_is_in_the_judged_tasks_hash(registry):
    judged, probe = registry.tasks["suggested_answer"], registry.tasks["iphr"]
    assert side_prompts(judged, [RULES_JUDGE, LLM_JUDGE], []) == {"judge:llm": {"prompt": LLM_JUDGE_PROMPT}}
    assert side_prompts(probe, [LLM_JUDGE], []) == {}  # no cued CoT to judge
    edited = dataclasses.replace(LLM_JUDGE, prompt=LLM_JUDGE_PROMPT.replace("Yes or No", "yes/no"))

    def hashed(task, judge):
        return task.config_hash(side=side_prompts(task, [judge], []))

    assert hashed(judged, edited) != hashed(judged, LLM_JUDGE)
    assert hashed(probe, edited) == hashed(probe, LLM_JUDGE) == probe.config_hash()
    assert hashed(judged, RULES_JUDGE) == judged.config_hash()  # a judge that asks no model adds nothing


def test_the_monitor_and_observer_prompts_are_in_the_tasks_they_read(registry):
    from faithbench_monitorability import MONITOR
    from faithbench_monitorability.monitor import MONITOR_PROMPT
    from faithbench_predictive import OBSERVER
    from faithbench_predictive.observer import CF

    monitored, other = registry.tasks["monitor_cues"], registry.tasks["suggested_answer"]
    assert side_prompts(monitored, [], [MONITOR])["pass:monitor"]["monitor"] == MONITOR_PROMPT
    assert side_prompts(other, [], [MONITOR]) == {}  # the monitor does not read it
    assert side_prompts(other, [], [OBSERVER])["pass:observer"]["cf"] == CF
    edited = dataclasses.replace(MONITOR, prompts={**MONITOR.prompts, "monitor": "Is it hinted?"})
    before = monitored.config_hash(side=side_prompts(monitored, [], [MONITOR]))
    assert monitored.config_hash(side=side_prompts(monitored, [], [edited])) != before


def test_a_yaml_tasks_template_and_plan_are_hashed(tmp_path):
    from faithbench.plugins.yaml_tasks import load_yaml_task

    def task_with(cue: str):
        path = tmp_path / "t.yaml"
        path.write_text(
            "name: t\nversion: '1.0'\ndescription: A cue.\nitems: procedural:arithmetic\n"
            "conditions:\n  - {name: none, kind: control}\n"
            f"  - {{name: cue, kind: cue, text: '{cue}'}}\nmetrics: [accuracy]\n"
        )
        return load_yaml_task(path)

    task = task_with("A friend says {X}.")
    assert COT_INSTRUCTION in _texts(task)
    assert task_with("A friend says {X}.").config_hash() == task.config_hash()
    assert task_with("A teacher says {X}.").config_hash() != task.config_hash()


def test_a_placements_own_text_is_hashed(registry):
    from faithbench_biased_prompts.cues.post_hoc import ASK_LETTER

    assert ASK_LETTER in _texts(registry.tasks["post_hoc"])


# -- completeness: nothing a plan sends is left out of its hash ------------------------------------
CANNED = "First I add the numbers. Then I check the sum. The best answer is: (A)."
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _sent(sample) -> list[str]:
    """Every text the sample's plan sends (message contents and prefills), answered by CANNED."""
    gen, texts, replies = sample.task.plan(sample), [], None
    try:
        while True:
            requests = next(gen) if replies is None else gen.send(replies)
            for request in requests:
                texts += [m.content for m in request.prompt.messages] + [request.prompt.prefill]
            replies = [Response(text=CANNED, logprob=-1.0) for _ in requests]
    except StopIteration:
        return texts


def _residue(text: str, known: list[str]) -> list[str]:
    """The words of ``text`` left when every known piece (longest first) is taken out."""
    for piece in sorted({k for k in known if k.strip()}, key=len, reverse=True):
        text = text.replace(piece, "\n")
    return re.findall(r"[A-Za-z]{4,}", text)


def test_every_fixed_text_a_plan_sends_is_declared(registry):
    """Drive every built-in task's plan on two items under each condition; what remains of a sent
    text after removing the item (question, options, exemplars), the rendered cue, the model's own
    words and the literal parts of every declared prompt must be no word at all."""
    checked = 0
    for task in registry.tasks.values():
        if task.plugin.startswith("tests"):
            continue
        config = ItemConfig(limit=2, seed=0)
        items = task.items(config)[:2]
        shots = tuple(task.fewshot(config, task.min_fewshot or 1)) if task.fewshot else ()
        declared = [p for text in _texts(task) for p in _PLACEHOLDER.split(text)]
        for item in items:
            for cond in task.conditions:
                sample = Sample(task, item, cond, RunOptions(), shots, 1, params={"samples_per_question": 1})
                data = [item.question, *item.options, cond.rendered_cue(item), CANNED, *CANNED.split(". ")]
                data += [t for shot in shots for t in (shot.question, *shot.options, shot.explanation)]
                for text in _sent(sample):
                    assert not _residue(text, [*data, *declared]), (task.name, cond.name, text)
                checked += 1
    assert checked > 50


# -- end to end: results.json and merge --------------------------------------------------------------
def test_shards_with_different_prompts_are_not_merged(run_fake, run_cli, tmp_path, monkeypatch):
    assert run_fake(tmp_path / "a", "--item-range", "0:3").exit_code == 0
    assert run_fake(tmp_path / "b", "--item-range", "3:6").exit_code == 0
    edited = MappingProxyType({**cot_answer_plan.prompts, "cot_instruction": "Think aloud, then answer."})
    monkeypatch.setattr(cot_answer_plan, "prompts", edited)
    assert run_fake(tmp_path / "c", "--item-range", "3:6").exit_code == 0
    hashes = [read_results(tmp_path / s)["tasks"]["suggested_answer"]["config_hash"] for s in "abc"]
    assert hashes[0] == hashes[1] != hashes[2]
    merged = run_cli("merge", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(tmp_path / "m"))
    assert merged.exit_code == 0, merged.output
    refused = run_cli("merge", str(tmp_path / "a"), str(tmp_path / "c"), "--out", str(tmp_path / "x"))
    assert refused.exit_code == 2 and "config hash" in refused.output


def test_results_record_the_hash_with_the_judges_prompts(run_fake, tmp_path, registry):
    """What results.json records is the task's hash with the selected judges' and passes' prompts,
    and the identity of the model an LLM judge asked."""
    from faithbench.models.client import load_model

    flags = ("--judge", "rules,llm", "--judge-model", "fake")
    assert run_fake(tmp_path / "llm", *flags, limit=2).exit_code == 0
    assert run_fake(tmp_path / "rules", limit=2).exit_code == 0
    task, passes = registry.tasks["suggested_answer"], list(registry.passes.values())
    asked = {"fake": load_model("fake", {}).identity}
    expected = task.config_hash(side=side_prompts(task, [RULES_JUDGE, LLM_JUDGE], passes, asked))
    recorded = [
        read_results(tmp_path / s)["tasks"]["suggested_answer"]["config_hash"]
        for s in ("llm", "rules")
    ]
    assert recorded[0] == expected != recorded[1]


_HASHES = """
import json, dataclasses
from faithbench.plugins.manager import load_registry
from faithbench.pipeline.hashing import side_prompts
reg = load_registry()
judges, passes = list(reg.judges.values()), list(reg.passes.values())
out = {n: t.config_hash(side=side_prompts(t, judges, passes)) for n, t in sorted(reg.tasks.items())}
odd = dataclasses.replace(reg.tasks["iphr"], config={"fn": len, "obj": object(), "f": lambda: 0})
out["with objects"] = odd.config_hash()
print(json.dumps(out))
"""


def test_the_hash_is_the_same_in_every_process():
    def hashes(seed: str) -> dict:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _HASHES], capture_output=True, text=True, env=env, cwd=ROOT, check=True
        )
        return json.loads(done.stdout)

    first, second = hashes("1"), hashes("2")
    assert first == second and len(first) > 10
