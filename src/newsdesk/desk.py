"""The desk: sources in, stories out, everything kept in a store.

``Desk(store).ingest(sources)`` reads files, folders, JSONL, feeds (URL or file), OPML lists
and article pages; skips what the store has already (content-hash ids); marks syndicated
copies (``SyndicationIndex``); puts every article into a story as it arrives
(``StoryClusterer``); and writes each batch, with its stories and memberships, in one
transaction. ``stories``/``stories_json`` list the stories, ``show`` briefs one (cached in the
store until the story changes), ``watch`` polls feeds until stopped.

The order of one article through the desk, and why:

1. already stored?  one query per batch (``Store.existing_ids``), not one per article;
2. a copy?          the syndication index; a copy joins its original's story and is kept out
                    of the clusterer, so wire copies neither split nor inflate a story;
3. which story?     ``StoryClusterer.assign`` with the article's arrival number;
4. stored           with the batch, in one transaction. Killed before the commit, the batch
                    is simply read again by the next run: nothing lost, nothing twice.

Start-up restores the in-memory state from the store: every original's signature goes back
into the index, the originals of the clustering window are replayed into the clusterer.

>>> from newsdesk.store import open_store
>>> from newsdesk.models import Article
>>> desk = Desk(open_store(":memory:"))
>>> flood = Article.create(source="a", text="Flood waters rose in Elmsworth overnight.")
>>> report = desk.add([flood])
>>> report.added, len(stories(desk.store))
(1, 1)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .config import Settings
from .dates import parse_iso
from .errors import NewsdeskError, NoArticlesError, ReadError, UsageError
from .models import Article
from .store import FeedState, NewArticle, RunCounts, Store, StoreError, StoryRow

if TYPE_CHECKING:
    from .cluster import ClusterSettings, StoryClusterer
    from .dedup.lsh import SyndicationIndex
    from .ingest.fetch import CacheEntry, Fetcher

__all__ = [
    "Desk",
    "IngestReport",
    "brief_key",
    "show",
    "stories",
    "stories_json",
    "watch",
]

log = logging.getLogger(__name__)

OnWarning = Callable[[str], None]
Progress = Callable[[int], None]

BATCH_SIZE = 500
"""Articles per transaction: measured 500-2,000 equally fast on SQLite; 500 loses less on a kill."""

RETRY_BASE_S = 60.0
"""A failed feed waits this long before its next poll, doubling with each failure in a row."""
RETRY_MAX_S = 6 * 3600.0

_STORY_MEMORY = 200_000  # article -> story entries kept for copies; beyond, ask the store


def _warn_default(message: str) -> None:
    log.warning("%s", message)


@dataclass(slots=True)
class IngestReport:
    """What an ingest did.

    ``added`` new articles stored (``duplicates`` of them syndicated copies); ``skipped``
    articles the store had already; ``new_stories`` stories started; ``errors`` one line
    per source (or feed, or page) that could not be read.
    """

    added: int = 0
    duplicates: int = 0
    skipped: int = 0
    new_stories: int = 0
    errors: list[str] = field(default_factory=list)

    def merge(self, other: IngestReport) -> None:
        self.added += other.added
        self.duplicates += other.duplicates
        self.skipped += other.skipped
        self.new_stories += other.new_stories
        self.errors.extend(other.errors)

    @property
    def counts(self) -> RunCounts:
        return RunCounts(self.added, self.duplicates, self.skipped, len(self.errors))

    def summary(self) -> str:
        """One line for people.

        >>> IngestReport(added=3, duplicates=1, skipped=2, new_stories=2).summary()
        'stored 3 new articles (1 syndicated copy), 2 already stored; 2 new stories'
        """
        copies = "copy" if self.duplicates == 1 else "copies"
        line = (
            f"stored {self.added} new article{'s' * (self.added != 1)} "
            f"({self.duplicates} syndicated {copies}), {self.skipped} already stored; "
            f"{self.new_stories} new stor{'y' if self.new_stories == 1 else 'ies'}"
        )
        if self.errors:
            line += f"; {len(self.errors)} unreadable, skipped"
        return line


class _ValidatorCache(dict[str, "CacheEntry"]):
    """The fetcher's conditional-GET cache: a dict whose changes are saved after each commit.

    Saved only once the articles of a source are committed, so a kill in between never
    leaves a validator that would turn the next poll into a 304 and lose the articles.
    """

    def __init__(self, entries: Mapping[str, CacheEntry]) -> None:
        super().__init__(entries)
        self.saved: dict[str, tuple[str | None, str | None]] = {
            url: (e.etag, e.last_modified) for url, e in entries.items()
        }

    def changes(self) -> list[tuple[str, str | None, str | None]]:
        out = []
        for url, entry in self.items():
            pair = (entry.etag, entry.last_modified)
            if self.saved.get(url) != pair:
                out.append((url, *pair))
        return out

    def mark_saved(self, rows: Iterable[tuple[str, str | None, str | None]]) -> None:
        for url, etag, modified in rows:
            self.saved[url] = (etag, modified)

    def discard_unsaved(self) -> None:
        """Back to what the store holds: the articles these validators cover were not stored.

        Kept, they would make the next poll of the same fetcher (``watch`` keeps it across a
        database outage) a 304, and the articles would never be stored.
        """
        from .ingest.fetch import CacheEntry

        for url in list(self):
            if url not in self.saved:
                del self[url]
            elif self.saved[url] != (self[url].etag, self[url].last_modified):
                self[url] = CacheEntry(*self.saved[url])


def _is_feed_file(path: str) -> bool:
    """Whether a local file is a feed or an OPML list (sniffed, whatever its name)."""
    file = Path(path)
    if not file.is_file():
        return False
    from .ingest.feeds import sniff

    try:
        with file.open("rb") as handle:
            head = handle.read(65_536)
    except OSError:
        return False
    return sniff(head) in ("rss", "atom", "rdf", "opml")


class Desk:
    """Ingests sources into ``store``: dedup, clustering and storage, batch by batch.

    ``threshold`` is the shingle Jaccard at which an article is a syndicated copy.
    ``fetch_options`` go to the ``Fetcher`` (``transport``, ``timeout``, ``retries``...).
    State (the syndication index, the clusterer) is loaded from the store on first use.

    >>> from newsdesk.store import open_store
    >>> Desk(open_store(":memory:"), threshold=0.8).threshold
    0.8
    """

    def __init__(
        self,
        store: Store,
        *,
        settings: Settings | None = None,
        threshold: float = 0.8,
        allow_private: bool = False,
        cluster_settings: ClusterSettings | None = None,
        batch_size: int = BATCH_SIZE,
        fetch_options: Mapping[str, Any] | None = None,
        retry_base: float = RETRY_BASE_S,
    ) -> None:
        if not 0.0 < threshold < 1.0:
            raise UsageError(f"--threshold must be between 0 and 1, got {threshold}")
        if batch_size < 1:
            raise UsageError(f"batch size must be at least 1, got {batch_size}")
        self.store = store
        self.settings = settings or Settings()
        self.threshold = threshold
        self.allow_private = allow_private
        self.cluster_settings = cluster_settings
        self.batch_size = batch_size
        self.fetch_options = dict(fetch_options or {})
        self.retry_base = retry_base
        self._index: SyndicationIndex | None = None
        self._clusterer: StoryClusterer | None = None
        self._arrival = 0
        self._story_of: dict[str, str] = {}
        self._fetcher: Fetcher | None = None
        self._cache: _ValidatorCache | None = None

    # -- state ------------------------------------------------------------------------------

    def _load(self) -> tuple[SyndicationIndex, StoryClusterer]:
        """The index and clusterer, restored from the store the first time."""
        if self._index is not None and self._clusterer is not None:
            return self._index, self._clusterer
        from .cluster import StoryClusterer
        from .dedup.lsh import SyndicationIndex

        index = SyndicationIndex(threshold=self.threshold)
        for article_id, signature in self.store.signatures():
            index.insert(article_id, signature)
        clusterer = StoryClusterer(self.cluster_settings)
        window = clusterer.settings
        self._story_of.clear()
        # Replay the originals of the clustering window: the latest `window_arrivals` (which
        # bounds undated articles) plus those published within `window_days` of the newest.
        for article, arrival, story_id in self.store.recent_memberships(
            window.window_arrivals,
            since_published=_days_before(self.store.latest_published(), window.window_days),
            cap=window.max_stories,
        ):
            clusterer.record(article, story_id, arrival=arrival)
            self._story_of[article.id] = story_id
        self._arrival = self.store.max_arrival()
        self._index, self._clusterer = index, clusterer
        return index, clusterer

    def _forget(self) -> None:
        """Drop the in-memory state (after a failed write): reloaded from the store next time."""
        self._index = self._clusterer = None
        self._story_of.clear()

    def fetcher(self) -> Fetcher:
        """The desk's HTTP fetcher, its conditional-GET cache loaded from the store."""
        if self._fetcher is None:
            from .ingest.fetch import CacheEntry, Fetcher

            self._cache = _ValidatorCache(
                {
                    url: CacheEntry(etag=s.etag, last_modified=s.last_modified)
                    for url, s in self.store.feed_states().items()
                    if s.etag or s.last_modified
                }
            )
            self._fetcher = Fetcher(
                self._cache, allow_private=self.allow_private, **self.fetch_options
            )
        return self._fetcher

    def close(self) -> None:
        """Close the fetcher (not the store, which the caller opened)."""
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the verbs --------------------------------------------------------------------------

    def add(
        self,
        articles: Iterable[Article],
        *,
        run_id: int | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Store ``articles`` (a stream of any length), batch by batch.

        >>> from newsdesk.store import open_store
        >>> desk = Desk(open_store(":memory:"))
        >>> a = Article.create(source="a", text="The dam held overnight, officials said.")
        >>> desk.add([a]).added, desk.add([a]).skipped
        (1, 1)
        """
        report = IngestReport()
        self._add(articles, report, run_id, progress)
        return report

    def _add(
        self,
        articles: Iterable[Article],
        report: IngestReport,
        run_id: int | None,
        progress: Progress | None,
    ) -> None:
        """``add`` into ``report``: counts of the batches stored before an error or Ctrl-C
        stay in it, so the run's record says what was stored."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.batch_size:
                self._write(batch, report, run_id)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            self._write(batch, report, run_id)
            if progress:
                progress(len(batch))

    def ingest(
        self,
        sources: Sequence[str],
        *,
        on_warning: OnWarning | None = None,
        progress: Progress | None = None,
        stop: threading.Event | None = None,
    ) -> IngestReport:
        """Read every source into the store; an unreadable source is a warning, not an end.

        A source is a file, a folder, ``-``, a JSONL file, a feed or OPML list (file or URL)
        or an article page URL. Records the run in the store. ``stop``, when set, ends the
        run after the current source.
        """
        warn = on_warning or _warn_default
        report = IngestReport()
        run_id = self.store.start_run(sources)
        status = "failed"
        try:
            for source in sources:
                if stop is not None and stop.is_set():
                    status = "stopped"
                    break
                self._ingest_one(source, run_id, warn, progress, report)
            else:
                status = "done"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            self.store.finish_run(run_id, report.counts, status)
        return report

    def _ingest_one(
        self,
        source: str,
        run_id: int,
        warn: OnWarning,
        progress: Progress | None,
        report: IngestReport,
    ) -> None:
        """Read one source into the store, counting into ``report`` as batches are stored."""
        from .ingest.feeds import is_url
        from .ingest.reader import STDIN_SOURCE

        errors_before = len(report.errors)
        failed: dict[str, ReadError] = {}

        def skip(error: NewsdeskError) -> None:
            text = str(error)
            # Errors name the source already, standard input as "<stdin>" (not "-").
            named = source in text or (source == "-" and STDIN_SOURCE in text)
            message = text if named else f"{source}: {text}"
            report.errors.append(message)
            warn(f"skipped {message}")

        def fetch_error(where: str, error: ReadError) -> None:
            failed[where] = error
            skip(error)

        remote = is_url(source)
        scheme = source.partition("://")[0]
        if not remote and scheme != source and scheme.isalpha() and not Path(source).exists():
            skip(ReadError(source, f"unsupported URL scheme '{scheme}'; newsdesk reads http(s)"))
            return
        try:
            if remote or _is_feed_file(source):
                from .ingest.feeds import iter_source_articles

                articles: Iterable[Article] = iter_source_articles(
                    source, fetcher=self.fetcher(), on_error=fetch_error
                )
            else:
                from .ingest import read_articles

                articles = read_articles([source], settings=self.settings, on_skip=skip)
            self._add(articles, report, run_id, progress)
        except StoreError:
            if self._cache is not None:
                self._cache.discard_unsaved()
            raise
        except ReadError as error:
            if remote:
                fetch_error(source, error)
            else:
                skip(error)
        except NoArticlesError as error:
            if len(report.errors) == errors_before:  # else each bad file was named: no echo
                skip(error)
        except NewsdeskError as error:  # a missing path
            skip(error)
        except OSError as error:
            skip(ReadError(source, error.strerror or str(error)))
        self._save_validators()
        if remote:
            self._record_feed(source, failed.get(source))
        for where, problem in failed.items():
            if where != source and is_url(where):
                self._record_feed(where, problem)

    def _record_feed(self, url: str, error: ReadError | None) -> FeedState:
        if error is None:
            return self.store.record_feed(url, status="ok", ok=True)
        failures = self.store.feed_states().get(url, FeedState(url)).failures
        wait = min(RETRY_MAX_S, self.retry_base * 2**failures)
        return self.store.record_feed(url, status=error.reason, ok=False, retry_after=wait)

    def _save_validators(self) -> None:
        if self._cache is None:
            return
        rows = self._cache.changes()
        if rows:
            self.store.save_validators(rows)
            self._cache.mark_saved(rows)

    def _write(self, batch: list[Article], report: IngestReport, run_id: int | None) -> None:
        """Dedup, cluster and store one batch, in one transaction.

        The transaction holds the store's write lock from the start: another ingest at the
        same time waits for it, and this one first takes in what the other stored, so
        neither misses the other's originals nor reuses its arrival numbers.
        """
        try:
            with self.store.transaction():
                self.store.lock_writes()
                self._catch_up()
                self._write_locked(batch, report, run_id)
        except BaseException:
            self._forget()  # the index and clusterer may hold articles the store does not
            raise

    def _catch_up(self) -> None:
        """Take in the originals other processes stored since this desk loaded its state."""
        if self._index is None or self._clusterer is None:
            return  # not loaded yet: _load reads everything
        latest = self.store.max_arrival()
        if latest <= self._arrival:
            return  # the common case: nobody else wrote
        for article_id, signature in self.store.signatures(after=self._arrival):
            self._index.insert(article_id, signature)
        for article, arrival, story_id in self.store.originals_since(self._arrival):
            self._clusterer.record(article, story_id, arrival=arrival)
            self._story_of[article.id] = story_id
        self._arrival = latest

    def _write_locked(self, batch: list[Article], report: IngestReport, run_id: int | None) -> None:
        index, clusterer = self._load()
        stored = self.store.existing_ids(list({a.id for a in batch}))
        seen: set[str] = set()
        items: list[NewArticle] = []
        missing: list[str] = []  # originals of copies whose story is not in memory
        for article in batch:
            if article.id in stored or article.id in seen:
                report.skipped += 1
                continue
            seen.add(article.id)
            signature = index.signature(article.text)
            original = index.add(article.id, signature)
            self._arrival += 1
            if original is None:
                story_id = clusterer.assign(article, arrival=self._arrival)
            else:
                article = dataclasses.replace(article, duplicate_of=original)
                story_id = self._story_of.get(original, "")
                if not story_id:
                    missing.append(original)
                report.duplicates += 1
            # A copy's signature is never loaded again (copies are not indexed): not stored.
            kept = signature if original is None else None
            items.append(NewArticle(article, self._arrival, story_id, kept))
            self._story_of[article.id] = story_id
        if missing:  # originals older than the memory: one query for the whole batch
            found = self.store.stories_of(missing)
            for i, item in enumerate(items):
                if not item.story_id:
                    original = item.article.duplicate_of or ""
                    story_id = found.get(original) or "s" + original
                    items[i] = dataclasses.replace(item, story_id=story_id)
                    self._story_of[item.article.id] = story_id
        story_ids = list({item.story_id for item in items})
        known = self.store.existing_ids(story_ids, table="stories")
        self.store.write_batch(items, run_id=run_id)
        report.new_stories += len(story_ids) - len(known)
        report.added += len(items)
        if len(self._story_of) > _STORY_MEMORY:
            self._story_of = {i.article.id: i.story_id for i in items}


def _days_before(published: str | None, days: float) -> str | None:
    """The date ``days`` before ``published`` (ISO), as ``YYYY-MM-DD``; None if unreadable.

    >>> _days_before("2024-03-10T12:00:00+00:00", 7)
    '2024-03-03'
    """
    when = parse_iso(published)
    return None if when is None else (when - timedelta(days=days)).date().isoformat()


# -- reading the store -----------------------------------------------------------------------


def stories(store: Store, limit: int | None = None) -> list[StoryRow]:
    """Every story (or the ``limit`` latest), the latest active first.

    >>> from newsdesk.store import open_store
    >>> stories(open_store(":memory:"))
    []
    """
    return store.stories(limit)


def stories_json(store: Store, limit: int | None = None) -> list[dict[str, Any]]:
    """The stories as ``newsdesk stories --json`` prints them.

    ``[{"id", "title", "articles": [{"id", "source", "outlet", "title", "published",
    "duplicate_of"}], "outlets", "first_seen", "last_seen"}]``, latest active first.

    >>> from newsdesk.store import open_store
    >>> store = open_store(":memory:")
    >>> dam = Article.create(source="a.txt", text="The dam held.", outlet="Wire", title="Dam")
    >>> _ = Desk(store).add([dam])
    >>> [(s["title"], s["outlets"], len(s["articles"])) for s in stories_json(store)]
    [('Dam', ['Wire'], 1)]
    """
    members = store.story_members(limit)
    return [
        {
            "id": row.id,
            "title": row.title,
            "articles": members.get(row.id, []),
            "outlets": list(row.outlets),
            "first_seen": row.first_seen,
            "last_seen": row.last_seen,
        }
        for row in store.stories(limit)
    ]


def resolve_story(store: Store, story: str) -> str:
    """The one story id ``story`` names (its id or a unique beginning of it)."""
    if not story.strip():  # a beginning of nothing would name every story
        raise UsageError("no story given; `newsdesk stories` lists them")
    found = store.find_story(story)
    if not found:
        raise UsageError(f"no story '{story}'; `newsdesk stories` lists them")
    if len(found) > 1:
        more = ", ..." if len(found) > 5 else ""
        raise UsageError(f"story '{story}' is ambiguous: {', '.join(found[:5])}{more}")
    return found[0]


BRIEF_CACHE_VERSION = 1
"""Bump when a brief of the same articles and settings would come out different."""


def brief_key(articles: Sequence[Article], settings: Settings, fmt: str) -> str:
    """The cache key of a story's brief: its members, the settings, the format, the version.

    >>> a = Article.create(source="a", text="x")
    >>> brief_key([a], Settings(), "json") == brief_key([a], Settings(), "json")
    True
    >>> brief_key([a], Settings(), "json") == brief_key([a], Settings(words=50), "json")
    False
    """
    payload = {
        "cache": BRIEF_CACHE_VERSION,
        "newsdesk": __version__,
        "articles": [[a.id, a.duplicate_of] for a in articles],
        "settings": dataclasses.asdict(settings),
        "format": fmt,
    }
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def show(
    store: Store,
    story: str,
    *,
    fmt: str = "markdown",
    settings: Settings | None = None,
    on_warning: OnWarning | None = None,
) -> str:
    """The brief of one story rendered as ``fmt``, from the cache when the story is unchanged.

    ``story`` is a story id or a unique beginning of one. A brief that cannot be cached (the
    database busy with a long write) is still returned.

    >>> from newsdesk.store import open_store
    >>> store = open_store(":memory:")
    >>> dam = Article.create(source="a", text="The dam held overnight, officials said.")
    >>> _ = Desk(store).add([dam])
    >>> show(store, "s").splitlines()[0]
    '# The dam held overnight, officials said.'
    """
    settings = settings or Settings()
    story_id = resolve_story(store, story)
    articles = store.story_articles(story_id)
    key = brief_key(articles, settings, fmt)
    cached = store.cached_brief(story_id, fmt, key)
    if cached is not None:
        return cached
    from .pipeline import brief
    from .render import render

    warn = on_warning or _warn_default
    body = render(brief(articles, settings, on_skip=lambda e: warn(f"skipped {e}")), fmt)
    try:
        store.save_brief(story_id, fmt, key, body)
    except StoreError as error:
        warn(f"brief not cached: {error}")
    return body


# -- watching feeds --------------------------------------------------------------------------


def expand_feeds(
    desk: Desk,
    sources: Sequence[str],
    warn: OnWarning,
    lists: dict[str, list[str] | None] | None = None,
) -> list[str]:
    """The feeds to poll: OPML lists expanded into their feeds, other sources as given.

    ``lists`` remembers across rounds what each source turned out to be (``None``: a feed
    itself; else the feeds the OPML list names), so a feed is not fetched twice per round;
    OPML lists are read again each round (they change), keeping the last list on a failure.
    A source not yet known and not due (it failed recently) waits like any feed.
    """
    from .ingest.feeds import is_url, list_feeds

    lists = {} if lists is None else lists
    ready = set(due(desk.store, sources))
    feeds: list[str] = []
    for source in sources:
        known = lists.get(source, [])
        if known is None or not (is_url(source) or _is_feed_file(source)):
            feeds.append(source)  # a feed (or a file ingest reports on by itself)
            continue
        if source in ready:
            try:
                listed = list_feeds(source, fetcher=desk.fetcher())
                known = None if listed == [source] else listed
                lists[source] = known
            except ReadError as error:
                warn(f"skipped {error}")
                if is_url(source):
                    desk._record_feed(source, error)
        if known is None:
            feeds.append(source)
        else:
            feeds.extend(known)
    return list(dict.fromkeys(feeds))


def due(store: Store, feeds: Sequence[str], now: float | None = None) -> list[str]:
    """The feeds whose retry time has come (all of them but recently failed ones)."""
    now = time.time() if now is None else now
    states = store.feed_states()
    return [
        f
        for f in feeds
        if (state := states.get(f)) is None or state.next_retry is None or state.next_retry <= now
    ]


def watch(
    desk: Desk,
    sources: Sequence[str],
    *,
    every: float,
    stop: threading.Event,
    max_rounds: int | None = None,
    on_warning: OnWarning | None = None,
    on_round: Callable[[int, IngestReport], None] | None = None,
) -> int:
    """Poll ``sources`` every ``every`` seconds until ``stop`` is set; returns rounds run.

    Each round polls the feeds that are due: a feed that failed waits ``retry_base * 2**n``
    seconds (n failures in a row) before it is tried again, so a broken feed neither stops
    the others nor gets hammered.
    """
    warn = on_warning or _warn_default
    rounds = 0
    lists: dict[str, list[str] | None] = {}
    while not stop.is_set():
        report = IngestReport()
        try:
            feeds = expand_feeds(desk, sources, warn, lists)
            ready = due(desk.store, feeds)
            if ready:
                report = desk.ingest(ready, on_warning=warn, stop=stop)
        except StoreError as error:
            # A database that went away for a while (a restarted server): keep polling.
            warn(f"poll failed, trying again in {every:g} s: {error}")
        rounds += 1
        if on_round:
            on_round(rounds, report)
        if max_rounds is not None and rounds >= max_rounds:
            break
        stop.wait(every)
    return rounds
