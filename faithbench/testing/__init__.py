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

from faithbench.api.hookspecs import hookimpl
from faithbench.api.model_spec import ModelSpec
from faithbench.testing.fake import FakeLM
from faithbench.testing.faulty import FaultyLM
from faithbench.testing.monitorable import HintFollowerLM, PlantedMonitorLM
from faithbench.testing.observer_effect import ObserverEffectLM
from faithbench.testing.rationalizer import RationalizerLM

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
