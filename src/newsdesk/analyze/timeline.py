"""Dated events of a story, in date order, relative dates resolved.

Each sentence with a date expression becomes an event dated by that expression. Relative
dates are resolved against the article's ``published`` date or, when it has none, the
median date of the other articles of the story:

- a weekday alone ("Thursday", "on Sunday", "Sunday night") is the most recent such day on
  or before publication (news is written in the past tense), unless the sentence speaks of
  the future ("will", "is scheduled", "next"), then the next such day on or after it;
  "last Thursday" is strictly before, "next Thursday" strictly after;
- "yesterday"/"last night" = the day before, "today"/"tonight"/"this morning" = that day,
  "tomorrow" the day after, "three days ago" = three days before;
- a month and day without a year ("March 14th", "Nov. 28") is its most recent occurrence on
  or before publication, or its next one when the sentence speaks of the future;
  holidays ("Christmas Eve", "Thanksgiving") take the most recent occurrence, or the next
  one in a future sentence;
- "last week" is the Monday of the week before (``"precision": "week"``), "last month" the
  first of the month before (``"precision": "month"``), "March 2012" the first of March, and
  a month alone after a preposition ("in December", "last May") its most recent occurrence
  (the next one in a future sentence).

Years alone ("in 2009") are too vague for a timeline and are skipped. Without any anchor
date, only expressions with a year are kept.

>>> from newsdesk.models import Article
>>> from types import SimpleNamespace
>>> text = "Police cleared the camp on Sunday."
>>> a = Article.create(source="x", text=text, published="2011-11-30")
>>> story = SimpleNamespace(articles=(a,), sentences={})
>>> [(e["date"], e["text"]) for e in extract_timeline(story)]
[('2011-11-27', 'Police cleared the camp on Sunday.')]
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rapidfuzz.fuzz import token_set_ratio

from ..dates import MONTHS, WEEKDAYS
from ._text import StoryLike, parse_date, story_sentences

# Two sentences dated the same day are one event above this token_set_ratio; 50 joined
# rewordings of one event and kept distinct events of one day apart on invented examples.
SAME_EVENT = 50

_MON = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAYNAME = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_ORD = r"(?:st|nd|rd|th)?"
_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
        "seven": 7, "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
_HOLIDAYS = (
    r"Christmas Eve|Christmas Day|Christmas|New Year'?’?s Eve|New Year'?’?s Day|Thanksgiving|"
    r"Halloween|Valentine'?’?s Day|Independence Day|Fourth of July|July 4th|Memorial Day|"
    r"Labor Day|Easter"
)
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>\d{4})"
_MONTH_PREP = r"(?:[Ii]n|of|since|by|until|to|through|early|late|mid-?)"
_RELATIVE = (
    r"[Yy]esterday|[Tt]oday|[Tt]onight|[Tt]omorrow|[Ll]ast night"
    r"|[Tt]his (?:morning|afternoon|evening)"
)
_COUNT = r"\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten"
# Tried in this order; a later pattern never takes text an earlier one matched.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    ("mdy", re.compile(rf"\b(?P<mon>{_MON})\s+{_DAY}(?:,?\s+{_YEAR})?\b")),
    ("dmy", re.compile(rf"\b{_DAY}\s+(?:of\s+)?(?P<mon>{_MON})(?:,?\s+{_YEAR})?\b")),
    ("num", re.compile(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b")),
    ("my", re.compile(rf"\b(?:{_MONTH_PREP}\s+)?(?P<mon>{_MON})(?:,|\s+of)?\s+{_YEAR}\b")),
    (
        "month",
        re.compile(
            rf"\b(?P<p>(?i:in|since|until|by|last|this|early|late|mid-?))\s+"
            rf"(?P<mon>{_MON})(?!\s*\d)(?![\w.])"
        ),
    ),
    ("holiday", re.compile(rf"\b(?:(?P<q>[Tt]his|[Ll]ast|[Nn]ext)\s+)?(?P<h>{_HOLIDAYS})\b")),
    (
        "weekday",
        re.compile(rf"\b(?:(?P<q>[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast)\s+)?(?P<wd>{_DAYNAME})\b"),
    ),
    ("rel", re.compile(rf"\b(?P<r>{_RELATIVE})\b")),
    ("ago", re.compile(rf"\b(?P<n>{_COUNT})\s+(?P<u>days?|weeks?)\s+ago\b", re.I)),
    ("lastunit", re.compile(r"\b(?P<q>[Ll]ast|[Tt]his|[Nn]ext)\s+(?P<u>week|month)\b")),
]
# Lower case only ("Good Will Hunting" is no future), and never inside a quotation, whose
# tense is the speaker's.
_FUTURE = re.compile(
    r"\b(?:will|'ll|’ll|scheduled|is set to|are set to|plans? to|"
    r"(?:is|are|was|were) expected|expected to|upcoming|next|is due|are due|"
    r"(?:is|are|was|were) set for|slated for)\b"
)
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression at ``start:end`` of a text, resolved to ``day``."""

    start: int
    end: int
    day: date
    precision: str  # "day", "week" or "month"


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")[:3]]


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _nth_weekday(y: int, m: int, weekday: int, n: int) -> date:
    first = date(y, m, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(y: int, m: int, weekday: int) -> date:
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _easter(y: int) -> date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    return date(y, month, (h + l_ - 7 * m + 114) % 31 + 1)


def _holiday(name: str, y: int) -> date:
    low = name.lower().replace("’", "'")
    if low.startswith("christmas eve"):
        return date(y, 12, 24)
    if low.startswith("christmas"):
        return date(y, 12, 25)
    if low.startswith("new year") and "eve" in low:
        return date(y, 12, 31)
    if low.startswith("new year"):
        return date(y, 1, 1)
    if low == "thanksgiving":
        return _nth_weekday(y, 11, 3, 4)
    if low == "halloween":
        return date(y, 10, 31)
    if low.startswith("valentine"):
        return date(y, 2, 14)
    if low in ("independence day", "fourth of july", "july 4th"):
        return date(y, 7, 4)
    if low == "memorial day":
        return _last_weekday(y, 5, 0)
    if low == "labor day":
        return _nth_weekday(y, 9, 0, 1)
    return _easter(y)


def find_dates(text: str, ref: date | None, future: bool | None = None) -> list[DateMention]:
    """Date expressions in ``text`` (one sentence), resolved against ``ref``.

    ``future`` says whether the sentence speaks of the future; by default it is guessed
    from its verbs ("will", "is scheduled", ...).

    >>> [str(m.day) for m in find_dates("He left on Thursday.", date(2013, 11, 4))]
    ['2013-10-31']
    >>> [str(m.day) for m in find_dates("It will open on March 14th.", date(2013, 11, 4))]
    ['2014-03-14']
    """
    if future is None:
        future = bool(_FUTURE.search(_QUOTED.sub(" ", text)))
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            got = _resolve(kind, m, ref, future)
            if got is None:
                continue
            taken.append((m.start(), m.end()))
            out.append(DateMention(m.start(), m.end(), got[0], got[1]))
    return sorted(out, key=lambda d: d.start)


def _resolve(
    kind: str, m: re.Match[str], ref: date | None, future: bool
) -> tuple[date, str] | None:
    g = m.groupdict()
    if kind == "iso":
        d = _safe(int(g["y"]), int(g["m"]), int(g["d"]))
        return (d, "day") if d else None
    if kind in ("mdy", "dmy", "num"):
        month = int(g["m"]) if kind == "num" else _month(g["mon"])
        day = int(g["d"])
        if g.get("y"):
            y = int(g["y"])
            y = y + 2000 if y < 100 else y
            d = _safe(y, month, day)
            return (d, "day") if d else None
        if ref is None:
            return None
        cands = [c for c in (_safe(ref.year + k, month, day) for k in (-1, 0, 1)) if c]
        if future:
            later = [c for c in cands if c >= ref]
            return (min(later), "day") if later else None
        earlier = [c for c in cands if c <= ref]
        return (max(earlier), "day") if earlier else None
    if kind == "my":
        return date(int(g["y"]), _month(g["mon"]), 1), "month"
    if ref is None:
        return None
    if kind == "month":
        month = _month(g["mon"])
        if g["mon"] == "May" and g["p"].lower() in ("by", "this"):
            return None  # "by May" is fine, but "this May" rarely dates a past event
        y = ref.year
        if future:
            y += month < ref.month
        else:
            y -= month > ref.month or (g["p"].lower() == "last" and month == ref.month)
        return date(y, month, 1), "month"
    if kind == "holiday":
        q = (g.get("q") or "").lower()
        if q == "this":  # "this Thanksgiving": the one of the publication year
            return _holiday(g["h"], ref.year), "day"
        if q == "next":
            future = True
        for y in (ref.year, ref.year + 1) if future else (ref.year, ref.year - 1):
            d = _holiday(g["h"], y)
            if (future and d >= ref) or (not future and d <= ref):
                return d, "day"
        return None
    if kind == "weekday":
        wd = WEEKDAYS[g["wd"].lower()]
        q = (g.get("q") or "").lower()
        back = (ref.weekday() - wd) % 7
        ahead = (wd - ref.weekday()) % 7
        if q in ("last", "past"):
            return ref - timedelta(days=back or 7), "day"
        if q == "next":
            return ref + timedelta(days=ahead or 7), "day"
        if future:
            return ref + timedelta(days=ahead), "day"
        return ref - timedelta(days=back), "day"
    if kind == "rel":
        r = g["r"].lower()
        shift = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(r, 0)
        return ref + timedelta(days=shift), "day"
    if kind == "ago":
        n = int(g["n"]) if g["n"].isdigit() else _NUM[g["n"].lower()]
        days = n * (7 if g["u"].lower().startswith("week") else 1)
        return ref - timedelta(days=days), "day"
    if kind == "lastunit":
        q, unit = g["q"].lower(), g["u"].lower()
        step = {"last": -1, "this": 0, "next": 1}[q]
        if unit == "week":
            monday = ref - timedelta(days=ref.weekday())
            return monday + timedelta(days=7 * step), "week"
        y, mo = divmod(ref.year * 12 + ref.month - 1 + step, 12)
        return date(y, mo + 1, 1), "month"
    return None


def reference_dates(story: StoryLike) -> dict[str, date | None]:
    """Each article's anchor: its own date, else the median date of the story's others."""
    own = {a.id: parse_date(a.published) for a in story.articles}
    known = sorted(d for d in own.values() if d is not None)
    fallback = None
    if known:
        ordinals = [d.toordinal() for d in known]
        fallback = date.fromordinal(int(statistics.median_low(ordinals)))
    return {aid: d or fallback for aid, d in own.items()}


def extract_timeline(story: StoryLike) -> list[dict[str, Any]]:
    """Dated events of ``story`` ordered by date: ``{"date", "text", "articles", "offsets",
    "expression", "precision"}``.

    ``text`` is the sentence carrying the date, ``expression`` the words that dated it,
    ``offsets`` each occurrence (``{"article", "start", "end"}`` of the sentence). Sentences
    from several articles with the same date and similar words are one event.

    >>> from newsdesk.models import Article
    >>> from types import SimpleNamespace
    >>> a = Article.create(source="a", text="The vote was held Tuesday.", published="2020-03-05")
    >>> b = Article.create(source="b", text="Voters went to the polls on March 3.")
    >>> t = extract_timeline(SimpleNamespace(articles=(a, b), sentences={}))
    >>> [(e["date"], len(e["articles"])) for e in t]
    [('2020-03-03', 1), ('2020-03-03', 1)]
    """
    refs = reference_dates(story)
    events: list[dict[str, Any]] = []
    for art in story.articles:
        ref = refs[art.id]
        for sent in story_sentences(story, art):
            seen: set[date] = set()
            for mention in find_dates(sent.text, ref):
                if mention.day in seen:
                    continue
                seen.add(mention.day)
                occurrence = {"article": art.id, "start": sent.start, "end": sent.end}
                for ev in events:
                    if (
                        ev["_day"] == mention.day
                        and art.id not in ev["articles"]
                        and token_set_ratio(ev["text"], sent.text) >= SAME_EVENT
                    ):
                        ev["articles"].append(art.id)
                        ev["offsets"].append(occurrence)
                        break
                else:
                    events.append(
                        {
                            "_day": mention.day,
                            "date": mention.day.isoformat(),
                            "text": sent.text,
                            "articles": [art.id],
                            "offsets": [occurrence],
                            "expression": sent.text[mention.start : mention.end],
                            "precision": mention.precision,
                        }
                    )
    events.sort(key=lambda e: e["_day"])  # stable: same-day events keep reading order
    for ev in events:
        del ev["_day"]
    return events
