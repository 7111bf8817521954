"""Quantities of a story with what they count, one item per quantity across articles.

Rule-based on purpose (the whole analysis of a five-article story has 200 ms): a regex finds
number expressions (digits, number words, "a dozen", "two-thirds", "$2.1 million", "40%"),
then small word tables read what each one counts:

- the noun run right after the number ("1,200 troops stationed" -> "troops"), with a casualty
  or event verb when one follows or comes just before ("14 people were injured", "injuring at
  least 12 people", "14 were injured" -> "people injured");
- money counts what it is for when the sentence says so ("$4.2 million for a rehabilitation"
  -> "rehabilitation"), else the noun after it ("a $2 million contract" -> "contract");
- a measure keeps its unit ("40 feet" -> unit "feet"), a percentage has unit "%";
- ages: "Raymond Koval, 58," -> "age of Raymond Koval", "a 19-year-old student" -> "age of
  student";
- "two of them in critical condition" counts "people in critical condition", not the whole.

Not quantities: years ("in 1958", "the 1960s"), dates ("June 10"), times ("4:40 p.m."),
ordinals ("10th"), numbers that are part of a name ("Route 9", "No. 14", "WKBR 7"), scores
and ranges ("3-2"), and "one" unless it counts people ("one man was killed"): the pronoun
("one of the most ...") is far more common.

The same quantity (value, unit, what it counts) in several articles is one item.

>>> from newsdesk.models import Article
>>> from types import SimpleNamespace
>>> a = Article.create(source="a", text="Officials said 1,200 troops stationed in the region left.")
>>> found = extract_numbers(SimpleNamespace(articles=(a,), sentences={}))
>>> [(n["value"], n["unit"], n["counts"]) for n in found]
[(1200.0, None, 'troops')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..dates import MONTHS, WEEKDAYS
from ._text import StoryLike, story_sentences


def _wordlist(words: str) -> list[str]:
    return words.split()


# --- word tables ------------------------------------------------------------------------

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
               "seventy": 70, "eighty": 80, "ninety": 90}  # fmt: skip
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
           "m": 1e6, "mn": 1e6, "bn": 1e9, "k": 1e3}  # fmt: skip
_FRACTIONS = {"half": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25,
              "quarters": 0.25, "fifth": 0.2, "fifths": 0.2}  # fmt: skip
_CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY"}
_CURRENCY_WORDS = {"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR",
                   "yen": "JPY", "rupees": "INR", "pounds sterling": "GBP"}  # fmt: skip
# Measures: the unit word as written, normalized to one spelling.
_MEASURES = {
    "feet": "feet", "foot": "feet", "ft": "feet", "yards": "yards", "yard": "yards",
    "miles": "miles", "mile": "miles", "meters": "meters", "metres": "meters",
    "meter": "meters", "metre": "meters", "kilometers": "km", "kilometres": "km", "km": "km",
    "inches": "inches", "inch": "inches", "centimeters": "cm", "cm": "cm", "acres": "acres",
    "hectares": "hectares", "tons": "tons", "tonnes": "tons", "pounds": "pounds",
    "lbs": "pounds", "kilograms": "kg", "kg": "kg", "gallons": "gallons", "liters": "liters",
    "litres": "liters", "barrels": "barrels", "degrees": "degrees", "mph": "mph",
    "seconds": "seconds", "minutes": "minutes", "hours": "hours", "days": "days",
    "weeks": "weeks", "months": "months", "years": "years", "decades": "decades",
    "second": "seconds", "minute": "minutes", "hour": "hours", "day": "days", "week": "weeks",
    "month": "months", "year": "years", "points": "points", "kph": "kph", "km/h": "kph",
    "knots": "knots", "mm": "mm", "millimeters": "mm",
}  # fmt: skip
# Casualty and event verbs: their forms -> the participle a count is labelled with. These are
# the counts outlets most often disagree on, and the noun alone ("people") says too little.
_EVENT_VERBS = {
    "injured": "injured", "injuring": "injured", "injure": "injured", "injuries": "injured",
    "hurt": "injured", "hurting": "injured", "wounded": "wounded", "wounding": "wounded",
    "killed": "killed", "killing": "killed", "kill": "killed", "dead": "killed",
    "died": "killed", "deaths": "killed", "fatalities": "killed", "arrested": "arrested",
    "arresting": "arrested", "arrests": "arrested", "detained": "detained",
    "missing": "missing", "evacuated": "evacuated", "evacuating": "evacuated",
    "rescued": "rescued", "hospitalized": "hospitalized", "hospitalised": "hospitalized",
    "displaced": "displaced", "infected": "infected", "sickened": "sickened",
    "charged": "charged", "convicted": "convicted", "fired": "fired", "displacing": "displaced",
    "maimed": "injured",
}  # fmt: skip
_PERSON_NOUNS = frozenset(
    _wordlist(
        """people person persons individuals man men woman women adults civilians residents
    victims passengers others"""
    )
)
# One noun for words outlets use interchangeably for the same count.
_SYNONYMS = {"car": "vehicle", "cars": "vehicle", "vehicles": "vehicle", "persons": "people",
             "person": "people", "individuals": "people", "man": "people", "men": "people",
             "woman": "people", "women": "people", "fatalities": "deaths", "others": "people",
             "other": "people", "wounded": "injured"}  # fmt: skip
_AUX = frozenset(
    _wordlist(
        """were was are is been be being have has had got get remain remained
    reportedly all still later then also"""
    )
)
# Verbs a person count is labelled with when no event verb is there: "12 people were taken".
_IRREGULAR = frozenset(
    _wordlist(
        """taken hurt left brought found held seen shot caught sent told
    stuck trapped"""
    )
)
_CONDITION = re.compile(
    r"[^.;]{0,60}?\b(?:in|remained in|remain in|are in|were in|was in|is in)\s+"
    r"(?P<c>(?:critical|serious|stable|grave|fair|good)\s+condition)"
)
_CUSTODY = re.compile(
    r"\s+(?:(?:are|were|is|was|remain|remained|now)\s+){0,2}in\s+(?:police\s+)?custody\b"
)
_QUALIFIERS = (
    r"(?:at\s+least|more\s+than|less\s+than|fewer\s+than|up\s+to|as\s+many\s+as|"
    r"as\s+few\s+as|nearly|almost|about|around|roughly|approximately|some|over|under|"
    r"just\s+over|just\s+under|an\s+estimated|estimated|only|just|a\s+total\s+of)"
)
# Words that end a counted noun run: function words, auxiliaries, prepositions, verbs we know.
_STOP = frozenset(
    _wordlist(
        """a an the and or but of in on at to by from with for into onto about after before
    during while when where who whom whose which that this these those there here it its
    he she they we you i him her them us our their his my is are was were be been being
    has have had do does did not no as than also even just still only all any some many
    most more much few each every both other another such said say says told according
    will would could should may might must can shall per across over under between against
    through toward towards around near inside outside within without since until so if
    versus vs
    then yet because out up down off away back last next ago later earlier early late north
    south east west northeast northwest southeast southwest"""
    )
)
# Nouns ending like participles: kept in a noun run.
_ED_ING_NOUNS = frozenset(
    _wordlist(
        """hundred bed red shed building buildings meeting meetings wedding weddings ceiling
    housing funding spending earnings savings beings feelings findings warnings killings
    shootings bombings bookings listings holdings offerings ratings"""
    )
)
_TENS = "|".join(_TENS_WORDS)
_UNITS = "|".join(k for k in _UNITS_WORDS if _UNITS_WORDS[k] < 10 and k != "zero")
_NUMBER_WORD = "|".join(sorted([*_UNITS_WORDS, *_TENS_WORDS], key=len, reverse=True))

_NUM = re.compile(
    rf"""
    (?P<cur>(?:US\$|\$|£|€|¥)\s?)?
    (?:
        (?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)
      | (?P<frac>\b(?:{_NUMBER_WORD}|a|one)-(?:half|thirds?|quarters?|fifths?)\b
          | \b(?:{_NUMBER_WORD}|a|one)\s+(?:half|thirds?|quarters?|fifths?)(?=\s+of\b))
      | (?P<dozen>\b(?:(?:half\s+)?a|one|two|three|four|five|six)\s+dozen\b)
      | (?P<words>\b(?:{_TENS}[-\s](?:{_UNITS})|{_NUMBER_WORD})\b)
      | (?P<ascale>\b(?:half\s+)?a\s+(?=(?:hundred|thousand|million|billion)\b))
    )
    (?P<scale>\s*(?:hundred|thousand|million|billion|trillion)\b|(?<=\d)(?:m|mn|bn|k)\b)?
    (?P<pct>\s*%|\s+percent\b|\s+per\s+cent\b|\s+percentage\s+points?\b)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Looked for behind a number rather than inside _NUM: an optional group tried at every
# position made the scan three times slower.
_QUAL_BEFORE = re.compile(rf"\b{_QUALIFIERS}\s+$", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d[\d,.]*|[^\sA-Za-z\d]")
_MONTH_WORDS = frozenset(MONTHS)
_DAY_WORDS = frozenset(WEEKDAYS)
_TIME_AFTER = re.compile(r"\s*(?::\d\d|[ap]\.?\s?m\b\.?|o'clock|o’clock)", re.IGNORECASE)
_ORDINAL_AFTER = re.compile(r"(?:st|nd|rd|th)\b|s\b|'s\b", re.IGNORECASE)
_NAME_PREFIX = re.compile(r"(?:\b(?:No|Nos|Number|#)\.?\s*|#)$")
_SENTENCE_WORDS = frozenset(
    _wordlist(
        """about nearly almost some more over only just at around roughly approximately fewer
    less up as a an estimated all the those these another exactly perhaps its their his her
    our"""
    )
)
_AGE_AFTER_NAME = re.compile(
    r"(?P<name>(?:[A-Z][\w'’.\-]+\s+){0,3}[A-Z][\w'’\-]+),\s+(?:age\s+|aged\s+)?$"
)
_SUBJECT_BEFORE = re.compile(
    r"\b(?P<noun>[A-Za-z][\w\-]*)\s+(?:were|have\s+been|had\s+been)\s+(?:\w+\s+)?"
    r"(?P<verb>[a-z]+)\s*,?\s+and\s+$"
)
_VERB_BEFORE = re.compile(r"\b([a-z]{3,})\s+(?:(?:at\s+least|about|nearly|some)\s+)?$")
_NAME_AFTER_AGE = re.compile(r"\s+((?:[A-Z][\w'’\-]+\s+){0,3}[A-Z][\w'’\-]+)\b")
# Letters written right after digits that still make a quantity: "5m", "295km", "10th".
_ATTACHED = r"(?:m|mn|bn|k|km|kg|mm|cm|ft|lbs?|mph|kph|st|nd|rd|th|s)\b"
_STREET = (
    r"\s+(?:[A-Za-z]+\s+)?(?:street|st|road|rd|avenue|ave|drive|dr|lane|ln|boulevard|blvd|"
    r"way|court|ct|place|pl|terrace|parkway|pkwy|highway|hwy)\b\.?"
)
_WHOLE_BEFORE = re.compile(r"\bof\s+(?:the\s+|its\s+|their\s+)?(?:[\w\-]+['’]s?\s+)?$", re.I)
_COMPOUND = re.compile(r"-([A-Za-z]{3,})\b(?!-)")
_YEAR_OLD = re.compile(r"\s*-?\s*years?[-\s]old\b", re.IGNORECASE)
# "$25 million in punitive damages": money in a noun right after it counts that noun.
_IN = re.compile(r"^\s*in\s+")
_PERIOD_WORDS = frozenset(_wordlist("first second third fourth quarter half fiscal"))
_FOR = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:for|on|to\s+fund|to\s+pay\s+for|toward|towards)\s+")


@dataclass(frozen=True, slots=True)
class Quantity:
    """One number occurrence in an article: value, unit, what it counts, where."""

    article: str
    start: int  # of the phrase shown as ``text``
    end: int
    text: str
    value: float
    unit: str | None
    counts: str
    num_start: int  # of the number itself
    num_end: int
    qualifier: str


# --- parsing ------------------------------------------------------------------------------


def _word_value(words: str) -> float | None:
    """'twenty-one' -> 21, 'twelve' -> 12."""
    total = 0.0
    for part in re.split(r"[-\s]+", words.lower()):
        if part in _UNITS_WORDS:
            total += _UNITS_WORDS[part]
        elif part in _TENS_WORDS:
            total += _TENS_WORDS[part]
        else:
            return None
    return total


def _value(m: re.Match[str]) -> float | None:
    if m.group("digits"):
        value = float(m.group("digits").replace(",", ""))
    elif m.group("frac"):
        head, tail = re.split(r"[-\s]", m.group("frac").lower(), maxsplit=1)
        n = 1.0 if head in ("a", "one") else (_word_value(head) or 0.0)
        value = n * _FRACTIONS[tail]
    elif m.group("dozen"):
        head = m.group("dozen").lower().split()[0]
        value = (
            6.0 if head == "half" else 12.0 * (1 if head in ("a", "one") else _UNITS_WORDS[head])
        )
    elif m.group("words"):
        got = _word_value(m.group("words"))
        if got is None:
            return None
        value = got
    else:  # "a million", "half a billion"
        value = 0.5 if m.group("ascale").lower().startswith("half") else 1.0
    scale = (m.group("scale") or "").strip().lower()
    if scale:
        value *= _SCALES[scale]
    return value


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(w.start(), w.end(), w.group()) for w in _WORD.finditer(text)]


def _singular(word: str) -> str:
    w = word.lower()
    if w in _SYNONYMS:
        return _SYNONYMS[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def counts_key(counts: str) -> str:
    """What a ``counts`` string means, for comparing: singular, synonyms merged, no articles.

    >>> counts_key("cars"), counts_key("people injured"), counts_key("vehicles a day")
    ('vehicle', 'people injured', 'vehicle day')
    """
    return " ".join(_singular(w) for w in counts.split() if w.lower() not in ("a", "an", "the"))


def _is_nounish(word: str) -> bool:
    low = word.lower()
    if not word[0].isalpha() or low in _STOP or low in _AUX or low in _EVENT_VERBS:
        return False
    if low in _MONTH_WORDS or low in _DAY_WORDS:
        return False  # "80 minutes Thursday": a date, not what the minutes count
    if low.endswith(("ed", "ing")) and low not in _ED_ING_NOUNS:
        return False
    return not (low.endswith("ly") and low not in ("family", "assembly", "supply", "italy"))


def _noun_run(words: list[tuple[int, int, str]], i: int) -> tuple[int, int]:
    """Words ``i..j`` (exclusive) forming the counted noun phrase, at most three words."""
    j = i
    while j < len(words) and j - i < 3:
        w = words[j][2]
        if not _is_nounish(w) or (w[0].isupper() and j > i):
            break
        j += 1
        low = w.lower()
        if len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is")):
            break  # a plural head ends the run: "16,000 bridges carry the label"
    return i, j


def _after_verb(words: list[tuple[int, int, str]], j: int) -> tuple[str, int] | None:
    """An event verb right after the noun run, past auxiliaries: ('injured', index)."""
    k = j
    steps = 0
    while k < len(words) and words[k][2].lower() in _AUX and steps < 3:
        k += 1
        steps += 1
    if k < len(words) and words[k][2].lower() in _EVENT_VERBS:
        return _EVENT_VERBS[words[k][2].lower()], k
    return None


def _before_verb(text: str, start: int) -> tuple[str, int] | None:
    """An event verb just before the number ('injuring at least 12'): (participle, start)."""
    before = _words(text[max(0, start - 40) : start])
    for s, _e, w in reversed(before[-2:]):
        low = w.lower()
        if low in _EVENT_VERBS and not low.endswith(("ies", "ths")):
            return _EVENT_VERBS[low], max(0, start - 40) + s
        if low not in ("and", "or") and low not in _SENTENCE_WORDS:
            break
    return None


def _clause_subject(text: str, start: int) -> str:
    """Who a count with no noun counts, from the clause it is joined to: "Three soldiers
    were killed and 12 wounded" -> "soldiers"; "people" when no such clause is there."""
    m = _SUBJECT_BEFORE.search(text, max(0, start - 80), start)
    if not m or m.group("verb").lower() not in _EVENT_VERBS:
        return "people"
    noun = m.group("noun")
    low = noun.lower()
    if low in _PERSON_NOUNS or not _is_nounish(noun) or not low.endswith("s"):
        return "people"
    return low


def _is_participle(word: str) -> bool:
    low = word.lower()
    return (low.endswith("ed") and len(low) > 4 and low not in _ED_ING_NOUNS) or low in _IRREGULAR


def _plain_verb_after(words: list[tuple[int, int, str]], j: int) -> tuple[str, int] | None:
    k = j
    while k < len(words) and words[k][2].lower() in _AUX and k - j < 3:
        k += 1
    if k > j and k < len(words) and _is_participle(words[k][2]):
        return words[k][2].lower(), k
    return None


def _plain_verb_before(text: str, start: int) -> tuple[str, int] | None:
    before = _words(text[max(0, start - 30) : start])
    if before and _is_participle(before[-1][2]):
        return before[-1][2].lower(), max(0, start - 30) + before[-1][0]
    return None


def _money_purpose(text: str) -> str:
    """'for a full rehabilitation of the bridge' -> 'full rehabilitation'; 'in punitive
    damages' -> 'punitive damages' (but not 'in Millbrook', 'in the first quarter')."""
    m = _FOR.match(text)
    within = None if m else _IN.match(text)
    if not m and not within:
        return ""
    end = m.end() if m else within.end() if within else 0
    rest = _words(text[end : end + 80])
    k = 0
    while k < len(rest) and rest[k][2].lower() in ("a", "an", "the", "its", "their", "his", "her"):
        k += 1
    i, j = _noun_run(rest, k)
    words = [w for _s, _e, w in rest[i:j]]
    if within and (
        not words
        or words[0][0].isupper()
        or any(w.lower() in _MEASURES or w.lower() in _PERIOD_WORDS for w in words)
    ):
        return ""  # "$5 million in Millbrook", "$3 million in the first quarter"
    return " ".join(words).lower()


def _skip(text: str, m: re.Match[str], num_start: int, num_end: int) -> bool:
    """Years, dates, times, ordinals, names with numbers, scores: not quantities."""
    after = text[num_end : num_end + 12]
    before = text[max(0, num_start - 12) : num_start]
    digits = m.group("digits")
    if _TIME_AFTER.match(after) or before.endswith(":"):
        return True
    if digits and _ORDINAL_AFTER.match(after):
        return True  # 10th, 1960s, 14's
    if re.match(r"\s*[-–/]\s*\d", after) or re.search(r"\d\s*[-–/]\s*$", before):
        return True  # scores, ranges, fractions written 3/4, dates 6/10
    if digits and re.match(r"[A-Za-z]", after) and not re.match(_ATTACHED, after):
        return True  # "4x4", "3D", "12b": a code or coordinate, not a quantity
    if re.match(_STREET, after, re.IGNORECASE):
        return True  # "12 Elm Street" is an address
    if re.match(r"[-\s]?blocks?\b", after, re.IGNORECASE):
        return True  # "the 1300 block of Main Street" is an address
    if re.search(r"[A-Za-z][-–]$", before):
        return True  # AK-47, Covid-19, G-20
    if _NAME_PREFIX.search(before):
        return True
    if m.group("cur") or m.group("pct") or m.group("scale"):
        return False
    prev = _words(text[max(0, num_start - 30) : num_start])
    nxt = _words(after)
    if prev and prev[-1][2].lower().rstrip(".") in _MONTH_WORDS:
        return True  # June 10
    if len(prev) > 1 and prev[-1][2] == "." and prev[-2][2].lower() in _MONTH_WORDS:
        return True  # Feb. 6
    if nxt and nxt[0][2].lower().rstrip(".") in _MONTH_WORDS:
        return True  # 10 June
    if digits and re.fullmatch(r"1[7-9]\d\d|20\d\d", digits):
        return True  # a year; "1999 voters" is too rare to pay for "in 1999 police"
    if digits and "," not in digits and len(digits.split(".")[0]) >= 5:
        return True  # ids, zip codes, phone parts
    if prev and not _QUAL_BEFORE.search(text, max(0, m.start() - 20), m.start()):
        w = prev[-1][2]
        at = max(0, num_start - 30) + prev[-1][0]
        # "Route 9", "WKBR 7", "Apollo 11": a capitalized word (not the sentence start)
        # directly before the number makes it part of a name.
        if (
            w[0].isupper()
            and w.lower() not in _SENTENCE_WORDS
            and text[at + len(w) : num_start] == " "
        ):
            return True
    return False


_STARTS = frozenset([*_UNITS_WORDS, *_TENS_WORDS, "a", "half", "us"])
_TOKEN_START = re.compile(r"US\$|[$£€¥]|\d[\d,.]*|[A-Za-z]+")


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """``_NUM`` matches, tried only where a token can start a number (about ten times faster
    than ``_NUM.finditer`` over every position of the sentence)."""
    pos = 0
    for tok in _TOKEN_START.finditer(text):
        if tok.start() < pos:
            continue
        word = tok.group()
        if word[0].isalpha() and word.lower() not in _STARTS:
            continue
        if tok.start() > 0 and word[0].isdigit() and text[tok.start() - 1].isalnum():
            continue
        m = _NUM.match(text, tok.start())
        if m and m.end() > m.start():
            pos = m.end()
            yield m


def _numbers_in(text: str) -> Iterator[tuple[re.Match[str], str, float]]:
    """The number expressions of ``text`` that are quantities: (match, its core group, value).

    The core group is the number itself ("digits", "frac", "dozen", "words", "ascale"),
    without currency, scale or percent.
    """
    for m in _candidates(text):
        core = next(g for g in ("digits", "frac", "dozen", "words", "ascale") if m.group(g))
        if core == "ascale" and not m.group("scale"):
            continue  # "a" not followed by hundred/thousand/...: an article
        if _skip(text, m, m.start(core), m.end(core)):
            continue
        value = _value(m)
        if value is not None:
            yield m, core, value


_AFTER_CHARS = 400  # read after a number: the longest rule (money's purpose) needs ~300
_BEFORE_CHARS = 200  # read before it for an age's name ("Raymond J. Koval Jr., 58")


def _window_start(text: str, end: int) -> int:
    """Where the ``_BEFORE_CHARS`` before ``end`` start, moved to a word start (no name is cut)."""
    start = max(0, end - _BEFORE_CHARS)
    if start:
        space = text.find(" ", start, end)
        start = end if space == -1 else space + 1
    return start


@dataclass(slots=True)
class _Reading:
    """What one number counts, worked out rule by rule: the phrase shown (offsets into the
    sentence), the unit and the counted thing."""

    start: int
    end: int
    unit: str | None
    counts: str = ""


def _scan_sentence(art_id: str, text: str, base: int) -> list[Quantity]:
    out: list[Quantity] = []
    for m, core, value in _numbers_in(text):
        q = _QUAL_BEFORE.search(text, max(0, m.start() - 20), m.start())
        unit: str | None = None
        if m.group("cur"):
            unit = _CURRENCY_SIGNS[m.group("cur").strip().lower()]
        elif m.group("pct"):
            unit = "%"
        reading = _Reading(q.start() if q else m.start(), m.end(), unit)
        if not _read(text, m, core, value, reading):
            continue
        out.append(
            Quantity(
                article=art_id,
                start=base + reading.start,
                end=base + reading.end,
                text=text[reading.start : reading.end],
                value=value,
                unit=reading.unit,
                counts=reading.counts,
                num_start=base + m.start(),
                num_end=base + m.end(),
                qualifier=" ".join(q.group().lower().split()) if q else "",
            )
        )
    return out


def _read(text: str, m: re.Match[str], core: str, value: float, r: _Reading) -> bool:
    """Fill ``r`` for the number ``m``: an age, else a count; False when it counts nothing."""
    # Windows, not the whole sentence: every rule reads a few words either side, and
    # slicing to the sentence's ends made a paragraph-long "sentence" quadratic.
    rest = text[m.end() : m.end() + _AFTER_CHARS]
    return _read_age(text, m, core, value, rest, r) or _read_count(text, m, core, value, rest, r)


def _read_age(text: str, m: re.Match[str], core: str, value: float, rest: str, r: _Reading) -> bool:
    """Ages: "Raymond Koval, 58," and "a 58-year-old man"; False when it is not one."""
    if r.unit is not None:
        return False
    head = _window_start(text, m.start())
    age = _YEAR_OLD.match(rest)
    if age and value < 130:
        after_age = _words(rest[age.end() : age.end() + 60])
        i, j = _noun_run(after_age, 0)
        noun = " ".join(w for _s, _e, w in after_age[i:j]).lower()
        who = _AGE_AFTER_NAME.search(
            re.sub(r"\s*,?\s*(?:a|an)\s*$", "", text[head : m.start()]) + ", "
        )
        named_after = _NAME_AFTER_AGE.match(rest, age.end())
        if who and who.group("name").split()[0].lower() not in _STOP:
            r.counts = f"age of {who.group('name')}"
        elif named_after and named_after.group(1).split()[0].lower() not in _STOP:
            r.counts = f"age of {named_after.group(1)}"  # "23-year-old Paul Ciancia"
        else:
            r.counts = f"age of {noun}" if noun else "age"
        r.unit = "years"
        r.end = m.end() + age.end() + (after_age[j - 1][1] if j > i else 0)
        return True
    named = _AGE_AFTER_NAME.search(text, head, m.start()) if core == "digits" else None
    if (
        named
        and 0 < value < 120
        and re.match(r"\s*(?:[,;)]|\.\s|\.$|$)", rest)
        and named.group("name").split()[0].lower() not in _STOP
    ):
        r.counts = f"age of {named.group('name')}"
        r.unit = "years"
        r.start = named.start("name")
        return True
    return False


def _unit_words(words: list[tuple[int, int, str]]) -> tuple[str | None, int]:
    """A unit written after the number ("dollars", "pounds sterling", "feet") and its words."""
    if not words:
        return None, 0
    low = words[0][2].lower()
    two = " ".join(w[2].lower() for w in words[:2])
    if len(words) >= 2 and two in _CURRENCY_WORDS:
        return _CURRENCY_WORDS[two], 2
    if low in _CURRENCY_WORDS:
        return _CURRENCY_WORDS[low], 1
    if low in _MEASURES:
        return _MEASURES[low], 1
    return None, 0


def _read_count(
    text: str, m: re.Match[str], core: str, value: float, rest: str, r: _Reading
) -> bool:
    """What a number that is not an age counts; False when nothing says (a bare number)."""
    words = _words(rest[:160])
    k = 0
    if r.unit is None:
        r.unit, k = _unit_words(words)
    if (
        core == "words"
        and value == 1
        and r.unit is None
        and (not words or words[0][2].lower() not in _PERSON_NOUNS | {"other", "others"})
    ):
        return False  # "one" counts people only: "one man was killed", "killed one person"
    compound = _COMPOUND.match(rest)
    if compound and k == 0 and r.unit is None:
        # "a 211-game suspension", "a 40-foot drop", "the two-lane bridge".
        low = compound.group(1).lower()
        if low in _MEASURES:
            r.unit = _MEASURES[low]
            # "a 77-minute press conference", "a 40-foot drop": the measure of what
            after = _words(rest[compound.end() : compound.end() + 80])
            i, j = _noun_run(after, 0)
            r.counts = " ".join(w for _s, _e, w in after[i:j]).lower()
        else:
            r.counts = low if low.endswith("s") else low + "s"
        r.end = m.end() + compound.end()
        return True
    if k:
        r.end = m.end() + words[k - 1][1]
    of = k < len(words) and words[k][2].lower() == "of"
    if of and (core == "frac" or r.unit == "%"):
        _read_share(words[k + 1 :], m.end(), r)
    elif of and r.unit is None:
        _read_partitive(words, k, rest, m.end(), r)
    else:
        _read_noun(text, m, words, k, rest, r)
        if r.unit is None and not r.counts:
            return False  # a bare number ("he was one of 14"): nothing to say what it counts
        if r.counts == "times":
            # "was shot three times": times of what the verb before says
            verb = _VERB_BEFORE.search(text, max(0, m.start() - 30), m.start())
            if verb and verb.group(1) not in _STOP:
                r.counts = f"times {verb.group(1)}"
    return True


def _read_share(rest_of: list[tuple[int, int, str]], num_end: int, r: _Reading) -> None:
    """ "two-thirds of voters", "64 percent of voters": the share of what."""
    i = 0
    while i < len(rest_of) and rest_of[i][2].lower() in ("the", "all", "its", "their"):
        i += 1
    i, j = _noun_run(rest_of, i)
    r.counts = " ".join(w for _s, _e, w in rest_of[i:j]).lower()
    if j > i:
        r.end = num_end + rest_of[j - 1][1]


def _read_partitive(
    words: list[tuple[int, int, str]], k: int, rest: str, num_end: int, r: _Reading
) -> None:
    """ "two of them in critical condition", "two of the 14 injured"."""
    cond = _CONDITION.match(rest)
    if cond:
        r.counts = f"people in {cond.group('c').lower()}"
        r.end = num_end + cond.end()
        return
    i, j = _noun_run(words, k + 1)
    while i < len(words) and words[i][2].lower() in ("the", "them", "those"):
        i += 1
    i, j = _noun_run(words, i)
    counts = f"of {' '.join(w for _s, _e, w in words[i:j]).lower()}".strip()
    r.counts = "" if counts == "of" else counts


def _read_noun(
    text: str, m: re.Match[str], words: list[tuple[int, int, str]], k: int, rest: str, r: _Reading
) -> None:
    """The noun run after the number, with an event or plain verb for people, and a rate."""
    num_start, num_end, unit = m.start(), m.end(), r.unit
    i, j = _noun_run(words, k)
    noun = " ".join(w for _s, _e, w in words[i:j]).lower()
    if j > i:
        r.end = num_end + words[j - 1][1]
    verb = _after_verb(words, j)
    # "Nine of the bus's 40 passengers died": the verb is the part's;
    # "Of the 14 people injured, ..." keeps its participle.
    if (
        verb
        and _WHOLE_BEFORE.search(text, max(0, num_start - 40), num_start)
        and (verb[1] != j or words[verb[1]][2].lower() in ("died", "dead"))
    ):
        verb = None
    before = _before_verb(text, r.start)
    people = not noun or noun.split()[-1] in _PERSON_NOUNS
    if unit is None and verb and people:
        r.counts = f"{_SYNONYMS.get(noun, noun) or _clause_subject(text, r.start)} {verb[0]}"
        r.end = num_end + words[verb[1]][1]
    elif unit is None and before and people:
        r.counts = f"{_SYNONYMS.get(noun, noun) or 'people'} {before[0]}"
        r.start = before[1]
    elif unit is None and noun in _EVENT_VERBS:
        r.counts = f"people {_EVENT_VERBS[noun]}"
    elif unit is None and not noun and (cond := _CONDITION.match(rest[:40])):
        r.counts = f"people in {cond.group('c').lower()}"
        r.end = num_end + cond.end()
    elif unit is None and noun and noun.split()[-1] in _PERSON_NOUNS:
        # "12 people were taken", "pulled five people": the verb says which people.
        who = "people" if _SYNONYMS.get(noun) == "people" else noun
        verb_after = _plain_verb_after(words, j)
        verb_before = _plain_verb_before(text, r.start)
        custody = _CUSTODY.match(rest[words[j - 1][1] :]) if j > i else None
        if verb_after:
            r.counts = f"{who} {verb_after[0]}"
            r.end = num_end + words[verb_after[1]][1]
        elif custody:  # "Four people are in custody", "has three people in custody"
            r.counts = f"{who} in custody"
            r.end = num_end + words[j - 1][1] + custody.end()
        elif verb_before:
            r.counts = f"{who} {verb_before[0]}"
            r.start = verb_before[1]
        else:
            r.counts = noun
    elif unit in ("USD", "EUR", "GBP", "JPY", "INR"):
        r.counts = _money_purpose(rest[words[k - 1][1] if k else 0 :]) or noun
    else:
        r.counts = noun
    # Rates: "21,000 vehicles a day".
    if j > i or k:
        end_at = words[j - 1][1] if j > i else words[k - 1][1]
        rate = re.match(r"\s+(a|an|per|each|every)\s+(day|week|month|year|hour)\b", rest[end_at:])
        if rate:
            r.counts = f"{r.counts} {rate.group(1)} {rate.group(2)}".strip()
            r.end = num_end + end_at + rate.end()


def number_spans(text: str) -> list[tuple[int, int, float]]:
    """Every quantity written in ``text`` as (start, end, value), counted thing or not (years,
    dates, times and numbers in names left out).

    >>> number_spans("He was one of 14. Six died.")
    [(7, 10, 1.0), (14, 16, 14.0), (18, 21, 6.0)]
    """
    return [(m.start(), m.end(), value) for m, _core, value in _numbers_in(text)]


def number_values(text: str) -> set[float]:
    """Every quantity value written in ``text``, counted thing or not (years, dates, times and
    numbers in names left out): tells whether an article mentions a figure at all.

    >>> sorted(number_values("About 1,200 of the park's 3,400 elk live in the valley."))
    [1200.0, 3400.0]
    """
    return {value for _m, _core, value in _numbers_in(text)}


def find_quantities(story: StoryLike) -> list[Quantity]:
    """Every quantity occurrence of every article, in reading order."""
    out: list[Quantity] = []
    for art in story.articles:
        for sent in story_sentences(story, art):
            out.extend(_scan_sentence(art.id, sent.text, sent.start))
    return out


def extract_numbers(story: StoryLike) -> list[dict[str, Any]]:
    """Quantities of ``story`` with what they count, one item per quantity across articles.

    Every item is ``{"text", "value", "unit", "counts", "articles", "offsets"}``: ``text`` the
    phrase as its first article words it, ``offsets`` every occurrence
    (``{"article", "start", "end"}`` into the article's text). Occurrences with the same value,
    unit and counted thing (``counts_key``) are one item; items come in reading order.

    >>> from newsdesk.models import Article
    >>> from types import SimpleNamespace
    >>> a = Article.create(source="a", text="The crash injured 14 people.")
    >>> b = Article.create(source="b", text="Fourteen people were injured, police said.")
    >>> found = extract_numbers(SimpleNamespace(articles=(a, b), sentences={}))
    >>> [(n["value"], n["counts"], len(n["articles"])) for n in found]
    [(14.0, 'people injured', 2)]
    """
    items: dict[tuple[float, str | None, str], dict[str, Any]] = {}
    for q in find_quantities(story):
        key = (q.value, q.unit, counts_key(q.counts))
        item = items.get(key)
        if item is None:
            item = items[key] = {
                "text": q.text,
                "value": q.value,
                "unit": q.unit,
                "counts": q.counts,
                "articles": [],
                "offsets": [],
            }
        if q.article not in item["articles"]:
            item["articles"].append(q.article)
        item["offsets"].append({"article": q.article, "start": q.start, "end": q.end})
    return _merge_suffixes(list(items.values()))


def _merge_suffixes(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Join "full rehabilitation" into "rehabilitation" when value and unit agree."""
    out: list[tuple[list[str], dict[str, Any]]] = []
    for item in items:
        key = counts_key(item["counts"]).split()
        for other, kept in out:
            short, long = sorted((key, other), key=len)
            if (
                kept["value"] == item["value"]
                and kept["unit"] == item["unit"]
                and short
                and long[-len(short) :] == short
            ):
                kept["articles"].extend(a for a in item["articles"] if a not in kept["articles"])
                kept["offsets"].extend(item["offsets"])
                break
        else:
            out.append((key, item))
    return [item for _key, item in out]
