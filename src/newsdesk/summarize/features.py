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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..models import Sentence
from .text import STOP_WORDS, FloatArray, content_terms, matmul, normalize, tfidf, words

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
# a sentence that is nothing but a quotation: who said it is in another sentence
_WHOLLY_QUOTED = re.compile(r"""^["“][^"“”]*[.!?,]?["”]$""")
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
    "cos_story_rel",
    "top3_rel",
    "centrality_rel",
    "spread_rel",
    "article_share",
    "relevance_rel",
    "position_in_story",
)

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
    lowered = stripped.lstrip(" \"'“‘(").lower()
    first = words(lowered[:40])
    if first and first[0] in LEANING_OPENERS:
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
        token_lists = tuple(tuple(words(s.text)) for s in flat)
        term_lists = tuple(tuple(content_terms(t)) for t in token_lists)
        vectors = tfidf(term_lists)
        # Only terms found in two or more sentences can link two sentences: the product over
        # them alone is the same cosine, and 3-5x fewer columns on long stories.
        shared = vectors[:, (vectors > 0).sum(axis=0) > 1]
        similarity = matmul(shared, shared.T)
        np.fill_diagonal(similarity, 1.0)
        return cls(
            sentences=tuple(flat),
            article_of=np.asarray(article_of, dtype=np.int64),
            tokens=token_lists,
            terms=term_lists,
            leaning=np.asarray([leans_on_antecedent(s.text) for s in flat], dtype=bool),
            vectors=vectors,
            similarity=similarity,
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
    article_centroids = normalize(matmul(onehot.T, vectors))
    story_centroid = normalize(vectors.sum(axis=0, keepdims=True))[0]
    out[:, col["cos_article"]] = np.einsum("ij,ij->i", vectors, article_centroids[art])
    out[:, col["cos_story"]] = matmul(vectors, story_centroid[:, None])[:, 0]
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
        rest = normalize(vectors.sum(axis=0)[None, :] - matmul(onehot.T, vectors))
        out[:, col["article_relevance"]] = np.einsum("ij,ij->i", article_centroids[art], rest[art])
    out[:, col["centrality"]] = _pagerank(sim) * n
    lead_vectors = vectors[first_of[art]]
    out[:, col["cos_lead"]] = np.einsum("ij,ij->i", vectors, lead_vectors)

    spread: dict[str, int] = {}
    for ts in view.terms:
        for t in set(ts):
            spread[t] = spread.get(t, 0) + 1
    for i, (sentence, ts, tokens) in enumerate(
        zip(view.sentences, view.terms, view.tokens, strict=True)
    ):
        text = sentence.text
        out[i, col["digits"]] = min(len(_DIGIT.findall(text)), 10)
        out[i, col["quote"]] = bool(_QUOTE.search(text))
        out[i, col["question"]] = text.rstrip(" \"'”’").endswith("?")
        out[i, col["stop_ratio"]] = (
            sum(t in STOP_WORDS for t in tokens) / len(tokens) if tokens else 1.0
        )
        out[i, col["terms"]] = min(len(ts), 60)
        out[i, col["term_spread"]] = sum(spread[t] for t in ts) / len(ts) / n if ts else 0.0
        out[i, col["first_person"]] = sum(t in ("i", "we", "my", "our", "me") for t in tokens)
        out[i, col["said"]] = any(t in ("said", "says", "told") for t in tokens)
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
    rank = np.full(n, 1.0 / n, dtype=np.float32)
    for _ in range(steps):
        rank = (1 - damping) / n + damping * matmul(rank[None, :], transition)[0]
    return rank.astype(np.float32)
