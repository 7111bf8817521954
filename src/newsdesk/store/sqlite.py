"""The SQLite backend: one file, write-ahead log, so readers never wait for the writer.

WAL lets ``newsdesk show`` read while ``newsdesk ingest`` writes; ``busy_timeout`` makes a
second writer wait for the lock instead of failing; foreign keys are on. ``synchronous=NORMAL``
in WAL mode loses no committed transaction when the process is killed (only on power loss may
the last few be rolled back), and is several times faster than FULL for many small commits.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .base import Cursor, Store, StoreError

BUSY_TIMEOUT_MS = 60_000
"""How long a writer waits for another process's transaction: batches commit in well under 1 s."""


class SQLiteStore(Store):
    """A store in one SQLite file (or ``:memory:``)."""

    dialect = "sqlite"
    _greatest = "MAX"

    def __init__(self, path: str) -> None:
        self.url = path
        self._depth = 0
        try:
            self._conn = sqlite3.connect(
                path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
        except sqlite3.DatabaseError as error:
            raise self._error(error) from None
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            if path != ":memory:":
                self._wal()
            self._conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as error:
            self._conn.close()  # a file that is not a database: nothing keeps it open
            raise self._error(error) from None

    def _wal(self) -> None:
        """Switch to WAL. SQLite answers "locked" at once, without waiting, when several
        connections open a new database together (its busy handler is not asked here), so
        wait and retry, as busy_timeout would, up to the same limit."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self._conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _error(self, error: sqlite3.Error) -> StoreError:
        text = str(error)
        if "locked" in text or "busy" in text:
            return StoreError(
                f"database {self.url} is busy: another process kept it locked for more than "
                f"{BUSY_TIMEOUT_MS // 1000} s"
            )
        if "not a database" in text:
            return StoreError(f"{self.url} is not a newsdesk database (not SQLite)")
        if "unable to open" in text:
            return StoreError(f"cannot open database {self.url}: {text}")
        return StoreError(f"database {self.url}: {text}")

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        try:
            return self._conn.execute(sql, params)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as error:
            raise self._error(error) from None

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        try:
            self._conn.executemany(sql, rows)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as error:
            raise self._error(error) from None

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        # sqlite3 cursors already fetch lazily; arraysize only batches the Python calls.
        cursor = self._execute(sql, params)
        yield from cursor

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:  # nested: part of the outer transaction
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        # IMMEDIATE takes the write lock at the start: a reader upgrading to a writer
        # mid-transaction could otherwise fail with SQLITE_BUSY without waiting.
        self._execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
            self._execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0

    def _rollback(self) -> None:
        """End a failed transaction, if SQLite has not ended it already.

        SQLite rolls back by itself on some errors (a full disk, I/O); a ROLLBACK then fails
        with "no transaction is active" and would hide the error that matters. A failed COMMIT
        leaves the transaction open: without the ROLLBACK every later BEGIN would fail.
        """
        if self._conn.in_transaction:
            # If even this fails the connection is gone; the error being raised says why.
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")

    def _lock_schema(self) -> None:
        pass  # BEGIN IMMEDIATE already holds the database's one write lock

    def _has_table(self, name: str) -> bool:
        row = self._execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        return row is not None

    def _foreign_tables(self) -> list[str]:
        rows = self._execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
            " AND name != 'schema_version' ORDER BY name"
        ).fetchall()
        return [str(row[0]) for row in rows]

    def _ids_in(self, ids: Sequence[str], column: str = "a.id") -> tuple[str, list[Any]]:
        return f"{column} IN ({', '.join('?' * len(ids))})", list(ids)

    def close(self) -> None:
        self._conn.close()
