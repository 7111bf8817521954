"""Word-level helpers shared by the stages: tokens, stop words, a light stemmer.

Deliberately small and dependency-free: they run on every sentence of every brief.

>>> terms("The bridges were closed on 12 June")
['bridg', 'clos', '12', 'june']
"""

from __future__ import annotations

import re
from functools import lru_cache

WORD = re.compile(r"[A-Za-z0-9]+(?:[.,'’][A-Za-z0-9]+)*")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours yourself yourselves said says
    say told according mr mrs ms would could may might must shall one""".split()
)

NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
    "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40",
    "fifty": "50", "hundred": "100", "dozen": "12",
}  # fmt: skip

_SUFFIXES = ("ational", "ations", "ation", "ingly", "edly", "ings", "ing", "ies", "ied", "ness",
             "ment", "ers", "er", "ed", "es", "ly", "s")  # fmt: skip


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper: enough to match 'collapsed', 'collapses' and 'collapse'.

    >>> stem("collapsed") == stem("collapses") == stem("collapse")
    True
    """
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word.rstrip("e") if len(word) > 4 else word


def words(text: str) -> list[str]:
    """Lower-cased word tokens (numbers keep their inner commas and points)."""
    return [w.lower() for w in WORD.findall(text)]


def terms(text: str) -> list[str]:
    """Content terms: lower-cased, stop words dropped, numbers normalized, stemmed."""
    out = []
    for w in words(text):
        w = NUMBER_WORDS.get(w, w).replace(",", "").replace("’", "'")
        if w in STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        out.append(stem(w))
    return out


def word_count(text: str) -> int:
    """Words as the budget counts them: whitespace-separated tokens."""
    return len(text.split())
