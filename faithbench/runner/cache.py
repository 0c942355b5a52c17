"""faithbench's own response cache: SQLite, keyed by model identity + rendered request.

lm-eval's CachingLM keys only on the request, so two models would share answers; here the key
hashes the model name and its answer-relevant args too. Every chunk of answers is committed as
it arrives, which is what lets a killed run resume without repeating a finished call.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path

from faithbench.api.errors import UserError


def request_key(identity: dict, kind: str, context: object, params: object) -> str:
    blob = json.dumps([identity, kind, str(context), params], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


class ResponseCache:
    def __init__(self, path: str | Path | None):
        """``None`` keeps answers in memory only (``--no-cache``)."""
        self.path = str(path) if path else ":memory:"
        if path:
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UserError(f"cannot create cache directory for {path}: {exc.strerror}") from None
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, kind TEXT, value TEXT)"
            )
            self._db.commit()
        except sqlite3.Error as exc:
            raise UserError(f"cannot open cache {self.path}: {exc}") from None
        self._lock = threading.Lock()

    def get_many(self, keys: list[str]) -> dict[str, object]:
        found: dict[str, object] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, value FROM responses WHERE key IN ({marks})", chunk
                ).fetchall()
                found.update((k, json.loads(v)) for k, v in rows)
        return found

    def put_many(self, items: list[tuple[str, str, object]]) -> None:
        with self._lock:
            self._db.executemany(
                "INSERT OR REPLACE INTO responses (key, kind, value) VALUES (?, ?, ?)",
                [(k, kind, json.dumps(v)) for k, kind, v in items],
            )
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
