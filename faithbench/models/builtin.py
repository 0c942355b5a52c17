"""The model backends faithbench itself adds to lm-eval's registry, through the plugin hook."""

from faithbench.api.hookspecs import hookimpl
from faithbench.api.model_spec import ModelSpec
from faithbench.models.llama_cpp import LlamaCppLM
from faithbench.synthetic.fake import FakeLM
from faithbench.synthetic.monitorable import HintFollowerLM, PlantedMonitorLM
from faithbench.synthetic.observer_effect import ObserverEffectLM
from faithbench.synthetic.rationalizer import RationalizerLM


@hookimpl
def faithbench_models():
    return [
        ModelSpec(
            "llama-cpp",
            LlamaCppLM,
            "Any GGUF file in-process via llama-cpp-python; default: embedded Gemma 3 270M",
        ),
        ModelSpec("fake", FakeLM, "Instant deterministic fake that follows cues (tests, benchmarks)"),
        ModelSpec(
            "rationalizer",
            RationalizerLM,
            "Synthetic model with planted rationalization (mode=rationalize|faithful); also an observer",
        ),
        ModelSpec(
            "hint-follower",
            HintFollowerLM,
            "Synthetic hint follower with planted monitorability (mode=shows|hides|effort)",
        ),
        ModelSpec(
            "observer-effect",
            ObserverEffectLM,
            "Synthetic model that admits cues only under one visibility framing (mode=private|watched)",
        ),
        ModelSpec(
            "planted-monitor",
            PlantedMonitorLM,
            "Synthetic CoT monitor (mode=reader: flags CoTs that mention a hint | never | always)",
        ),
    ]
