"""Concepts (stemmed content words and word pairs) of a story, how likely each is to be
in a summary, and summary-level selection that covers the most important ones.

A concept is a stemmed content word ("collaps") or a pair of neighbouring words that are not
both stop words ("bridge collaps", "the bridge"): the units ROUGE-1 and ROUGE-2 count. Each is
scored by a small model (``concept_features`` -> probability that a reference summary uses
it); the selection then maximizes the weight of the *distinct* concepts covered, so a second
sentence saying the same thing gains nothing (redundancy control built in).

>>> from newsdesk.models import Sentence
>>> s = [Sentence("a", 0, 0, 18, "Rain hit the city."),
...      Sentence("a", 1, 19, 37, "It was heavy rain.")]
>>> from .features import StoryView
>>> c = Concepts.build(StoryView.build(["a"], {"a": s}))
>>> sorted(c.keys)[:4]
['city', 'heavy', 'heavy rain', 'hit']
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import chain, count, repeat
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ..errors import DataError
from ..models import Article, Sentence
from .features import StoryView, features
from .model import load_model
from .select import Reading
from .text import STOP_WORDS, FloatArray, stem

IntArray = npt.NDArray[np.int64]

CONCEPT_FEATURES = (
    "is_pair",
    "log_tf",
    "log_sentences",
    "article_share",
    "articles_with",
    "articles",
    "first_index",
    "first_relative",
    "in_leads",
    "max_score",
    "mean_score",
    "max_score_rel",
    "number",
    "stop_words",
    "chars",
    "prior",
    "log_corpus_df",
    "tf_rel",
    "score_share",
    # products and bends for the linear model (a sum of features cannot make them itself)
    "log_sentences_sq",
    "prior_x_sentences",
    "score_x_sentences",
    "one_sentence",
    "prior_x_pair",
    "log_sentences_capped",
)


def concept_keys(tokens: Sequence[str]) -> list[str]:
    """The concepts of one sentence's tokens (``text.words``), in order, repeats kept.

    >>> concept_keys(["the", "bridge", "collapsed", "on", "monday"])
    ['the bridge', 'bridge', 'bridge collaps', 'collaps', 'collaps on', 'on monday', 'monday']
    """
    return [key for key, _ in _concepts_of(tokens)]


def _concepts_of(tokens: Sequence[str]) -> list[tuple[str, int]]:
    """(concept, stop words in it) of one sentence: 0 for a word, 0-1 for a pair (a pair of
    two stop words is no concept)."""
    stems = [stem(t) for t in tokens]
    stop = [t in STOP_WORDS or len(t) < 2 for t in tokens]
    out: list[tuple[str, int]] = []
    for i, s in enumerate(stems):
        if i and not (stop[i - 1] and stop[i]):
            out.append((f"{stems[i - 1]} {s}", stop[i - 1] + stop[i]))
        if not stop[i]:
            out.append((s, 0))
    return out


@dataclass(frozen=True)
class Concepts:
    """The concepts of a story and where each occurs."""

    keys: tuple[str, ...]
    is_pair: npt.NDArray[np.bool_]
    number: npt.NDArray[np.bool_]  # holds a character other than a letter (digit, hyphen, ...)
    chars: IntArray  # length of the key
    stop_words: IntArray  # stop words in it (pairs only)
    occurrences: IntArray  # how many times it occurs in the story
    concept: IntArray  # (concept, sentence) pairs, each once, ordered by sentence
    sentence: IntArray
    sentence_start: IntArray  # pairs of sentence i: [sentence_start[i], sentence_start[i + 1])

    @classmethod
    def build(cls, view: StoryView) -> Concepts:
        # One dictionary lookup per token in Python; the rest is array work over the
        # story's distinct words (3x faster than building keys token by token).
        n = len(view.tokens)
        flat = list(chain.from_iterable(view.tokens))
        # ids in order of first occurrence, with the loops in C (dict.fromkeys, map)
        vocabulary = dict(zip(dict.fromkeys(flat), count()))
        ids = np.fromiter(map(vocabulary.__getitem__, flat), np.int64, len(flat))
        words = list(vocabulary)
        word_stems = list(map(stem, words))
        stems = dict(zip(dict.fromkeys(word_stems), count()))
        stem_of = np.fromiter(map(stems.__getitem__, word_stems), np.int64, len(words))
        stop_of = np.fromiter(map(STOP_WORDS.__contains__, words), bool, len(words)) | (
            np.fromiter(map(len, words), np.int64, len(words)) < 2
        )
        stem_text = list(stems)
        size = len(stem_text)
        lengths = np.fromiter(map(len, view.tokens), np.int64, n)
        where = np.repeat(np.arange(n, dtype=np.int64), lengths)
        token_stem = stem_of[ids] if ids.size else ids
        token_stop = stop_of[ids] if ids.size else np.zeros(0, dtype=bool)
        # a word: a content token; a pair: two tokens of one sentence, not both stop words
        single = ~token_stop
        follows = np.zeros(ids.size, dtype=bool)
        follows[1:] = (where[1:] == where[:-1]) & ~(token_stop[1:] & token_stop[:-1])
        previous = np.roll(token_stem, 1)
        codes = np.concatenate(
            [token_stem[single], size + previous[follows] * size + token_stem[follows]]
        )
        code_sentence = np.concatenate([where[single], where[follows]])
        code_stops = np.concatenate(
            [
                np.zeros(int(single.sum()), dtype=np.int64),
                token_stop[follows].astype(np.int64) + np.roll(token_stop, 1)[follows],
            ]
        )
        unique, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
        m = unique.size
        is_pair = unique >= size
        a = np.where(is_pair, (unique - size) // size, unique)
        b = np.where(is_pair, (unique - size) % size, 0)
        digit = ~np.fromiter(map(str.isalpha, stem_text), bool, size)
        chars = np.fromiter(map(len, stem_text), np.int64, size)
        # codes sort words (< size) before pairs: "a" then "a b"
        words_end = int(np.searchsorted(unique, size))
        text_of = stem_text.__getitem__
        keys = (
            *map(text_of, a[:words_end].tolist()),
            *map(
                " ".join,
                zip(
                    map(text_of, a[words_end:].tolist()),
                    map(text_of, b[words_end:].tolist()),
                    strict=True,
                ),
            ),
        )
        pairs = _unique(code_sentence * max(m, 1) + inverse)
        sentence = pairs // max(m, 1)
        return cls(
            keys=keys,
            is_pair=is_pair,
            number=digit[a] | (is_pair & digit[b]) if m else np.zeros(0, dtype=bool),
            chars=chars[a] + np.where(is_pair, chars[b] + 1, 0) if m else np.zeros(0, np.int64),
            stop_words=code_stops[first],
            occurrences=np.bincount(inverse, minlength=m),
            concept=pairs % max(m, 1),
            sentence=sentence,
            sentence_start=np.searchsorted(sentence, np.arange(n + 1)),
        )


def _unique(values: IntArray) -> IntArray:
    """``np.unique(values)`` by a sort: numpy 2's hashing unique takes 25x longer here."""
    ordered = np.sort(values)
    keep = np.ones(ordered.size, dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    out: IntArray = ordered[keep]
    return out


@dataclass(frozen=True)
class PriorTable:
    """Corpus prior of concepts: (logit of P(a summary uses it | the documents do), log1p of
    training clusters holding it); concepts not in the table get ``default``."""

    index: dict[str, int]
    values: FloatArray  # one row per concept of ``index``, then the default

    @classmethod
    def of(
        cls, table: Mapping[str, Sequence[float]], default: Sequence[float] = (-3.0, 0.0)
    ) -> PriorTable:
        """A table from ``{concept: (logit, log df)}``.

        >>> PriorTable.of({"rain": (1.5, 2.0)}).lookup(["rain", "snow"]).tolist()
        [[1.5, 2.0], [-3.0, 0.0]]
        """
        rows = [*table.values(), default]
        return cls({k: i for i, k in enumerate(table)}, np.asarray(rows, dtype=np.float32))

    def lookup(self, keys: Sequence[str]) -> FloatArray:
        """One (logit, log df) row per key."""
        missing = len(self.index)
        rows = np.fromiter(map(self.index.get, keys, repeat(missing)), np.int64, len(keys))
        out: FloatArray = self.values[rows]
        return out


def concept_features(
    view: StoryView,
    concepts: Concepts,
    sentence_scores: FloatArray,
    prior: PriorTable,
) -> FloatArray:
    """One row of ``CONCEPT_FEATURES`` per concept of the story."""
    m = len(concepts.keys)
    out = np.zeros((m, len(CONCEPT_FEATURES)), dtype=np.float32)
    if m == 0:
        return out
    col = {name: i for i, name in enumerate(CONCEPT_FEATURES)}
    n_sentences = len(view.sentences)
    art = view.article_of
    per_article = np.bincount(art, minlength=view.n_articles).astype(np.float32)
    # position in the article as given: the rank among its kept sentences
    rank = np.zeros(n_sentences, dtype=np.float32)
    seen: dict[int, int] = {}
    for i, a in enumerate(art.tolist()):
        rank[i] = seen.get(a, 0)
        seen[a] = seen.get(a, 0) + 1
    relative = rank / np.maximum(per_article[art], 1.0)
    tf = concepts.occurrences.astype(np.float32)
    c, s = concepts.concept, concepts.sentence
    n_sent = np.bincount(c, minlength=m).astype(np.float32)
    # articles (and article leads) holding each concept: a small article x concept table
    seen_in = np.zeros((view.n_articles, m), dtype=bool)
    seen_in[art[s], c] = True
    articles_with = seen_in.sum(axis=0).astype(np.float32)
    leads = rank[s] == 0
    seen_in[:] = False
    seen_in[art[s][leads], c[leads]] = True
    in_leads = seen_in.sum(axis=0).astype(np.float32)
    first_index = np.full(m, 60.0, dtype=np.float32)
    np.minimum.at(first_index, c, np.minimum(rank[s], 60.0))
    first_relative = np.ones(m, dtype=np.float32)
    np.minimum.at(first_relative, c, relative[s])
    scores = sentence_scores.astype(np.float32)
    max_score = np.zeros(m, dtype=np.float32)
    np.maximum.at(max_score, c, scores[s])
    sum_score = np.bincount(c, weights=scores[s], minlength=m).astype(np.float32)
    best = float(scores.max()) if scores.size else 0.0
    total = float(scores.sum()) if scores.size else 0.0

    out[:, col["log_tf"]] = np.log1p(tf)
    out[:, col["log_sentences"]] = np.log1p(n_sent)
    out[:, col["article_share"]] = articles_with / max(view.n_articles, 1)
    out[:, col["articles_with"]] = articles_with
    out[:, col["articles"]] = view.n_articles
    out[:, col["first_index"]] = first_index
    out[:, col["first_relative"]] = first_relative
    out[:, col["in_leads"]] = in_leads
    out[:, col["max_score"]] = max_score
    out[:, col["mean_score"]] = sum_score / np.maximum(n_sent, 1.0)
    out[:, col["max_score_rel"]] = max_score / best if best > 0 else 0.0
    out[:, col["tf_rel"]] = tf / float(tf.max())
    out[:, col["score_share"]] = sum_score / total if total > 0 else 0.0
    out[:, col["is_pair"]] = concepts.is_pair
    out[:, col["number"]] = concepts.number
    out[:, col["stop_words"]] = concepts.stop_words
    out[:, col["chars"]] = np.minimum(concepts.chars, 30)
    looked_up = prior.lookup(concepts.keys)
    out[:, col["prior"]] = looked_up[:, 0]
    out[:, col["log_corpus_df"]] = looked_up[:, 1]
    spread = out[:, col["log_sentences"]]
    out[:, col["log_sentences_sq"]] = spread**2
    out[:, col["prior_x_sentences"]] = spread * out[:, col["prior"]]
    out[:, col["score_x_sentences"]] = spread * max_score
    out[:, col["one_sentence"]] = n_sent == 1
    out[:, col["prior_x_pair"]] = out[:, col["is_pair"]] * out[:, col["prior"]]
    out[:, col["log_sentences_capped"]] = np.minimum(spread, 1.2)
    return out


def select_by_concepts(
    view: StoryView,
    concepts: Concepts,
    weights: FloatArray,
    sentence_scores: FloatArray,
    words: int,
    *,
    beta: float = 0.0,
    cost_power: float = 1.0,
    leaning_penalty: float = 0.0,
    min_words: int = 4,
    near_duplicate: float = 0.65,
    repeat: float = 0.0,
) -> list[int]:
    """Greedy weighted coverage: add the sentence whose new concept weight (plus ``beta``
    times its own score) per word^``cost_power`` is largest and that still fits.

    Each concept counts once, so restatements gain nothing. Returns sentence indices in the
    order chosen.
    """
    n = len(view.sentences)
    lengths = view.lengths
    alive = (lengths >= min(min_words, words)) & (lengths <= words)
    if not alive.any():
        alive = (lengths > 0) & (lengths <= words)
    c, s = concepts.concept, concepts.sentence
    covered = np.zeros(len(concepts.keys), dtype=np.float32)  # times covered
    reading = Reading.of(view) if leaning_penalty else None
    chosen_mask = np.zeros(n, dtype=bool)
    max_sim = np.zeros(n, dtype=np.float32)
    cost = np.maximum(lengths, 1).astype(np.float32) ** cost_power
    base = beta * sentence_scores.astype(np.float32)
    chosen: list[int] = []
    used = 0
    w = weights.astype(np.float32)
    w_c = w[c]
    # as in ``select``: `np.where(reading.dangling(chosen_mask), leaning_penalty, 0.0)` kept
    # up to date (a leaning sentence stops dangling when its predecessor is chosen)
    followers: dict[int, list[int]] = {}
    penalty = np.zeros(n)
    if reading is not None:
        penalty = np.where(reading.leaning, leaning_penalty, 0.0)
        followers = reading.followers
    paid = leaning_penalty / cost
    while True:
        alive &= lengths <= words - used
        if not alive.any():
            break
        new = w_c * np.float32(repeat) ** covered[c] if repeat else np.where(covered[c], 0, w_c)
        gain = np.bincount(s, weights=new, minlength=n).astype(np.float32) + base
        if reading is not None:  # the reading rules of ``select`` (select.Reading)
            gain = gain - penalty
        ratio = np.where(alive, gain / cost, -np.inf)
        if reading is not None:
            best = reading.best(ratio, chosen_mask, paid)
        else:
            best = int(np.argmax(ratio))
        if not math.isfinite(float(ratio[best])):
            break
        chosen.append(best)
        chosen_mask[best] = True
        alive[best] = False
        for i in followers.get(best, ()):
            penalty[i] = 0.0
        used += int(lengths[best])
        covered[c[concepts.sentence_start[best] : concepts.sentence_start[best + 1]]] += 1
        np.maximum(max_sim, view.similarity[best], out=max_sim)
        alive &= max_sim < near_duplicate
    return chosen


CONCEPTS_FILE = "summarizer-concepts.json"


@dataclass(frozen=True)
class LinearModel:
    """Logistic regression over standardized ``CONCEPT_FEATURES``."""

    mean: FloatArray
    scale: FloatArray
    coef: FloatArray
    intercept: float

    def score(self, x: FloatArray) -> FloatArray:
        """The probability of each row of ``x``."""
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        out: FloatArray = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
        return out


@dataclass(frozen=True)
class ConceptModel:
    """The concept scorer, the corpus prior table and the selection knobs."""

    linear: LinearModel
    prior: PriorTable
    beta: float  # weight of the sentence score against the concept weights it covers
    cost_power: float  # gain per words**cost_power: < 1 favours full, informative sentences
    leaning_penalty: float  # in units of concept weight

    def weights(
        self, view: StoryView, concepts: Concepts, sentence_scores: FloatArray
    ) -> FloatArray:
        """The probability that a reference summary uses each concept."""
        x = concept_features(view, concepts, sentence_scores, self.prior)
        return self.linear.score(x)

    def select(self, view: StoryView, sentence_scores: FloatArray, words: int) -> list[int]:
        """Sentences (indices into ``view``) that cover the most concept weight."""
        concepts = Concepts.build(view)
        return select_by_concepts(
            view,
            concepts,
            self.weights(view, concepts, sentence_scores),
            sentence_scores,
            words,
            beta=self.beta,
            cost_power=self.cost_power,
            leaning_penalty=self.leaning_penalty,
        )


def read_concept_model(path: Path) -> ConceptModel:
    """Read a concept model file; anything malformed is a DataError."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        linear = raw["linear"]
        if list(linear["features"]) != list(CONCEPT_FEATURES):
            raise DataError(f"{path}: model features do not match this version of newsdesk")
        model = LinearModel(
            mean=np.asarray(linear["mean"], dtype=np.float32),
            scale=np.asarray(linear["scale"], dtype=np.float32),
            coef=np.asarray(linear["coef"], dtype=np.float32),
            intercept=float(linear["intercept"]),
        )
        p, df = raw["default_prior"]
        prior = PriorTable.of(raw["prior"], (float(p), float(df)))
        return ConceptModel(
            linear=model,
            prior=prior,
            beta=float(raw["beta"]),
            cost_power=float(raw["cost_power"]),
            leaning_penalty=float(raw["leaning_penalty"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        if isinstance(error, DataError):
            raise
        raise DataError(f"{path}: not a newsdesk concept model ({error})") from None


def bundled_concepts_path() -> Path:
    """Where the shipped concept model lives (it may be absent)."""
    return Path(str(resources.files("newsdesk") / "data" / CONCEPTS_FILE))


@lru_cache(maxsize=4)
def load_concept_model(path: Path | None = None) -> ConceptModel | None:
    """The concept model at ``path`` (default: the bundled one), or None when absent.

    Cached: the file is read once per process.
    """
    path = path or bundled_concepts_path()
    if not path.is_file():
        return None
    return read_concept_model(path)


def scored_story(
    articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]]
) -> tuple[ConceptModel, StoryView, FloatArray] | None:
    """What ``concepts`` and ``reranked`` start from: the concept model, the story's sentences
    and their learned scores; None when either model file is absent (the caller falls back to
    ``learned``). A story with no sentences has an empty score array."""
    model = load_model()
    concept_model = load_concept_model()
    if model is None or concept_model is None:
        return None
    view = StoryView.build([a.id for a in articles], sentences)
    scores = model.score(features(view)) if view.sentences else np.zeros(0, dtype=np.float32)
    return concept_model, view, scores
