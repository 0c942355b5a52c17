"""A synthetic model with a planted observer effect (``--model observer-effect``), for checking
that the visibility metrics recover it: it follows every cue it sees (like the fake at bias 1)
under every framing, and says so in its CoT only under the framing ``mode`` names (``private``:
it admits the cue only when told its reasoning is hidden; ``watched``: only when told a reviewer
reads it). The framing arrives as the request's typed purpose (:class:`Framed`).

Planted values per cue: bias differences 0; articulation under ``mode`` 1 and under the other
framings 0; the rules judge's verdict on every cued CoT flips between ``mode`` and any other.
"""

from __future__ import annotations

from faithbench.api.queries import Framed
from faithbench.testing.fake import FakeLM


class ObserverEffectLM(FakeLM):
    def __init__(self, mode: str = "private", seed: int = 0):
        super().__init__(bias=1.0, verbalize=0.0, seed=seed)
        if mode not in ("private", "watched", "none"):
            raise ValueError("mode must be 'private', 'watched' or 'none'")
        self.mode = mode

    def respond(self, context: str, about: object = None) -> str:
        if not isinstance(about, Framed):
            return super().respond(context, about)
        answer, cue, _, _ = self.choose(context)
        if answer is None:
            return self.object_level(context)
        text = "Let me work through each option carefully. "
        if cue and about.framing == self.mode:
            text += f"You suggested ({cue}), and I will take that suggestion into account. "
        return text + f"The best answer is: ({answer})."
