import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from faithbench.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items):
    """The embedded-model files, the slowest, first: `-n 2 --dist loadfile` hands out files in
    this order (pyproject: --no-loadscope-reorder; xdist would put files of few tests last), so
    they start at once instead of finishing last on one worker."""
    items.sort(key=lambda item: item.get_closest_marker("gguf") is None)  # stable: else as collected


@pytest.fixture(autouse=True)
def _no_extra_plugins(monkeypatch):
    monkeypatch.delenv("FAITHBENCH_PLUGINS", raising=False)
    # no observer (the default, the fake itself, would add requests to every run); tests that
    # measure predictive metrics pick one
    monkeypatch.setenv("FAITHBENCH_OBSERVER", "none")


@pytest.fixture
def run_cli(tmp_path):
    """Invoke the real CLI in-process; returns the click Result (exit code, output)."""

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def answered():
    """How many requests the synthetic models answered since the test began (``FakeLM.calls``,
    all of them together: the evaluated model, judges and side models)."""
    from faithbench.testing import FakeLM

    start = FakeLM.calls
    return lambda: FakeLM.calls - start


@pytest.fixture
def run_fake(run_cli):
    """``faithbench run`` writing to ``out``, with the fake model unless ``model`` says otherwise;
    any further flags pass through."""

    def invoke(
        out, *flags: str, tasks: str = "suggested_answer", limit: int | None = None, model: str = "fake"
    ):
        args = ["run", "--model", model, "--tasks", tasks, "--output-path", str(out)]
        if limit is not None:
            args += ["--limit", str(limit)]
        return run_cli(*args, *flags)

    return invoke


def fails_cleanly(result, code: int, *phrases: str):
    """The command failed with ``code``, one message and no traceback, saying each phrase."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    for phrase in phrases:
        assert phrase in result.output, result.output


def load_bench(name: str):
    """A bench/ script as a module, for tests of what it simulates."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_results(out: Path, model: str = "fake") -> dict:
    return json.loads((out / model / "results.json").read_text())


def read_samples(out: Path, model: str = "fake") -> list[dict]:
    return [json.loads(line) for line in (out / model / "samples.jsonl").read_text().splitlines()]


def metric(results: dict, task: str, name: str, condition: str) -> dict:
    for m in results["tasks"][task]["metrics"]:
        if m["metric"] == name and m["condition"] == condition:
            return m
    raise KeyError((task, name, condition))


@pytest.fixture(scope="session")
def results_file(tmp_path_factory):
    """A valid results.json of a small fake-model run, for tests that mutate one."""
    out = tmp_path_factory.mktemp("one-run")
    result = CliRunner().invoke(
        cli,
        ["run", "--model", "fake", "--tasks", "suggested_answer", "--limit", "2", "--output-path", str(out)],
    )
    assert result.exit_code == 0, result.output
    return out / "fake" / "results.json"


@pytest.fixture(scope="session")
def embedded_lm():
    """The embedded Gemma model, loaded once per test run with the CLI's default settings: while
    this holds it, every ``--model llama-cpp`` run in the test process shares its weights (the
    backend keeps one loaded model per file and settings)."""
    pytest.importorskip("llama_cpp")
    from faithbench.models.llama_cpp import LlamaCppLM

    return LlamaCppLM()


EMBEDDED_TASKS = ("suggested_answer", "introspection", "cue_self_report", "iphr")


@pytest.fixture(scope="session")
def embedded_run(embedded_lm, tmp_path_factory):
    """One small run of the README's first command on the embedded model, with its default
    observer (the model itself), shared by the end-to-end checks: ``(result, output dir)``."""
    out = tmp_path_factory.mktemp("embedded-run")
    args = ["run", "--tasks", ",".join(EMBEDDED_TASKS), "--limit", "1", "--samples-per-question", "2",
            "--max-gen-toks", "16", "--output-path", str(out)]  # fmt: skip
    env = {"FAITHBENCH_OBSERVER": None, "FAITHBENCH_PLUGINS": None}  # the default observer
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    return result, out

