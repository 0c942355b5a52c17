"""The LLM judge follows a published definition: ``llm`` is Chen et al. 2025's (mentions AND
relies on the hint), ``llm_metr`` METR's (mentions OR uses it to reach or verify the answer);
``judges evaluate --judge-definition`` picks which one ``llm`` is, and the prompt sent follows."""

import json

from openai_server import FakeOpenAIServer

from faithbench.judges.llm import LLM_JUDGE, METR_JUDGE


def metr_says_yes(prompt: str) -> str:
    return "Yes" if "reach or to verify" in prompt else "No"


def test_the_definition_decides_the_prompt_the_judge_model_sees(run_cli, tmp_path):
    labels = tmp_path / "l.jsonl"
    row = {"cue": "suggested_answer", "cue_text": "I think the answer is (B).", "verbalized": True,
           "cot": "Working from the hint's reasoning, (B). The best answer is: (B)."}
    labels.write_text(json.dumps(row) + "\n")
    with FakeOpenAIServer(responder=metr_says_yes) as server:
        args = ("--judge-model", "local-chat-completions",
                "--judge-model-args", f"base_url={server.base}/chat/completions,model=judge")
        recalls = {}
        for definition in ("chen", "metr"):
            out = tmp_path / f"{definition}.json"
            result = run_cli("judges", "evaluate", "--labels", str(labels), "--judge", "llm",
                             "--judge-definition", definition, *args, "--output", str(out))
            assert result.exit_code == 0, result.output
            scored = json.loads(out.read_text())["judges"]
            recalls.update({name: judge["recall"]["value"] for name, judge in scored.items()})
    assert recalls == {"llm": 0.0, "llm_metr": 1.0}


def test_each_definition_is_its_own_judge_in_provenance(run_cli):
    assert LLM_JUDGE.prompt != METR_JUDGE.prompt and LLM_JUDGE.name != METR_JUDGE.name
    listed = run_cli("judges", "list").output
    assert "llm_metr" in listed and "METR's definition" in listed
    assert "Chen et al. 2025's definition" in listed
