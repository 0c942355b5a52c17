"""The fake with faults planted by its model args (``--model faulty``), for tests of failure
handling and resuming; the fake itself (``--model fake``) never fails.

It answers exactly as the fake does (it takes the fake's args too). ``fail_after=N``: every
request after its N-th raises. ``kill_after=N``: the process is SIGKILLed on its N-th request.
``count_file=PATH``: a line is appended per request asked, across processes (``FakeLM.calls``
counts within one). ``once=PATH``: the fault is transient: the run it fires in creates PATH, and a
faulty model that finds PATH does not fail, so rerunning the same command (the same args, so the
same cache identity and the same run) finishes what the fault left.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from faithbench.testing.fake import FakeLM


class FaultyLM(FakeLM):
    def __init__(
        self,
        fail_after: int | None = None,
        kill_after: int | None = None,
        count_file: str | None = None,
        once: str | None = None,
        **fake,
    ):
        super().__init__(**fake)
        fired = once is not None and Path(once).exists()
        self.fail_after = None if fired or fail_after is None else int(fail_after)
        self.kill_after = None if fired or kill_after is None else int(kill_after)
        self.count_file = count_file
        self.once = once

    def _fire(self) -> None:
        if self.once is not None:
            Path(self.once).touch()

    def _tick(self) -> None:
        super()._tick()
        if self.count_file:
            with open(self.count_file, "a") as fh:
                fh.write("1\n")
        if self.kill_after is not None and self.answered >= self.kill_after:
            self._fire()
            os.kill(os.getpid(), signal.SIGKILL)
        if self.fail_after is not None and self.answered > self.fail_after:
            self._fire()
            raise RuntimeError(f"fake failure after {self.fail_after} requests")
