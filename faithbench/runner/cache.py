"""faithbench's own response cache: SQLite, keyed by model identity + rendered request.

lm-eval's CachingLM keys only on the request, so two models would share answers; here the key
hashes the model name and its answer-relevant args too. Every chunk of answers is committed as
it arrives, which is what lets a killed run resume without repeating a finished call.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import threading
import time
from pathlib import Path
from urllib.request import pathname2url

from faithbench.api.errors import UserError
from faithbench.api.requests import Response


def request_key(identity: dict, kind: str, context: object, params: object) -> str:
    blob = json.dumps([identity, kind, str(context), params], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def as_response(value: dict) -> Response:
    """A cached (or freshly answered) value as the Response a plan receives."""
    return Response(
        text=value.get("text"),
        logprob=value.get("logprob"),
        is_greedy=value.get("is_greedy"),
        error=value.get("error"),
        truncated=bool(value.get("truncated")),
        reasoning=value.get("reasoning"),
        reasoning_redacted=bool(value.get("reasoning_redacted")),
        top_logprobs=value.get("top_logprobs"),
    )


def _stored(value: object) -> dict | None:
    """A row's answer, or None for a row that cannot be one (not JSON, not an object: changed by
    hand or another tool): it is asked again and overwritten, where an error would recur forever."""
    try:
        answer = json.loads(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, RecursionError):
        return None
    if not isinstance(answer, dict):
        return None
    typed = all(isinstance(answer.get(k), (str, type(None))) for k in ("text", "error", "reasoning"))
    typed &= isinstance(answer.get("logprob"), (int, float, type(None))) and not isinstance(
        answer.get("logprob"), bool
    )
    typed &= isinstance(answer.get("is_greedy"), (bool, type(None)))
    return answer if typed and isinstance(answer.get("top_logprobs"), (dict, type(None))) else None


SQLITE_HEADER = b"SQLite format 3\x00"


def check_is_cache(path: Path) -> None:
    """Refuse a ``--cache-path`` that is not (or not yet) a faithbench cache: a device, a pipe, a
    data file, another program's database. Only a new or empty file, or a SQLite file that holds
    faithbench's table (or whose damaged schema cannot be read), is used, and only the latter is
    ever moved aside. A symbolic link is refused: a link planted where the cache goes would have
    the run write through it, outside its folder (name the real file with --cache-path)."""
    if os.path.islink(path):
        raise UserError(f"cache path {path} is a symbolic link; give the file it points to (--cache-path)")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UserError(f"cannot use cache path {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UserError(f"cache path {path} is not a regular file; give a file path (--cache-path)")
    if info.st_size == 0:
        return
    try:
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise UserError(f"cannot read cache {path}: {exc.strerror or exc}") from None
    refused = f"{path} is not a faithbench response cache; refusing to use or replace it (--cache-path)"
    if header != SQLITE_HEADER:
        raise UserError(refused)
    try:
        db = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            db.close()
    except sqlite3.Error:
        return  # a SQLite file whose schema cannot be read: a damaged cache, moved aside
    if tables and "responses" not in tables:
        raise UserError(refused)


def _read_only_uri(path: Path) -> str:
    """SQLite's URI for reading a file without writing anything beside it: ``immutable`` makes no
    ``-wal``/``-shm`` files and takes no lock (answers still in an unclosed run's WAL are not seen)."""
    return f"file:{pathname2url(str(path))}?mode=ro&immutable=1"


def _read_only(path: Path) -> sqlite3.Connection | None:
    """A faithbench cache opened read-only (``mode=ro``; the dry run never writes), or None."""
    check_is_cache(path)
    if not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        db = sqlite3.connect(_read_only_uri(path), uri=True, check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        db.execute("SELECT key, value FROM responses LIMIT 1").fetchall()
        if db.execute("PRAGMA quick_check").fetchone()[0] == "ok":
            db.execute("PRAGMA query_only=ON")
            return db
    except sqlite3.Error:
        pass
    db.close()
    return None


class ResponseCache:
    def __init__(self, path: str | Path | None, read_only: bool = False):
        """``None`` keeps answers in memory only (``--no-cache``). A damaged cache file is moved
        aside (``moved_aside`` says where) and a new one started: answers are only a cache.
        ``read_only`` (the dry run) reads an existing cache and writes nothing, anywhere: a
        missing, empty, damaged or unreadable cache reads as empty, and new answers stay in memory."""
        self.path = str(path) if path else ":memory:"
        self.moved_aside: Path | None = None
        if read_only:
            self._db = _read_only(Path(path)) if path else None
            if self._db is None:
                self.path = ":memory:"
                self._db = self._open()
            self._lock = threading.Lock()
            return
        if path:
            if Path(path).is_dir():
                raise UserError(f"cache path {path} is a folder; give a file path (--cache-path)")
            check_is_cache(Path(path))
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UserError(f"cannot create cache directory for {path}: {exc.strerror}") from None
        try:
            self._db = self._open()
        except sqlite3.DatabaseError:
            if not path:
                raise
            self.moved_aside = self._move_aside(Path(path))
            try:
                self._db = self._open()
            except sqlite3.Error as exc:
                raise UserError(f"cannot open cache {self.path}: {exc}") from None
        self._lock = threading.Lock()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False)
        try:
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, kind TEXT, value TEXT)")
            db.commit()
        except sqlite3.Error:
            db.close()
            raise
        return db

    @staticmethod
    def _move_aside(path: Path) -> Path:
        aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
        for suffix in ("", "-wal", "-shm"):
            part = Path(str(path) + suffix)
            if part.exists():
                try:
                    os.replace(part, Path(str(aside) + suffix))
                except OSError as exc:
                    raise UserError(
                        f"cache {path} is damaged and cannot be moved aside: {exc.strerror}"
                    ) from None
        return aside

    def _damaged(self, exc: sqlite3.Error) -> UserError:
        return UserError(
            f"the response cache {self.path} is damaged ({exc}); earlier outputs are untouched. "
            "Rerun: a damaged cache is moved aside and rebuilt"
        )

    def get_many(self, keys: list[str]) -> dict[str, object]:
        found: dict[str, object] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                try:
                    rows = self._db.execute(
                        f"SELECT key, value FROM responses WHERE key IN ({marks})", chunk
                    ).fetchall()
                    found.update((k, v) for k, v in ((k, _stored(v)) for k, v in rows) if v is not None)
                except sqlite3.Error as exc:
                    raise self._damaged(exc) from None
        return found

    def put_many(self, items: list[tuple[str, str, object]]) -> None:
        with self._lock:
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO responses (key, kind, value) VALUES (?, ?, ?)",
                    [(k, kind, json.dumps(v)) for k, kind, v in items],
                )
                self._db.commit()
            except sqlite3.Error as exc:
                if getattr(exc, "sqlite_errorcode", None) == getattr(sqlite3, "SQLITE_FULL", 13):
                    raise UserError(f"cannot write the response cache {self.path}: disk full") from None
                raise self._damaged(exc) from None

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
