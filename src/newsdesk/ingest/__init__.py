"""ingest: files, folders, standard input (and later feeds) to ``Article`` records.

``read_articles(paths)`` is the verb; ``read_path(path)`` reads one file and says which
``Format`` it detected. Formats: plain text and Markdown (``text``), web pages (``html``),
JSON lines (``jsonl``) and JSON documents (``json``); gzip is looked through.

    newsdesk.ingest
    ├── reader    paths, folders, "-" → articles; errors and skipping
    ├── sniff     which format a file is (name, then first bytes)
    ├── decode    bytes → text (BOM, UTF-8, meta charset, cp1252, charset-normalizer)
    ├── text      plain text: headline, dateline, byline → metadata
    ├── dates     dates as printed → ISO 8601
    ├── html      web pages through trafilatura (imported lazily)
    └── jsonl     JSON lines and documents; ``article_from_record`` for one object
"""

from __future__ import annotations

from .jsonl import RecordError, article_from_record
from .reader import read_articles, read_path, walk_folder
from .sniff import Format, detect_format

__all__ = [
    "Format",
    "RecordError",
    "article_from_record",
    "detect_format",
    "read_articles",
    "read_path",
    "walk_folder",
]
