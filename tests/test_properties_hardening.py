"""Property-based (issue 30): any API reply shape is an answer or a malformed reply (never a
traceback, never a non-text answer, never a token count that overflows a price); any batch result
file answers only what it can; any set of item-range shards merges exactly when they are disjoint."""

import json
import math
import os

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faithbench.api.errors import MalformedResponse
from faithbench.cli import cli

EXAMPLES = int(os.environ.get("FAITHBENCH_PROPERTY_EXAMPLES", "25"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
counts = st.one_of(json_leaf, st.integers(min_value=0, max_value=10**400))
usage = st.fixed_dictionaries(
    {},
    optional={
        "prompt_tokens": counts,
        "completion_tokens": counts,
        "input_tokens": counts,
        "output_tokens": counts,
        "completion_tokens_details": st.one_of(
            json_value, st.fixed_dictionaries({"reasoning_tokens": counts})
        ),
    },
)
content = st.one_of(
    json_value,
    st.lists(st.fixed_dictionaries({"type": st.just("text"), "text": st.text(max_size=20)}), max_size=3),
)


words = st.one_of(st.text(max_size=12), json_value)
detail = st.one_of(
    st.fixed_dictionaries({"type": st.just("reasoning.text"), "text": words},
                          optional={"signature": json_value, "format": json_value, "index": json_value}),
    st.fixed_dictionaries({"type": st.just("reasoning.summary"), "summary": words}),
    st.fixed_dictionaries({"type": st.just("reasoning.encrypted"), "data": json_value}),
    st.fixed_dictionaries({"type": json_value}, optional={"text": json_value, "summary": json_value}),
    json_value,
)  # fmt: skip
reasoning_details = st.one_of(st.lists(detail, max_size=4), json_value)  # OpenRouter's structured reasoning


@st.composite
def openai_replies(draw):
    """An OpenAI-style chat reply whose every field may be of the wrong type."""
    message = draw(
        st.fixed_dictionaries(
            {"content": content},
            optional={"reasoning_content": json_value, "reasoning": json_value,
                      "reasoning_details": reasoning_details},
        )
    )  # fmt: skip
    whole = st.fixed_dictionaries({"index": st.just(0), "message": st.just(message)})
    choice = draw(st.one_of(whole, json_value))
    reply = {
        "choices": draw(st.one_of(st.just([choice]), json_value)),
        "usage": draw(st.one_of(usage, json_value)),
    }
    return draw(st.one_of(st.just(reply), json_value))


@st.composite
def anthropic_replies(draw):
    block = st.one_of(
        st.fixed_dictionaries({"type": st.just("text"), "text": json_value}),
        st.fixed_dictionaries({"type": st.just("thinking"), "thinking": json_value}),
        st.fixed_dictionaries({"type": st.just("redacted_thinking"), "data": json_value}),
        json_value,
    )
    reply = {"content": draw(st.one_of(st.lists(block, max_size=3), json_value)), "usage": draw(usage)}
    return draw(st.one_of(st.just(reply), json_value))


@pytest.fixture(scope="module")
def backends():
    from faithbench.models.backends import AnthropicChat, LocalChat

    url = "http://127.0.0.1:9/v1"
    return {
        "openai": LocalChat(base_url=url + "/chat/completions", model="m"),
        "anthropic": AnthropicChat(base_url=url + "/messages", model="m", max_tokens=16),
    }


def _answers_or_malformed(lm, reply):
    from faithbench.runner.usage import cost_of

    try:
        answers = lm.parse_generations(outputs=reply)
    except MalformedResponse:
        return
    for answer in answers:
        assert type(str(answer)) is str and isinstance(answer, str)
        tokens = answer.reply.usage if answer.reply else {}
        assert all(isinstance(n, int) and 0 <= n <= 10**12 for n in tokens.values()), tokens
        assert math.isfinite(cost_of(tokens, (1e6, 1e6)))


@SETTINGS
@given(reply=openai_replies())
def test_any_openai_reply_is_an_answer_or_malformed(backends, reply):
    _answers_or_malformed(backends["openai"], reply)


@SETTINGS
@given(details=reasoning_details)
def test_any_reasoning_details_are_the_thinking_or_redacted_never_both(backends, details):
    """Thinking text is read from reasoning.text and reasoning.summary entries, in order; only
    encrypted entries (no text to read) mark it redacted; never an empty thinking."""
    reply = {"choices": [{"index": 0, "message": {"content": "(B)", "reasoning_details": details}}]}
    (answer,) = backends["openai"].parse_generations(outputs=reply)
    entries = [d for d in details if isinstance(d, dict)] if isinstance(details, list) else []
    fields = {"reasoning.text": "text", "reasoning.summary": "summary"}
    kinds = [d.get("type") if isinstance(d.get("type"), str) else None for d in entries]
    texts = [d.get(fields[k]) for d, k in zip(entries, kinds, strict=True) if k in fields]
    texts = [t for t in texts if isinstance(t, str) and t.strip()]
    assert answer.reply.reasoning == ("\n".join(texts) if texts else None)
    encrypted = any(d.get("type") == "reasoning.encrypted" for d in entries)
    assert answer.reply.redacted is (encrypted and not texts)


@SETTINGS
@given(reply=anthropic_replies())
def test_any_anthropic_reply_is_an_answer_or_malformed(backends, reply):
    _answers_or_malformed(backends["anthropic"], reply)


# -- batch result files ---------------------------------------------------------------------------
result_line = st.one_of(
    json_value.map(json.dumps),
    st.text(max_size=30),
    st.fixed_dictionaries(
        {"custom_id": st.one_of(st.text(max_size=5), json_value)},
        optional={
            "response": st.one_of(
                json_value,
                st.fixed_dictionaries(
                    {
                        "status_code": st.one_of(st.just(200), st.integers(100, 599), json_value),
                        "body": json_value,
                    }
                ),
            ),
            "error": json_value,
        },
    ).map(json.dumps),
)


@SETTINGS
@given(lines=st.lists(result_line, max_size=8))
def test_any_batch_result_file_answers_only_what_it_can(lines):
    from faithbench.runner.batches.providers import Outcome, read_result_lines

    out = Outcome()
    read_result_lines("\n".join(lines), out)
    assert all(isinstance(k, str) and isinstance(v, dict) for k, v in out.replies.items())
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in out.failed.items())


# -- merge inputs -------------------------------------------------------------------------------
RANGES = ("0:2", "2:4", "1:3", "4:6", "0:4")


@pytest.fixture(scope="module")
def range_shards(tmp_path_factory):
    os.environ["FAITHBENCH_OBSERVER"] = "none"  # as conftest sets it per test
    root = tmp_path_factory.mktemp("shards")
    for part in RANGES:
        out = root / part.replace(":", "-")
        args = ["run", "--model", "fake", "--tasks", "suggested_answer", "--item-range", part]
        result = CliRunner().invoke(cli, [*args, "--output-path", str(out)])
        assert result.exit_code == 0, result.output
    return root


@SETTINGS
@given(chosen=st.lists(st.sampled_from(RANGES), min_size=1, max_size=4))
def test_shards_merge_exactly_when_disjoint(range_shards, chosen, tmp_path_factory):
    items = [set(range(*map(int, r.split(":")))) for r in chosen]
    disjoint = sum(map(len, items)) == len(set().union(*items))
    out = tmp_path_factory.mktemp("merged")
    paths = [str(range_shards / r.replace(":", "-") / "fake") for r in chosen]
    result = CliRunner().invoke(cli, ["merge", *paths, "--out", str(out)])
    assert "Traceback" not in result.output
    if not disjoint:
        assert result.exit_code == 2 and "Error:" in result.output, result.output
        assert not (out / "results.json").exists()
        return
    assert result.exit_code == 0, result.output
    merged = json.loads((out / "results.json").read_text())
    assert merged["tasks"]["suggested_answer"]["n_items"] == len(set().union(*items))
    lines = (out / "samples.jsonl").read_text().splitlines()
    keys = [(r["item_id"], r["condition"]) for r in map(json.loads, lines)]
    assert len(keys) == len(set(keys))


# -- release files of both reproductions ---------------------------------------------------------
@SETTINGS
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["config", "outputs", "config/task", "config/bias_type", "config/few_shot",
                             "outputs/0", "outputs/1/gen", "outputs/1/y_true", "outputs/1/random_ans_idx"]),
            json_value,
        ),
        max_size=3,
    )
)  # fmt: skip
def test_any_turpin_release_file_gives_a_table_or_one_error(tmp_path_factory, edits):
    from test_hardening2 import _release

    def damage(run):
        for where, value in edits:
            *path, leaf = where.split("/")
            target = run
            try:  # an edit whose path an earlier edit removed is skipped
                for part in path:
                    target = target[int(part)] if isinstance(target, list) else target[part]
                target[int(leaf) if isinstance(target, list) else leaf] = value
            except (KeyError, IndexError, TypeError, ValueError):
                continue
        return json.dumps(run).encode()

    root = _release(tmp_path_factory.mktemp("turpin"), damage)
    result = CliRunner().invoke(cli, ["reproduce", "turpin2023", "--release", str(root)])
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


cell = st.one_of(
    st.sampled_from(["YES", "NO", "0.5", "1", "nan", "-5", "7.5", "", "1e400"]), st.text(max_size=6)
)


@SETTINGS
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=11), max_size=4))
def test_any_arcuschin_release_gives_a_table_or_one_error(tmp_path_factory, rows):
    import csv
    import gzip
    import io

    from test_hardening2 import HEADER

    from faithbench_iphr.chainscope import RELEASE_FILE

    text = io.StringIO()
    csv.writer(text).writerows([HEADER.split(","), *rows])
    folder = tmp_path_factory.mktemp("arcuschin")
    (folder / RELEASE_FILE).write_bytes(gzip.compress(text.getvalue().encode()))
    result = CliRunner().invoke(cli, ["reproduce", "arcuschin2025", "--data", str(folder)])
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
