"""What both backends share: the records the store reads and writes, and the SQL.

The store knows records, never algorithms: it keeps articles, stories, memberships, cached
briefs, feed state and ingest runs, and answers lookups. Which story an article joins, and
whether it is a copy, is decided by the caller (``newsdesk.desk``) before a batch is written.

SQL is written once with ``?`` placeholders; the PostgreSQL backend turns them into ``%s``.
Writes go in one transaction per batch, so a process killed mid-batch leaves the store as it
was before the batch, and running the same ingest again stores the rest exactly once.
"""

from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from ..errors import NewsdeskError, UsageError
from ..models import Article
from .schema import LATEST_VERSION, MIGRATIONS, SCHEMA_VERSION_TABLE, Dialect


class StoreError(NewsdeskError):
    """The database cannot be opened or used (unreachable, newer schema, locked for too long)."""


class BadDatabaseURL(UsageError):
    """``--db`` names something the store cannot open."""


def utc_now() -> str:
    """The current time as ISO 8601 UTC to the second: how the store writes times.

    >>> len(utc_now())
    20
    """
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Cursor(Protocol):
    """The part of a DB-API cursor the store uses (sqlite3 and psycopg both have it)."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article ready to store: where it arrived, which story it joined, its signature.

    ``article.duplicate_of`` already names the original when it is a syndicated copy.
    """

    article: Article
    arrival: int
    story_id: str
    signature: bytes | None = None


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One story as ``newsdesk stories`` lists it.

    ``articles`` counts every member (copies included); ``outlets`` the distinct outlets;
    ``first_seen``/``last_seen`` are when the desk stored its first and latest article.
    ``lead`` is the start of the first article's text, given only when no article has a title.
    """

    id: str
    title: str | None
    articles: int
    outlets: tuple[str, ...]
    first_seen: str
    last_seen: str
    first_published: str | None
    last_published: str | None
    lead: str | None = None


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the store remembers about one fetched URL."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_status: str | None = None
    last_checked: str | None = None
    failures: int = 0
    next_retry: float | None = None


@dataclass(frozen=True, slots=True)
class RunCounts:
    """What one ingest run did."""

    added: int = 0
    duplicates: int = 0
    skipped: int = 0
    errors: int = 0


_ARTICLE_COLUMNS = "a.id, a.source, a.text, a.title, a.outlet, a.published, a.url, a.duplicate_of"


def _article(row: Sequence[Any]) -> Article:
    return Article(
        id=row[0],
        source=row[1],
        text=row[2],
        title=row[3],
        outlet=row[4],
        published=row[5],
        url=row[6],
        duplicate_of=row[7],
    )


class Store(ABC):
    """A newsdesk database: open it with :func:`newsdesk.store.open_store`.

    >>> from newsdesk.store import open_store
    >>> with open_store(":memory:") as store:
    ...     store.schema_version() == LATEST_VERSION
    True
    """

    dialect: Dialect
    url: str
    _greatest: str  # MAX (SQLite, scalar) or GREATEST (PostgreSQL)

    # -- connection, provided by each backend ---------------------------------------------

    @abstractmethod
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement (``?`` placeholders) and return its cursor."""

    @abstractmethod
    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for every row, as one prepared statement."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """A write transaction: committed on exit, rolled back on an exception."""

    @abstractmethod
    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        """Rows of a large query, fetched a few thousand at a time."""

    @abstractmethod
    def _lock_schema(self) -> None:
        """Within a transaction: keep other processes from migrating at the same time."""

    @abstractmethod
    def _has_table(self, name: str) -> bool:
        """Whether table ``name`` exists."""

    def _foreign_tables(self) -> list[str]:
        """Tables of another program in a database newsdesk has not set up (none known here).

        Only SQLite answers: a file is one program's, while a PostgreSQL database is often
        shared on purpose.
        """
        return []

    @abstractmethod
    def _ids_in(self, ids: Sequence[str], column: str = "a.id") -> tuple[str, list[Any]]:
        """A ``WHERE`` condition: ``column`` is one of ``ids``; and its parameters."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------

    def schema_version(self) -> int:
        """The highest migration applied to this database (0 for an empty one)."""
        row = self._execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def migrate(self, target: int = LATEST_VERSION) -> int:
        """Apply the missing migrations up to ``target``, each in its own transaction.

        Safe when several processes open a new database at once: the version is read again
        under a lock before each step. Returns the version reached.
        """
        current = self.schema_version() if self._has_table("schema_version") else 0
        if current == LATEST_VERSION:
            return current  # the common case: no write, so opening never waits for a writer
        if not current:
            foreign = self._foreign_tables()
            if foreign:  # another program's file: writing our schema into it would be rude
                raise StoreError(
                    f"{self.url} is not a newsdesk database: it holds other tables "
                    f"({', '.join(foreign[:3])}{', ...' if len(foreign) > 3 else ''}); "
                    "give a new file"
                )
        with self.transaction():
            self._lock_schema()
            self._execute(SCHEMA_VERSION_TABLE)
        current = self.schema_version()
        if current > LATEST_VERSION:
            raise StoreError(
                f"database {self.url} has schema version {current}, newer than this newsdesk "
                f"knows ({LATEST_VERSION}); upgrade newsdesk"
            )
        for migration in MIGRATIONS:
            if migration.version > target or migration.version <= current:
                continue
            with self.transaction():
                self._lock_schema()
                if self.schema_version() >= migration.version:  # another process did it
                    continue
                for statement in migration.statements(self.dialect):
                    self._execute(statement)
                self._execute(
                    "INSERT INTO schema_version (version, description, applied_at)"
                    " VALUES (?, ?, ?)",
                    (migration.version, migration.description, utc_now()),
                )
        return self.schema_version()

    # -- articles -------------------------------------------------------------------------

    def existing_ids(self, ids: Sequence[str], *, table: str = "articles") -> set[str]:
        """Which of ``ids`` are stored already in ``table`` (articles or stories).

        One query per 500 ids, not one per id.
        """
        if table not in ("articles", "stories"):
            raise ValueError(f"no id lookup for table {table!r}")
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            condition, params = self._ids_in(ids[start : start + 500])
            found.update(
                r[0] for r in self._execute(f"SELECT a.id FROM {table} a WHERE {condition}", params)
            )
        return found

    def count_articles(self) -> int:
        return int(self._execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def max_arrival(self) -> int:
        """The latest arrival number given (0 for an empty store)."""
        row = self._execute("SELECT MAX(arrival) FROM articles").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def write_batch(
        self, items: Sequence[NewArticle], *, seen_at: str | None = None, run_id: int | None = None
    ) -> None:
        """Store a batch of articles, their stories and memberships in one transaction.

        Articles already stored are left as they are (``ON CONFLICT DO NOTHING``), so writing
        the same batch twice stores it once.
        """
        if not items:
            return
        seen_at = seen_at or utc_now()
        stories: dict[str, list[Any]] = {}
        for item in items:
            row = stories.get(item.story_id)
            if row is None:
                stories[item.story_id] = [
                    item.story_id,
                    item.article.title or None,
                    seen_at,
                    seen_at,
                    item.arrival,
                    item.arrival,
                ]
            else:
                row[1] = row[1] or item.article.title or None
                row[5] = max(row[5], item.arrival)
        with self.transaction():
            self._executemany(
                "INSERT INTO articles (id, source, outlet, title, published, url, text,"
                " duplicate_of, arrival, seen_at, signature, run_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                [
                    (
                        a.id,
                        a.source,
                        a.outlet,
                        a.title,
                        a.published,
                        a.url,
                        a.text,
                        a.duplicate_of,
                        item.arrival,
                        seen_at,
                        item.signature,
                        run_id,
                    )
                    for item in items
                    for a in (item.article,)
                ],
            )
            self._executemany(
                "INSERT INTO stories (id, title, first_seen, last_seen, first_arrival,"
                " last_arrival) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                " title = COALESCE(NULLIF(stories.title, ''), excluded.title),"
                " last_seen = excluded.last_seen,"
                f" last_arrival = {self._greatest}(stories.last_arrival, excluded.last_arrival)",
                list(stories.values()),
            )
            self._executemany(
                "INSERT INTO memberships (article_id, story_id) VALUES (?, ?)"
                " ON CONFLICT (article_id) DO NOTHING",
                [(item.article.id, item.story_id) for item in items],
            )

    def lock_writes(self) -> None:
        """Within a transaction: be the only process writing articles until it ends.

        A desk decides what is new, what is a copy and which story an article joins from
        what is stored; two ingests at once must take turns, batch by batch, or each would
        decide without the other's articles. SQLite's ``BEGIN IMMEDIATE`` holds its one write
        lock already; PostgreSQL takes the advisory lock migrations take.
        """
        self._lock_schema()

    def signatures(self, *, after: int = 0) -> Iterator[tuple[str, bytes]]:
        """``(id, signature)`` of every stored original (copies left out), in arrival order;
        with ``after``, only those that arrived after that arrival number."""
        since = " AND arrival > ?" if after else ""  # all of them: any arrival number
        for row in self._stream(
            "SELECT id, signature FROM articles WHERE duplicate_of IS NULL"
            f" AND signature IS NOT NULL{since} ORDER BY arrival",
            (after,) if after else (),
        ):
            yield row[0], bytes(row[1])

    def latest_published(self) -> str | None:
        """The greatest ``published`` value stored (ISO 8601 sorts as text), or None."""
        row = self._execute("SELECT MAX(published) FROM articles").fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def _nth_latest_original(self, n: int) -> int:
        """The arrival of the ``n``-th latest original (0 when there are fewer)."""
        row = self._execute(
            "SELECT arrival FROM articles WHERE duplicate_of IS NULL"
            " ORDER BY arrival DESC LIMIT 1 OFFSET ?",
            (max(0, n - 1),),
        ).fetchone()
        return int(row[0]) if row else 0

    def recent_memberships(
        self, limit: int, *, since_published: str | None = None, cap: int = 200_000
    ) -> Iterator[tuple[Article, int, str]]:
        """Recent originals with their arrival and story, streamed in arrival order.

        Recent: among the latest ``limit`` originals, or published at or after
        ``since_published``; never older than the latest ``cap`` originals. For replaying
        the stories of the clustering window into a clusterer on start-up.
        """
        condition = "a.arrival >= ?"
        params: list[Any] = [self._nth_latest_original(limit)]
        if since_published:
            condition = f"({condition} OR a.published >= ?)"
            params.append(since_published)
        params.append(self._nth_latest_original(cap))
        for r in self._stream(
            f"SELECT {_ARTICLE_COLUMNS}, a.arrival, m.story_id FROM articles a"
            " JOIN memberships m ON m.article_id = a.id"
            f" WHERE a.duplicate_of IS NULL AND {condition} AND a.arrival >= ?"
            " ORDER BY a.arrival",
            params,
        ):
            yield _article(r), int(r[8]), r[9]

    def originals_since(self, arrival: int) -> Iterator[tuple[Article, int, str]]:
        """Originals that arrived after ``arrival``, with their arrival and story, in arrival
        order: what another process stored since a desk loaded its state."""
        for r in self._stream(
            f"SELECT {_ARTICLE_COLUMNS}, a.arrival, m.story_id FROM articles a"
            " JOIN memberships m ON m.article_id = a.id"
            " WHERE a.duplicate_of IS NULL AND a.arrival > ? ORDER BY a.arrival",
            (arrival,),
        ):
            yield _article(r), int(r[8]), r[9]

    def stories_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The story of each stored article in ``article_ids`` (those with one)."""
        found: dict[str, str] = {}
        for start in range(0, len(article_ids), 500):
            condition, params = self._ids_in(article_ids[start : start + 500])
            for row in self._execute(
                "SELECT a.id, m.story_id FROM articles a JOIN memberships m"
                f" ON m.article_id = a.id WHERE {condition}",
                params,
            ):
                found[row[0]] = row[1]
        return found

    # -- stories --------------------------------------------------------------------------

    @staticmethod
    def _latest_stories(limit: int | None) -> str:
        """A subquery: the ``limit`` latest active stories (all of them for None)."""
        if limit is None:
            return "stories"
        return f"(SELECT * FROM stories ORDER BY last_arrival DESC, id LIMIT {int(limit)})"

    def stories(self, limit: int | None = None) -> list[StoryRow]:
        """Every story (or the ``limit`` latest), latest activity first."""
        latest = self._latest_stories(limit)
        outlets: dict[str, set[str]] = {}
        for story_id, outlet in self._execute(
            f"SELECT DISTINCT m.story_id, a.outlet FROM {latest} s"
            " JOIN memberships m ON m.story_id = s.id"
            " JOIN articles a ON a.id = m.article_id WHERE a.outlet IS NOT NULL"
        ):
            outlets.setdefault(story_id, set()).add(outlet)
        rows = self._execute(
            "SELECT s.id, s.title, COUNT(m.article_id), s.first_seen, s.last_seen,"
            " MIN(a.published), MAX(a.published)"
            f" FROM {latest} s JOIN memberships m ON m.story_id = s.id"
            " JOIN articles a ON a.id = m.article_id"
            " GROUP BY s.id, s.title, s.first_seen, s.last_seen, s.last_arrival"
            " ORDER BY s.last_arrival DESC, s.id"
        ).fetchall()
        leads = self._leads([r[0] for r in rows if not r[1]])
        return [
            StoryRow(
                id=r[0],
                title=r[1],
                articles=int(r[2]),
                outlets=tuple(sorted(outlets.get(r[0], ()))),
                first_seen=r[3],
                last_seen=r[4],
                first_published=r[5],
                last_published=r[6],
                lead=leads.get(r[0]),
            )
            for r in rows
        ]

    def _leads(self, story_ids: Sequence[str], chars: int = 200) -> dict[str, str]:
        """The first ``chars`` characters of each story's first article."""
        leads: dict[str, str] = {}
        for start in range(0, len(story_ids), 500):
            condition, params = self._ids_in(story_ids[start : start + 500], "m.story_id")
            for story_id, lead in self._execute(
                f"SELECT m.story_id, substr(a.text, 1, {int(chars)}) FROM memberships m"
                f" JOIN articles a ON a.id = m.article_id WHERE {condition}"
                " ORDER BY a.arrival DESC",
                params,
            ):
                leads[story_id] = lead  # the earliest comes last and wins
        return leads

    def story_articles(self, story_id: str) -> list[Article]:
        """The articles of one story, in the order they arrived."""
        return [
            _article(r)
            for r in self._execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM memberships m JOIN articles a"
                " ON a.id = m.article_id WHERE m.story_id = ? ORDER BY a.arrival, a.id",
                (story_id,),
            )
        ]

    def story_members(self, limit: int | None = None) -> dict[str, list[dict[str, Any]]]:
        """Every story's (or the ``limit`` latest's) articles, no text, in arrival order.

        As plain dicts with keys ``id``, ``source``, ``outlet``, ``title``, ``published``,
        ``duplicate_of``.
        """
        keys = ("id", "source", "outlet", "title", "published", "duplicate_of")
        out: dict[str, list[dict[str, Any]]] = {}
        for r in self._stream(
            "SELECT m.story_id, a.id, a.source, a.outlet, a.title, a.published, a.duplicate_of"
            f" FROM {self._latest_stories(limit)} s JOIN memberships m ON m.story_id = s.id"
            " JOIN articles a ON a.id = m.article_id ORDER BY m.story_id, a.arrival, a.id"
        ):
            out.setdefault(r[0], []).append(dict(zip(keys, r[1:], strict=True)))
        return out

    def find_story(self, prefix: str) -> list[str]:
        """Ids of the stories equal to ``prefix`` or, failing that, starting with it."""
        exact = self._execute("SELECT id FROM stories WHERE id = ?", (prefix,)).fetchone()
        if exact:
            return [exact[0]]
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return [
            r[0]
            for r in self._execute(
                "SELECT id FROM stories WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 10",
                (escaped + "%",),
            )
        ]

    # -- brief cache ----------------------------------------------------------------------

    def cached_brief(self, story_id: str, fmt: str, cache_key: str) -> str | None:
        """The cached rendering of a story, if it was made from the same members and settings."""
        row = self._execute(
            "SELECT body FROM briefs WHERE story_id = ? AND format = ? AND cache_key = ?",
            (story_id, fmt, cache_key),
        ).fetchone()
        return None if row is None else str(row[0])

    def save_brief(self, story_id: str, fmt: str, cache_key: str, body: str) -> None:
        """Cache a rendering, replacing the story's older one in that format."""
        with self.transaction():
            self._execute(
                "INSERT INTO briefs (story_id, format, cache_key, body, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (story_id, format) DO UPDATE SET"
                " cache_key = excluded.cache_key, body = excluded.body,"
                " created_at = excluded.created_at",
                (story_id, fmt, cache_key, body, utc_now()),
            )

    # -- feeds ----------------------------------------------------------------------------

    def feed_states(self) -> dict[str, FeedState]:
        """Everything remembered about fetched URLs, by URL."""
        return {
            r[0]: FeedState(*r)
            for r in self._execute(
                "SELECT url, etag, last_modified, last_status, last_checked, failures, next_retry"
                " FROM feeds"
            )
        }

    def save_validators(self, validators: Iterable[tuple[str, str | None, str | None]]) -> None:
        """Remember ``(url, etag, last_modified)`` for the next conditional GET."""
        rows = [(u, e, m) for u, e, m in validators]
        if not rows:
            return
        with self.transaction():
            self._executemany(
                "INSERT INTO feeds (url, etag, last_modified) VALUES (?, ?, ?)"
                " ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,"
                " last_modified = excluded.last_modified",
                rows,
            )

    def record_feed(
        self, url: str, *, status: str, ok: bool, retry_after: float | None = None
    ) -> FeedState:
        """Record one poll of ``url``: a success clears its failures, a failure counts one.

        ``retry_after`` (seconds) sets when a failed feed is due again.
        """
        now = time.time()
        with self.transaction():
            if ok:
                self._execute(
                    "INSERT INTO feeds (url, last_status, last_checked, failures, next_retry)"
                    " VALUES (?, ?, ?, 0, NULL) ON CONFLICT (url) DO UPDATE SET"
                    " last_status = excluded.last_status, last_checked = excluded.last_checked,"
                    " failures = 0, next_retry = NULL",
                    (url, status, utc_now()),
                )
            else:
                self._execute(
                    "INSERT INTO feeds (url, last_status, last_checked, failures, next_retry)"
                    " VALUES (?, ?, ?, 1, ?) ON CONFLICT (url) DO UPDATE SET"
                    " last_status = excluded.last_status, last_checked = excluded.last_checked,"
                    " failures = feeds.failures + 1, next_retry = excluded.next_retry",
                    (url, status, utc_now(), None if retry_after is None else now + retry_after),
                )
            row = self._execute(
                "SELECT url, etag, last_modified, last_status, last_checked, failures, next_retry"
                " FROM feeds WHERE url = ?",
                (url,),
            ).fetchone()
        return FeedState(*row)

    # -- ingest runs ----------------------------------------------------------------------

    def start_run(self, sources: Sequence[str]) -> int:
        """Record the start of an ingest; returns the run id."""
        with self.transaction():
            row = self._execute(
                "INSERT INTO ingest_runs (started_at, sources, status) VALUES (?, ?, 'running')"
                " RETURNING id",
                (utc_now(), json.dumps(list(sources))),
            ).fetchone()
        return int(row[0])

    def finish_run(self, run_id: int, counts: RunCounts, status: str = "done") -> None:
        """Record how an ingest ended and what it did."""
        with self.transaction():
            self._execute(
                "UPDATE ingest_runs SET finished_at = ?, status = ?, added = ?, duplicates = ?,"
                " skipped = ?, errors = ? WHERE id = ?",
                (
                    utc_now(),
                    status,
                    counts.added,
                    counts.duplicates,
                    counts.skipped,
                    counts.errors,
                    run_id,
                ),
            )

    def runs(self) -> list[dict[str, Any]]:
        """Every ingest run, oldest first, as dicts."""
        cursor = self._execute(
            "SELECT id, started_at, finished_at, sources, status, added, duplicates, skipped,"
            " errors FROM ingest_runs ORDER BY id"
        )
        keys = (
            "id",
            "started_at",
            "finished_at",
            "sources",
            "status",
            "added",
            "duplicates",
            "skipped",
            "errors",
        )
        return [dict(zip(keys, r, strict=True)) for r in cursor]
