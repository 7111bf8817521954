"""The desk: ingest -> store -> syndication -> stories -> briefs, and its commands.

Library tests run on both store backends (see tests/test_store.py); the process tests
(kill -9, two processes on one file, watch stopped by a signal) use SQLite files, and the
feed tests a real HTTP server on 127.0.0.1 (hence --allow-private).
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import newsdesk.cli
from newsdesk import pipeline
from newsdesk.config import Settings
from newsdesk.desk import Desk, due, show, stories, stories_json, watch
from newsdesk.errors import UsageError
from newsdesk.models import Article
from newsdesk.store import Store, StoreError, open_store

from .test_store import store_url  # noqa: F401 - the backend-parametrized fixture

DATA = Path(__file__).resolve().parent / "data" / "desk"
STREAM = DATA / "stream.jsonl"
LATER = DATA / "later.jsonl"
BROKEN = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Broken & <<</title>'
FAST = {"retries": 0, "per_host_interval": 0.0, "timeout": 3.0}

# Runs the CLI with the desk commands registered, whatever COMMAND_MODULES says.
CLI = (
    "import sys, newsdesk.cli as c; "
    "c.COMMAND_MODULES = tuple(dict.fromkeys((*c.COMMAND_MODULES, 'desk'))); "
    "sys.exit(c.main(sys.argv[1:]))"
)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:  # noqa: F811 - the imported fixture
    with open_store(store_url) as opened:
        yield opened


def titles(store: Store) -> dict[str, set[str]]:
    """Story id -> the titles of its articles."""
    return {story["id"]: {a["title"] for a in story["articles"]} for story in stories_json(store)}


def story_with(store: Store, word: str) -> str:
    (story,) = [s for s, t in titles(store).items() if any(word in (x or "") for x in t)]
    return story


def flood_story(store: Store) -> str:
    return story_with(store, "Tarrow")


# -- the library ----------------------------------------------------------------------------


def test_ingest_marks_copies_and_groups_stories(store: Store) -> None:
    report = Desk(store).ingest([str(STREAM)])
    assert (report.added, report.duplicates, report.new_stories, report.errors) == (5, 1, 2, [])
    groups = sorted(titles(store).values(), key=len)
    assert groups[0] == {
        "Castlebury council approves tram line to the harbour",
        "Tram to Castlebury harbour wins council vote",
    }
    assert len(groups[1]) == 3 and all("Millbeck" in t or "Tarrow" in t for t in groups[1])
    (flood,) = [s for s in stories_json(store) if len(s["articles"]) == 3]
    original, copy = flood["articles"][0], flood["articles"][1]
    assert copy["outlet"] == "Valley Post" and copy["duplicate_of"] == original["id"]
    assert original["duplicate_of"] is None
    assert set(flood["outlets"]) == {"Tarrow Gazette", "Valley Post", "Northern Ledger"}


def test_ingesting_the_same_input_twice_changes_nothing(store: Store) -> None:
    Desk(store).ingest([str(STREAM)])
    before = stories_json(store)
    again = Desk(store).ingest([str(STREAM), str(STREAM)])
    assert (again.added, again.skipped, again.new_stories) == (0, 10, 0)
    assert stories_json(store) == before
    assert store.count_articles() == 5


def test_a_restarted_desk_continues_stories_and_finds_old_originals(store: Store) -> None:
    Desk(store).ingest([str(STREAM)])
    flood = flood_story(store)
    # A new desk (a new process) reloads the index and replays the window from the store.
    later = Desk(store).ingest([str(LATER)])
    assert (later.added, later.new_stories) == (1, 0)
    assert "Tarrow River peaks in Millbeck, bridge stays shut" in titles(store)[flood]
    wire = json.loads(STREAM.read_text().splitlines()[0])
    original = next(a for a in store.story_articles(flood) if a.outlet == wire["outlet"])
    copy = Article.create(
        source="hh", text=wire["text"] + " Distributed by the Hill Herald.", outlet="Hill Herald"
    )
    report = Desk(store).add([copy])
    assert (report.added, report.duplicates, report.new_stories) == (1, 1, 0)
    (stored,) = [a for a in store.story_articles(flood) if a.id == copy.id]
    assert stored.duplicate_of == original.id


def test_an_unreadable_source_is_a_warning_and_the_rest_is_stored(
    store: Store, tmp_path: Path
) -> None:
    warnings: list[str] = []
    broken = tmp_path / "broken.rss"
    broken.write_text(BROKEN.decode())
    report = Desk(store).ingest(
        [str(tmp_path / "missing.jsonl"), str(broken), str(STREAM)], on_warning=warnings.append
    )
    assert report.added == 5
    assert len(report.errors) == 2 and len(warnings) == 2
    assert "missing.jsonl" in warnings[0] and "broken.rss" in warnings[1]
    assert all("\n" not in w for w in warnings)
    (run,) = store.runs()
    assert (run["status"], run["added"], run["errors"]) == ("done", 5, 2)


def test_empty_standard_input_is_named_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    warnings: list[str] = []
    Desk(store).ingest(["-"], on_warning=warnings.append)
    assert warnings[0] == "skipped <stdin>: empty file"


def test_show_caches_the_brief_until_the_story_changes(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    Desk(store).ingest([str(STREAM)])
    flood = flood_story(store)
    calls: list[int] = []
    real = pipeline.brief

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "brief", counting)
    first = show(store, flood)
    assert first.startswith("# ") and "Valley Post" in first
    assert show(store, flood) == first and len(calls) == 1
    assert json.loads(show(store, flood[:6], fmt="json"))["title"] and len(calls) == 2
    Desk(store).ingest([str(LATER)])  # the story changes: rebuilt
    changed = show(store, flood)
    assert len(calls) == 3 and "Tarrow River peaks" in changed
    show(store, flood, settings=Settings(words=30))  # other settings: another brief
    assert len(calls) == 4


def test_show_names_an_unknown_story(store: Store) -> None:
    with pytest.raises(UsageError, match="no story 'nope'"):
        show(store, "nope")


# -- feeds over HTTP ------------------------------------------------------------------------


class FeedServer:
    """A local HTTP server: /wire.rss (with an ETag), /fail.rss (500), /broken.rss."""

    def __init__(self) -> None:
        self.hits: list[tuple[str, str | None, int]] = []  # path, If-None-Match, status
        wire = (DATA / "wire.rss").read_bytes()
        page = (DATA / "story.html").read_bytes()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                etag = '"wire-v1"'
                if self.path == "/wire.rss":
                    if self.headers.get("If-None-Match") == etag:
                        status, body = 304, b""
                    else:
                        status, body = 200, wire
                elif self.path == "/broken.rss":
                    status, body = 200, BROKEN
                elif self.path == "/story.html":
                    status, body = 200, page
                elif self.path == "/fail.rss":
                    status, body = 500, b"oops"
                elif self.path == "/loop.rss":
                    server.hits.append((self.path, None, 302))
                    self.send_response(302)
                    self.send_header("Location", "/loop.rss")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                elif self.path == "/slow.rss":
                    server.hits.append((self.path, None, 200))
                    time.sleep(2.5)  # longer than the fetcher's timeout
                    return
                elif self.path == "/huge.rss":
                    # 200 MB with no Content-Length: the fetcher must cut it at its cap.
                    server.hits.append((self.path, None, 200))
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rss+xml")
                    self.end_headers()
                    chunk = b"<rss>" + b" " * (1 << 20)
                    try:
                        for _ in range(200):
                            self.wfile.write(chunk)
                    except OSError:
                        pass  # the client hung up, as it should
                    return
                else:
                    status, body = 404, b"no"
                server.hits.append((self.path, self.headers.get("If-None-Match"), status))
                self.send_response(status)
                if status != 304:
                    html = self.path.endswith(".html")
                    self.send_header("Content-Type", "text/html" if html else "application/rss+xml")
                    self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def count(self, path: str) -> int:
        return sum(1 for p, _, _ in self.hits if p == path)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    running = FeedServer()
    yield running
    running.close()


def test_a_second_poll_is_a_conditional_get_even_in_a_new_process(
    store: Store, server: FeedServer
) -> None:
    url = f"{server.url}/wire.rss"
    with Desk(store, allow_private=True, fetch_options=FAST) as desk:
        first = desk.ingest([url])
    assert (first.added, first.new_stories) == (2, 1)
    with Desk(store, allow_private=True, fetch_options=FAST) as desk:  # validators from the store
        second = desk.ingest([url])
    assert (second.added, second.skipped, second.errors) == (0, 0, [])
    assert server.hits[-1] == ("/wire.rss", '"wire-v1"', 304)
    state = store.feed_states()[url]
    assert (state.etag, state.last_status, state.failures) == ('"wire-v1"', "ok", 0)


def test_validators_are_kept_only_once_the_articles_are_stored(
    store: Store, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"{server.url}/wire.rss"

    def crash(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt  # the process dies before the batch commits

    with monkeypatch.context() as patch:
        patch.setattr(store, "write_batch", crash)
        with pytest.raises(KeyboardInterrupt), Desk(store, allow_private=True) as desk:
            desk.fetch_options = FAST
            desk.ingest([url])
    with Desk(store, allow_private=True, fetch_options=FAST) as desk:
        report = desk.ingest([url])
    assert server.hits[-1] == ("/wire.rss", None, 200)  # not a 304: nothing was lost
    assert report.added == 2


def test_a_failed_write_forgets_validators_of_what_it_did_not_store(
    store: Store, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `watch` keeps its desk (and its fetcher) across a database outage: the validators of a
    # poll whose batch was not stored must not make the next poll a 304 that loses it.
    url = f"{server.url}/wire.rss"
    real = store.write_batch
    calls: list[int] = []

    def busy_once(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise StoreError("database is busy")
        real(*args, **kwargs)

    monkeypatch.setattr(store, "write_batch", busy_once)
    with Desk(store, allow_private=True, fetch_options=FAST) as desk:
        with pytest.raises(StoreError):
            desk.ingest([url])
        report = desk.ingest([url])
    assert server.hits[-1] == ("/wire.rss", None, 200)
    assert report.added == 2


def test_watch_keeps_polling_through_a_database_outage(
    store: Store, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = store.feed_states
    calls: list[int] = []

    def away_once() -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise StoreError("lost PostgreSQL at localhost:5432: server closed the connection")
        return real()

    monkeypatch.setattr(store, "feed_states", away_once)
    warnings: list[str] = []
    rounds: list[int] = []
    with Desk(store, allow_private=True, fetch_options=FAST) as desk:
        ran = watch(
            desk,
            [f"{server.url}/wire.rss"],
            every=0.01,
            stop=threading.Event(),
            max_rounds=2,
            on_warning=warnings.append,
            on_round=lambda n, r: rounds.append(r.added),
        )
    assert ran == 2 and rounds == [0, 2]
    assert warnings[0].startswith("poll failed, trying again in 0.01 s: lost PostgreSQL")


def test_failing_feeds_are_skipped_recorded_and_retried_later(
    store: Store, server: FeedServer
) -> None:
    bad = ["fail", "broken", "loop", "huge", "slow"]
    feeds = [f"{server.url}/{name}.rss" for name in [*bad, "wire"]]
    warnings: list[str] = []
    options = {**FAST, "timeout": 1.0, "max_bytes": 5_000_000}
    with Desk(store, allow_private=True, fetch_options=options) as desk:
        report = desk.ingest(feeds, on_warning=warnings.append)
    assert report.added == 2 and len(report.errors) == len(bad)
    for warning, reason in zip(
        warnings,
        ["HTTP 500", "broken XML", "redirect loop", "larger than", "timed out"],
        strict=True,
    ):
        assert reason in warning and "\n" not in warning
    states = store.feed_states()
    now = time.time()
    for url in feeds[:-1]:
        assert states[url].failures == 1
        assert states[url].next_retry is not None and states[url].next_retry > now + 30
    assert due(store, feeds) == feeds[-1:]
    assert due(store, feeds, now=now + 3600) == feeds


def test_ingest_an_article_url_and_an_opml_list(
    store: Store, server: FeedServer, tmp_path: Path
) -> None:
    opml = tmp_path / "desk.opml"
    opml.write_text(
        '<opml version="2.0"><body>'
        f'<outline type="rss" xmlUrl="{server.url}/fail.rss"/>'
        f'<outline type="rss" xmlUrl="{server.url}/wire.rss"/>'
        "</body></opml>"
    )
    warnings: list[str] = []
    with Desk(store, allow_private=True, fetch_options=FAST) as desk:
        report = desk.ingest([str(opml), f"{server.url}/story.html"], on_warning=warnings.append)
    assert report.added == 3 and len(warnings) == 1 and "fail.rss" in warnings[0]
    assert store.feed_states()[f"{server.url}/fail.rss"].failures == 1
    oldwick = store.story_articles(story_with(store, "Oldwick"))
    assert len(oldwick) == 3  # the page joined the feed's story
    assert f"{server.url}/story.html" in {a.url for a in oldwick}


def test_watch_polls_due_feeds_each_round(store: Store, server: FeedServer) -> None:
    feeds = [f"{server.url}/fail.rss", f"{server.url}/wire.rss"]
    rounds: list[int] = []
    with Desk(store, allow_private=True, fetch_options=FAST, retry_base=3600) as desk:
        ran = watch(
            desk,
            feeds,
            every=0.01,
            stop=threading.Event(),
            max_rounds=3,
            on_warning=lambda _: None,
            on_round=lambda n, r: rounds.append(r.added),
        )
    assert ran == 3 and rounds == [2, 0, 0]
    assert server.count("/fail.rss") == 1  # failed once, then not due for an hour
    # Round 1 reads the source once to learn whether it is an OPML list, then polls it;
    # later rounds only poll, conditionally.
    assert [status for path, _, status in server.hits if path == "/wire.rss"] == [
        200,
        200,
        304,
        304,
    ]


# -- the commands ---------------------------------------------------------------------------


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def nd(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    if "desk" not in newsdesk.cli.COMMAND_MODULES:
        monkeypatch.setattr(
            newsdesk.cli, "COMMAND_MODULES", (*newsdesk.cli.COMMAND_MODULES, "desk")
        )

    def run(*argv: str) -> tuple[int, str, str]:
        code = newsdesk.cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_cli_ingest_stories_show(nd: Run, tmp_path: Path) -> None:
    db = str(tmp_path / "desk.db")
    code, _, err = nd("ingest", str(STREAM), "--db", db)
    assert code == 0
    assert one_line(err) == (
        "newsdesk: stored 5 new articles (1 syndicated copy), 0 already stored; 2 new stories"
    )
    code, out, _ = nd("stories", "--db", db)
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["STORY", "ARTS", "OUTL"] and len(lines) == 3
    code, out, _ = nd("stories", "--db", db, "--json")
    listed = json.loads(out)
    assert [len(s["articles"]) for s in listed] in ([2, 3], [3, 2])
    for story in listed:
        assert {"id", "title", "articles", "outlets", "first_seen", "last_seen"} <= set(story)
        for article in story["articles"]:
            assert {"id", "source", "outlet", "title", "published"} <= set(article)
    flood = next(s["id"] for s in listed if len(s["articles"]) == 3)
    code, out, _ = nd("stories", "--db", db, "--json", "-n", "1")
    assert code == 0 and [s["id"] for s in json.loads(out)] == [listed[0]["id"]]
    code, out, _ = nd("show", flood, "--db", db, "--words", "40")
    assert code == 0 and out.startswith("# ")
    target = tmp_path / "brief.html"
    code, out, _ = nd("show", flood[:8], "--db", db, "-f", "html", "-o", str(target))
    assert code == 0 and out == "" and "<html" in target.read_text().lower()
    code, out, _ = nd("show", flood, "--db", db, "--format", "json")
    assert json.loads(out)["articles"][1]["duplicate_of"] == json.loads(out)["articles"][0]["id"]


def test_cli_uses_newsdesk_db_from_the_environment(
    nd: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_DB", str(tmp_path / "env.db"))
    assert nd("ingest", str(LATER))[0] == 0
    assert (tmp_path / "env.db").is_file()
    code, out, _ = nd("stories", "--json")
    assert code == 0 and len(json.loads(out)) == 1


@pytest.mark.parametrize(
    ("db", "code", "message"),
    [
        (
            "mysql://me@db/news",
            2,
            "newsdesk: error: unsupported database URL 'mysql://me@db/news'; "
            "use a file path or postgresql://",
        ),
        (
            "postgresql://nobody@localhost:1/news",
            1,
            "newsdesk: error: cannot connect to PostgreSQL at localhost:1: ",
        ),
    ],
)
def test_cli_database_errors_are_one_line(nd: Run, db: str, code: int, message: str) -> None:
    for command in (["ingest", str(STREAM)], ["stories"], ["show", "s1"]):
        got, _, err = nd(*command, "--db", db)
        assert got == code
        assert one_line(err).startswith(message)


def test_cli_unreadable_sources(nd: Run, tmp_path: Path) -> None:
    db = str(tmp_path / "desk.db")
    code, _, err = nd("ingest", str(tmp_path / "nope.jsonl"), str(LATER), "--db", db)
    lines = err.strip().splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith("newsdesk: warning: skipped ") and "nope.jsonl" in lines[0]
    code, _, err = nd("ingest", str(tmp_path / "nope.jsonl"), "--db", db)
    assert code == 1  # nothing could be read at all
    code, _, err = nd("show", "zzz", "--db", db)
    assert code == 2 and "no story 'zzz'" in one_line(err)


def test_cli_bad_threshold_is_a_usage_error(nd: Run, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        nd("ingest", str(STREAM), "--threshold", "1.5", "--db", str(tmp_path / "x.db"))
    assert exit_.value.code == 2


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(
    nd: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = nd("ingest", str(STREAM), "--db", str(tmp_path / "a.db"))
    assert code == 0 and "articles/s" not in err and "ingesting" not in err
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert newsdesk.cli.main(["ingest", str(STREAM), "--db", str(tmp_path / "b.db")]) == 0
    assert "ingesting" in terminal.getvalue()


# -- processes: kill -9, two at once, signals -----------------------------------------------


def write_stream(path: Path, n: int, seed: int = 7) -> None:
    """``n`` invented articles in 60 topics (each topic its own vocabulary)."""
    rng = random.Random(seed)
    topics = [[f"t{t}w{i}" for i in range(25)] for t in range(60)]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            topic = topics[i % 60]
            text = " ".join(rng.choice(topic) for _ in range(40)) + f" item{i}."
            record = {"id": str(i), "title": f"Item {i}", "outlet": f"O{i % 5}", "text": text}
            out.write(json.dumps(record) + "\n")


def db_count(db: Path, table: str = "articles") -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    except sqlite3.OperationalError:  # no file yet
        return 0
    try:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:  # no table yet
        return 0
    finally:
        conn.close()


def cli_process(*argv: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CLI, *argv],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_kill_9_mid_ingest_then_again_loses_nothing_stores_nothing_twice(tmp_path: Path) -> None:
    n = 3000
    source, db = tmp_path / "big.jsonl", tmp_path / "desk.db"
    write_stream(source, n)
    args = ("ingest", str(source), "--db", str(db), "--batch-size", "50")
    proc = cli_process(*args, cwd=tmp_path)
    assert wait_for(lambda: db_count(db) >= 100 or proc.poll() is not None)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    killed_at = db_count(db)
    assert 0 < killed_at < n, "the ingest finished before it could be killed"
    assert killed_at % 50 == 0  # whole batches only
    done = subprocess.run(
        [sys.executable, "-c", CLI, *args], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert f"stored {n - killed_at} new articles" in done.stderr
    assert f"{killed_at} already stored" in done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM articles").fetchone() == (
            n,
            n,
        )
        assert conn.execute("SELECT COUNT(*) FROM memberships").fetchone()[0] == n
        assert conn.execute(
            "SELECT COUNT(*) FROM stories WHERE id NOT IN (SELECT story_id FROM memberships)"
        ).fetchone() == (0,)
        runs = conn.execute("SELECT status FROM ingest_runs ORDER BY id").fetchall()
    conn.close()
    assert runs == [("running",), ("done",)]  # the killed run is visible as such
    again = subprocess.run(
        [sys.executable, "-c", CLI, *args], cwd=tmp_path, capture_output=True, text=True
    )
    assert f"stored 0 new articles (0 syndicated copies), {n} already stored" in again.stderr


def test_ingest_and_show_at_once_on_one_sqlite_file(nd: Run, tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    assert nd("ingest", str(STREAM), "--db", str(db))[0] == 0
    with open_store(str(db)) as store:
        flood = flood_story(store)
    source = tmp_path / "big.jsonl"
    write_stream(source, 4000)
    ingest = cli_process("ingest", str(source), "--db", str(db), "--batch-size", "50", cwd=tmp_path)
    try:
        assert wait_for(lambda: db_count(db) > 200)
        overlapped = 0
        for fmt in ("markdown", "json"):
            shown = subprocess.run(
                [sys.executable, "-c", CLI, "show", flood, "--db", str(db), "-f", fmt],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert shown.returncode == 0, shown.stderr
            assert "Tarrow" in shown.stdout
            overlapped += ingest.poll() is None
        listed = subprocess.run(
            [sys.executable, "-c", CLI, "stories", "--db", str(db)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert listed.returncode == 0 and "Tarrow" in listed.stdout
        assert overlapped, "the ingest ended before show ran"
        _, err = ingest.communicate(timeout=120)
    finally:
        ingest.kill()
    assert ingest.returncode == 0, err
    assert db_count(db) == 4005
    assert db_count(db, "briefs") == 2


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_watch_runs_until_a_signal_and_exits_cleanly(
    server: FeedServer, tmp_path: Path, stop: signal.Signals
) -> None:
    db = tmp_path / "desk.db"
    url = f"{server.url}/wire.rss"
    proc = cli_process(
        "watch", url, "--every", "0.2", "--db", str(db), "--allow-private", cwd=tmp_path
    )
    try:
        assert wait_for(lambda: server.count("/wire.rss") >= 3)
        proc.send_signal(stop)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "newsdesk: stopped" in err and "Traceback" not in err
    assert "poll 1: stored 2 new articles" in err
    assert db_count(db) == 2
    assert ("/wire.rss", '"wire-v1"', 304) in server.hits  # later polls are conditional


def test_watch_max_rounds_from_the_environment(
    server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "desk.db"
    env_run = subprocess.run(
        [
            sys.executable,
            "-c",
            CLI,
            "watch",
            f"{server.url}/wire.rss",
            "--every",
            "0.01",
            "--db",
            str(db),
            "--allow-private",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NEWSDESK_WATCH_ROUNDS": "2"},
    )
    assert env_run.returncode == 0, env_run.stderr
    assert "poll 2:" in env_run.stderr and "poll 3:" not in env_run.stderr
    assert len(stories(open_store(str(db)))) == 1


def test_watch_rounds_from_the_environment_must_be_a_number(
    nd: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_WATCH_ROUNDS", "two")
    code, _out, err = nd("watch", "feed.rss", "--db", str(tmp_path / "d.db"))
    assert code == 2
    assert (
        one_line(err) == "newsdesk: error: NEWSDESK_WATCH_ROUNDS must be a whole number, got 'two'"
    )


def test_the_desk_commands_import_nothing_heavy_at_start_up() -> None:
    """`newsdesk brief` builds the parser of every command: ours must stay cheap to import."""
    code = (
        "import sys, newsdesk.cli.desk as d, argparse; "
        "d.register(argparse.ArgumentParser().add_subparsers()); "
        "heavy = {'psycopg', 'httpx', 'datasketch', 'numpy', 'sqlite3', 'tqdm', 'feedparser'}; "
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
