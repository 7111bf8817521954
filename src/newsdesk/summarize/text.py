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

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

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


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper: enough to match "arrests"/"arrested" across articles.

    >>> stem("arrested"), stem("policies"), stem("news")
    ('arrest', 'polic', 'new')
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits), possessives dropped."""
    return [w.split("'")[0] for w in _WORD.findall(text.lower())]


def terms(text: str) -> list[str]:
    """Stemmed content words of ``text``: what similarity is computed on."""
    return content_terms(words(text))


def content_terms(tokens: Sequence[str]) -> list[str]:
    """Stemmed content words of already tokenized text (see ``words``)."""
    return [stem(w) for w in tokens if w not in STOP_WORDS and len(w) > 1]


def tfidf(docs: Sequence[Sequence[str]]) -> FloatArray:
    """Row-normalized TF-IDF vectors of term lists, IDF from ``docs`` themselves.

    Rows with no terms are all zeros, so their cosine with anything is 0.

    >>> m = tfidf([["a", "b"], ["a"], []])
    >>> m.shape, round(float(m[0] @ m[1]), 2)
    ((3, 2), 0.61)
    """
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, doc in enumerate(docs):
        for term in doc:
            rows.append(i)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
    matrix = np.zeros((len(docs), max(len(vocabulary), 1)), dtype=np.float32)
    if not rows:
        return matrix
    np.add.at(matrix, (np.asarray(rows), np.asarray(cols)), 1.0)
    df = (matrix > 0).sum(axis=0)
    idf = np.log((1.0 + len(docs)) / (1.0 + df)) + 1.0
    matrix *= idf.astype(np.float32)
    return normalize(matrix)


def normalize(matrix: FloatArray) -> FloatArray:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    out: FloatArray = (matrix / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


# Below about 4 million multiply-adds numpy's own loop beats BLAS, whose thread start-up
# costs milliseconds on a busy 2-core machine (measured: 59x300 sentences-by-terms, einsum
# 0.1 ms against 7.5 ms for `@`; at 150x800 BLAS wins, 1.7 ms against 6.2 ms).
_SMALL_PRODUCT = 4_000_000


def matmul(a: FloatArray, b: FloatArray) -> FloatArray:
    """``a @ b`` for 2-D arrays, without BLAS when the product is small.

    >>> matmul(np.eye(2, dtype=np.float32), np.ones((2, 3), dtype=np.float32)).tolist()
    [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    """
    if a.shape[0] * a.shape[1] * b.shape[1] <= _SMALL_PRODUCT:
        out: FloatArray = np.einsum("ik,kj->ij", a, b)
        return out
    product: FloatArray = a @ b
    return product
