"""Where a run's batches are remembered (``batches.sqlite`` beside results.json): each batch is
written, with the cache key of every request in it, before it is submitted (under a local id the
provider keeps as metadata where it can) and again the moment the provider accepts it, so a rerun
after a kill (or days later) polls the batches it already has instead of submitting again. No
secret is stored: the provider's name and endpoint, never a key."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from faithbench.api.errors import UserError
from faithbench.models.args import redact_url

SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY, provider TEXT, endpoint TEXT, model TEXT, stage TEXT,
    state TEXT, submitted REAL, collected REAL, requests INTEGER,
    succeeded INTEGER DEFAULT 0, failed INTEGER DEFAULT 0, tokens TEXT DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS members (
    key TEXT, batch_id TEXT, custom_id TEXT, PRIMARY KEY (key, batch_id)
);
"""
OPEN = "submitted"
SUBMITTING = "submitting"  # recorded before the provider was asked; resolved by the next run


class BatchStore:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(self.path)
            self.db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise UserError(f"cannot use the batch record {self.path}: {exc}") from None

    def close(self) -> None:
        self.db.close()

    def record(
        self, batch_id: str, provider: str, endpoint: str, model: str, stage: str, members, state: str = OPEN
    ) -> None:
        """A batch and its requests, committed at once: before submission (``SUBMITTING``, under a
        local id) and again, under the provider's id, once it is accepted. The endpoint is
        stored without its credentials (a key in ``base_url`` comes from the environment again)."""
        endpoint = str(redact_url(endpoint))
        with self.db:
            self.db.execute(
                "INSERT INTO batches (id, provider, endpoint, model, stage, state, submitted, requests)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (batch_id, provider, endpoint, model, stage, state, time.time(), len(members)),
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO members (key, batch_id, custom_id) VALUES (?, ?, ?)",
                [(key, batch_id, cid) for key, cid in members],
            )

    def open_for(self, keys: list[str]) -> dict[str, tuple[str, str]]:
        """{key: (batch id, custom id)} for the keys waiting in a batch not yet collected."""
        out: dict[str, tuple[str, str]] = {}
        rows = self.db.execute(
            "SELECT m.key, m.batch_id, m.custom_id FROM members m JOIN batches b ON b.id = m.batch_id"
            " WHERE b.state = ?",
            (OPEN,),
        )
        wanted = set(keys)
        for key, batch_id, cid in rows:
            if key in wanted:
                out[key] = (batch_id, cid)
        return out

    def adopt(self, local_id: str, batch_id: str) -> None:
        """The provider accepted the batch recorded as ``local_id``: it is ``batch_id`` from now on."""
        with self.db:
            self.db.execute("UPDATE batches SET id = ?, state = ? WHERE id = ?", (batch_id, OPEN, local_id))
            self.db.execute("UPDATE members SET batch_id = ? WHERE batch_id = ?", (batch_id, local_id))

    def forget(self, local_id: str) -> None:
        """A batch recorded before submission that the provider never received."""
        with self.db:
            self.db.execute("DELETE FROM members WHERE batch_id = ?", (local_id,))
            self.db.execute("DELETE FROM batches WHERE id = ?", (local_id,))

    def submitting(self) -> list[str]:
        rows = self.db.execute("SELECT id FROM batches WHERE state = ?", (SUBMITTING,))
        return [r[0] for r in rows]

    def attempts(self, key: str) -> int:
        return self.db.execute("SELECT COUNT(*) FROM members WHERE key = ?", (key,)).fetchone()[0]

    def collected(self, batch_id: str, state: str, succeeded: int, failed: int, tokens: dict) -> None:
        with self.db:
            self.db.execute(
                "UPDATE batches SET state = ?, collected = ?, succeeded = ?, failed = ?, tokens = ?"
                " WHERE id = ?",
                (state, time.time(), succeeded, failed, json.dumps(tokens), batch_id),
            )

    def mark(self, batch_id: str, state: str) -> None:
        with self.db:
            self.db.execute("UPDATE batches SET state = ? WHERE id = ?", (state, batch_id))

    def batches(self) -> list[dict]:
        cols = ["id", "provider", "endpoint", "model", "stage", "state", "submitted", "collected",
                "requests", "succeeded", "failed", "tokens"]  # fmt: skip
        try:
            rows = self.db.execute(f"SELECT {', '.join(cols)} FROM batches ORDER BY submitted").fetchall()
        except sqlite3.Error as exc:
            raise UserError(f"{self.path} is not a readable batch record: {exc}") from None
        out = []
        for row in rows:
            entry = dict(zip(cols, row, strict=True))
            entry["endpoint"] = redact_url(entry["endpoint"])  # a record written before redaction
            entry["tokens"] = _tokens(entry["tokens"])
            out.append(entry)
        return out


def _tokens(text: object) -> dict:
    """A batch's token counts as recorded; a damaged record counts none (never a traceback)."""
    try:
        value = json.loads(text or "{}") if isinstance(text, str | bytes) else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
