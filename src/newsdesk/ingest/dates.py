"""Publication dates as people write them at the top of an article, turned into ISO 8601.

Strict on purpose: a string is a date only if all of it is one of the forms below (with an
optional weekday, time and zone), so a sentence that merely mentions a date is never read as
a dateline.

    2021-06-14   2021-06-14T10:41:00Z   2021-06-14 10:41
    14 June 2021   14 June, 2021   14 Jun. 2021   Monday, 14 June 2021
    June 14, 2021   Jun. 14 2021   Monday, June 14, 2021   June 14th, 2021
    ...each optionally followed by a time: 10:41, 10:41 AM, 10:41 a.m., at 10:41 PM
    ...and a zone: ET EST EDT CT PT GMT UTC BST CET +0100 +01:00 UTC+2
    06/14/2021  2021/06/14  (numeric with slashes: only after a label such as "Published:")

>>> parse_date("June 14, 2021 10:41 AM ET")
'2021-06-14T10:41:00-04:00'
>>> parse_date("14 June, 2021")
'2021-06-14'
>>> parse_date("The flood came on June 14, 2021.") is None
True
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo

from ..dates import MONTHS

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = (
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?,?\s+)?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_TIME = (
    r"(?:(?:\s*,)?\s*(?:at\s+|[-|·•@]\s*)?"
    r"(?P<hour>[0-2]?\d)[:.](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?"
    r"(?:\s*(?P<ampm>[ap]\.?\s?m\.?))?"
    r"(?:\s*(?P<zone>[a-z]{1,5}(?:[+-]\d{1,2}(?::?\d\d)?)?|[+-]\d\d:?\d\d|\([a-z]{1,5}\)))?)?"
)
_DATE_FORMS = (
    rf"{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}",  # 14 June, 2021
    rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}",  # June 14, 2021
    r"(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)",  # 2021-06-14
)
_NUMERIC_FORMS = (
    r"(?P<mnum>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>(?:19|20)\d\d)",  # 06/14/2021 (US order)
    r"(?P<year>(?:19|20)\d\d)/(?P<mnum>[01]?\d)/(?P<day>[0-3]?\d)",  # 2021/06/14
)
_ISO_FULL = re.compile(
    r"(?:19|20)\d\d-[01]\d-[0-3]\d[T ][0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?"
    r"(?:Z|[+-][0-2]\d:?[0-5]\d)?",
    re.IGNORECASE,
)
_PATTERNS = tuple(re.compile(rf"{form}{_TIME}", re.IGNORECASE) for form in _DATE_FORMS)
_NUMERIC_PATTERNS = tuple(re.compile(rf"{form}{_TIME}", re.IGNORECASE) for form in _NUMERIC_FORMS)

# Fixed offsets of the zone abbreviations English-language outlets print. "ET", "CT", "MT"
# and "PT" follow daylight saving, so they are resolved with the IANA zone on that date.
_FIXED_ZONES = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "bst": 60,
    "cet": 60,
    "cest": 120,
    "eet": 120,
    "eest": 180,
    "msk": 180,
    "ist": 330,  # India: the common reading in English news; Irish time prints as "IST" rarely
    "hkt": 480,
    "sgt": 480,
    "jst": 540,
    "kst": 540,
    "aest": 600,
    "aedt": 660,
    "nzst": 720,
    "nzdt": 780,
    "est": -300,
    "edt": -240,
    "cst": -360,
    "cdt": -300,
    "mst": -420,
    "mdt": -360,
    "pst": -480,
    "pdt": -420,
    "akst": -540,
    "akdt": -480,
    "hst": -600,
}
# Standard offsets (minutes) of the US zones printed without a season: "ET" is EDT in June.
_US_SEASONAL = {"et": -300, "ct": -360, "mt": -420, "pt": -480}
_OFFSET = re.compile(r"(?:utc|gmt)?([+-])(\d{1,2}):?(\d\d)?$", re.IGNORECASE)


def _nth_sunday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))


def _us_daylight_saving(day: date) -> bool:
    """US daylight saving time on ``day`` (rules since 2007; before, April to October).

    Computed rather than read from a time-zone database, which not every machine has.
    """
    if day.year >= 2007:
        start, end = _nth_sunday(day.year, 3, 2), _nth_sunday(day.year, 11, 1)
    else:
        start = _nth_sunday(day.year, 4, 1)
        end = _nth_sunday(day.year, 10, 5)
        if end.month != 10:
            end = _nth_sunday(day.year, 10, 4)
    return start <= day < end


def _zone(label: str | None, day: date) -> tzinfo | None:
    """The tzinfo for a zone label; None when absent; ValueError when not a zone we know."""
    if not label:
        return None
    key = label.strip("()").lower()
    if key in _FIXED_ZONES:
        return timezone(timedelta(minutes=_FIXED_ZONES[key]))
    if key in _US_SEASONAL:
        minutes = _US_SEASONAL[key] + (60 if _us_daylight_saving(day) else 0)
        return timezone(timedelta(minutes=minutes))
    match = _OFFSET.match(key)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
        if minutes <= 14 * 60:
            return timezone(sign * timedelta(minutes=minutes))
    raise ValueError(f"unknown time zone {label!r}")


def _build(groups: dict[str, str | None]) -> str | None:
    year = int(groups["year"] or 0)
    month_name = groups.get("month")
    if month_name:
        month = MONTHS[month_name.lower().rstrip(".")[:3]]
    else:
        month = int(groups.get("mnum") or 0)
    try:
        day = date(year, month, int(groups["day"] or 0))
    except ValueError:
        return None
    if groups.get("hour") is None:
        return day.isoformat()
    hour, minute = int(groups["hour"] or 0), int(groups["minute"] or 0)
    second = int(groups.get("second") or 0)
    ampm = (groups.get("ampm") or "").replace(".", "").replace(" ", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23:
        return None
    try:
        zone = _zone(groups.get("zone"), day)
    except ValueError:
        return None  # "10:41 AM XYZ": not a dateline we can vouch for
    stamp = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
    return stamp.isoformat()


def parse_date(value: str, *, numeric: bool = False) -> str | None:
    """ISO 8601 for ``value`` if all of it is a date (and maybe a time); else None.

    ``numeric=True`` also accepts slashed dates (``06/14/2021``, read month first), which are
    only safe after a label such as ``Published:``.

    >>> parse_date("2021-06-14T10:41:00Z")
    '2021-06-14T10:41:00+00:00'
    >>> parse_date("Mon, 14 Jun 2021 10:41 GMT")
    '2021-06-14T10:41:00+00:00'
    """
    text = " ".join(value.split()).strip(" ,;|·•")
    if not text or len(text) > 60:
        return None
    if _ISO_FULL.fullmatch(text):
        try:
            stamp = datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError:
            return None
        return stamp.isoformat()
    patterns = _PATTERNS + (_NUMERIC_PATTERNS if numeric else ())
    for pattern in patterns:
        match = pattern.fullmatch(text)
        if match:
            return _build(match.groupdict())
    return None


def normalize_date(value: str) -> str | None:
    """ISO 8601 for a date from metadata (JSON field, HTML meta); None if it is not one.

    Accepts everything ``parse_date`` does, numeric forms included, and RFC 2822 stamps.

    >>> normalize_date("2021-06-14T10:41:00-04:00")
    '2021-06-14T10:41:00-04:00'
    >>> normalize_date("Mon, 14 Jun 2021 14:41:00 +0000")
    '2021-06-14T14:41:00+00:00'
    >>> normalize_date("soon") is None
    True
    """
    found = parse_date(value, numeric=True)
    if found:
        return found
    from email.utils import parsedate_to_datetime

    try:
        stamp = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return stamp.isoformat() if 1900 <= stamp.year <= 2100 else None
