"""Dates as the records carry them, for every stage: month and weekday names, ISO 8601 reading.

``Article.published`` is ISO 8601, a date (``2021-06-14``) or a full timestamp; the stages that
compare or shift dates read it here, the same way, rather than each with its own
``fromisoformat`` call. Parsing dates *as printed* (``June 14, 2021 10:41 AM ET``) is the
ingest stage's (``newsdesk.ingest.dates``).

>>> parse_iso("2021-06-14T10:41:00+02:00").hour, iso_day("2021-06-14T23:00:00Z")
(10, datetime.date(2021, 6, 14))
>>> parse_iso("soon") is None, iso_day(None) is None
(True, True)
"""

from __future__ import annotations

from datetime import date, datetime

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
"""Month names and their abbreviations, lower case, to month numbers."""

WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
"""Weekday names, lower case, to ``date.weekday()`` numbers."""


def parse_iso(value: str | None) -> datetime | None:
    """An ISO 8601 date or timestamp (as in ``Article.published``); None if absent or unreadable.

    A date alone is midnight; the zone is kept as written (none for a date alone).

    >>> parse_iso("2021-06-14")
    datetime.datetime(2021, 6, 14, 0, 0)
    """
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def iso_day(value: str | None) -> date | None:
    """The calendar day an ISO 8601 date or timestamp names, as written (no zone conversion).

    >>> iso_day("2021-06-14T01:00:00-04:00")
    datetime.date(2021, 6, 14)
    """
    stamp = parse_iso(value)
    return stamp.date() if stamp is not None else None
