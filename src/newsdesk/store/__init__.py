"""Where the desk keeps what it has read: articles, stories, cached briefs, feed state.

``open_store(location)`` opens (and creates, and upgrades) a database:

- a file path (or ``sqlite:///path``, or ``:memory:``): SQLite, the default;
- a ``postgresql://`` URL: PostgreSQL, through psycopg (imported only then).

With no location it opens ``$NEWSDESK_DB``, else ``./newsdesk.db``.

    NewsdeskError
    ├── StoreError                the database cannot be opened or used (exit 1)
    └── UsageError
        └── BadDatabaseURL        --db names something that is not a database location (exit 2)

>>> with open_store(":memory:") as store:
...     store.count_articles()
0
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .base import (
    BadDatabaseURL,
    FeedState,
    NewArticle,
    RunCounts,
    Store,
    StoreError,
    StoryRow,
    utc_now,
)
from .schema import LATEST_VERSION, MIGRATIONS

__all__ = [
    "LATEST_VERSION",
    "MIGRATIONS",
    "BadDatabaseURL",
    "FeedState",
    "NewArticle",
    "RunCounts",
    "Store",
    "StoreError",
    "StoryRow",
    "default_location",
    "open_store",
    "utc_now",
]

DEFAULT_FILE = "newsdesk.db"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def default_location() -> str:
    """``$NEWSDESK_DB`` if set, else ``newsdesk.db`` in the current folder."""
    return os.environ.get("NEWSDESK_DB") or DEFAULT_FILE


def open_store(location: str | None = None, *, migrate: bool = True) -> Store:
    """Open the database at ``location``, applying any missing migrations.

    Raises ``BadDatabaseURL`` for a location that is not a database (an unknown URL scheme, a
    folder, a missing folder) and ``StoreError`` when the database cannot be reached.

    >>> open_store("mysql://db/news")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    newsdesk.store.base.BadDatabaseURL: unsupported database URL 'mysql://db/news'; use a file...
    """
    location = location or default_location()
    match = _SCHEME.match(location)
    store: Store
    if match:
        scheme = match.group(1).lower()
        if scheme in ("postgresql", "postgres"):
            from .postgres import PostgresStore

            store = PostgresStore(location)
        elif scheme == "sqlite":
            store = _sqlite(location[len("sqlite://") :].removeprefix("/") or ":memory:")
        else:
            from .postgres import redact

            raise BadDatabaseURL(
                f"unsupported database URL '{redact(location)}'; use a file path or postgresql://"
            )
    else:
        store = _sqlite(location)
    if migrate:
        try:
            store.migrate()
        except BaseException:
            store.close()
            raise
    return store


def _sqlite(path: str) -> Store:
    from .sqlite import SQLiteStore

    if path != ":memory:":
        file = Path(path)
        if file.is_dir():
            raise BadDatabaseURL(f"database '{path}' is a folder; give a file path")
        if not file.parent.is_dir():
            raise BadDatabaseURL(
                f"cannot create database '{path}': folder '{file.parent}' does not exist"
            )
        _check_sqlite_header(file)
    return SQLiteStore(path)


_SQLITE_HEADER = b"SQLite format 3\x00"


def _check_sqlite_header(file: Path) -> None:
    """Refuse a non-empty file that is not SQLite, before SQLite opens it.

    SQLite itself refuses most such files, but takes a very short one (a 1-byte file) for an
    empty database and writes the schema over it: ``--db notes.txt`` would destroy the notes.
    """
    try:
        with file.open("rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
    except OSError:
        return  # missing (created next) or unreadable: SQLite says what is wrong
    if head and head != _SQLITE_HEADER:
        raise StoreError(f"{file} is not a newsdesk database (not SQLite)")
