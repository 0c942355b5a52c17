"""The live samples log of a running run."""

from __future__ import annotations

import json
from pathlib import Path


class LiveLog:
    """Records written as samples finish, to ``samples.partial.jsonl`` beside samples.jsonl: the
    earlier samples.jsonl stays whole until the run's complete one replaces it."""

    def __init__(self, path: Path | None):
        self.path = path
        from faithbench.results.io import create_exclusive  # never through a planted link

        self.fh = create_exclusive(path) if path else None

    def __call__(self, record) -> None:
        if self.fh:
            self.fh.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
            self.fh.flush()

    def close(self) -> None:
        if self.fh:
            self.fh.close()
