"""Words, stems and TF-IDF vectors for the summarizers, in plain numpy.

Everything here is cheap enough for ``newsdesk brief`` (no sklearn, no scipy): a story has
at most a few thousand sentences, so dense float32 matrices over the story's own vocabulary
fit easily.

>>> terms("The protesters were arrested on Monday.")
['protest', 'arrest', 'monday']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain, count

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

# The group keeps the part before an apostrophe ("reyes's" -> "reyes") in the one regex pass.
_WORD = re.compile(r"([a-z0-9]+)(?:'[a-z]+)?")
# ASCII bytes: a-z, 0-9 and the apostrophe kept, A-Z lower-cased, anything else a space.
_KEPT = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789'")
_UPPER = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_WORD_BYTES = bytes(c if c in _KEPT else c + 32 if c in _UPPER else 32 for c in range(256))

# A short English stop list: function words only, so content words (names, numbers, verbs)
# decide similarity. Bundled because the usual lists come with NLTK data downloads.
_STOP_WORDS = """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says say told tell one two new like get got also may might must
    s t don didn isn wasn aren weren won wouldn couldn shouldn hasn haven hadn ll re ve d m
    mr mrs ms
    """
STOP_WORDS = frozenset(_STOP_WORDS.split())

_SUFFIXES = (
    "ational",
    "ization",
    "fulness",
    "ousness",
    "iveness",
    "ations",
    "ingly",
    "ments",
    "ation",
    "ement",
    "ness",
    "ment",
    "ings",
    "ers",
    "ies",
    "ing",
    "ed",
    "ly",
    "es",
    "er",
    "s",
)


# The suffixes by their last letter, in the order above: only those can end a word, so a
# word is checked against 0-11 of them, not 21 (0.27 us against 1.0 us per word not yet in
# the cache; a median story of test-fulltext200 brings ~130 of them).
_SUFFIXES_BY_LAST = {
    last: tuple(s for s in _SUFFIXES if s.endswith(last)) for last in {s[-1] for s in _SUFFIXES}
}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper: enough to match "arrests"/"arrested" across articles.

    The first suffix of ``_SUFFIXES`` that ends the word and leaves at least 3 letters goes.

    >>> stem("arrested"), stem("policies"), stem("news")
    ('arrest', 'polic', 'new')
    """
    for suffix in _SUFFIXES_BY_LAST.get(word[-1:], ()):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits), possessives dropped.

    >>> words("Reyes's crew didn't stop.")
    ['reyes', 'crew', 'didn', 'stop']
    """
    # ASCII: A-Z lower-cased by the table below; else lower-case first, since some letters
    # lower-case to ASCII ("\u212a" -> "k"), then anything not ASCII is a "?" (a space)
    raw = text.encode("ascii") if text.isascii() else text.lower().encode("ascii", "replace")
    # Same tokens as ``_WORD.findall(text.lower())``, 2-3x faster: a match never spans
    # anything but [a-z0-9'], so the regular expression runs on the chunks with an apostrophe
    # only (checked against it on 33,000 sentences of test-fulltext200 and validation).
    spaced = raw.translate(_WORD_BYTES).decode("ascii")
    if "'" not in spaced:
        return spaced.split()
    out: list[str] = []
    for chunk in spaced.split():
        if "'" in chunk:
            out.extend(_WORD.findall(chunk))
        else:
            out.append(chunk)
    return out


def terms(text: str) -> list[str]:
    """Stemmed content words of ``text``: what similarity is computed on."""
    return content_terms(words(text))


class _TermOf(dict[str, str]):
    """Word -> its stem, or "" for a stop word or a single character: one dictionary lookup
    per token (a third less time than the stop test plus the cached ``stem`` call)."""

    def __missing__(self, word: str) -> str:
        if len(self) >= 65_536:  # bounded, like ``stem``'s cache
            self.clear()
        term = stem(word) if word not in STOP_WORDS and len(word) > 1 else ""
        self[word] = term
        return term


_TERM_OF = _TermOf()


def content_terms(tokens: Sequence[str]) -> list[str]:
    """Stemmed content words of already tokenized text (see ``words``).

    >>> content_terms(["the", "protesters", "x", "arrested"])
    ['protest', 'arrest']
    """
    return list(filter(None, map(_TERM_OF.__getitem__, tokens)))


def tfidf(docs: Sequence[Sequence[str]]) -> FloatArray:
    """Row-normalized TF-IDF vectors of term lists, IDF from ``docs`` themselves.

    Rows with no terms are all zeros, so their cosine with anything is 0.

    >>> m = tfidf([["a", "b"], ["a"], []])
    >>> m.shape, round(float(m[0] @ m[1]), 2)
    ((3, 2), 0.61)
    """
    return tfidf_counts(docs)[0]


def tfidf_counts(docs: Sequence[Sequence[str]]) -> tuple[FloatArray, IntArray, IntArray]:
    """``tfidf(docs)``, the number of docs that hold each column's term, and for each doc
    the sum of that number over its terms (repeats included): counted on the way.

    >>> _, df, spread = tfidf_counts([["a", "b", "a"], ["a"], []])
    >>> df.tolist(), spread.tolist()
    ([2, 1], [5, 2, 0])
    """
    flat = list(chain.from_iterable(docs))
    # columns in order of first occurrence (the row norms sum in that order), loops in C
    vocabulary = dict(zip(dict.fromkeys(flat), count()))
    size = max(len(vocabulary), 1)
    if not flat:
        none = np.zeros(len(docs), dtype=np.int64)
        return np.zeros((len(docs), size), dtype=np.float32), none[:0], none
    cols = np.fromiter(map(vocabulary.__getitem__, flat), np.int64, len(flat))
    rows = np.repeat(np.arange(len(docs), dtype=np.int64), np.fromiter(map(len, docs), np.int64))
    # whole counts of each (doc, term) cell, by a sort: the same floats as adding 1.0 per
    # occurrence (np.add.at: 5x slower), and no integer copy of the whole matrix
    cells = np.sort(rows * size + cols)
    first = np.concatenate(([True], cells[1:] != cells[:-1]))
    matrix = np.zeros((len(docs), size), dtype=np.float32)
    matrix.ravel()[cells[first]] = np.diff(np.append(np.flatnonzero(first), cells.size))
    df = np.bincount(cells[first] % size, minlength=size)
    spread = np.bincount(rows, weights=df[cols], minlength=len(docs)).astype(np.int64)
    idf = np.log((1.0 + len(docs)) / (1.0 + df)) + 1.0
    matrix *= idf.astype(np.float32)
    return normalize(matrix), df, spread


def normalize(matrix: FloatArray) -> FloatArray:
    """Rows scaled to unit length (zero rows stay zero)."""
    if matrix.dtype == np.float32:
        # what np.linalg.norm(axis=-1) computes for real numbers, without its 10 us of checks
        norms = np.sqrt(np.add.reduce(matrix * matrix, axis=-1, keepdims=True))
    else:
        norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    out: FloatArray = (matrix / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)
    return out


# Below about 4 million multiply-adds numpy's own loop beats BLAS, whose thread start-up
# costs milliseconds on a busy 2-core machine (measured: 59x300 sentences-by-terms, einsum
# 0.1 ms against 7.5 ms for `@`; at 150x800 BLAS wins, 1.7 ms against 6.2 ms).
SMALL_PRODUCT = 4_000_000


def matmul(a: FloatArray, b: FloatArray) -> FloatArray:
    """``a @ b`` for 2-D arrays, without BLAS when the product is small.

    >>> matmul(np.eye(2, dtype=np.float32), np.ones((2, 3), dtype=np.float32)).tolist()
    [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    """
    if a.shape[0] * a.shape[1] * b.shape[1] <= SMALL_PRODUCT:
        out: FloatArray = np.einsum("ik,kj->ij", a, b)
        return out
    product: FloatArray = a @ b
    return product
