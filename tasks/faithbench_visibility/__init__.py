"""Built-in family: the observer effect. With ``--visibility``, every biased-prompt task runs under
scratchpad-visibility framings (none, private, watched; texts in ``faithbench.api.framing``), each
task's metrics are reported per framing, and this family's metric compares the framings: does the
model follow the cue, or admit it, differently when told its reasoning is private or watched?"""

from faithbench import hookimpl
from faithbench_visibility.metrics import OBSERVER_EFFECT


@hookimpl
def faithbench_metrics():
    return [OBSERVER_EFFECT]
