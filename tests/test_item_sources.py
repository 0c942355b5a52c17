"""Item sources: procedural families (verified), Hugging Face loaders offline, Turpin's release."""

import json
import re
from datetime import datetime, timedelta

import pytest
from conftest import ROOT, read_results, read_samples

from faithbench.api.errors import UserError
from faithbench.api.items import ItemConfig
from faithbench.items.hub import load_hf_fewshot, load_hf_items
from faithbench.items.procedural import FAMILIES, mixed

RELEASE = ROOT.parent / "shared" / "turpin2023"


def gold(item):
    return item.options[item.gold]


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_families_are_seeded_distinct_and_cue_targets_are_never_gold(family):
    a = FAMILIES[family](ItemConfig(limit=60, seed=3))
    assert a == FAMILIES[family](ItemConfig(limit=60, seed=3))
    assert a != FAMILIES[family](ItemConfig(limit=60, seed=4))
    for item in a:
        assert len(set(item.options)) == len(item.options) >= 2
        assert item.cue_target != item.gold and 0 <= item.cue_target < len(item.options)
    assert len({i.gold for i in a}) > 1  # options are permuted: gold is not always in one place


def test_gold_answers_are_correct():
    config = ItemConfig(limit=80, seed=1)
    for item in FAMILIES["arithmetic"](config):
        expr = re.search(r"value of (.*)\?", item.question).group(1)
        assert str(eval(expr)) == gold(item)
    for item in FAMILIES["boolean"](config):
        assert str(eval(item.question.split(": ", 1)[1])) == gold(item)
    for item in FAMILIES["dates"](config):
        days, word, start = re.search(r"date (\d+) days (after|before) (\S+) in", item.question).groups()
        delta = timedelta(days=int(days)) * (1 if word == "after" else -1)
        assert (datetime.strptime(start, "%m/%d/%Y") + delta).strftime("%m/%d/%Y") == gold(item)
    for item in FAMILIES["counting"](config):
        owned = dict((obj.rstrip("s"), int(n)) for n, obj in re.findall(r"(\d+) (\w+)", item.question))
        members = (
            {"apple", "banana", "grape", "carrot"}
            if "fruits" in item.question
            else {"drum", "violin", "piano"}
        )
        assert str(sum(n for obj, n in owned.items() if obj in members)) == gold(item)
    for item in FAMILIES["ordering"](config):
        pairs = re.findall(r"(\w+) is \w+er than (\w+)\.", item.question)
        beaten = {loser for _, loser in pairs}
        winners = {winner for winner, _ in pairs}
        top = (winners - beaten).pop()
        bottom = (beaten - winners).pop()
        assert gold(item) == (top if re.search(r"(tallest|oldest|fastest)\?", item.question) else bottom)


def test_mixed_interleaves_every_family():
    ids = [i.id.split("-")[0] for i in mixed(ItemConfig(limit=10))]
    assert ids[:5] == list(FAMILIES) and set(ids) == set(FAMILIES)


# -- Hugging Face datasets, offline, in the Hub's no-script layout --------------------------------
def hub_dataset(root, repo, configs: dict[str, dict[str, list[dict]]]):
    folder = root / repo
    lines = ["---", "configs:"]
    for config, splits in configs.items():
        lines += [f"- config_name: {config}", "  data_files:"]
        for split, rows in splits.items():
            path = folder / config / f"{split}.jsonl"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(json.dumps(r) + "\n" for r in rows))
            lines += [f"  - split: {split}", f"    path: {config}/{split}.jsonl"]
    (folder / "README.md").write_text("\n".join(lines + ["---", ""]))


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """The datasets below served by a local Hub (tests/hub_server.py) through HF_ENDPOINT, the
    Hub client's own setting: the item sources load them exactly as from huggingface.co."""
    import datasets
    import huggingface_hub.constants as constants
    from hub_server import FakeHub
    from huggingface_hub import HfApi

    root = tmp_path / "hub"
    server = FakeHub().__enter__()
    for name, value in (("HF_ENDPOINT", server.url), ("HF_HUB_DISABLE_TELEMETRY", "1"),
                        ("HF_HUB_DISABLE_XET", "1"), ("HF_TOKEN", "hf_test")):
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(constants, "ENDPOINT", server.url)
    monkeypatch.setattr(
        constants, "HUGGINGFACE_CO_URL_TEMPLATE", server.url + "/{repo_id}/resolve/{revision}/{filename}"
    )
    monkeypatch.setattr(datasets.config, "HF_ENDPOINT", server.url)
    for module in (datasets.config, constants):  # read once at import: another test may have set them
        for flag in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"):
            if hasattr(module, flag):
                monkeypatch.setattr(module, flag, False)
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    hub_dataset(
        root,
        "cais/mmlu",
        {
            "all": {
                "test": [
                    {
                        "question": f"What is {i} + {i}?",
                        "subject": "math",
                        "choices": [str(2 * i), "x", "y", "z"],
                        "answer": 0,
                    }
                    for i in range(8)
                ]
            }
        },
    )
    hub_dataset(
        root,
        "allenai/ai2_arc",
        {
            "ARC-Challenge": {
                "test": [
                    {
                        "id": "a1",
                        "question": "Which is a gas?",
                        "answerKey": "C",
                        "choices": {"text": ["rock", "water", "steam", "ice"], "label": ["A", "B", "C", "D"]},
                    },
                    {
                        "id": "a2",
                        "question": "Odd key?",
                        "answerKey": "Z",
                        "choices": {"text": ["p", "q"], "label": ["A", "B"]},
                    },
                ]
            }
        },
    )
    hub_dataset(
        root,
        "Idavidrein/gpqa",
        {
            "gpqa_main": {
                "train": [
                    {
                        "Question": "Hard physics?",
                        "Correct Answer": "right",
                        "Incorrect Answer 1": "w1",
                        "Incorrect Answer 2": "w2",
                        "Incorrect Answer 3": "w3",
                    }
                ]
            }
        },
    )
    hub_dataset(
        root,
        "lukaemon/bbh",
        {
            "date_understanding": {
                "test": [
                    {
                        "input": "Today is 1/1/2000. What is tomorrow?\nOptions:\n"
                        "(A) 01/02/2000\n(B) 12/31/1999",
                        "target": "(A)",
                    }
                ]
            },
            "navigate": {
                "test": [
                    {"input": "Take 1 step. Return?", "target": "No"},
                    {"input": "Take 0 steps. Return?", "target": "Yes"},
                ]
            },
        },
    )
    api = HfApi(endpoint=server.url, token="hf_test")
    for repo in ("cais/mmlu", "allenai/ai2_arc", "Idavidrein/gpqa", "lukaemon/bbh"):
        api.create_repo(repo, repo_type="dataset", exist_ok=True)
        api.upload_folder(folder_path=str(root / repo), repo_id=repo, repo_type="dataset")
    yield server
    server.__exit__(None, None, None)


def test_mmlu_arc_gpqa_bbh_load_through_datasets(hub):
    mmlu = load_hf_items("mmlu", ItemConfig(limit=5))
    assert len(mmlu) == 5 and all(gold(i) == str(2 * int(i.question.split()[2])) for i in mmlu)
    arc = load_hf_items("arc", ItemConfig())
    assert [(i.question, gold(i)) for i in arc] == [("Which is a gas?", "steam")]  # bad key skipped
    [gpqa] = load_hf_items("gpqa", ItemConfig())
    assert gold(gpqa) == "right" and len(gpqa.options) == 4
    bbh = load_hf_items("bbh:date_understanding", ItemConfig())
    assert gold(bbh[0]) == "01/02/2000" and bbh[0].question.startswith("Today is 1/1/2000")
    nav = load_hf_items("bbh:navigate", ItemConfig())
    assert all(i.options == ("No", "Yes") for i in nav)
    shots = load_hf_fewshot("mmlu", ItemConfig(limit=5), 3)
    assert len(shots) == 3 and not {s.id for s in shots} & {i.id for i in mmlu}  # 5 + 3 of 8 rows


def test_hf_items_in_a_run(run_fake, hub, tmp_path):
    out = tmp_path / "out"
    result = run_fake(out, "--items", "hf:mmlu", tasks="suggested_answer", limit=6)
    assert result.exit_code == 0, result.output
    assert read_results(out)["config"]["items"] == "hf:mmlu"
    assert read_samples(out)[0]["prompt"][0]["content"].startswith("What is")


def test_unknown_or_unavailable_sources_are_clear_errors(run_fake, hub, tmp_path):
    with pytest.raises(UserError, match="unknown Hugging Face item source"):
        load_hf_items("nope", ItemConfig())
    with pytest.raises(UserError, match="could not load lukaemon/bbh"):
        load_hf_items("bbh:not_a_task", ItemConfig())
    result = run_fake(tmp_path, "--items", "bogus:x", tasks="all")
    assert result.exit_code == 2 and "unknown item source" in result.output
    result = run_fake(tmp_path, "--items", "procedural:chess", tasks="all")
    assert result.exit_code == 2 and "unknown procedural family" in result.output


# -- Turpin et al. 2023 release ---------------------------------------------------------------------
@pytest.mark.skipif(not RELEASE.is_dir(), reason="../shared/turpin2023 not present")
def test_turpin_items_carry_the_released_cue_targets(run_fake, tmp_path):
    from faithbench.items.turpin import turpin_fewshot, turpin_items

    items = turpin_items(f"{RELEASE}:date_understanding", ItemConfig(limit=4))
    data = json.loads((RELEASE / "data/bbh/date_understanding/val_data.json").read_text())["data"]
    for item in items:
        row = data[int(item.id.rsplit("-", 1)[1])]
        assert item.cue_target == row["random_ans_idx"]
        assert row["parsed_inputs"].startswith(item.question)
        assert row["multiple_choice_targets"][item.gold] == row["targets"][0]
    shots = turpin_fewshot(f"{RELEASE}:date_understanding", ItemConfig(), 3)
    assert shots[0].options[shots[0].gold] == "11/22/2002" and "Thanksgiving" in shots[0].explanation
    out = tmp_path / "out"
    result = run_fake(
        out, "--items", f"turpin2023:{RELEASE}", tasks="suggested_answer,answer_always_a", limit=13
    )
    assert result.exit_code == 0, result.output
    tasks = {s["item_id"].split("-")[1] for s in read_samples(out)}
    assert len(tasks) == 13  # every BBH task of the paper is sampled


def test_a_damaged_turpin_release_is_a_clear_error(run_fake, tmp_path):
    task = tmp_path / "release" / "data" / "bbh" / "date_understanding"
    task.mkdir(parents=True)
    (task / "val_data.json").write_text('{"data": [')
    ref = f"turpin2023:{tmp_path / 'release'}:date_understanding"
    result = run_fake(tmp_path / "out", "--items", ref, tasks="suggested_answer", limit=2)
    assert result.exit_code == 2 and "val_data.json: not valid JSON" in result.output, result.output
