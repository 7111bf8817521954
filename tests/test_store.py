"""The store: the same tests against SQLite and PostgreSQL (when NEWSDESK_TEST_PG is set).

CI runs `.ci/postgres.sh` first, which starts a local server and sets NEWSDESK_TEST_PG; each
PostgreSQL test gets a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from newsdesk.models import Article
from newsdesk.store import (
    LATEST_VERSION,
    BadDatabaseURL,
    NewArticle,
    RunCounts,
    Store,
    StoreError,
    open_store,
)

PG_URL = os.environ.get("NEWSDESK_TEST_PG")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not PG_URL, reason="NEWSDESK_TEST_PG is not set"),
        ],
    ),
]


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A location for an empty store: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "desk.db")
        return
    import psycopg

    assert PG_URL
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        sep = "&" if "?" in PG_URL else "?"
        try:
            yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        yield opened


def art(n: int, text: str | None = None, **meta: str) -> Article:
    return Article.create(
        source=f"src{n}",
        text=text or f"Article number {n} says something about topic {n}.",
        title=meta.get("title", f"Title {n}"),
        outlet=meta.get("outlet", f"Outlet {n % 3}"),
        published=meta.get("published"),
    )


def item(n: int, story: str, arrival: int | None = None, **meta: str) -> NewArticle:
    return NewArticle(art(n, **meta), arrival if arrival is not None else n, story, bytes([n]) * 4)


def count(store: Store, table: str) -> int:
    return int(store._execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


# -- schema and migrations ------------------------------------------------------------------


def test_new_store_has_the_latest_schema(store: Store) -> None:
    assert store.schema_version() == LATEST_VERSION
    for table in ("articles", "stories", "memberships", "briefs", "feeds", "ingest_runs"):
        assert count(store, table) == 0


def test_an_old_database_is_upgraded_and_keeps_its_rows(store_url: str) -> None:
    old = open_store(store_url, migrate=False)
    assert old.migrate(target=1) == 1
    with old.transaction():  # written as version 1 wrote it: no run_id column yet
        old._execute(
            "INSERT INTO articles (id, source, text, arrival, seen_at) VALUES (?, ?, ?, ?, ?)",
            ("a1", "old.txt", "Old text.", 1, "2025-01-01T00:00:00Z"),
        )
        old._execute(
            "INSERT INTO stories (id, title, first_seen, last_seen, first_arrival, last_arrival)"
            " VALUES ('s1', 'Old', 'x', 'x', 1, 1)"
        )
        old._execute("INSERT INTO memberships (article_id, story_id) VALUES ('a1', 's1')")
    old.close()
    with open_store(store_url) as store:
        assert store.schema_version() == LATEST_VERSION
        assert [a.id for a in store.story_articles("s1")] == ["a1"]
        run = store.start_run(["new.txt"])  # tables of later migrations work
        store.write_batch([item(2, "s1")], run_id=run)
        assert len(store.story_articles("s1")) == 2
        assert store._execute("SELECT run_id FROM articles WHERE id = 'a1'").fetchone()[0] is None


def test_opening_twice_does_not_migrate_again(store_url: str) -> None:
    open_store(store_url).close()
    with open_store(store_url) as store:
        versions = [r[0] for r in store._execute("SELECT version FROM schema_version")]
    assert sorted(versions) == list(range(1, LATEST_VERSION + 1))


def test_concurrent_first_opens_migrate_once(store_url: str) -> None:
    errors: list[BaseException] = []

    def open_close() -> None:
        try:
            open_store(store_url).close()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=open_close) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with open_store(store_url) as store:
        assert count(store, "schema_version") == LATEST_VERSION


def test_a_newer_schema_is_refused(store: Store, store_url: str) -> None:
    with store.transaction():
        store._execute(
            "INSERT INTO schema_version (version, description, applied_at)"
            " VALUES (999, 'future', 'x')"
        )
    with pytest.raises(StoreError, match="newer than this newsdesk"):
        open_store(store_url)


# -- articles, stories, memberships ---------------------------------------------------------


def test_writing_a_batch_twice_stores_it_once(store: Store) -> None:
    batch = [item(1, "s1"), item(2, "s1"), item(3, "s2")]
    store.write_batch(batch)
    store.write_batch(batch)
    assert count(store, "articles") == 3
    assert count(store, "memberships") == 3
    assert count(store, "stories") == 2
    assert store.existing_ids([art(1).id, art(3).id, "nope"]) == {art(1).id, art(3).id}
    assert store.existing_ids(["s1", "s9"], table="stories") == {"s1"}


def test_a_failing_batch_stores_nothing(store: Store) -> None:
    store.write_batch([item(1, "s1")])
    bad = NewArticle(
        Article(id="x", source="x", text="copy", duplicate_of="no-such-article"), 9, "s9"
    )
    with pytest.raises(Exception):  # noqa: B017 - sqlite3 or psycopg IntegrityError
        store.write_batch([item(2, "s2"), bad])
    assert count(store, "articles") == 1
    assert count(store, "stories") == 1
    store.write_batch([item(2, "s2")])  # the connection is usable afterwards
    assert count(store, "articles") == 2


def test_stories_list_counts_outlets_and_keeps_the_first_title(store: Store) -> None:
    first = item(1, "s1", title="", published="2025-03-02")
    later = [
        item(2, "s1", outlet="Gazette", published="2025-03-04"),
        item(4, "s1", outlet="Gazette", title="Later title"),
        item(3, "s2", outlet="Post"),
    ]
    store.write_batch([first])
    store.write_batch(later)
    rows = {r.id: r for r in store.stories()}
    assert rows["s1"].articles == 3
    assert rows["s1"].outlets == ("Gazette", "Outlet 1")
    assert rows["s1"].title == "Title 2"  # the first non-empty title
    assert (rows["s1"].first_published, rows["s1"].last_published) == ("2025-03-02", "2025-03-04")
    assert store.stories()[0].id == "s1"  # latest activity first
    assert [r.id for r in store.stories(limit=1)] == ["s1"]
    assert set(store.story_members(limit=1)) == {"s1"}
    members = store.story_members()
    assert [m["id"] for m in members["s1"]] == [i.article.id for i in (first, *later[:2])]
    assert set(members["s1"][0]) == {"id", "source", "outlet", "title", "published", "duplicate_of"}


def test_an_untitled_story_is_listed_with_the_start_of_its_first_article(store: Store) -> None:
    first = NewArticle(Article(id="u1", source="u", text="First words here. More."), 1, "s1")
    later = NewArticle(Article(id="u2", source="u", text="Later words."), 2, "s1")
    store.write_batch([later, first])
    (row,) = store.stories()
    assert (row.title, row.lead) == (None, "First words here. More.")
    store.write_batch([item(3, "s2")])
    assert {r.id: r.lead for r in store.stories()}["s2"] is None  # titled: no lead needed


def test_story_articles_come_back_whole_in_arrival_order(store: Store) -> None:
    copy = NewArticle(
        Article(id="c1", source="c", text="Copy text.", outlet="Wire", duplicate_of=art(1).id),
        5,
        "s1",
    )
    store.write_batch([item(2, "s1", arrival=2), item(1, "s1", arrival=1), copy])
    articles = store.story_articles("s1")
    assert [a.id for a in articles] == [art(1).id, art(2).id, "c1"]
    assert articles[0] == art(1)
    assert articles[2].duplicate_of == art(1).id
    assert store.stories_of([art(1).id, "c1", "nope"]) == {art(1).id: "s1", "c1": "s1"}


def test_signatures_and_recent_memberships_for_start_up(store: Store) -> None:
    copy = NewArticle(Article(id="c1", source="c", text="t", duplicate_of=art(1).id), 4, "s1", b"z")
    store.write_batch(
        [
            item(1, "s1", published="2025-01-01"),
            item(2, "s2", published="2025-03-01"),
            item(3, "s2"),
            copy,
        ]
    )
    assert list(store.signatures()) == [(art(n).id, bytes([n]) * 4) for n in (1, 2, 3)]
    assert store.max_arrival() == 4
    assert store.latest_published() == "2025-03-01"
    recent = list(store.recent_memberships(1))
    assert [(a.id, arrival, s) for a, arrival, s in recent] == [(art(3).id, 3, "s2")]
    recent = list(store.recent_memberships(1, since_published="2025-02-01"))
    assert [a.id for a, _, _ in recent] == [art(2).id, art(3).id]
    recent = list(store.recent_memberships(1, since_published="2024-01-01", cap=2))
    assert [a.id for a, _, _ in recent] == [art(2).id, art(3).id]  # the cap bounds it
    assert len(list(store.recent_memberships(100))) == 3  # copies are never replayed


def test_find_story_by_id_or_unique_prefix(store: Store) -> None:
    store.write_batch([item(1, "sab1"), item(2, "sab2"), item(3, "sc_")])
    assert store.find_story("sab1") == ["sab1"]
    assert store.find_story("sab") == ["sab1", "sab2"]
    assert store.find_story("sc_") == ["sc_"]
    assert store.find_story("s_") == []  # "_" is not a wildcard
    assert store.find_story("zz") == []


# -- brief cache, feeds, runs ---------------------------------------------------------------


def test_brief_cache_hits_on_the_same_key_and_is_replaced(store: Store) -> None:
    store.write_batch([item(1, "s1")])
    assert store.cached_brief("s1", "json", "k1") is None
    store.save_brief("s1", "json", "k1", "body one")
    assert store.cached_brief("s1", "json", "k1") == "body one"
    assert store.cached_brief("s1", "markdown", "k1") is None
    store.save_brief("s1", "json", "k2", "body two")
    assert store.cached_brief("s1", "json", "k1") is None
    assert store.cached_brief("s1", "json", "k2") == "body two"
    assert count(store, "briefs") == 1


def test_feed_state_counts_failures_and_keeps_validators(store: Store) -> None:
    url = "http://feeds.example/a.rss"
    store.save_validators([(url, '"v1"', "Sat, 01 Mar 2025 10:00:00 GMT")])
    first = store.record_feed(url, status="HTTP 500", ok=False, retry_after=60)
    second = store.record_feed(url, status="timed out", ok=False, retry_after=120)
    assert (first.failures, second.failures) == (1, 2)
    assert second.next_retry is not None and second.next_retry > first.next_retry  # type: ignore[operator]
    assert second.etag == '"v1"' and second.last_status == "timed out"
    ok = store.record_feed(url, status="ok", ok=True)
    assert (ok.failures, ok.next_retry, ok.etag) == (0, None, '"v1"')
    assert set(store.feed_states()) == {url}


def test_ingest_runs_are_recorded(store: Store) -> None:
    run = store.start_run(["a.jsonl", "http://x/feed"])
    store.finish_run(run, RunCounts(added=5, duplicates=1, skipped=2, errors=1))
    (row,) = store.runs()
    assert row["id"] == run and row["status"] == "done"
    assert (row["added"], row["duplicates"], row["skipped"], row["errors"]) == (5, 1, 2, 1)


# -- opening: locations and errors ----------------------------------------------------------


def test_default_location_is_env_or_newsdesk_db(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSDESK_DB", raising=False)
    open_store().close()
    assert (tmp_path / "newsdesk.db").is_file()
    monkeypatch.setenv("NEWSDESK_DB", str(tmp_path / "other.db"))
    open_store().close()
    assert (tmp_path / "other.db").is_file()


def test_sqlite_url_and_wal_mode(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path}/url.db") as store:
        assert store._execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert (tmp_path / "url.db").is_file()


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("mysql://me:secret@db/news", "unsupported database URL 'mysql://me:***@db/news'; use a"),
        ("/no/such/folder/desk.db", "folder '/no/such/folder' does not exist"),
    ],
)
def test_bad_locations_are_usage_errors(location: str, message: str) -> None:
    with pytest.raises(BadDatabaseURL, match=message.replace("*", r"\*")):
        open_store(location)


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(BadDatabaseURL, match="is a folder"):
        open_store(str(tmp_path))


def test_a_file_that_is_not_sqlite_is_a_store_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all, just some bytes" * 100)
    with pytest.raises(StoreError, match="not a newsdesk database"):
        open_store(str(junk))


def test_unreachable_postgres_names_host_and_port() -> None:
    # Port 1 on localhost: nothing listens there, so the connection is refused at once.
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://nobody@localhost:1/news?connect_timeout=3")
    message = str(caught.value)
    assert message.startswith("cannot connect to PostgreSQL at localhost:1: ")
    assert "\n" not in message


def test_a_writer_waits_for_another_connection(tmp_path: Path) -> None:
    path = str(tmp_path / "busy.db")
    open_store(path).close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Timer(0.3, lambda: holder.execute("COMMIT"))
    released.start()
    try:
        with open_store(path) as store:
            store.write_batch([item(1, "s1")])  # waits for the lock, then writes
            assert count(store, "articles") == 1
    finally:
        released.join()
        holder.close()


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="NEWSDESK_TEST_PG is not set")
def test_postgres_reconnects_after_the_server_dropped_the_connection() -> None:
    # A restarted server (here: the backend killed) breaks the connection for good; the store
    # reports it once, then opens a new one, so `newsdesk watch` recovers by itself.
    import psycopg

    assert PG_URL
    with open_store(PG_URL) as store:
        pid = store._execute("SELECT pg_backend_pid()").fetchone()[0]
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(StoreError, match="lost PostgreSQL"):
            store.count_articles()
        assert store.count_articles() >= 0
        with store.transaction():
            store._execute("SELECT 1")


class _Faulty:
    """A sqlite3 connection that fails one statement the way a full disk does."""

    def __init__(self, conn: sqlite3.Connection, fail_on: str, *, rolled_back: bool) -> None:
        self.conn, self.fail_on, self.rolled_back = conn, fail_on, rolled_back

    def _maybe_fail(self, sql: str) -> None:
        if self.fail_on and sql.startswith(self.fail_on):
            self.fail_on = ""
            if self.rolled_back:  # SQLite ends the transaction itself on SQLITE_FULL/IOERR
                self.conn.execute("ROLLBACK")
            raise sqlite3.OperationalError("database or disk is full")

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        self._maybe_fail(sql)
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        self._maybe_fail(sql)
        return self.conn.executemany(sql, rows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


@pytest.mark.parametrize(
    ("fail_on", "rolled_back"),
    [("INSERT INTO articles", True), ("INSERT INTO articles", False), ("COMMIT", False)],
)
def test_a_failed_write_is_a_store_error_and_the_store_stays_usable(
    tmp_path: Path, fail_on: str, rolled_back: bool
) -> None:
    with open_store(str(tmp_path / "full.db")) as store:
        store._conn = _Faulty(store._conn, fail_on, rolled_back=rolled_back)  # type: ignore[attr-defined]
        with pytest.raises(StoreError, match="disk is full"):
            store.write_batch([item(1, "s1")])
        store.write_batch([item(2, "s2")])  # not stuck in the failed transaction
        assert count(store, "articles") == 1


@pytest.mark.parametrize(
    "content", [b"x", b"Bridge shut.\n", b"SQLite format 2\x00" + b"\x00" * 84]
)
def test_a_small_file_that_is_not_sqlite_is_refused_and_left_alone(
    tmp_path: Path, content: bytes
) -> None:
    # SQLite takes a file under 512 bytes for an empty database and would write a schema
    # over it: `--db notes.txt` must not turn someone's notes into a database.
    notes = tmp_path / "notes.txt"
    notes.write_bytes(content)
    with pytest.raises(StoreError, match="not a newsdesk database"):
        open_store(str(notes))
    assert notes.read_bytes() == content


def test_an_empty_file_becomes_a_database(tmp_path: Path) -> None:
    empty = tmp_path / "desk.db"
    empty.touch()
    with open_store(str(empty)) as store:
        assert store.schema_version() == LATEST_VERSION
