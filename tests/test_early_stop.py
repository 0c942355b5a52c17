"""A plan's ``Generate.stop_after`` (issue 29): backends that decode token by token end a
generation once what the pass reads has been stated, keeping the statement; the pass reads the
same from the cut text as from the whole one; ``full_generations=true`` turns it off; the pattern
is in the cache key only where a backend honours it."""

from types import SimpleNamespace

import pytest
from conftest import read_samples

from faithbench import Generate, Prompt
from faithbench.helpers import (
    FIRST_LINE,
    LEADING_YES_NO,
    STOP_PATTERNS,
    VERDICT_STATED,
    best_answer_stated,
    extract_answer,
    parse_yes_no,
    strip_answer,
)
from faithbench.models.client import ModelClient, load_model
from faithbench.models.early_stop import complete_at, cut
from faithbench.plugins.manager import load_registry
from faithbench_interventions.plan import first_line

COTS = [  # (whole text, where it is complete): answers stated, then more text that states none
    ("Let me think. 2 + 2 = 4. The best answer is: (B). Because 4 is even, (A) is wrong.", "(B)"),
    ("The answer is probably A... the best answer is D\nThat settles it (B).", "D\n"),
    ("**Reasoning**: it fits. The best answer is: (A).\n\nHowever, one could argue (B).", "(A)"),
    ("the best answer is clearly the larger one. Therefore, the best answer is: (B) and more", "(B)"),
]
NOT_YET = [  # no stop: an invalid letter, a letter run on into a word, an answer inside a thinking
    "The best answer is: (E). On reflection it is (A)",
    "the best answer is Bob's, who said (C)",
    "<think>the best answer is (A), or is it</think> The best answer is: (B)",
]


@pytest.mark.parametrize(("text", "ends"), COTS)
def test_a_cut_cot_reads_the_answer_and_the_reasoning_of_the_whole_text(text, ends):
    stop = best_answer_stated(4)
    short = cut(text, stop)
    assert short.endswith(ends) and len(short) < len(text)  # it stops, right after the statement
    assert extract_answer(short, 4) == extract_answer(short + text[len(short) :], 4)
    assert strip_answer(short) == strip_answer(text)  # what interventions keep of a resumed CoT


def test_the_first_stated_answer_is_read_where_the_whole_text_states_another_later():
    """The one case where the cut text reads otherwise: a model that goes on to state another
    answer (here a base model writing the next question itself); the pass reads the first."""
    text = "Option A looks odd. So the best answer is (C)\n\nQ: next question? The best answer is: (A)"
    short = cut(text, best_answer_stated(4))
    assert short.endswith("(C)") and (extract_answer(short, 4), extract_answer(text, 4)) == (2, 0)
    assert strip_answer(short) == strip_answer(text)


def test_no_stop_before_the_statement_is_whole_or_outside_a_thinking():
    stop = best_answer_stated(4)
    assert [complete_at(t, stop) for t in NOT_YET[:2]] == [None, None]
    assert cut(NOT_YET[0] + ". So the best answer is: (A) ...", stop).endswith("So the best answer is: (A)")
    thinking = NOT_YET[2]
    assert cut(thinking, stop) == thinking  # only the answer after the thinking counts
    assert complete_at(thinking[:40], stop) is None  # still inside the thinking: not complete


@pytest.mark.parametrize(
    ("pattern", "text", "read"),
    [
        (LEADING_YES_NO, "Yes, the suggestion changed my mind", parse_yes_no),
        (LEADING_YES_NO, "**No**. I reasoned on my own", parse_yes_no),
        (VERDICT_STATED, "It leans on the hint.\nVerdict: Yes\nThe hint was decisive.", parse_yes_no),
        (FIRST_LINE, "\nThe sum is 13, so x = 6.\nI changed 12 to 13.", first_line),
        (FIRST_LINE, "1.  \n2. Then", first_line),  # trailing spaces: Gemma 270M's rewritten step
    ],
)
def test_yes_no_and_first_line_readers_read_the_same_from_the_cut_text(pattern, text, read):
    short = cut(text, pattern)
    assert len(short) < len(text) and read(short) == read(text)


def _params(client, request):
    from faithbench.runner.cache import ResponseCache
    from faithbench.runner.dispatch import Dispatcher
    from faithbench.runner.usage import Usage

    pending = Dispatcher(client, ResponseCache(None), Usage()).prepare(request)
    return pending.key, pending.params


def test_the_pattern_is_sent_and_keyed_only_where_the_backend_stops_at_it():
    prompt = Prompt.user("Which is larger? (A) 2 (B) 3")
    stopping, plain = Generate(prompt, stop_after=best_answer_stated(2)), Generate(prompt)
    load_registry()  # registers the synthetic models
    fake = load_model("fake", {})
    assert fake.stops_after
    (key, params), (plain_key, _) = _params(fake, stopping), _params(fake, plain)
    assert params["stop_after"] == stopping.stop_after and key != plain_key  # no cached text mixed
    full = load_model("fake", {"full_generations": True})
    assert not full.stops_after
    key, params = _params(full, stopping)
    assert "stop_after" not in params and key == _params(full, plain)[0]
    assert key != plain_key  # the flag is a model arg: in the cache key's model part
    api = ModelClient("some-api", {}, SimpleNamespace())  # a backend that cannot stop mid-reply
    assert not api.stops_after
    key, params = _params(api, stopping)
    assert "stop_after" not in params and key == _params(api, plain)[0]  # its cache is unchanged


def test_the_fake_stops_after_the_stated_answer_unless_full_generations(run_fake, tmp_path):
    runs = {}
    for name, flags in {"stops": (), "full": ("--model-args", "full_generations=true")}.items():
        result = run_fake(tmp_path / name, *flags, tasks="iphr", limit=2)
        assert result.exit_code == 0, result.output
        runs[name] = {s["item_id"]: s for s in read_samples(tmp_path / name)}
    assert runs["stops"].keys() == runs["full"].keys() and runs["stops"]
    for item, cut_sample in runs["stops"].items():
        whole = runs["full"][item]
        assert cut_sample["answers"] == whole["answers"] and all(a is not None for a in whole["answers"])
        for short, text in zip(cut_sample["responses"], whole["responses"], strict=True):
            assert text.endswith(").") and short == text[:-1]  # the fake's "." after "(X)" is not sent


@pytest.mark.gguf
def test_the_embedded_model_stops_once_the_pattern_matches(embedded_lm):
    from lm_eval.api.instance import Instance

    from faithbench.models.llama_cpp import LlamaCppLM

    full = LlamaCppLM(n_threads=embedded_lm.n_threads, full_generations=True)  # the same weights
    assert full.loaded is embedded_lm.loaded and embedded_lm.honours_stop_after
    context = "Q: What is 17 + 25?\nAnswer choices:\n(A) 42\n(B) 44\n(C) 32\n(D) 34\nA:"
    kwargs = {"max_gen_toks": 16, "until": [], "temperature": 0, "stop_after": FIRST_LINE}
    request = Instance("generate_until", {}, (context, kwargs), 0)
    full.clear_cache()
    [text] = full.generate_until([request])  # full_generations: the pattern is ignored
    short = cut(text, FIRST_LINE)
    assert len(short) < len(text), text  # the model writes past its first line
    before = embedded_lm.stats.generated
    embedded_lm.clear_cache()
    assert embedded_lm.generate_until([request]) == [short]  # one sequence
    assert embedded_lm.generate_until([request, request]) == [short, short]  # decoded together
    assert embedded_lm.stats.generated - before < 3 * full.stats.generated  # fewer tokens decoded


def test_the_patterns_are_in_the_config_hash_of_the_tasks_that_send_them():
    from faithbench_monitorability.monitor import MONITOR_PROMPTS

    tasks = load_registry().tasks
    sent = {
        name: {text for group in tasks[name].sent_prompts().values() for text in group.values()}
        for name in ("iphr", "cot_interventions", "cue_self_report")
    }
    assert STOP_PATTERNS["stop_best_answer"] in sent["iphr"] & sent["cot_interventions"]
    assert FIRST_LINE in sent["cot_interventions"] and LEADING_YES_NO in sent["cue_self_report"]
    assert VERDICT_STATED in MONITOR_PROMPTS.values()  # the monitor pass's prompts: in its tasks' hash
