"""Synthetic models with planted behaviour, for tests (a plugin's too) and for checking that the
metrics recover what was planted. They are a plugin of their own (the ``faithbench`` entry point
``testing``), so ``--model fake`` and the rest work from the command line, and none is part of the
product's own backends.

- :class:`FakeLM` (``fake``): instant and deterministic; follows any declared cue with probability
  ``bias`` and mentions it with probability ``verbalize``. ``FakeLM.calls`` counts what it answered.
- :class:`FaultyLM` (``faulty``): the fake with faults planted by its args (fail, SIGKILL, count).
- :class:`RationalizerLM` (``rationalizer``): planted rationalization (``mode=rationalize``),
  faithfulness (``faithful``) or a divergent thinking channel (``thinking``); also an observer.
- :class:`HintFollowerLM` (``hint-follower``) and :class:`PlantedMonitorLM` (``planted-monitor``):
  planted monitorability.
- :class:`ObserverEffectLM` (``observer-effect``): admits a cue only under one visibility framing.
"""

import importlib

from faithbench.api.hookspecs import hookimpl
from faithbench.api.model_spec import ModelSpec

# imported on first use: loading this plugin (every `faithbench` command, `--help` too) should not
# import lm-eval's model classes
_HOMES = {
    "FakeLM": "fake",
    "FaultyLM": "faulty",
    "HintFollowerLM": "monitorable",
    "ObserverEffectLM": "observer_effect",
    "PlantedMonitorLM": "monitorable",
    "RationalizerLM": "rationalizer",
}


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(f"faithbench.testing.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'faithbench.testing' has no attribute {name!r}")


__all__ = [
    "FakeLM",
    "FaultyLM",
    "HintFollowerLM",
    "ObserverEffectLM",
    "PlantedMonitorLM",
    "RationalizerLM",
]


@hookimpl
def faithbench_models():
    from faithbench.testing.fake import FakeLM
    from faithbench.testing.faulty import FaultyLM
    from faithbench.testing.monitorable import HintFollowerLM, PlantedMonitorLM
    from faithbench.testing.observer_effect import ObserverEffectLM
    from faithbench.testing.rationalizer import RationalizerLM

    return [
        ModelSpec("fake", FakeLM, "Instant deterministic fake that follows cues (tests, benchmarks)"),
        ModelSpec(
            "faulty",
            FaultyLM,
            "The fake with planted faults (fail_after=N, kill_after=N, count_file=PATH, once=PATH)",
        ),
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
