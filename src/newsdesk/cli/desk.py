"""``newsdesk ingest``, ``stories``, ``show`` and ``watch``: the desk, over a store.

Each command opens the store named by ``--db`` (default ``$NEWSDESK_DB`` or ``newsdesk.db``),
calls one function of ``newsdesk.desk`` and prints the result. Nothing heavy is imported
before a command runs, so ``newsdesk brief`` starts as fast without these commands.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import UsageError
from . import positive_int

if TYPE_CHECKING:
    from ..desk import Desk, IngestReport
    from ..store import Store, StoryRow


_WORDS = Settings().words  # Settings has slots: its class attributes are not the defaults
BATCH_SIZE = 500  # as newsdesk.desk.BATCH_SIZE, without importing it at start-up


def _warn(message: str) -> None:
    print(f"newsdesk: warning: {message}", file=sys.stderr)


def _open(args: argparse.Namespace, *, create: bool = True) -> Store:
    """The store ``--db`` names; with ``create=False`` (the reading commands) a database file
    that does not exist is refused rather than created: a mistyped --db should not look like
    an empty desk and leave a stray file behind."""
    from ..store import default_location, open_store

    location = args.db or default_location()
    plain_file = "://" not in location and location != ":memory:"
    if not create and plain_file and not os.path.exists(location):
        raise UsageError(f"no database {location}: `newsdesk ingest SOURCE...` creates it")
    return open_store(location)


MAX_EVERY_S = 7 * 86400.0
"""The longest --every: a week. Longer waits overflow the clock ('inf' did, with a traceback)."""


def _positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {value!r}") from None
    if not number > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {value}")
    return number


def _seconds(value: str) -> float:
    number = _positive_float(value)
    if not number <= MAX_EVERY_S:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_EVERY_S:.0f} (a week), got {value}")
    return number


def _fraction(value: str) -> float:
    number = _positive_float(value)
    if number >= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value}")
    return number


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int], None] | None]:
    """A tqdm counter on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    with tqdm(desc=label, unit=" articles", file=sys.stderr, leave=False) as bar:
        yield bar.update


# -- ingest ---------------------------------------------------------------------------------


@contextmanager
def _desk(args: argparse.Namespace, **options: Any) -> Iterator[Desk]:
    """A desk over the store ``--db`` names, with the fetching flags; both closed after."""
    from ..desk import Desk

    with (
        _open(args) as store,
        Desk(store, threshold=args.threshold, allow_private=args.allow_private, **options) as desk,
    ):
        yield desk


def run_ingest(args: argparse.Namespace) -> int:
    with _desk(args, batch_size=args.batch_size) as desk, _progress("ingesting") as progress:
        report = desk.ingest(args.sources, on_warning=_warn, progress=progress)
    print(f"newsdesk: {report.summary()}", file=sys.stderr)
    if report.errors and report.added == 0 and report.skipped == 0:
        return 1  # nothing could be read at all
    return 0


# -- stories --------------------------------------------------------------------------------


def _when(stamp: str) -> str:
    return stamp.replace("T", " ").removesuffix("Z")[:16]


def _lead(text: str | None, width: int = 70) -> str:
    """An untitled story's label: the start of its first article, quoted.

    >>> _lead("Water rose overnight in the valley and reached the first houses by dawn.", 40)
    '“Water rose overnight in the valley and…”'
    """
    line = " ".join((text or "").split())
    if not line:
        return "(untitled)"
    if len(line) > width:
        line = line[:width].rsplit(" ", 1)[0] + "…"
    return f"“{line}”"


def format_stories(rows: list[StoryRow]) -> str:
    """The plain-text story list: one line per story, a header first."""
    if not rows:
        return "no stories yet: add some with `newsdesk ingest SOURCE...`\n"
    lines = [f"{'STORY':<18} {'ARTS':>4} {'OUTL':>4}  {'FIRST SEEN':<16}  {'LAST SEEN':<16}  TITLE"]
    for r in rows:
        lines.append(
            f"{r.id:<18} {r.articles:>4} {len(r.outlets):>4}  {_when(r.first_seen):<16}  "
            f"{_when(r.last_seen):<16}  {r.title or _lead(r.lead)}"
        )
    return "\n".join(lines) + "\n"


def run_stories(args: argparse.Namespace) -> int:
    from ..desk import stories, stories_json
    from .brief import write_output

    with _open(args, create=False) as store:
        if args.json:
            listed = stories_json(store, args.limit)
            text = json.dumps(listed, ensure_ascii=False, indent=2) + "\n"
        else:
            text = format_stories(stories(store, args.limit))
    write_output(text, None)
    return 0


# -- show -----------------------------------------------------------------------------------


def run_show(args: argparse.Namespace) -> int:
    from ..desk import show
    from .brief import write_output

    settings = Settings().replace(words=args.words)
    with _open(args, create=False) as store:
        text = show(store, args.story, fmt=args.format, settings=settings, on_warning=_warn)
    write_output(text, args.output)
    return 0


# -- watch ----------------------------------------------------------------------------------


def _env_rounds() -> int | None:
    """``$NEWSDESK_WATCH_ROUNDS``: stop after that many polls (for tests), else None."""
    value = os.environ.get("NEWSDESK_WATCH_ROUNDS")
    if not value:
        return None
    try:
        return positive_int(value)
    except argparse.ArgumentTypeError:
        raise UsageError(f"NEWSDESK_WATCH_ROUNDS must be a whole number, got {value!r}") from None


def run_watch(args: argparse.Namespace) -> int:
    from ..desk import watch

    rounds = args.max_rounds or _env_rounds()
    stop = threading.Event()

    def request_stop(signum: int, frame: Any) -> None:
        stop.set()

    previous = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}

    def report(n: int, result: IngestReport) -> None:
        print(f"newsdesk: poll {n}: {result.summary()}", file=sys.stderr, flush=True)

    try:
        with _desk(args, retry_base=args.every) as desk:
            watch(
                desk,
                args.feeds,
                every=args.every,
                stop=stop,
                max_rounds=rounds,
                on_warning=_warn,
                on_round=report,
            )
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if stop.is_set():
        print("newsdesk: stopped", file=sys.stderr)
    return 0


# -- registration ---------------------------------------------------------------------------


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help="SQLite file or postgresql:// URL (default $NEWSDESK_DB, else newsdesk.db)",
    )


def _fetching(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="fetch from private, loopback and link-local addresses too",
    )
    parser.add_argument(
        "--threshold",
        type=_fraction,
        default=0.8,
        metavar="X",
        help="shingle similarity at which an article is a syndicated copy (default 0.8)",
    )


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "ingest",
        help="store articles from files, folders, JSONL, feeds, OPML lists and URLs",
        description="Read every SOURCE into the store: syndicated copies are marked and every "
        "article joins a story. Ingesting the same input again changes nothing.",
    )
    p.add_argument(
        "sources", nargs="+", metavar="SOURCE",
        help="file, folder, JSONL, - for stdin, feed or OPML (file or URL), article URL",
    )  # fmt: skip
    _db(p)
    _fetching(p)
    # Articles per transaction; hidden: for tests that kill an ingest between batches.
    p.add_argument("--batch-size", type=positive_int, default=BATCH_SIZE, help=argparse.SUPPRESS)
    p.set_defaults(func=run_ingest)

    s = subparsers.add_parser(
        "stories",
        help="list the stories in the store",
        description="List the stories: id, articles, outlets, first and last seen, title.",
    )
    _db(s)
    s.add_argument("--json", action="store_true", help="JSON, with every story's articles")
    s.add_argument(
        "-n", "--limit", type=positive_int, metavar="N",
        help="only the N most recently active stories",
    )  # fmt: skip
    s.set_defaults(func=run_stories)

    sh = subparsers.add_parser(
        "show",
        help="print one story's brief",
        description="Brief one stored story (cached until the story changes).",
    )
    sh.add_argument("story", metavar="STORY", help="story id, or a unique beginning of one")
    _db(sh)
    sh.add_argument(
        "-f", "--format", default="markdown", choices=("markdown", "json", "html"),
        help="output format (default markdown)",
    )  # fmt: skip
    sh.add_argument(
        "--words", type=positive_int, default=_WORDS, metavar="N",
        help=f"word budget of the summary (default {_WORDS})",
    )  # fmt: skip
    sh.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    sh.set_defaults(func=run_show)

    w = subparsers.add_parser(
        "watch",
        help="poll feeds on a schedule until stopped",
        description="Poll every FEED (feed or OPML, URL or file) every SECONDS and ingest what "
        "is new; a failing feed is retried later with backoff. Stop with Ctrl-C or SIGTERM.",
    )
    w.add_argument("feeds", nargs="+", metavar="FEED")
    w.add_argument(
        "--every", type=_seconds, default=300.0, metavar="SECONDS",
        help="seconds between polls (default 300)",
    )  # fmt: skip
    _db(w)
    _fetching(w)
    # For tests: stop after N polls (also $NEWSDESK_WATCH_ROUNDS).
    w.add_argument("--max-rounds", type=positive_int, default=None, help=argparse.SUPPRESS)
    w.set_defaults(func=run_watch)
