"""Files, folders and standard input to ``Article`` records.

How paths are read (``read_articles``):

- A path that does not exist is a usage error, raised before anything is read.
- A file is read in the format its name and first bytes say (``sniff.detect_format``).
- A folder is walked recursively in sorted order, skipping hidden files and dot-folders,
  files whose extension is not one of an article's (``.css``, ``.png`` of a saved page) and
  pipes; files without an extension are read as text.
- ``-`` is standard input, its format sniffed from its content; it can be given once. A pipe
  named by path (``<(zcat dump.gz)``) is read once, like standard input.
- A file that cannot be read (empty, binary, too big, undecodable, invalid JSON...) raises a
  ``ReadError``; with ``on_skip`` it is passed there instead and reading goes on. A bad line
  of a JSON lines file is skipped the same way, so one bad record does not lose the others.
- If nothing at all was read, ``NoArticlesError`` says why: ``DIR is empty``,
  ``no readable articles in DIR``, or for several paths ``no readable articles in A, B``.
  If other paths gave articles, an empty folder is only reported to ``on_skip``.
- ``Settings.max_file_bytes`` bounds each file (checked with ``stat`` before reading) and, in a
  JSON lines file, which is streamed, each line.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import stat
import sys
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..config import Settings
from ..errors import NoArticlesError, ReadError, UsageError
from ..models import Article
from .decode import BinaryInput, decode, sniff_binary
from .jsonl import read_document, read_lines
from .sniff import (
    GZIP_MAGIC,
    JSONL_SUFFIXES,
    KNOWN_SUFFIXES,
    Format,
    detect_format,
    head_text,
    suffix_of,
)
from .text import normalize_text, split_header

log = logging.getLogger("newsdesk.ingest")

STDIN = "-"
STDIN_SOURCE = "<stdin>"
# Enough to sniff any format and to catch binary content early; small enough to be free.
HEAD_BYTES = 64 * 1024

OnSkip = Callable[[ReadError], None]


@dataclass(frozen=True, slots=True)
class _Input:
    name: str  # what messages and Article.source call it
    path: Path | None  # None for standard input
    stream: BinaryIO | None = None


class _Prefixed(io.RawIOBase):
    """``prefix`` then the rest of ``stream``: puts sniffed bytes back in front of a pipe."""

    def __init__(self, prefix: bytes, stream: BinaryIO, *, owns: bool = False) -> None:
        super().__init__()
        self._prefix = prefix
        self._stream = stream
        self._owns = owns  # close ``stream`` too (a pipe opened by path, not standard input)

    def close(self) -> None:
        if self._owns and not self.closed:
            self._stream.close()
        super().close()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._prefix:
            size = min(len(view), len(self._prefix))
            view[:size] = self._prefix[:size]
            self._prefix = self._prefix[size:]
            return size
        data = self._stream.read(len(view))
        view[: len(data)] = data
        return len(data)


def _read_once(item: _Input) -> bool:
    """Whether the input can be read only once: standard input, or a path that names a pipe
    (``newsdesk brief <(zcat dump.gz)`` passes ``/dev/fd/63``) or a device."""
    if item.path is None:
        return True
    try:
        return not stat.S_ISREG(item.path.stat().st_mode)
    except OSError:
        return False  # opening it says what is wrong


def _open(item: _Input) -> BinaryIO:
    """The input's bytes, decompressed if they are gzip; the caller closes a file it opened."""
    if _read_once(item):
        # Read once, through one handle: what the magic bytes take is put back in front.
        owns = item.path is not None
        source = item.stream if item.path is None else open(item.path, "rb")  # noqa: SIM115
        assert source is not None
        magic = source.read(2)
        raw: BinaryIO = io.BufferedReader(_Prefixed(magic, source, owns=owns))
        if magic == GZIP_MAGIC:
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        return raw
    assert item.path is not None
    with open(item.path, "rb") as probe:
        magic = probe.read(2)
    if magic == GZIP_MAGIC:
        return gzip.open(item.path, "rb")  # type: ignore[return-value]
    return open(item.path, "rb")  # the caller closes it


def _too_big(name: str, size: int, limit: int) -> ReadError:
    return ReadError(
        name, f"file too big: {size:,} bytes; the limit is {limit:,} (Settings.max_file_bytes)"
    )


def _read_error(name: str, error: BaseException) -> ReadError:
    if isinstance(error, gzip.BadGzipFile | EOFError | zlib.error):
        return ReadError(name, f"damaged gzip data ({error})")
    if isinstance(error, OSError) and error.strerror:
        return ReadError(name, f"cannot read: {error.strerror}")
    return ReadError(name, f"cannot read: {error}")


def _wide(head: bytes) -> bool:
    """UTF-16/32 text: its lines cannot be split on the byte b"\\n"."""
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4096]


def _open_source(
    item: _Input, settings: Settings, report: OnSkip
) -> tuple[Format, Iterator[Article]]:
    """Sniff one file (or standard input) and return its format and its articles.

    Everything but a JSON lines file is read whole, here; JSON lines are streamed by the
    returned iterator, which opens the file again itself (so nothing stays open if it is
    never consumed).
    """
    limit = settings.max_file_bytes
    if item.path is not None and suffix_of(item.name) not in JSONL_SUFFIXES:
        try:
            size = item.path.stat().st_size
        except OSError as error:
            raise _read_error(item.name, error) from None
        if size > limit:  # refused before a byte is read: a 50 MB file costs one stat()
            raise _too_big(item.name, size, limit)
    try:
        stream = _open(item)
    except OSError as error:
        raise _read_error(item.name, error) from None
    handed_over = False
    try:
        head = stream.read(HEAD_BYTES)
        if not head.strip() and len(head) < HEAD_BYTES:
            raise ReadError(item.name, "empty file")
        kind = sniff_binary(head)
        if kind:
            raise ReadError(item.name, kind if kind == "binary file" else f"binary file ({kind})")
        fmt = detect_format(item.name, head)
        log.debug("%s: read as %s", item.name, fmt.value)
        if fmt is Format.TEXT and head_text(head[:4096]).lstrip().startswith("<"):
            _refuse_feed(item.name, head)
        if fmt is Format.JSONL and not _wide(head):
            if _read_once(item):
                body: BinaryIO = io.BufferedReader(_Prefixed(head, stream, owns=True))
                handed_over = True  # the lines' iterator closes it (not standard input)
                return fmt, _stream_lines(item, body, settings, report)
            return fmt, _stream_file_lines(item, settings, report)
        data = head if len(head) > limit else head + stream.read(limit + 1 - len(head))
    except (OSError, EOFError, zlib.error) as error:
        raise _read_error(item.name, error) from None
    finally:
        if item.path is not None and not handed_over:
            stream.close()
    if len(data) > limit:
        raise _too_big(item.name, len(data), limit)
    return fmt, iter(_parse(item.name, fmt, data, report))


def _refuse_feed(name: str, head: bytes) -> None:
    """A feed or OPML list read as text would brief its markup: say where feeds go instead."""
    from .feeds import sniff  # only for text that starts with a tag: nothing to load otherwise

    kind = sniff(head)
    if kind in ("rss", "atom", "rdf", "opml"):
        what = {"rss": "an RSS feed", "atom": "an Atom feed", "rdf": "an RSS 1.0 feed"}
        raise ReadError(
            name,
            f"{what.get(kind, 'an OPML list of feeds')}, not an article; "
            "`newsdesk ingest FEED` reads feeds",
        )


def _parse(name: str, fmt: Format, data: bytes, report: OnSkip) -> list[Article]:
    try:
        text = decode(data, html=fmt is Format.HTML)
    except BinaryInput as error:
        raise ReadError(name, str(error)) from None
    if fmt is Format.HTML:
        from .html import extract_page  # trafilatura loads only when a page is read

        page = extract_page(text)
        if page is None:
            raise ReadError(name, "no article text found in this web page")
        return [page.article(name)]
    if fmt is Format.JSON:
        skipped: list[ReadError] = []
        articles = read_document(text, source=name, report=skipped.append)
        if not articles:  # nothing good: one error, the first reason, not one per item
            raise skipped[0] if skipped else ReadError(name, "the JSON array is empty")
        for problem in skipped:
            report(problem)
        return articles
    if fmt is Format.JSONL:  # UTF-16/32 JSON lines, decoded whole
        return list(read_lines(enumerate(text.split("\n"), start=1), source=name, report=report))
    text = normalize_text(text)
    if not text:
        raise ReadError(name, "empty file")
    header, body = split_header(text)
    return [
        Article.create(
            source=name,
            text=body,
            title=header.title,
            outlet=header.outlet,
            published=header.published,
            url=header.url,
        )
    ]


def _raise(error: ReadError) -> None:
    raise error


def _numbered_lines(stream: BinaryIO, name: str, limit: int) -> Iterator[tuple[int, str]]:
    number = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) > limit:
            raise ReadError(name, f"line {number} is longer than {limit:,} bytes")
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                line = decode(raw)  # JSON must be UTF-8, but exports in cp1252 exist
            except BinaryInput:
                raise ReadError(name, f"line {number} is not text") from None
        yield number, line


def _stream_lines(
    item: _Input, stream: BinaryIO, settings: Settings, report: OnSkip
) -> Iterator[Article]:
    """The articles of JSON lines read from ``stream``, which is closed at the end (a stream
    over standard input leaves standard input itself open)."""
    with stream:
        try:
            lines = _numbered_lines(stream, item.name, settings.max_file_bytes)
            yield from read_lines(lines, source=item.name, report=report)
        except (OSError, EOFError, zlib.error) as error:  # gzip damaged past the first bytes
            raise _read_error(item.name, error) from None


def _stream_file_lines(item: _Input, settings: Settings, report: OnSkip) -> Iterator[Article]:
    try:
        stream = _open(item)
    except OSError as error:
        raise _read_error(item.name, error) from None
    yield from _stream_lines(item, stream, settings, report)


def read_path(
    path: str | Path,
    *,
    settings: Settings | None = None,
    on_skip: OnSkip | None = None,
    stdin: BinaryIO | None = None,
) -> tuple[list[Article], Format]:
    """The articles of one file (or ``"-"``, standard input) and the format it was read as.

    Raises ``ReadError`` if the file cannot be read; bad lines of a JSON lines file go to
    ``on_skip`` when given. A folder is refused: use ``read_articles``.

    >>> from pathlib import Path; import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Bridge Closed After Barge Strike\\n\\nIt shut.")
    >>> articles, fmt = read_path(folder / "a.txt")
    >>> fmt.value, articles[0].title, articles[0].text
    ('text', 'Bridge Closed After Barge Strike', 'It shut.')
    """
    settings = settings or Settings()
    given = str(path)
    if given == STDIN:
        item = _Input(STDIN_SOURCE, None, stdin or sys.stdin.buffer)
    else:
        if not Path(given).exists():
            raise UsageError(f"no such file or directory: {given}")
        if Path(given).is_dir():
            raise UsageError(f"{given} is a folder; read_path reads one file")
        item = _Input(given, Path(given))
    return _collect(item, settings, on_skip)


def _collect(
    item: _Input, settings: Settings, on_skip: OnSkip | None
) -> tuple[list[Article], Format]:
    fmt, articles = _open_source(item, settings, on_skip or _raise)
    return list(articles), fmt


def _inputs(paths: Iterable[str | Path], stdin: BinaryIO | None) -> list[tuple[str, _Input | None]]:
    """(given, input) for each path; a folder has no input of its own. Checked all at once."""
    if isinstance(paths, str | Path):
        paths = [paths]
    given = [str(path) for path in paths]
    if not given:
        raise UsageError("no paths given: name files, folders or - for standard input")
    if given.count(STDIN) > 1:
        raise UsageError("- (standard input) can be given only once")
    resolved: list[tuple[str, _Input | None]] = []
    for name in given:
        if name == STDIN:
            resolved.append((name, _Input(STDIN_SOURCE, None, stdin or sys.stdin.buffer)))
            continue
        path = Path(name)
        if not name or not path.exists():
            raise UsageError(f"no such file or directory: {name}")
        resolved.append((name, None if path.is_dir() else _Input(name, path)))
    return resolved


def _special(path: Path) -> bool:
    """A pipe, socket or device (through links); a broken link is not: the reader names it."""
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def walk_folder(folder: str | Path) -> tuple[list[Path], int]:
    """Files of ``folder`` that may hold articles, in sorted order, and how many were passed over.

    Recursive; hidden files and dot-folders are skipped silently, files with an extension that
    is not an article's (images, scripts, style sheets of a saved page) and pipes, sockets and
    devices (reading them would wait forever) are counted as passed over. Symbolic links to
    folders are not followed.
    """
    root = Path(folder)
    found: list[Path] = []
    passed_over = 0
    for top, folders, files in os.walk(root):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            if name.startswith("."):
                continue
            suffix = suffix_of(name)
            if not (suffix in KNOWN_SUFFIXES or (suffix == "" and not name.endswith(".gz"))):
                passed_over += 1
                log.debug("%s: skipped, %r is not an article's extension", Path(top) / name, suffix)
            elif _special(Path(top) / name):
                passed_over += 1  # a pipe or socket would block the read: never a saved article
                log.debug("%s: skipped, not a regular file", Path(top) / name)
            else:
                found.append(Path(top) / name)
    found.sort(key=lambda path: path.relative_to(root).parts)
    return found, passed_over


def read_articles(
    paths: Iterable[str | Path],
    *,
    settings: Settings | None = None,
    on_skip: OnSkip | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[Article]:
    """Articles from files, folders (recursively) and ``-`` (standard input), lazily.

    A missing path raises ``UsageError`` at once, before anything is read. A file that cannot
    be read raises ``ReadError``, or is passed to ``on_skip`` (and reading goes on) when one is
    given. If nothing was read at all, ``NoArticlesError`` names the path(s). See the module
    docstring for the whole contract.

    >>> from pathlib import Path; import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> text = "Bridge Closed After Barge Strike\\nJune 14, 2021\\n\\nIt shut."
    >>> _ = (folder / "a.txt").write_text(text)
    >>> _ = (folder / "b.jsonl").write_text('{"text": "It reopened.", "id": "x1"}\\n')
    >>> [(a.source.split("/")[-1], a.title, a.published) for a in read_articles([folder])]
    [('a.txt', 'Bridge Closed After Barge Strike', '2021-06-14'), ('b.jsonl#x1', None, None)]
    """
    inputs = _inputs(paths, stdin)
    return _read_inputs(inputs, settings or Settings(), on_skip)


def _read_one(
    item: _Input, settings: Settings, on_skip: OnSkip | None
) -> Generator[Article, None, int]:
    """Yield one input's articles; return how many. Errors go to ``on_skip`` if given."""
    report = on_skip or _raise
    count = 0
    try:
        fmt, articles = _open_source(item, settings, report)
        for article in articles:
            count += 1
            yield article
    except ReadError as error:
        if on_skip is None:
            raise
        on_skip(error)
        return count
    log.debug("%s: %d article(s) read as %s", item.name, count, fmt.value)
    return count


def _read_inputs(
    inputs: list[tuple[str, _Input | None]], settings: Settings, on_skip: OnSkip | None
) -> Iterator[Article]:
    total = 0
    failures: list[str] = []  # why each path gave nothing, for the NoArticlesError
    empty_folders: list[str] = []
    for given, item in inputs:
        if item is not None:
            count = yield from _read_one(item, settings, on_skip)
            total += count
            if not count:
                failures.append(f"no readable articles in {given}")
            continue
        files, passed_over = walk_folder(given)
        if not files and not passed_over:
            failures.append(f"{given} is empty")
            empty_folders.append(given)
            continue
        count = 0
        for path in files:
            name = str(Path(given) / path.relative_to(given))
            count += yield from _read_one(_Input(name, path), settings, on_skip)
        total += count
        if not count:
            note = f" ({passed_over} file(s) with other extensions skipped)" if passed_over else ""
            failures.append(f"no readable articles in {given}{note}")
    if not total:
        if len(failures) == 1:
            raise NoArticlesError(failures[0])
        raise NoArticlesError("no readable articles in " + ", ".join(g for g, _ in inputs))
    if on_skip is not None:
        for folder in empty_folders:
            on_skip(ReadError(folder, "folder is empty"))
