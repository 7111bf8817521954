"""Extractive multi-document summarization: which sentences, in what order.

Every summarizer takes the story's non-duplicate articles and their sentences and returns
sentences copied from them (the very ``Sentence`` objects given), totalling at most ``words``
words. They live in one registry, the built-ins registered like any other:

- ``newsdesk`` (default): a learned sentence scorer (``data/summarizer.json``) with greedy
  coverage-minus-redundancy selection; falls back to ``centroid`` when the model file is absent.
- ``concepts`` (opt-in): the same sentence scores plus a learned weight for every concept
  (stemmed word or word pair, ``data/summarizer-concepts.json``); picks the sentences that
  cover the most concept weight. +0.2 ROUGE-1 on validation, ~1.5x the time of ``newsdesk``
  (docs/summarizer.md); falls back to ``newsdesk`` without its file.
- ``reranked`` (opt-in): about 20 candidate summaries built from the ``concepts`` scores; keeps
  the one a learned ranker (``data/summarizer-rerank.json``) scores highest. +0.4 ROUGE-1 over
  ``concepts`` on validation, about 4x its time; ``concepts`` without its file.
- ``centroid``: the same selection over an untrained score (centrality, cross-article support,
  position).
- ``lead``, ``lexrank``, ``textrank``: reference methods for evaluation.

>>> from newsdesk.models import Article, Sentence
>>> a = Article.create(source="x", text="Heavy rain fell on Monday. It flooded roads.")
>>> s = {a.id: (Sentence(a.id, 0, 0, 26, "Heavy rain fell on Monday."),
...             Sentence(a.id, 1, 27, 44, "It flooded roads."))}
>>> [x.text for x in summarize([a], s, words=6)]
['Heavy rain fell on Monday.']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from ..errors import UsageError
from ..models import Article, Sentence
from .concepts import scored_story
from .features import FEATURES, StoryView, features, leans_on_antecedent
from .model import load_model
from .peers import lead, lexrank, textrank
from .rerank import reranked
from .select import fill, order, select
from .text import FloatArray

Summarizer = Callable[[Sequence[Article], Mapping[str, Sequence[Sentence]], int], list[Sentence]]

__all__ = [
    "FEATURES",
    "SUMMARIZERS",
    "Summarizer",
    "centroid",
    "fill",
    "leans_on_antecedent",
    "learned",
    "learned_concepts",
    "reranked",
    "summarize",
]


def untrained_scores(x: FloatArray) -> FloatArray:
    """A hand-set score: centrality in the story, support across articles, early position.

    Weights set by hand, not tuned: 44.0 ROUGE-1 on validation clusters 0-999, level with
    LexRank (docs/benchmarks.md); the learned model adds 1.9.
    """
    col = {name: i for i, name in enumerate(FEATURES)}
    score = (
        x[:, col["cos_story"]]
        + 0.5 * x[:, col["top3_sim_other"]]
        + 0.3 / (1.0 + x[:, col["index"]])
        - 0.1 * x[:, col["leaning"]]
    )
    out: FloatArray = score.astype(np.float32)
    return out


def _run(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    words: int,
    scorer: Callable[[FloatArray], FloatArray],
) -> list[Sentence]:
    view = StoryView.build([a.id for a in articles], sentences)
    if not view.sentences:
        return []
    scores = scorer(features(view))
    return order(view, select(view, scores, words), scores)


def centroid(
    articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]], words: int
) -> list[Sentence]:
    """The untrained method: hand-set scores, redundancy-aware greedy selection."""
    return _run(articles, sentences, words, untrained_scores)


def learned(
    articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]], words: int
) -> list[Sentence]:
    """The learned scorer when its model file ships, else ``centroid``."""
    model = load_model()
    if model is None:
        return centroid(articles, sentences, words)
    return _run(articles, sentences, words, model.score)


def learned_concepts(
    articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]], words: int
) -> list[Sentence]:
    """The learned scorer with concept-coverage selection (both model files), else ``learned``."""
    scored = scored_story(articles, sentences)
    if scored is None:
        return learned(articles, sentences, words)
    concept_model, view, scores = scored
    if not view.sentences:
        return []
    return order(view, concept_model.select(view, scores, words), scores)


SUMMARIZERS: dict[str, Summarizer] = {
    "newsdesk": learned,
    "concepts": learned_concepts,
    "reranked": reranked,
    "centroid": centroid,
    "lead": lead,
    "lexrank": lexrank,
    "textrank": textrank,
}


def summarize(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    *,
    words: int,
    method: str = "newsdesk",
) -> list[Sentence]:
    """Pick sentences for a summary of at most ``words`` words, in reading order.

    ``articles`` are the story's non-duplicate articles, ``sentences[article.id]`` each one's
    sentences in order. The result holds ``Sentence`` objects from ``sentences``, verbatim.

    >>> summarize([], {}, words=10, method="lexrnk")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    newsdesk.errors.UsageError: Unknown summarizer 'lexrnk'; available: centroid, concepts, ...
    """
    try:
        summarizer = SUMMARIZERS[method]
    except KeyError:
        available = ", ".join(sorted(SUMMARIZERS))
        raise UsageError(f"Unknown summarizer {method!r}; available: {available}") from None
    if words < 1:
        raise UsageError(f"the word budget must be at least 1, got {words}")
    picked = summarizer(articles, sentences, words)
    # the contract every caller relies on, whatever the method
    assert sum(s.words for s in picked) <= words
    return picked
