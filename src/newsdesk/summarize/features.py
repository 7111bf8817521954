"""Per-sentence signals that carry across outlets and topics, as one numpy matrix.

A ``StoryView`` flattens a story's sentences once (terms, TF-IDF rows, pairwise cosine) so
that the features, the selection's redundancy test and the untrained scorer all share it.
No signal depends on letter case, so the model trained on Multi-News's lower-cased text
applies unchanged to ordinary articles.

>>> from newsdesk.models import Sentence
>>> s = [Sentence("a", 0, 0, 18, "Rain hit the city."),
...      Sentence("a", 1, 19, 37, "It was heavy rain.")]
>>> view = StoryView.build(["a"], {"a": s})
>>> features(view).shape == (2, len(FEATURES))
True
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from ..models import Sentence
from .text import (
    SMALL_PRODUCT,
    STOP_WORDS,
    FloatArray,
    content_terms,
    matmul,
    normalize,
    tfidf_counts,
    words,
)

# Words that make a sentence lean on what came before it: read alone, it is unclear.
_LEANING_WORDS = """he she it they this that these those his her its their them him we us our i my
    but however also and still yet so then meanwhile moreover furthermore instead
    nevertheless nonetheless besides otherwise thus therefore hence or nor"""
LEANING_OPENERS = frozenset(_LEANING_WORDS.split())
_LEANING_PHRASES = (
    "the same",
    "in addition",
    "as well",
    "on the other hand",
    "that's",
    "it's",
    "he's",
    "she's",
    "they're",
    "after that",
    "later,",
)
_DIGIT = re.compile(r"\d")
_NOT_DIGIT = bytes(c for c in range(256) if c not in b"0123456789")
# a sentence that is nothing but a quotation: who said it is in another sentence
_WHOLLY_QUOTED = re.compile(r"""^["“][^"“”]*[.!?,]?["”]$""")
_QUOTE = re.compile(r"[\"“”]|''|``")


def _has_quote(text: str) -> bool:
    """``_QUOTE.search(text)``, 5x faster as substring tests."""
    return '"' in text or "“" in text or "”" in text or "''" in text or "``" in text


_FIRST_WORD = re.compile(r"[a-z0-9]+")
_FIRST_PERSON = frozenset(("i", "we", "my", "our", "me"))
_SAID = frozenset(("said", "says", "told"))

FEATURES = (
    "index",
    "log_index",
    "relative_position",
    "log_words_before",
    "is_first",
    "words",
    "log_words",
    "article_rank",
    "articles",
    "log_article_words",
    "article_sentences",
    "cos_article",
    "cos_story",
    "max_sim_other",
    "top3_sim_other",
    "support",
    "centrality",
    "article_relevance",
    "digits",
    "quote",
    "leaning",
    "question",
    "stop_ratio",
    "terms",
    "cos_lead",
    "term_spread",
    "first_person",
    "said",
    "cos_story_rel",
    "top3_rel",
    "centrality_rel",
    "spread_rel",
    "article_share",
    "relevance_rel",
    "position_in_story",
)

_COLUMN = {name: i for i, name in enumerate(FEATURES)}

# Scores relative to the story's best: a tree cannot compare a sentence with its neighbours,
# so the comparison is made here (what matters is the order within one story).
_RELATIVE = (
    ("cos_story_rel", "cos_story"),
    ("top3_rel", "top3_sim_other"),
    ("centrality_rel", "centrality"),
    ("spread_rel", "term_spread"),
    ("relevance_rel", "article_relevance"),
)


def leans_on_antecedent(text: str) -> bool:
    """True if ``text`` opens with a word that points back at an earlier sentence, or is a
    quotation whose speaker is named in another sentence.

    >>> leans_on_antecedent("But the mayor refused."), leans_on_antecedent("The mayor refused.")
    (True, False)
    >>> leans_on_antecedent('"We will rebuild."'), leans_on_antecedent('"We will," she said.')
    (True, True)
    """
    stripped = text.strip()
    if _WHOLLY_QUOTED.match(stripped):
        return True
    # only the first 40 characters are read: lower-casing the rest would be wasted
    lowered = stripped.lstrip(" \"'“‘(")[:40].lower()
    first = _FIRST_WORD.search(lowered, 0, 40)  # the first of ``words(lowered[:40])``
    if first and first.group() in LEANING_OPENERS:
        return True
    return lowered.startswith(_LEANING_PHRASES)


@dataclass(frozen=True)
class StoryView:
    """A story's sentences flattened in (article order, position) with their vectors."""

    sentences: tuple[Sentence, ...]
    article_of: np.ndarray  # article rank (0 = first given) of each sentence
    tokens: tuple[tuple[str, ...], ...]  # lower-cased words of each sentence
    terms: tuple[tuple[str, ...], ...]  # stemmed content words
    leaning: npt.NDArray[np.bool_]  # leans_on_antecedent of each sentence
    vectors: FloatArray  # unit TF-IDF rows
    similarity: FloatArray  # sentence x sentence cosine
    n_articles: int

    @cached_property
    def lengths(self) -> npt.NDArray[np.int64]:
        """``Sentence.words`` of each sentence, counted once for the features and selection."""
        return np.asarray([len(s.text.split()) for s in self.sentences], dtype=np.int64)

    @cached_property
    def term_spread(self) -> npt.NDArray[np.int64]:
        """For each sentence, the sum over its terms (repeats included) of the number of
        sentences that hold the term: how widely what it says is said (``build`` fills it)."""
        holding = Counter(chain.from_iterable(map(set, self.terms)))
        return np.fromiter(
            (sum(map(holding.__getitem__, ts)) for ts in self.terms), np.int64, len(self.terms)
        )

    @cached_property
    def memo(self) -> dict[str, dict[int, Any]]:
        """Per-sentence results of the reading rules (``select``), by rule name: computed
        when first asked, so ``select`` and ``order`` share them."""
        return {}

    @classmethod
    def build(
        cls, article_ids: Sequence[str], sentences: Mapping[str, Sequence[Sentence]]
    ) -> StoryView:
        flat: list[Sentence] = []
        article_of: list[int] = []
        for rank, article_id in enumerate(article_ids):
            for sentence in sentences.get(article_id, ()):
                flat.append(sentence)
                article_of.append(rank)
        texts = [s.text for s in flat]
        token_lists = tuple(map(tuple, map(words, texts)))
        term_lists = tuple(map(tuple, map(content_terms, token_lists)))
        vectors, df, spread = tfidf_counts(term_lists)
        # Only terms found in two or more sentences can link two sentences: the product over
        # them alone is the same cosine, and 3-5x fewer columns on long stories.
        shared = vectors[:, df > 1]
        similarity = matmul(shared, shared.T)
        np.fill_diagonal(similarity, 1.0)
        view = cls(
            sentences=tuple(flat),
            article_of=np.asarray(article_of, dtype=np.int64),
            tokens=token_lists,
            terms=term_lists,
            leaning=np.fromiter(map(leans_on_antecedent, texts), bool, len(texts)),
            vectors=vectors,
            similarity=similarity,
            n_articles=len(article_ids),
        )
        object.__setattr__(view, "term_spread", spread)  # counted already: no need to ask
        return view


def features(view: StoryView) -> FloatArray:
    """One row of ``FEATURES`` per sentence of ``view``."""
    n = len(view.sentences)
    out = np.zeros((n, len(FEATURES)), dtype=np.float32)
    if n == 0:
        return out
    col = _COLUMN
    art = view.article_of
    sim = view.similarity
    lengths = view.lengths.astype(np.float32)
    # position within the article as given (sentence index may skip dropped sentences)
    per_article_sentences = np.bincount(art, minlength=view.n_articles).astype(np.float32)
    per_article_words = np.bincount(art, weights=lengths, minlength=view.n_articles)
    # each article's sentences in order (a stable sort: `build` gives them in article order)
    by_article = np.argsort(art, kind="stable")
    grouped = art[by_article]
    starts = np.flatnonzero(np.concatenate(([True], grouped[1:] != grouped[:-1])))
    sizes = np.diff(np.append(starts, n))
    first_of = np.zeros(view.n_articles, dtype=np.int64)
    first_of[grouped[starts]] = by_article[starts]
    position = np.empty(n, dtype=np.float32)
    position[by_article] = np.arange(n) - np.repeat(starts, sizes)
    # whole word counts summed in int64: the same numbers as the running float sum they replace
    counts = view.lengths[by_article]
    before = np.cumsum(counts) - counts  # words before it in the story
    words_before = np.empty(n, dtype=np.float32)
    words_before[by_article] = before - np.repeat(before[starts], sizes)

    out[:, col["index"]] = np.minimum(position, 60)
    out[:, col["log_index"]] = np.log1p(position)
    out[:, col["relative_position"]] = position / np.maximum(per_article_sentences[art], 1)
    out[:, col["log_words_before"]] = np.log1p(words_before)
    out[:, col["is_first"]] = position == 0
    out[:, col["words"]] = np.minimum(lengths, 80)
    out[:, col["log_words"]] = np.log1p(lengths)
    out[:, col["article_rank"]] = art
    out[:, col["articles"]] = view.n_articles
    out[:, col["log_article_words"]] = np.log1p(per_article_words[art])
    out[:, col["article_sentences"]] = np.minimum(per_article_sentences[art], 200)

    vectors = view.vectors
    onehot = np.zeros((n, view.n_articles), dtype=np.float32)
    onehot[np.arange(n), art] = 1.0
    article_sums = matmul(onehot.T, vectors)
    article_centroids = normalize(article_sums)
    story_centroid = normalize(vectors.sum(axis=0, keepdims=True))[0]
    out[:, col["cos_article"]] = np.einsum("ij,ij->i", vectors, article_centroids[art])
    out[:, col["cos_story"]] = matmul(vectors, story_centroid[:, None])[:, 0]
    # how much of the story's other articles say the same thing: cross-article support
    other = art[None, :] != art[:, None]
    masked = np.where(other, sim, -1.0)
    if view.n_articles > 1:
        out[:, col["max_sim_other"]] = np.maximum(masked.max(axis=1), 0)
        k = min(3, n)
        top = -np.sort(-masked, axis=1)[:, :k]  # (np.partition: slower below ~100 sentences)
        out[:, col["top3_sim_other"]] = np.maximum(top, 0).mean(axis=1)
        best_per_article = np.full((n, view.n_articles), 0.0, dtype=np.float32)
        if (by_article == np.arange(n)).all():  # articles one after another (from `build`)
            best_per_article[:, grouped[starts]] = np.maximum.reduceat(sim, starts, axis=1)
        else:
            for a in range(view.n_articles):
                cols = art == a
                if cols.any():
                    best_per_article[:, a] = sim[:, cols].max(axis=1)
        best_per_article[np.arange(n), art] = 0.0
        # 0.3 cosine: two sentences sharing a few named content words (checked by eye)
        out[:, col["support"]] = (best_per_article > 0.3).sum(axis=1) / (view.n_articles - 1)
        # is this article on the story at all? (Multi-News clusters carry off-topic pages)
        rest = normalize(vectors.sum(axis=0)[None, :] - article_sums)
        out[:, col["article_relevance"]] = np.einsum("ij,ij->i", article_centroids[art], rest[art])
    out[:, col["centrality"]] = _pagerank(sim) * n
    lead_vectors = vectors[first_of[art]]
    out[:, col["cos_lead"]] = np.einsum("ij,ij->i", vectors, lead_vectors)

    # per-sentence counts with the loops in C (map over sets and dictionaries); whole
    # numbers divided as Python floats, so the same values as the per-token sums they replace
    is_stop = STOP_WORDS.__contains__
    is_first_person = _FIRST_PERSON.__contains__
    texts = [s.text for s in view.sentences]
    out[:, col["digits"]] = [
        min(len(text.encode("ascii").translate(None, _NOT_DIGIT)), 10)
        if text.isascii()  # the ASCII digits are all its digits: 4x faster than the pattern
        else min(len(_DIGIT.findall(text)), 10)
        for text in texts
    ]
    out[:, col["quote"]] = [_has_quote(text) for text in texts]
    out[:, col["question"]] = [text.rstrip(" \"'”’").endswith("?") for text in texts]
    out[:, col["stop_ratio"]] = [
        sum(map(is_stop, tokens)) / len(tokens) if tokens else 1.0 for tokens in view.tokens
    ]
    n_terms = np.fromiter(map(len, view.terms), np.int64, n)
    out[:, col["terms"]] = np.minimum(n_terms, 60)
    # int / int / int in float64, as Python divides: the same floats as before
    out[:, col["term_spread"]] = np.where(
        n_terms > 0, view.term_spread / np.maximum(n_terms, 1) / n, 0.0
    )
    out[:, col["first_person"]] = [sum(map(is_first_person, tokens)) for tokens in view.tokens]
    out[:, col["said"]] = [not _SAID.isdisjoint(tokens) for tokens in view.tokens]
    for name, source in _RELATIVE:
        values = out[:, col[source]]
        best = float(values.max())
        out[:, col[name]] = values / best if best > 0 else np.zeros_like(values)
    out[:, col["leaning"]] = view.leaning
    out[:, col["article_share"]] = per_article_words[art] / max(float(lengths.sum()), 1.0)
    # how many words of the story come before this sentence, in article order
    out[:, col["position_in_story"]] = np.log1p(np.cumsum(lengths) - lengths)
    return out


def _pagerank(similarity: FloatArray, damping: float = 0.85, steps: int = 30) -> FloatArray:
    """LexRank-style centrality: stationary weight of a random walk over similar sentences."""
    n = similarity.shape[0]
    weights = np.where(similarity > 0.1, similarity, 0.0).astype(np.float32)
    np.fill_diagonal(weights, 0.0)
    rows = weights.sum(axis=1, keepdims=True)
    transition = np.where(rows > 0, weights / np.maximum(rows, 1e-12), 1.0 / n)
    rank = np.full((1, n), 1.0 / n, dtype=np.float32)
    if n * n > SMALL_PRODUCT:  # `matmul` would use BLAS
        for _ in range(steps):
            rank = (1 - damping) / n + damping * matmul(rank, transition)
        large: FloatArray = rank[0].astype(np.float32)
        return large
    # The same float32 operations as `(1 - damping) / n + damping * matmul(rank, transition)`
    # (Python floats meet float32 arrays as float32), into buffers: 30 steps of a few
    # microseconds each, most of the cost of this function on a median story.
    step = np.empty((1, n), dtype=np.float32)
    scale, shift = np.float32(damping), np.float32((1 - damping) / n)
    for _ in range(steps):
        np.einsum("ik,kj->ij", rank, transition, out=step)
        np.multiply(step, scale, out=step)
        np.add(step, shift, out=rank)
    out: FloatArray = rank[0]
    return out
