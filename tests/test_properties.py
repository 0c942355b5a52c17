"""Property-based: random CLI values, data rows, YAML task files and results files never produce
a traceback, a hang, an undocumented exit code, or lost earlier output."""

import json
import os
import shutil
import time

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faithbench.cli import cli

EXIT_CODES = {0, 2, 3, 4}
BOUND_SECONDS = 30
EXAMPLES = int(os.environ.get("FAITHBENCH_PROPERTY_EXAMPLES", "25"))  # more for a deeper local search
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


def _invoke(*args: str):
    started = time.monotonic()
    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    elapsed = time.monotonic() - started
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert elapsed < BOUND_SECONDS, args
    return result


def _clean_failure(result, codes=EXIT_CODES):
    assert result.exit_code in codes, (result.exit_code, result.output)
    if result.exit_code in (2, 3):
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
        assert len(errors) == 1, result.stderr


@st.composite
def numbers(draw):
    """Option values: small valid ones, out-of-range ones, and junk text."""
    return str(
        draw(
            st.one_of(
                st.integers(1, 4),
                st.integers(-(10**15), 0),
                st.integers(10**6 + 1, 10**15),
                st.text(max_size=8),
            )
        )
    )


KEYS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)
PAIRS = st.lists(st.tuples(KEYS, st.text(max_size=6)), max_size=3).map(
    lambda pairs: ",".join(f"{k}={v}" if k else v for k, v in pairs)
)


@pytest.fixture(scope="module")
def earlier_run(tmp_path_factory):
    """The output of `run --model fake --tasks suggested_answer --limit 2` in the tests' own
    environment (no observer, no extra plugins), copied into each example as its earlier output."""
    out = tmp_path_factory.mktemp("earlier")
    args = ["run", "--model", "fake", "--tasks", "suggested_answer", "--limit", "2"]
    args += ["--output-path", str(out)]
    env = {"FAITHBENCH_OBSERVER": "none", "FAITHBENCH_PLUGINS": None}  # as conftest's autouse fixture
    assert CliRunner().invoke(cli, args, env=env).exit_code == 0
    return out


@SETTINGS
@given(
    limit=numbers(),
    seed=numbers(),
    item_range=st.one_of(st.none(), st.text(max_size=8), st.tuples(st.integers(-3, 8), st.integers(-3, 8))),
    model_args=PAIRS,
    gen_kwargs=st.one_of(PAIRS, st.sampled_from(["temperature=abc", "max_gen_toks=-1", "top_p=2", "seed=1"])),
    judge=st.sampled_from(["rules", "llm", "both", "", "rules,rules", "nope", "rules,llm"]),
    tasks=st.sampled_from(["suggested_answer", "nope", "", "suggested_*,iphr", "*"]),
    visibility=st.one_of(
        st.sampled_from(["all", "private", "none,watched", "secret", "private,,", ",", "all,private"]),
        st.text(max_size=8),
    ),
    samples_per_arm=numbers(),
)
def test_random_run_flags(
    tmp_path_factory,
    earlier_run,
    limit,
    seed,
    item_range,
    model_args,
    gen_kwargs,
    judge,
    tasks,
    visibility,
    samples_per_arm,
):
    out = tmp_path_factory.mktemp("out")
    shutil.copytree(earlier_run, out, dirs_exist_ok=True)  # each example costs one run, not two
    earlier = (out / "fake" / "results.json").read_bytes(), (out / "fake" / "samples.jsonl").read_bytes()
    args = ["run", "--model", "fake", "--tasks", tasks, "--output-path", str(out), "--seed", seed]
    args += ["--model-args", model_args, "--gen-kwargs", gen_kwargs, "--judge", judge]
    args += ["--visibility", visibility, "--samples-per-arm", samples_per_arm]
    if item_range is None:
        args += ["--limit", limit]
    else:
        args += ["--item-range", item_range if isinstance(item_range, str) else "{}:{}".format(*item_range)]
    result = _invoke(*args)
    _clean_failure(result)
    if result.exit_code != 0:  # a refused or failed run leaves the earlier output as it was
        assert (out / "fake" / "results.json").read_bytes() == earlier[0]
        assert (out / "fake" / "samples.jsonl").read_bytes() == earlier[1]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
ROWS = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries(
        {
            "question": JSON_VALUES,
            "options": st.one_of(JSON_VALUES, st.lists(st.text(max_size=5), max_size=30)),
        },
        optional={"gold": JSON_VALUES, "id": JSON_VALUES, "permute": JSON_VALUES},
    ),
)


@SETTINGS
@given(rows=st.lists(st.one_of(ROWS.map(json.dumps), st.binary(max_size=30)), min_size=1, max_size=6))
def test_random_data_files(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("data")
    data = folder / "items.jsonl"
    data.write_bytes(b"\n".join(r if isinstance(r, bytes) else r.encode() for r in rows))
    result = _invoke(
        "run",
        "--model",
        "fake",
        "--tasks",
        "suggested_answer",
        "--data",
        str(data),
        "--output-path",
        str(folder / "out"),
    )
    _clean_failure(result, {0, 2})  # a bad data file is the user's to fix: exit 2, never "task failed"
    if result.exit_code == 2:
        assert str(data) in result.stderr


TASK_KEYS = st.sampled_from(
    ["name", "version", "description", "items", "conditions", "metrics", "tags", "plan"]
)
DOCUMENTS = st.one_of(
    st.text(max_size=200),
    st.dictionaries(TASK_KEYS, JSON_VALUES, max_size=8).map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    st.builds(
        lambda conditions, metrics: yaml.safe_dump(
            {
                "name": "t",
                "version": "1.0",
                "description": "d",
                "items": "procedural:arithmetic",
                "conditions": conditions,
                "metrics": metrics,
            }
        ),
        st.lists(
            st.dictionaries(
                st.sampled_from(["name", "kind", "text", "placement", "target", "mentions"]),
                st.text(max_size=6),
            ),
            max_size=3,
        ),
        st.lists(st.sampled_from(["accuracy", "nope", ""]), max_size=2),
    ),
)


@SETTINGS
@given(document=DOCUMENTS)
def test_random_yaml_task_files(tmp_path_factory, document):
    folder = tmp_path_factory.mktemp("yaml")
    (folder / "task.yaml").write_text(document, encoding="utf-8", errors="surrogatepass")
    result = _invoke("ls", "tasks", "--include-path", str(folder))
    _clean_failure(result, {0, 2})


@SETTINGS
@given(
    mutation=st.lists(
        st.tuples(st.sampled_from(["drop", "set"]), st.text(max_size=12), JSON_VALUES), max_size=4
    )
)
def test_random_results_files(tmp_path_factory, results_file, mutation):
    folder = tmp_path_factory.mktemp("results")
    data = json.loads(results_file.read_text())
    for action, key, value in mutation:
        target = data
        for part in key.split("/")[:-1]:
            target = target.get(part, {}) if isinstance(target, dict) else {}
        leaf = key.split("/")[-1]
        if isinstance(target, dict):
            if action == "drop":
                target.pop(leaf, None)
            else:
                target[leaf] = value
    path = folder / "results.json"
    path.write_text(json.dumps(data))
    _clean_failure(_invoke("validate", str(path)), {0, 2})
    _clean_failure(_invoke("leaderboard", "build", str(path), "--out", str(folder / "site")), {0, 2})
