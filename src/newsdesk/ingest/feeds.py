"""Articles from the web: RSS/Atom feeds, OPML lists of feeds, and article pages.

One verb: ``iter_source_articles(source, fetcher=...)`` takes a URL or a file path, sniffs
what it is, and yields ``Article`` records:

    RSS 2.0 / RSS 1.0 / Atom feed (URL or file)   one article per entry
    OPML list (URL or file)                       the articles of every feed it lists
    HTML page (URL)                               one article, through the page extraction

An entry becomes ``Article(source=<the feed>, url=<entry link>, title, outlet=<feed title>,
published=<ISO 8601, UTC>, text=<entry content, else summary, HTML stripped>)``.

Teasers. Many feeds carry only the first lines of each story. With ``fetch_pages`` on, an
entry whose text looks like a teaser (under ``TEASER_WORDS`` words, or ending in "…" /
"Read more") is replaced by its page, fetched with the same ``Fetcher`` and read with the
same extraction as ``newsdesk brief``. Default (``None``): on for feeds read from a URL, off
for feed files, so reading a local file never goes on the network unless asked.

Failures and "retried later". A feed that times out, answers 500, loops, is too big or is
broken XML is reported and skipped; the others go on. Reporting: with ``on_error`` given,
every failure that skips something (the source itself, a feed of an OPML list, the page of
an entry that failed transiently) is passed to ``on_error(source, FetchError)`` and nothing
is raised. Without it, failures are logged, and ``FetchError`` is raised only when nothing
at all could be read (the source itself failed, or every feed of an OPML list did). A page
refused for good (404, not HTML) only logs a warning: the entry keeps its teaser text.
Retrying is free: validators (conditional GET) are remembered only after the articles they
cover were yielded, and a feed's only if none of its pages failed transiently, so the next
poll of a failed or interrupted feed downloads it again; articles already stored are no-ops
(content-hash ids). The caller keeps validators only once it has stored those articles.

Safety: XML that declares entities (``<!ENTITY``: billion laughs, external entities) is
refused before any parser sees it; OPML is parsed with ``defusedxml``; feedparser only ever
gets bytes we fetched, never a URL.

``feedparser``, ``defusedxml`` and ``trafilatura`` are imported when first needed.

>>> from pathlib import Path
>>> feed = Path(__file__).resolve().parents[3] / "tests/data/feeds/riverside.rss"
>>> articles = list(iter_source_articles(str(feed), fetcher=Fetcher()))
>>> articles[0].outlet, articles[0].published
('Riverside Herald', '2024-05-07T08:30:00+00:00')
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

from ..models import Article
from .fetch import Fetcher, FetchError, FetchResult
from .text import replace_surrogates

__all__ = [
    "TEASER_WORDS",
    "FeedEntry",
    "ParsedFeed",
    "SourceFormat",
    "guard_xml",
    "html_to_text",
    "is_url",
    "iter_source_articles",
    "list_feeds",
    "page_article",
    "parse_feed",
    "parse_opml",
    "sniff",
]

log = logging.getLogger(__name__)

SourceFormat = Literal["rss", "atom", "rdf", "opml", "html", "unknown"]
OnError = Callable[[str, FetchError], None]

# An entry shorter than this is taken for a teaser. Not tuned on data (the shared corpus has
# no feeds, and its texts are truncated): teasers in real feeds run 20-80 words, news
# articles rarely fall under 150; a short full entry only costs one extra page fetch.
TEASER_WORDS = 150
_TEASER_ENDINGS = ("…", "...", "[…]", "[...]", "read more", "continue reading", "read more »")

_HEAD_BYTES = 65_536
_FEED_FORMATS = frozenset({"rss", "atom", "rdf"})


# -- sniffing ----------------------------------------------------------------------------------

_DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.S | re.I)
_FIRST_TAG = re.compile(r"<([A-Za-z_][\w:.-]*)")
_ROOTS: dict[str, SourceFormat] = {
    "rss": "rss",
    "feed": "atom",
    "rdf": "rdf",
    "opml": "opml",
    "html": "html",
}


def _head_text(data: bytes) -> str:
    head = data[:_HEAD_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    # Markup is ASCII in every encoding a feed uses but UTF-16; latin-1 never fails.
    return head.decode("latin-1").lstrip("\ufeffï»¿")


def _prolog_end(head: str) -> int:
    """Where the root element may start: after spaces, comments, PIs and a DOCTYPE.

    A scan with ``str.find``: removing ``<!--.*?-->`` with a regex took 3 s on a 64 KB head
    of unclosed ``<!--`` (the lazy pattern is tried, to the end, at every position).
    An unclosed one leaves nothing to read: ``len(head)``.
    """
    pos = 0
    while True:
        while pos < len(head) and head[pos].isspace():
            pos += 1
        if head.startswith(("<!--", "<?"), pos):
            opening, close = ("<!--", "-->") if head[pos + 1] == "!" else ("<?", "?>")
            end = head.find(close, pos + len(opening))
            if end == -1:
                return len(head)
            pos = end + len(close)
        elif head[pos : pos + 9].upper() == "<!DOCTYPE":
            doctype = _DOCTYPE.match(head, pos)
            if doctype is None:
                return len(head)
            pos = doctype.end()
        else:
            return pos


def sniff(data: bytes) -> SourceFormat:
    """What a document is, from its root element (comments, PIs and DOCTYPE skipped).

    >>> sniff(b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>')
    'rss'
    >>> sniff(b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>')
    'atom'
    >>> sniff(b'<!DOCTYPE html><!-- hi --><html><body></body></html>')
    'html'
    >>> sniff(b'{"text": "not markup"}')
    'unknown'
    """
    head = _head_text(data)
    if re.match(r"\s*<!doctype\s+html", head, re.I):
        return "html"
    match = _FIRST_TAG.match(head, _prolog_end(head))
    if match is None:
        return "unknown"
    local = match.group(1).rsplit(":", 1)[-1].lower()
    if local in _ROOTS:
        return _ROOTS[local]
    # HTML pages without an <html> element still start with one of its children.
    return "html" if local in {"head", "body", "meta", "title"} else "unknown"


def is_url(source: str) -> bool:
    """Whether ``source`` is an http(s) URL (anything else is taken for a path).

    >>> is_url("https://example.org/feed"), is_url("feeds/news.rss"), is_url("http://[::1")
    (True, False, True)
    """
    try:
        scheme = urlsplit(source).scheme
    except ValueError:  # "http://[::1": a broken URL, which fetching it will name
        scheme = source.partition("://")[0]
    return scheme.lower() in ("http", "https")


# -- XML safety --------------------------------------------------------------------------------

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)


def guard_xml(data: bytes, source: str) -> None:
    """Refuse XML that declares entities, before any parser expands them.

    Entity declarations are how billion-laughs (exponential expansion) and external-entity
    (local file, SSRF) attacks work; no real feed needs them. Checked twice: a plain scan of
    the bytes, and defusedxml's parser, which also sees encodings the scan cannot (UTF-16).
    A document that is merely broken passes here: feedparser decides what it can recover.

    >>> guard_xml(b'<!DOCTYPE r [<!ENTITY a "aaaa">]><rss>&a;</rss>', "x.rss")
    Traceback (most recent call last):
    ...
    newsdesk.ingest.fetch.FetchError: x.rss: XML declares entities; refused (entity expansion)
    """
    import defusedxml  # type: ignore[import-untyped, unused-ignore]
    import defusedxml.ElementTree as DefusedET  # type: ignore[import-untyped, unused-ignore]

    refused = FetchError(source, "XML declares entities; refused (entity expansion)")
    if _ENTITY_DECL.search(data):
        raise refused
    try:
        DefusedET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException:
        raise refused from None
    except (DefusedET.ParseError, ValueError, LookupError):
        pass  # broken or oddly encoded: feedparser's bozo handling judges it


_CHARACTER_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")


def _fix_character_references(data: bytes) -> bytes:
    """Character references feedparser crashes on, made into ones it reads.

    Some CMSes write an emoji as two references to its UTF-16 halves (``&#55357;&#56832;``);
    feedparser raises on a reference to a surrogate (or beyond U+10FFFF), and the whole feed
    is lost on every poll. A pair becomes the character; a lone half, a code point out of
    range or ``&#0;`` become U+FFFD, as browsers read them. Checked on the bytes: the
    references are ASCII in every encoding a feed uses but UTF-16.

    >>> _fix_character_references(b"a &#55357;&#56832; b &#xD800; &#1114112;")
    b'a &#x1f600; b &#xfffd; &#xfffd;'
    """
    if b"&#" not in data:
        return data
    pending: list[int] = []  # a high surrogate waiting for its low half

    def value(match: re.Match[bytes]) -> int:
        hexa, decimal = match.groups()
        if len(hexa or decimal) > 8:  # beyond U+10FFFF whatever the digits (and int() limits)
            return 0x110000
        return int(hexa, 16) if hexa else int(decimal)

    def replace(match: re.Match[bytes]) -> bytes:
        code = value(match)
        if code == 0 or code > 0x10FFFF:
            return b"&#xfffd;"
        if not 0xD800 <= code <= 0xDFFF:
            return match.group()
        after = data[match.end() : match.end() + 12]
        following = _CHARACTER_REF.match(after)
        if 0xD800 <= code <= 0xDBFF and following and 0xDC00 <= value(following) <= 0xDFFF:
            pending.append(code)
            return b""  # written with its low half, next
        if 0xDC00 <= code <= 0xDFFF and pending:
            high = pending.pop()
            return b"&#x%x;" % (0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00))
        return b"&#xfffd;"

    return _CHARACTER_REF.sub(replace, data)


# -- HTML to text ------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header"),
        *("hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr"),
        "ul",
    }
)
_SPACES = re.compile(r"\s+")
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            # Line breaks inside a block are markup layout, not text: only tags break lines.
            self.parts.append(_SPACES.sub(" ", data))


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment: one line per block, spaces collapsed.

    >>> html_to_text("<p>Bridge <b>shut</b> &amp; cordoned.</p><p>At 6.</p><script>x()</script>")
    'Bridge shut & cordoned.\\nAt 6.'
    """
    collector = _TextCollector()
    try:
        collector.feed(markup)
        collector.close()
    except AssertionError:
        # Python 3.11's html.parser asserts on some broken declarations ("<![0", found by
        # hypothesis): keep the text read so far, the rest of the fragment is lost markup.
        pass
    # Control characters (NUL, ESC...) as in text and JSON lines: PostgreSQL refuses NUL.
    text = replace_surrogates("".join(collector.parts))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# -- feeds -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed, as plain text. ``full`` is False when it looks like a teaser."""

    title: str | None
    link: str | None
    published: str | None
    text: str
    full: bool


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's title and entries; ``recovered`` when feedparser had to repair broken XML."""

    title: str | None
    entries: tuple[FeedEntry, ...]
    recovered: bool = False


def _iso(parsed: Any) -> str | None:
    # feedparser gives dates as UTC struct_time; anything it could not parse is None.
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat()
    except (TypeError, ValueError, OverflowError):
        return None


def _plain(detail: Any, value: str) -> str:
    kind = (detail or {}).get("type", "text/html") if isinstance(detail, dict) else "text/html"
    return " ".join(value.split()) if kind == "text/plain" else html_to_text(value)


def _entry_text(entry: Any) -> str:
    """The entry's longest content, else its summary, as plain text."""
    best = ""
    for content in entry.get("content") or ():
        text = _plain(content, content.get("value", ""))
        if len(text) > len(best):
            best = text
    if best:
        return best
    return _plain(entry.get("summary_detail"), entry.get("summary") or "")


def _looks_full(text: str) -> bool:
    if len(text.split()) < TEASER_WORDS:
        return False
    return not text.rstrip().lower().endswith(_TEASER_ENDINGS)


def _describe(problem: object) -> str:
    """One line for a parser exception, with line and column when the parser gave them."""
    if problem is None:
        return "unreadable"
    get_message = getattr(problem, "getMessage", None)
    line = getattr(problem, "getLineNumber", None)
    column = getattr(problem, "getColumnNumber", None)
    if callable(get_message) and callable(line) and callable(column):
        return f"{get_message()} at line {line()}, column {column()}"
    return " ".join(str(problem).split()) or type(problem).__name__


def parse_feed(
    data: bytes, source: str, *, base_url: str | None = None, content_type: str | None = None
) -> ParsedFeed:
    """Parse RSS/Atom bytes safely into plain-text entries.

    ``base_url`` resolves relative links; ``content_type`` is the Content-Type header as
    served (its charset is a hint for decoding).

    ``FetchError("broken XML: ...")`` when the XML is broken and no entry can be recovered;
    ``FetchError`` too for entity declarations (see ``guard_xml``).

    >>> feed = parse_feed(b'''<rss version="2.0"><channel><title>Wire</title><item>
    ...   <title>Dam holds</title><link>https://example.org/dam</link>
    ...   <description>&lt;p&gt;The dam held.&lt;/p&gt;</description>
    ... </item></channel></rss>''', "wire.rss")
    >>> feed.title, feed.entries[0].text, feed.entries[0].full
    ('Wire', 'The dam held.', False)
    """
    import feedparser

    guard_xml(data, source)
    data = _fix_character_references(data)
    headers = {}
    if base_url:
        headers["content-location"] = base_url
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(data, response_headers=headers or None, sanitize_html=True)
    # Complaints about the declared encoding or content type are not broken XML.
    benign = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
    broken = bool(parsed.get("bozo")) and not isinstance(parsed.get("bozo_exception"), benign)
    title = html_to_text(parsed.feed.get("title", "")) or None
    entries: list[FeedEntry] = []
    seen: set[tuple[str | None, str | None, str]] = set()
    for entry in parsed.entries:
        text = _entry_text(entry)
        entry_title = html_to_text(entry.get("title", "")) or None
        link = entry.get("link") or None
        key = (entry_title, link, text)
        if key in seen or not (text or link):
            continue  # repeated entries, or entries with nothing to read
        seen.add(key)
        published = _iso(entry.get("published_parsed") or entry.get("updated_parsed"))
        entries.append(FeedEntry(entry_title, link, published, text, _looks_full(text)))
    if broken and not entries:  # also when what was recovered has nothing to read
        raise FetchError(source, f"broken XML: {_describe(parsed.get('bozo_exception'))}")
    return ParsedFeed(title, tuple(entries), recovered=broken)


# -- OPML --------------------------------------------------------------------------------------


def parse_opml(data: bytes, base: str) -> list[str]:
    """The feeds an OPML document lists (``xmlUrl`` of its outlines), in order, once each.

    Relative entries are resolved against ``base``: the OPML's URL, or for an OPML file, its
    folder (so a file can list feed files beside it).

    >>> parse_opml(b'<opml version="2.0"><body><outline text="News">'
    ...   b'<outline type="rss" xmlUrl="https://example.org/a.rss"/>'
    ...   b'<outline type="rss" xmlUrl="b.rss"/></outline></body></opml>', "https://example.org/list.opml")
    ['https://example.org/a.rss', 'https://example.org/b.rss']
    """
    import defusedxml  # type: ignore[import-untyped, unused-ignore]
    import defusedxml.ElementTree as DefusedET  # type: ignore[import-untyped, unused-ignore]

    try:
        root = DefusedET.fromstring(data, forbid_dtd=False, forbid_entities=True)
    except defusedxml.DefusedXmlException:
        raise FetchError(base, "XML declares entities; refused (entity expansion)") from None
    except DefusedET.ParseError as error:
        raise FetchError(base, f"broken OPML: {error}") from None
    feeds: list[str] = []
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1].lower() != "outline":
            continue
        url = next((v for k, v in element.attrib.items() if k.lower() == "xmlurl"), "").strip()
        if not url:
            continue
        if is_url(base):
            url = urljoin(base, url)
        elif "://" not in url:  # "ftp://x/y" stays a URL, for _load to refuse by name
            url = str(Path(base).parent / url)
        if url not in feeds:
            feeds.append(url)
    return feeds


# -- pages -------------------------------------------------------------------------------------


def page_article(
    body: bytes,
    url: str,
    *,
    source: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    charset: str | None = None,
) -> Article:
    """One article from an HTML page, through the same extraction as ``newsdesk brief``.

    ``url`` is where the page was fetched from (after redirects), ``charset`` what its
    server said it is encoded in (``FetchResult.charset``). Metadata given by the caller
    (from a feed entry) wins over what the page says. ``FetchError`` when the page is not
    text or holds no article text.
    """
    from .decode import BinaryInput, decode
    from .html import extract_page  # trafilatura loads only when a page is read

    try:
        markup = decode(body, html=True, declared=charset)
    except BinaryInput as error:
        raise FetchError(url, str(error)) from None
    page = extract_page(markup)
    if page is None:
        raise FetchError(url, "no article text found in this web page")
    return page.article(
        source or url,
        url=url,
        title=title,
        outlet=outlet or page.outlet or urlsplit(url).hostname,
        published=published,
    )


# -- reading sources ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Loaded:
    data: bytes | None  # None: not modified since the last poll
    where: str  # final URL, or the path
    result: FetchResult | None  # None for files
    content_type: str | None = None


def _load(source: str, fetcher: Fetcher, *, conditional: bool = True) -> _Loaded:
    if is_url(source):
        result = fetcher.get(source, kind="any", conditional=conditional, remember=False)
        return _Loaded(result.body, result.url, result, result.content_type)
    scheme = source.partition("://")[0]
    if scheme != source and scheme.isalpha():
        raise FetchError(source, f"unsupported URL scheme '{scheme}'; feeds are read over http(s)")
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > fetcher.max_bytes:
            raise FetchError(source, f"file larger than {fetcher.max_bytes:,} bytes")
        return _Loaded(path.read_bytes(), source, None)
    except FileNotFoundError:
        raise FetchError(source, "no such file") from None
    except IsADirectoryError:
        raise FetchError(source, "is a folder, not a feed or OPML file") from None
    except OSError as error:
        raise FetchError(source, f"cannot read: {error.strerror or error}") from None


def _format(loaded: _Loaded) -> SourceFormat:
    assert loaded.data is not None
    found = sniff(loaded.data)
    if found == "unknown" and loaded.content_type in ("text/html", "application/xhtml+xml"):
        return "html"
    return found


def _load_changed(source: str, fetcher: Fetcher) -> tuple[_Loaded, SourceFormat] | None:
    """``source`` loaded and sniffed; None when it has not changed since the last poll."""
    loaded = _load(source, fetcher)
    if loaded.data is None:
        log.info("%s: not modified since the last poll", source)
        return None
    return loaded, _format(loaded)


def _as_fetch_error(source: str, error: Exception) -> FetchError:
    """``error`` as a FetchError: a bug or a parser crash on one feed must not stop the rest."""
    if isinstance(error, FetchError):
        return error
    # In full for whoever fixes it, at debug level: the failure itself reaches the user as
    # one line (``on_error``), and an unconfigured logging would print this traceback too.
    log.debug("%s: unexpected %s", source, type(error).__name__, exc_info=error)
    message = " ".join(str(error).split())[:200]
    return FetchError(source, f"unexpected {type(error).__name__}: {message}")


def _log_error(source: str, error: FetchError) -> None:
    log.warning("skipped %s; tried again on the next poll", error)


def list_feeds(source: str, *, fetcher: Fetcher) -> list[str]:
    """The feeds behind ``source``: those an OPML list names, else ``[source]`` itself.

    For ``watch``, which polls and records each feed on its own. The GET is conditional: a
    304 means ``source`` was read (and remembered) as a feed or page before, since OPML
    validators are never remembered.
    """
    loaded = _load(source, fetcher)
    if loaded.data is not None and sniff(loaded.data) == "opml":
        return parse_opml(loaded.data, loaded.where)
    return [source]


def iter_source_articles(
    source: str,
    *,
    fetcher: Fetcher,
    on_error: OnError | None = None,
    fetch_pages: bool | None = None,
    known_url: Callable[[str], bool] | None = None,
) -> Iterator[Article]:
    """Articles from a feed, an OPML list of feeds, or an article page (URL or file).

    See the module docstring for the failure rules (``on_error``) and ``fetch_pages``.
    A feed unchanged since the last poll (``304``) yields nothing. ``known_url(link)``, if
    given, says an entry's link was stored before: such entries are skipped, and their pages
    never fetched again (the fetcher's conditional GET does the same for pages that send
    validators).

    >>> list(iter_source_articles("missing.rss", fetcher=Fetcher()))
    Traceback (most recent call last):
    ...
    newsdesk.ingest.fetch.FetchError: missing.rss: no such file
    """
    report = on_error or _log_error
    try:
        # An OPML list's validators are never remembered: a 304 would hide the feeds it lists.
        got = _load_changed(source, fetcher)
        if got is None:
            return
        loaded, found = got
        if found != "opml":
            yield from _read(source, loaded, found, fetcher, report, fetch_pages, known_url)
            return
        assert loaded.data is not None  # changed: _load_changed gave it
        feeds = parse_opml(loaded.data, loaded.where)
    except Exception as error:
        failure = _as_fetch_error(source, error)
        if on_error is None:
            raise failure from None
        on_error(source, failure)
        return
    failures: list[FetchError] = []
    for feed in feeds:
        try:
            got = _load_changed(feed, fetcher)
            if got is None:
                continue
            feed_loaded, found = got
            if found == "opml":
                raise FetchError(feed, "an OPML list inside an OPML list is not followed")
            yield from _read(feed, feed_loaded, found, fetcher, report, fetch_pages, known_url)
        except Exception as error:
            failure = _as_fetch_error(feed, error)
            failures.append(failure)
            report(feed, failure)
    if on_error is None and feeds and len(failures) == len(feeds):
        raise FetchError(
            source, f"none of the {len(feeds)} feeds could be read (first: {failures[0]})"
        )


def _read(
    source: str,
    loaded: _Loaded,
    found: SourceFormat,
    fetcher: Fetcher,
    report: OnError,
    fetch_pages: bool | None,
    known_url: Callable[[str], bool] | None,
) -> Iterator[Article]:
    """Articles of one loaded feed or page; remembers its validators once all were yielded."""
    assert loaded.data is not None
    if found == "html":
        if loaded.result is None:
            raise FetchError(source, "an HTML page, not a feed or an OPML list")
        yield page_article(loaded.data, loaded.where, source=source, charset=loaded.result.charset)
        fetcher.remember(loaded.result)
        return
    if found not in _FEED_FORMATS:
        raise FetchError(source, "not an RSS/Atom feed, an OPML list or an HTML page")
    served = loaded.result
    feed = parse_feed(
        loaded.data,
        source,
        base_url=served.url if served else None,
        content_type=served.headers.get("content-type") if served else None,
    )
    if feed.recovered:
        log.warning("%s: broken XML; %d entries recovered", source, len(feed.entries))
    pages = loaded.result is not None if fetch_pages is None else fetch_pages
    complete = True
    for entry in feed.entries:
        if known_url is not None and entry.link and known_url(entry.link):
            continue  # stored on an earlier poll: no page fetch, nothing new
        article: Article | None = None
        page: FetchResult | None = None
        if pages and not entry.full and entry.link and is_url(entry.link):
            try:
                # Conditional: a page unchanged since it was read (and stored) is skipped.
                # Its validators are remembered only after its article was yielded.
                page = fetcher.get(entry.link, kind="page", remember=False)
                if page.body is None:
                    continue
                article = page_article(
                    page.body,
                    page.url,
                    source=source,
                    title=entry.title,
                    outlet=feed.title,
                    published=entry.published,
                    charset=page.charset,
                )
            except FetchError as error:
                if error.transient:
                    # Skip the entry and keep the feed's validators unset, so the next
                    # poll downloads the feed again and retries this page.
                    report(entry.link, error)
                    complete = False
                    continue
                # A permanent refusal (404, not HTML, no text): the teaser is all there is.
                log.warning("%s; keeping the feed's teaser", error)
                page = None
        if article is None:
            if not entry.text:
                continue
            article = Article.create(
                source=source,
                text=entry.text,
                title=entry.title,
                outlet=feed.title,
                published=entry.published,
                url=entry.link,
            )
        yield article
        if page is not None:
            fetcher.remember(page)
    if complete and loaded.result is not None:
        fetcher.remember(loaded.result)
