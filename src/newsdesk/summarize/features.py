"""Per-sentence signals that carry across outlets and topics, as one numpy matrix.

A ``StoryView`` flattens a story's sentences once (terms, TF-IDF rows, pairwise cosine) so
that the features, the selection's redundancy test and the untrained scorer all share it.
No signal depends on letter case, so the model trained on Multi-News's lower-cased text
applies unchanged to ordinary articles.

>>> from newsdesk.models import Sentence
>>> s = [Sentence("a", 0, 0, 20, "Rain hit the city."), Sentence("a", 1, 21, 45, "It was heavy rain.")]
>>> view = StoryView.build(["a"], {"a": s})
>>> features(view).shape == (2, len(FEATURES))
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..models import Sentence
from .text import STOP_WORDS, FloatArray, normalize, terms, tfidf, words

# Words that make a sentence lean on what came before it: read alone, it is unclear.
LEANING_OPENERS = frozenset(
    """he she it they this that these those his her its their them him we us our
    but however also and still yet so then meanwhile moreover furthermore instead
    nevertheless nonetheless besides otherwise thus therefore hence or nor there""".split()
)
_LEANING_PHRASES = ("the same", "in addition", "as well", "on the other hand", "that's",
                    "it's", "he's", "she's", "they're", "after that", "later,")
_DIGIT = re.compile(r"\d")
_QUOTE = re.compile(r"[\"“”]|''|``")

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
)


def leans_on_antecedent(text: str) -> bool:
    """True if ``text`` opens with a word that points back at an earlier sentence.

    >>> leans_on_antecedent("But the mayor refused."), leans_on_antecedent("The mayor refused.")
    (True, False)
    """
    lowered = text.lstrip(" \"'“‘(").lower()
    first = words(lowered[:40])
    if first and first[0] in LEANING_OPENERS:
        return True
    return lowered.startswith(_LEANING_PHRASES)


@dataclass(frozen=True)
class StoryView:
    """A story's sentences flattened in (article order, position) with their vectors."""

    sentences: tuple[Sentence, ...]
    article_of: np.ndarray  # article rank (0 = first given) of each sentence
    terms: tuple[tuple[str, ...], ...]
    vectors: FloatArray  # unit TF-IDF rows
    similarity: FloatArray  # sentence x sentence cosine
    n_articles: int

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
        term_lists = tuple(tuple(terms(s.text)) for s in flat)
        vectors = tfidf(term_lists)
        return cls(
            sentences=tuple(flat),
            article_of=np.asarray(article_of, dtype=np.int64),
            terms=term_lists,
            vectors=vectors,
            similarity=vectors @ vectors.T,
            n_articles=len(article_ids),
        )


def features(view: StoryView) -> FloatArray:
    """One row of ``FEATURES`` per sentence of ``view``."""
    n = len(view.sentences)
    out = np.zeros((n, len(FEATURES)), dtype=np.float32)
    if n == 0:
        return out
    col = {name: i for i, name in enumerate(FEATURES)}
    art = view.article_of
    sim = view.similarity
    lengths = np.asarray([s.words for s in view.sentences], dtype=np.float32)
    # position within the article as given (sentence index may skip dropped sentences)
    position = np.zeros(n, dtype=np.float32)
    words_before = np.zeros(n, dtype=np.float32)
    per_article_sentences = np.bincount(art, minlength=view.n_articles).astype(np.float32)
    per_article_words = np.bincount(art, weights=lengths, minlength=view.n_articles)
    first_of = np.zeros(view.n_articles, dtype=np.int64)
    seen: dict[int, int] = {}
    running: dict[int, float] = {}
    for i, a in enumerate(art.tolist()):
        if a not in seen:
            first_of[a] = i
        position[i] = seen.get(a, 0)
        seen[a] = seen.get(a, 0) + 1
        words_before[i] = running.get(a, 0.0)
        running[a] = running.get(a, 0.0) + float(lengths[i])

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
    article_centroids = normalize(onehot.T @ vectors)
    story_centroid = normalize(vectors.sum(axis=0, keepdims=True))[0]
    out[:, col["cos_article"]] = np.einsum("ij,ij->i", vectors, article_centroids[art])
    out[:, col["cos_story"]] = vectors @ story_centroid
    # how much of the story's other articles say the same thing: cross-article support
    other = art[None, :] != art[:, None]
    masked = np.where(other, sim, -1.0)
    if view.n_articles > 1:
        out[:, col["max_sim_other"]] = np.maximum(masked.max(axis=1), 0)
        k = min(3, n)
        top = -np.sort(-masked, axis=1)[:, :k]
        out[:, col["top3_sim_other"]] = np.maximum(top, 0).mean(axis=1)
        best_per_article = np.full((n, view.n_articles), 0.0, dtype=np.float32)
        for a in range(view.n_articles):
            cols = art == a
            if cols.any():
                best_per_article[:, a] = sim[:, cols].max(axis=1)
        best_per_article[np.arange(n), art] = 0.0
        # 0.3 cosine: two sentences sharing a few named content words (checked by eye)
        out[:, col["support"]] = (best_per_article > 0.3).sum(axis=1) / (view.n_articles - 1)
        # is this article on the story at all? (Multi-News clusters carry off-topic pages)
        rest = normalize(vectors.sum(axis=0)[None, :] - onehot.T @ vectors)
        out[:, col["article_relevance"]] = np.einsum(
            "ij,ij->i", article_centroids[art], rest[art]
        )
    out[:, col["centrality"]] = _pagerank(sim) * n
    lead_vectors = vectors[first_of[art]]
    out[:, col["cos_lead"]] = np.einsum("ij,ij->i", vectors, lead_vectors)

    spread: dict[str, int] = {}
    for ts in view.terms:
        for t in set(ts):
            spread[t] = spread.get(t, 0) + 1
    for i, (sentence, ts) in enumerate(zip(view.sentences, view.terms, strict=True)):
        text = sentence.text
        tokens = words(text)
        out[i, col["digits"]] = min(len(_DIGIT.findall(text)), 10)
        out[i, col["quote"]] = bool(_QUOTE.search(text))
        out[i, col["leaning"]] = leans_on_antecedent(text)
        out[i, col["question"]] = text.rstrip(" \"'”’").endswith("?")
        out[i, col["stop_ratio"]] = (
            sum(t in STOP_WORDS for t in tokens) / len(tokens) if tokens else 1.0
        )
        out[i, col["terms"]] = min(len(ts), 60)
        out[i, col["term_spread"]] = (
            float(np.mean([spread[t] for t in ts])) / n if ts else 0.0
        )
        out[i, col["first_person"]] = sum(t in ("i", "we", "my", "our", "me") for t in tokens)
        out[i, col["said"]] = any(t in ("said", "says", "told") for t in tokens)
    return out


def _pagerank(similarity: FloatArray, damping: float = 0.85, steps: int = 30) -> FloatArray:
    """LexRank-style centrality: stationary weight of a random walk over similar sentences."""
    n = similarity.shape[0]
    weights = np.where(similarity > 0.1, similarity, 0.0).astype(np.float32)
    np.fill_diagonal(weights, 0.0)
    rows = weights.sum(axis=1, keepdims=True)
    transition = np.where(rows > 0, weights / np.maximum(rows, 1e-12), 1.0 / n)
    rank = np.full(n, 1.0 / n, dtype=np.float32)
    for _ in range(steps):
        rank = (1 - damping) / n + damping * (rank @ transition)
    return rank.astype(np.float32)
