"""Which reader a file needs, from its name and its first bytes.

Extensions decide first (``.html``, ``.jsonl``, ``.txt``...; a trailing ``.gz`` is looked
through), then content: text that starts like a web page is read as HTML whatever its name,
and input without a telling name (standard input, ``notes``) is JSON lines if its first line
is a JSON object.

>>> detect_format("story.txt", b"<!DOCTYPE html><html><head>")
<Format.HTML: 'html'>
>>> detect_format("-", b'{"text": "Water rose."}\\n')
<Format.JSONL: 'jsonl'>
"""

from __future__ import annotations

import codecs
import json
import re
from enum import StrEnum
from pathlib import Path


class Format(StrEnum):
    """What a source was read as."""

    TEXT = "text"
    """plain text or Markdown: headline, dateline and byline taken from the top"""
    HTML = "html"
    """a web page: main text and metadata extracted"""
    JSONL = "jsonl"
    """one JSON article object per line"""
    JSON = "json"
    """one JSON document: an article object or an array of them"""


TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".rst"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIXES = frozenset({".json"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES
GZIP_MAGIC = b"\x1f\x8b"

_HTML_START = re.compile(
    r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|meta|title|article|main|section|div|p|h1)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)


def suffix_of(name: str | Path) -> str:
    """The lower-cased extension that names the format, looking through ``.gz``.

    >>> suffix_of("a/b.JSONL.gz"), suffix_of("notes"), suffix_of("-")
    ('.jsonl', '', '')
    """
    path = Path(str(name))
    suffix = path.suffix.lower()
    if suffix == ".gz":
        suffix = Path(path.stem).suffix.lower()
    return suffix


def head_text(head: bytes) -> str:
    """The first bytes as text, well enough to look at tags and braces."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, "ignore")
    if head[1:2] == b"\x00" or head[0:1] == b"\x00":  # UTF-16 without a mark
        return head.replace(b"\x00", b"").decode("latin-1")
    return head.decode("utf-8", "ignore")


def looks_like_html(head: bytes) -> bool:
    """Does the text start like a web page (a doctype, ``<html>``, ``<head>``, ``<p>``...)?

    >>> looks_like_html(b"  <html lang=en>"), looks_like_html(b"Flood <b>warning</b>")
    (True, False)
    """
    return bool(_HTML_START.match(head_text(head[:4096]).lstrip()))


def _first_line_is_object(text: str) -> bool:
    line = text.lstrip().split("\n", 1)[0]
    if "\n" not in text.lstrip():
        return True  # one long line (or cut by the head): a one-line JSON lines file
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):  # nested too deeply: the reader says so
        return False


def detect_format(name: str | Path, head: bytes) -> Format:
    """The format of a file called ``name`` (``"-"`` for standard input) starting with ``head``.

    ``head`` is the first few kilobytes, already decompressed if the file was gzipped.

    >>> detect_format("export.json", b'{\\n  "text": "Water rose."\\n}')
    <Format.JSON: 'json'>
    >>> detect_format("notes.md", b"# Flood warning")
    <Format.TEXT: 'text'>
    """
    suffix = suffix_of(name)
    if suffix in HTML_SUFFIXES:
        return Format.HTML
    if suffix in JSONL_SUFFIXES:
        return Format.JSONL
    text = head_text(head)
    start = text.lstrip()[:1]
    if suffix in JSON_SUFFIXES or (suffix not in TEXT_SUFFIXES and start != "" and start in "{["):
        if start == "[":
            return Format.JSON
        if start == "{":
            return Format.JSONL if _first_line_is_object(text) else Format.JSON
        if suffix in JSON_SUFFIXES:
            return Format.JSONL  # not JSON at all: the JSON lines reader says so, on line 1
    if looks_like_html(head):
        return Format.HTML
    return Format.TEXT
