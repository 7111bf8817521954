"""Read cluster files: one story a line, in the format of ../shared/data/multinews.

``{"id", "documents": [{"text", "title"?, "url"?, "outlet"?, "published"? | "date"?, "id"?}],
"summary"?}``; other fields are ignored. ``.gz`` files are read compressed. A document is read
like a line of a JSONL article file (``ingest.jsonl.article_from_record``).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import ReadError, UsageError
from ..models import Article
from .jsonl import RecordError, article_from_record


@dataclass(frozen=True, slots=True)
class Cluster:
    """One story of a cluster file: its articles and, when the file has one, a reference summary."""

    id: str
    articles: tuple[Article, ...]
    summary: str | None = None
    skipped: tuple[ReadError, ...] = ()
    """Why each document that could not be used was left out (empty text, wrong field types)."""


def _open(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


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
    try:
        with _open(path) as handle:
            for number, line in enumerate(handle, 1):
                if limit is not None and number > limit:
                    return
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise ReadError(
                        str(path), f"invalid JSON on line {number}: {error.msg}"
                    ) from None
                if not isinstance(record, dict) or not isinstance(record.get("documents"), list):
                    raise ReadError(str(path), f"line {number} has no 'documents' list")
                cluster_id = str(record.get("id", number))
                articles, skipped = _documents(record, f"{path}#{cluster_id}")
                summary = record.get("summary")
                yield Cluster(
                    cluster_id,
                    articles,
                    summary if isinstance(summary, str) else None,
                    skipped,
                )
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise ReadError(str(path), f"cannot read: {error}") from None
