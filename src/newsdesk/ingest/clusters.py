"""Read cluster files: one story a line, in the format of ../shared/data/multinews.

``{"id", "documents": [{"text", "title"?, "url"?, "outlet"?, "published"? | "date"?, "id"?}],
"summary"?}``; other fields are ignored. Gzip files are read compressed (known by their first
bytes); a byte-order mark and lines in cp1252 are read too, UTF-16 is refused by name. A
document is read like a line of a JSONL article file (``ingest.jsonl.article_from_record``).
An empty file, a line that is not JSON or not a cluster, is a ``ReadError`` naming the line.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import ReadError, UsageError
from ..models import Article
from .decode import BinaryInput, decode
from .jsonl import RecordError, article_from_record, loads
from .sniff import GZIP_MAGIC


@dataclass(frozen=True, slots=True)
class Cluster:
    """One story of a cluster file: its articles and, when the file has one, a reference summary."""

    id: str
    articles: tuple[Article, ...]
    summary: str | None = None
    skipped: tuple[ReadError, ...] = ()
    """Why each document that could not be used was left out (empty text, wrong field types)."""


def _open(path: Path) -> IO[bytes]:
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == GZIP_MAGIC:  # by content, not name: "clusters.jsonl" may be gzipped too
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _decode_line(raw: bytes, number: int, where: str) -> str:
    """One line as text: UTF-8 (a byte-order mark on line 1 dropped), else its likely encoding.

    Cluster files are UTF-8 JSON, but exports in cp1252 exist; the articles reader takes
    them too (``reader._numbered_lines``). UTF-16 cannot be split on the byte ``\\n``.
    """
    if number == 1:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:2].count(0) == 1:
            raise ReadError(where, "the file is UTF-16 text; save it as UTF-8")
        raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return decode(raw)
        except BinaryInput:
            raise ReadError(where, f"line {number} is not text") from None


def _documents(
    record: dict[str, Any], where: str
) -> tuple[tuple[Article, ...], tuple[ReadError, ...]]:
    """The cluster's usable documents, and one message per document left out."""
    articles, skipped = [], []
    for index, doc in enumerate(record["documents"]):
        try:
            # a document without an id is named by its position: <file>#<cluster>/<n>
            articles.append(article_from_record(doc, source=f"{where}/{index}"))
        except RecordError as error:
            skipped.append(
                ReadError(f"{where}/{index}", str(error).replace("the document", "document"))
            )
    return tuple(articles), tuple(skipped)


def read_clusters(path: str | Path, *, limit: int | None = None) -> Iterator[Cluster]:
    """Yield the clusters of a JSONL (or JSONL.gz) cluster file, lazily.

    Raises ``UsageError`` for a missing file and ``ReadError`` naming the line for a bad one.

    >>> import tempfile, os
    >>> f = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False)
    >>> _ = f.write('{"id": "c1", "documents": [{"text": "One."}, {"text": "Two."}]}\\n'); f.close()
    >>> [len(c.articles) for c in read_clusters(f.name)]
    [2]
    >>> os.unlink(f.name)
    """
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    where = str(path)
    seen = False
    try:
        with _open(path) as handle:
            for number, raw in enumerate(handle, 1):
                if limit is not None and number > limit:
                    return
                line = _decode_line(raw, number, where)
                if not line.strip():
                    continue
                seen = True
                try:
                    record = loads(line)
                except ValueError as error:
                    reason = getattr(error, "msg", None) or str(error)
                    raise ReadError(where, f"invalid JSON on line {number}: {reason}") from None
                if not isinstance(record, dict) or not isinstance(record.get("documents"), list):
                    raise ReadError(where, f"line {number} has no 'documents' list")
                cluster_id = str(record.get("id", number))
                articles, skipped = _documents(record, f"{path}#{cluster_id}")
                summary = record.get("summary")
                yield Cluster(
                    cluster_id,
                    articles,
                    summary if isinstance(summary, str) else None,
                    skipped,
                )
    except (OSError, EOFError, zlib.error) as error:
        raise ReadError(where, f"cannot read: {error}") from None
    if not seen and limit != 0:
        raise ReadError(where, "no clusters in this file (it is empty)")
