"""JSON lines (and whole JSON documents) of articles: ``text``, ``title``, ``url``, ``outlet``,
``published`` (or ``date``), ``id``; other fields are ignored.

An article's source is ``<path>#<id>``, or ``<path>#L<line>`` (1-based) when it has no id.
A line that cannot be used is reported with its number and, for a wrong field, the field.

>>> article = article_from_record({"text": "Water rose.", "date": "June 14, 2021", "id": 7},
...                               source="a.jsonl", line=3)
>>> article.source, article.published
('a.jsonl#7', '2021-06-14')
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import ReadError
from ..models import Article
from .dates import normalize_date
from .text import normalize_text, replace_surrogates

log = logging.getLogger(__name__)

STRING_FIELDS = ("title", "url", "outlet", "published", "date")
TOO_DEEP = "JSON nested too deeply"
TOO_LONG_NUMBER = "a number too long to read (over 4,300 digits)"


def loads(text: str) -> Any:
    """``json.loads``, with JSON nested too deeply for the parser as a ``ValueError`` too.

    The standard parser recurses: ``[[[[...]]]]`` raises ``RecursionError``, which is not a
    ``ValueError``, and would end a whole run with a traceback. An integer of more than
    4,300 digits raises a ``ValueError`` whose message is advice to Python programmers.

    >>> loads("[" + "9" * 5000 + "]")
    Traceback (most recent call last):
    ...
    ValueError: a number too long to read (over 4,300 digits)
    """
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError(TOO_DEEP) from None
    except json.JSONDecodeError:
        raise
    except ValueError as error:
        if "digits" not in str(error):
            raise
        raise ValueError(TOO_LONG_NUMBER) from None


class RecordError(ValueError):
    """One record (line) cannot be used; the message names the line and the field."""


def _where(line: int | None) -> str:
    return f"line {line}" if line is not None else "the document"


def article_from_record(record: Any, *, source: str, line: int | None = None) -> Article:
    """An article from one JSON object; ``RecordError`` names what is wrong with it.

    ``source`` is the file; the article's source becomes ``source#id`` or ``source#L<line>``.
    Text is normalized (line endings, trailing spaces) but not cleaned.

    >>> article_from_record({"text": 3}, source="a.jsonl", line=2)
    Traceback (most recent call last):
    ...
    newsdesk.ingest.jsonl.RecordError: line 2: field 'text' must be a string, got int
    """
    where = _where(line)
    if not isinstance(record, dict):
        raise RecordError(f"{where} is not a JSON object but {_kind(record)}")
    if "documents" in record:
        raise RecordError(
            f"{where} is a cluster (has 'documents'), not an article; use `newsdesk batch`"
        )
    if "text" not in record:
        raise RecordError(f"{where} has no 'text' field")
    text = record["text"]
    if not isinstance(text, str):
        raise RecordError(f"{where}: field 'text' must be a string, got {_kind(text)}")
    values: dict[str, str | None] = {}
    for name in STRING_FIELDS:
        value = record.get(name)
        if value is None:
            values[name] = None
        elif isinstance(value, str):
            values[name] = " ".join(replace_surrogates(value).split()) or None
        else:
            raise RecordError(f"{where}: field {name!r} must be a string, got {_kind(value)}")
    ident = record.get("id")
    if ident is not None and (isinstance(ident, bool) or not isinstance(ident, str | int)):
        raise RecordError(f"{where}: field 'id' must be a string or integer, got {_kind(ident)}")
    body = normalize_text(replace_surrogates(text))
    if not body.strip():
        raise RecordError(f"{where}: field 'text' is empty")
    raw_date = values["published"] or values["date"]
    published = normalize_date(raw_date) if raw_date else None
    if raw_date and not published:
        log.debug(
            "%s %s: %r is not a date we can read; published left empty", source, where, raw_date
        )
    if ident is not None and str(ident).strip():
        # one line: an id is printed in warnings and source lists ("a\nb" would break both)
        name = f"{source}#{' '.join(replace_surrogates(str(ident)).split())}"
    elif line is not None:
        name = f"{source}#L{line}"
    else:
        name = source
    return Article.create(
        source=name,
        text=body,
        title=values["title"],
        outlet=values["outlet"],
        published=published,
        url=values["url"],
    )


def _kind(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def read_lines(
    lines: Iterable[tuple[int, str]],
    *,
    source: str,
    report: Callable[[ReadError], None],
) -> Iterator[Article]:
    """Articles from numbered JSON lines; a bad line goes to ``report`` (which may raise).

    The first non-blank line decides whether this is JSON lines at all: if it is not JSON,
    the whole input is refused with one error rather than one per line.
    """
    first = True
    for number, line in lines:
        if not line.strip():
            continue
        try:
            record = loads(line)
        except ValueError as error:
            reason = f"invalid JSON on line {number}: {_short(error)}"
            if first:
                raise ReadError(source, reason) from None
            report(ReadError(source, reason))
            continue
        try:
            article = article_from_record(record, source=source, line=number)
        except RecordError as error:
            if first and isinstance(record, dict) and "documents" in record:
                raise ReadError(source, str(error)) from None  # a cluster file: refuse it whole
            report(ReadError(source, str(error)))
            continue
        finally:
            first = False
        yield article


def read_document(
    text: str, *, source: str, report: Callable[[ReadError], None] | None = None
) -> list[Article]:
    """Articles from a whole JSON document: one article object, or an array of them.

    Array items without an id get the source ``<path>#<n>`` (1-based item number). An item
    that cannot be used raises ``ReadError``, or with ``report`` goes there and the other
    items are still read (as a bad line of a JSON lines file).

    >>> skipped = []
    >>> [a.source for a in read_document('[{"text": "It shut."}, {"text": null}]',
    ...                                  source="a.json", report=skipped.append)]
    ['a.json#1']
    >>> str(skipped[0])
    "a.json: item 2: field 'text' must be a string, got null"
    """
    try:
        data = loads(text)
    except ValueError as error:
        line = getattr(error, "lineno", None)
        where = f"invalid JSON on line {line}: " if line is not None else ""
        raise ReadError(source, f"{where}{_short(error)}") from None
    if isinstance(data, dict):
        try:
            return [article_from_record(data, source=source)]
        except RecordError as error:
            raise ReadError(source, str(error)) from None
    if not isinstance(data, list):
        raise ReadError(source, f"JSON holds {_kind(data)}, not an article or a list of them")
    articles = []
    for number, item in enumerate(data, start=1):
        try:
            article = article_from_record(item, source=source)
        except RecordError as error:
            message = str(error).replace("the document", f"item {number}", 1)
            if report is None:
                raise ReadError(source, message) from None
            report(ReadError(source, message))
            continue
        if isinstance(item, dict) and item.get("id") in (None, ""):
            article = dataclasses.replace(article, source=f"{source}#{number}")
        articles.append(article)
    return articles


def _short(error: ValueError) -> str:
    message = getattr(error, "msg", None) or str(error)
    column = getattr(error, "colno", None)
    return f"{message} (column {column})" if column else str(message)
