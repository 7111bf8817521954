"""The PostgreSQL backend, through psycopg 3 (imported only when a postgresql:// URL is opened).

The connection runs in autocommit mode, so a read never leaves a transaction open; writes go
in explicit transactions. ``executemany`` sends a batch in one pipeline, and psycopg prepares
a statement once it has run a few times, so the per-batch inserts are prepared statements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .base import Cursor, Store, StoreError

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT_S = 10
_SCHEMA_LOCK = 0x6E657773  # "news": the advisory lock held while migrating


def redact(url: str) -> str:
    """``url`` with its password hidden, for messages.

    >>> redact("postgresql://me:secret@db:5432/news")
    'postgresql://me:***@db:5432/news'
    """
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def host_port(url: str) -> str:
    """The ``host:port`` a PostgreSQL URL points at (libpq's defaults filled in).

    >>> host_port("postgresql://u@db.example/news"), host_port("postgresql:///news")
    ('db.example:5432', 'localhost:5432')
    """
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    return f"{host or 'localhost'}:{port or 5432}"


def _reason(error: Exception) -> str:
    # libpq: 'connection to server at "::1", port 5999 failed: Connection refused\n\tIs the
    # server running on that host...': the reason is the first line after the last "failed:".
    text = str(error).rsplit("failed:", 1)[-1]
    line = next((s.strip() for s in text.splitlines() if s.strip()), "")
    line = " ".join(line.replace("FATAL:", "").split()).rstrip(".")
    return line or type(error).__name__


class PostgresStore(Store):
    """A store in a PostgreSQL database named by a ``postgresql://`` URL."""

    dialect = "postgres"
    _greatest = "GREATEST"

    def __init__(self, url: str) -> None:
        import psycopg

        self.url = redact(url)
        self._psycopg = psycopg
        self._where = host_port(url)
        self._dsn = url
        self._depth = 0  # open transactions: a connection lost inside one is not replaced
        self._conn: psycopg.Connection[Any] = self._connect()

    def _connect(self) -> psycopg.Connection[Any]:
        import psycopg

        kwargs: dict[str, Any] = {"autocommit": True}
        if "connect_timeout" not in self._dsn:
            kwargs["connect_timeout"] = CONNECT_TIMEOUT_S
        try:
            conn: psycopg.Connection[Any] = psycopg.connect(self._dsn, **kwargs)
        except psycopg.OperationalError as error:
            raise StoreError(
                f"cannot connect to PostgreSQL at {self._where}: {_reason(error)}"
            ) from None
        except psycopg.ProgrammingError as error:  # a malformed URL
            raise StoreError(f"bad PostgreSQL URL {self.url}: {_reason(error)}") from None
        return conn

    def _live(self) -> psycopg.Connection[Any]:
        """The connection, opened again if the server dropped it (a restart, an idle timeout).

        psycopg never revives a broken connection: without this, every later call would fail
        and ``newsdesk watch`` would poll forever without storing anything. The call that
        meets the loss still fails (its statement may not have run); only calls outside a
        transaction reconnect, since a transaction cannot go on on another connection.
        """
        if self._conn.closed and not self._depth:
            self._conn = self._connect()
        return self._conn

    def _error(self, error: Exception) -> StoreError:
        if isinstance(error, self._psycopg.OperationalError):
            return StoreError(f"lost PostgreSQL at {self._where}: {_reason(error)}")
        return StoreError(f"database {self.url}: {_reason(error)}")

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        try:
            return self._live().execute(self._sql(sql), params)
        except self._psycopg.IntegrityError:
            raise
        except self._psycopg.Error as error:
            raise self._error(error) from None

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        try:
            with self._live().cursor() as cursor:
                cursor.executemany(self._sql(sql), rows)
        except self._psycopg.IntegrityError:
            raise
        except self._psycopg.Error as error:
            raise self._error(error) from None

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        # A server-side cursor: a million signatures never sit in client memory at once.
        conn = self._live()
        try:
            with conn.transaction(), conn.cursor(name="newsdesk_stream") as cursor:
                cursor.itersize = 5000
                cursor.execute(self._sql(sql), params)
                yield from cursor
        except self._psycopg.Error as error:
            raise self._error(error) from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        conn = self._live()
        self._depth += 1
        try:
            with conn.transaction():
                yield
        except self._psycopg.IntegrityError:
            raise
        except self._psycopg.Error as error:
            raise self._error(error) from None
        finally:
            self._depth -= 1

    def _lock_schema(self) -> None:
        self._execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))

    def _has_table(self, name: str) -> bool:
        row = self._execute("SELECT to_regclass(?) IS NOT NULL", (name,)).fetchone()
        return bool(row and row[0])

    def _ids_in(self, ids: Sequence[str], column: str = "a.id") -> tuple[str, list[Any]]:
        return f"{column} = ANY(?)", [list(ids)]

    def close(self) -> None:
        self._conn.close()
