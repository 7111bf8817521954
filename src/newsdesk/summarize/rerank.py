"""Summary-level selection: several whole-sentence candidate summaries, one learned ranker.

The per-sentence scorer has saturated (docs/summarizer.md), so this method looks at whole
summaries: from the sentence scores and concept weights of ``concepts`` it builds about
twenty candidate summaries within the budget (the ``concepts`` pick, the ``newsdesk`` MMR
pick, coverage greedy with other knobs, with a different first sentence, without one of
the chosen sentences), describes each candidate as a whole (concept weight covered, how
much of the story's most important concepts, redundancy, length, position, article
spread, ...) and keeps the one a small tree ranker (``data/summarizer-rerank.json``,
trained by ``benchmarks/train_rerank.py``) scores highest. Evaluated with numpy alone,
like ``model.TreeModel``.

>>> from newsdesk.models import Sentence
>>> s = [Sentence("a", 0, 0, 18, "Rain hit the city."), Sentence("a", 1, 19, 37, "It was heavy.")]
>>> view = StoryView.build(["a"], {"a": s})
>>> story = CandidateStory.build(view, np.asarray([0.9, 0.2], np.float32),
...                              np.full(len(Concepts.build(view).keys), 0.5, np.float32),
...                              Concepts.build(view), words=8)
>>> candidates(story)  # "It was heavy." is a fragment under 4 words
[(0,)]
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ..errors import DataError
from ..models import Article, Sentence
from .concepts import Concepts, scored_story
from .features import StoryView
from .model import TreeModel, trees_from_json
from .select import Reading, order, select
from .text import STOP_WORDS, FloatArray

IntArray = npt.NDArray[np.int64]

RERANK_FILE = "summarizer-rerank.json"
REFERENCE_WORDS = 224.0  # mean reference length in words, validation (summ_cache.py)
MIN_WORDS = 4
NEAR_DUPLICATE = 0.65

# The knobs of the shipped ``concepts`` selection (data/summarizer-concepts.json).
BETA = 10.0
COST_POWER = 0.7
LEANING_PENALTY = 1.0

# Coverage-greedy knob variants (beta, cost power): other trade-offs between the sentence
# score and the concept weight, and between long and short sentences.
VARIANTS = (
    (0.0, 0.7),
    (3.0, 0.7),
    (30.0, 0.7),
    (10.0, 0.4),
    (10.0, 1.0),
    (3.0, 1.0),
    (1.0, 0.5),
    (100.0, 0.7),
    (0.0, 1.0),
    (0.0, 0.4),
)
FIRST = 10  # forced first sentences: the best-scored sentences not picked first by ``concepts``
SWAPS = 12  # candidates without one of the first chosen sentences of the ``concepts`` pick
REDUNDANCIES = (0.0, 0.6, 1.0, 2.0)  # MMR (``select.select``) with other redundancy weights
# Also tried (benchmarks/summ_rerank.py), not shipped: candidates without two of the first 6
# chosen sentences (15 more runs) and 20 runs over concept weights times log-normal noise
# (sigma 0.5). With them, 39 candidates per story instead of 21 and twice the time; the best
# of them by true ROUGE-1 + ROUGE-2 reaches 49.1 ROUGE-1 instead of 48.7 on validation
# 0-3,999, but the trained ranker's choice on validation 1,000-3,999 only 45.97 instead of
# 45.95 (noise).
PAIR_SWAPS = 0
NOISE = 0


@dataclass
class CandidateStory:
    """A story with everything candidates and their features are built from."""

    view: StoryView
    scores: FloatArray  # sentence scores (``model.TreeModel``)
    weights: FloatArray  # concept weights (``concepts.ConceptModel.weights``)
    concepts: Concepts
    words: int
    lengths: IntArray
    reading: Reading
    beta: float = BETA  # the knobs of the ``concepts`` selection (``ConceptModel``)
    cost_power: float = COST_POWER
    leaning_penalty: float = LEANING_PENALTY

    @classmethod
    def build(
        cls,
        view: StoryView,
        scores: FloatArray,
        weights: FloatArray,
        concepts: Concepts,
        words: int,
        knobs: tuple[float, float, float] = (BETA, COST_POWER, LEANING_PENALTY),
    ) -> CandidateStory:
        return cls(
            view=view,
            scores=scores.astype(np.float32),
            weights=weights.astype(np.float32),
            concepts=concepts,
            words=words,
            lengths=np.asarray([x.words for x in view.sentences], dtype=np.int64),
            reading=Reading.of(view),
            beta=knobs[0],
            cost_power=knobs[1],
            leaning_penalty=knobs[2],
        )

    def concepts_of(self, i: int) -> IntArray:
        """The distinct concepts of sentence ``i``."""
        start = self.concepts.sentence_start
        out: IntArray = self.concepts.concept[start[i] : start[i + 1]]
        return out


def cover_greedy(
    story: CandidateStory,
    *,
    beta: float | None = None,
    cost_power: float | None = None,
    start: Sequence[int] = (),
    banned: Sequence[int] = (),
) -> list[int]:
    """Greedy weighted concept coverage as ``concepts.select_by_concepts`` (the story's knobs
    unless given, the same reading rules), beginning with the sentences ``start`` and never
    taking ``banned``."""
    beta = story.beta if beta is None else beta
    cost_power = story.cost_power if cost_power is None else cost_power
    leaning_penalty = story.leaning_penalty
    view, lengths, words = story.view, story.lengths, story.words
    n = len(view.sentences)
    alive = (lengths >= min(MIN_WORDS, words)) & (lengths <= words)
    if not alive.any():
        alive = (lengths > 0) & (lengths <= words)
    c, s = story.concepts.concept, story.concepts.sentence
    w = story.weights
    covered = np.zeros(len(story.concepts.keys), dtype=bool)
    chosen_mask = np.zeros(n, dtype=bool)
    max_sim = np.zeros(n, dtype=np.float32)
    cost = np.maximum(lengths, 1).astype(np.float32) ** np.float32(cost_power)
    base = np.float32(beta) * story.scores
    chosen: list[int] = []
    used = 0
    alive[list(banned)] = False

    def take(i: int) -> None:
        nonlocal used, max_sim
        chosen.append(i)
        chosen_mask[i] = True
        used += int(lengths[i])
        covered[story.concepts_of(i)] = True
        max_sim = np.maximum(max_sim, view.similarity[i])

    for i in start:
        if used + int(lengths[i]) <= words:
            take(i)
    while True:
        alive &= lengths <= words - used
        alive &= ~chosen_mask
        alive &= max_sim < NEAR_DUPLICATE
        if not alive.any():
            break
        new = np.where(covered[c], np.float32(0.0), w[c])
        gain = np.bincount(s, weights=new, minlength=n).astype(np.float32) + base
        if leaning_penalty:
            gain = gain - np.where(story.reading.dangling(chosen_mask), leaning_penalty, 0.0)
        ratio = np.where(alive, gain / cost, -np.inf)
        best = story.reading.best(ratio, chosen_mask, leaning_penalty / cost)
        if not np.isfinite(ratio[best]):
            break
        take(best)
    return chosen


def candidates(
    story: CandidateStory,
    *,
    variants: Sequence[tuple[float, float]] = VARIANTS,
    first: int = FIRST,
    swaps: int = SWAPS,
    pair_swaps: int = PAIR_SWAPS,
    redundancies: Sequence[float] = REDUNDANCIES,
    noise: int = NOISE,
    seed: int = 0,
) -> list[tuple[int, ...]]:
    """Distinct candidate summaries (sentence indices in the order chosen), the ``concepts``
    pick first, then the ``newsdesk`` MMR pick, then the variants: other knobs, without one
    (``swaps``) or two (``pair_swaps``) of the chosen sentences, another first sentence
    (``first``), MMR with other redundancy weights, concept weights with noise."""
    out: list[tuple[int, ...]] = []
    seen: set[frozenset[int]] = set()

    def add(picked: Sequence[int]) -> None:
        key = frozenset(picked)
        if picked and key not in seen:
            seen.add(key)
            out.append(tuple(picked))

    base = cover_greedy(story)
    if not base:
        return out
    add(base)
    add(select(story.view, story.scores, story.words))
    for beta, power in variants:
        add(cover_greedy(story, beta=beta, cost_power=power))
    # Without a chosen sentence the greedy takes the same steps up to where it took it, so
    # each such run starts from the shared prefix (same result, a third of the work).
    for j, i in enumerate(base[:swaps]):
        add(cover_greedy(story, start=base[:j], banned=(i,)))
    for a in range(min(pair_swaps, len(base))):
        for b in range(a + 1, min(pair_swaps, len(base))):
            add(cover_greedy(story, start=base[:a], banned=(base[a], base[b])))
    ranked = np.argsort(-story.scores, kind="stable")
    fits = (story.lengths <= story.words) & (story.lengths >= min(MIN_WORDS, story.words))
    # a forced first sentence skips the reading rules, so it must read well on its own
    none = np.zeros(len(story.lengths), dtype=bool)
    firsts = [
        int(i)
        for i in ranked
        if fits[i]
        and int(i) != base[0]
        and not story.reading.leaning[i]
        and not story.reading.unintroduced(int(i), none)
    ]
    for i in firsts[:first]:
        add(cover_greedy(story, start=(i,)))
    for r in redundancies:
        add(select(story.view, story.scores, story.words, redundancy=r))
    if noise:
        rng = np.random.default_rng(seed)
        weights = story.weights
        for _ in range(noise):
            story.weights = (weights * rng.lognormal(0.0, 0.5, weights.size)).astype(np.float32)
            add(cover_greedy(story))
        story.weights = weights
    return out


CANDIDATE_FEATURES = (
    "sentences",
    "words",
    "score_sum",
    "score_mean",
    "score_min",
    "cover",
    "cover_words",
    "cover_pairs",
    "cover_share",
    "cover_per_word",
    "top10",
    "top30",
    "top100",
    "expected_f1",
    "repeat_share",
    "max_sim",
    "mean_sim",
    "articles_share",
    "lead_share",
    "mean_position",
    "dangling",
    "stop_ratio",
    "cos_story",
    "cos_scored",
    "expected_f2",
    "is_concepts",
    "is_mmr",
    "story_sentences",
    "story_articles",
    "candidates",
    # the same, against the best candidate of the story (a tree sees one row at a time)
    "score_sum_gap",
    "cover_gap",
    "expected_f1_gap",
    "top30_gap",
    "cos_story_gap",
    "cos_scored_gap",
    "score_mean_gap",
    "top100_gap",
    "words_gap",
    "repeat_gap",
    "cover_rank",
    "score_rank",
    "cos_scored_rank",
    "expected_f1_rank",
)


def candidate_features(story: CandidateStory, picks: Sequence[Sequence[int]]) -> FloatArray:
    """One row of ``CANDIDATE_FEATURES`` per candidate of ``picks``."""
    col = {name: i for i, name in enumerate(CANDIDATE_FEATURES)}
    k = len(picks)
    out = np.zeros((k, len(CANDIDATE_FEATURES)), dtype=np.float32)
    if k == 0:
        return out
    view, concepts, w = story.view, story.concepts, story.weights
    n = len(view.sentences)
    m = len(concepts.keys)
    total = float(w.sum()) or 1.0
    rank = np.argsort(-w, kind="stable")
    top = {t: rank[: min(t, m)] for t in (10, 30, 100)}
    # position of each sentence in its article (0 = first kept sentence)
    position = np.zeros(n, dtype=np.float32)
    seen: dict[int, int] = {}
    for i, a in enumerate(view.article_of.tolist()):
        position[i] = seen.get(a, 0)
        seen[a] = seen.get(a, 0) + 1
    stop_ratio = np.asarray(
        [
            sum(len(t) < 2 or t in STOP_WORDS for t in tokens) / max(len(tokens), 1)
            for tokens in view.tokens
        ],
        dtype=np.float32,
    )
    is_pair = concepts.is_pair
    # what the story is about, as TF-IDF: all its sentences, or weighted by their scores
    centroid = _unit(view.vectors.sum(axis=0))
    scored = _unit(story.scores @ view.vectors)
    for r, picked in enumerate(picks):
        idx = np.asarray(picked, dtype=np.int64)
        mask = np.zeros(n, dtype=bool)
        mask[idx] = True
        used = float(story.lengths[idx].sum())
        hold = np.concatenate([story.concepts_of(int(i)) for i in idx])
        distinct = np.unique(hold)
        covered = np.zeros(m, dtype=bool)
        covered[distinct] = True
        cover = float(w[distinct].sum())
        words_cover = float(w[distinct][~is_pair[distinct]].sum())
        sims = view.similarity[np.ix_(idx, idx)]
        off = sims[~np.eye(idx.size, dtype=bool)]
        scores = story.scores[idx]
        out[r, col["sentences"]] = idx.size
        out[r, col["words"]] = used / story.words
        out[r, col["score_sum"]] = float(scores.sum())
        out[r, col["score_mean"]] = float(scores.mean())
        out[r, col["score_min"]] = float(scores.min())
        out[r, col["cover"]] = cover
        out[r, col["cover_words"]] = words_cover
        out[r, col["cover_pairs"]] = cover - words_cover
        out[r, col["cover_share"]] = cover / total
        out[r, col["cover_per_word"]] = cover / max(used, 1.0)
        for t in (10, 30, 100):
            out[r, col[f"top{t}"]] = float(covered[top[t]].mean()) if m else 0.0
        # the ROUGE-1 F1 one would expect if each covered word is in the reference with its
        # weight as probability (the reference's length taken as the corpus mean)
        out[r, col["expected_f1"]] = 2.0 * words_cover / (used + REFERENCE_WORDS)
        out[r, col["repeat_share"]] = 1.0 - distinct.size / max(hold.size, 1)
        out[r, col["max_sim"]] = float(off.max()) if off.size else 0.0
        out[r, col["mean_sim"]] = float(off.mean()) if off.size else 0.0
        out[r, col["articles_share"]] = len(set(view.article_of[idx].tolist())) / max(
            view.n_articles, 1
        )
        out[r, col["lead_share"]] = float((position[idx] == 0).mean())
        out[r, col["mean_position"]] = float(np.log1p(position[idx]).mean())
        out[r, col["dangling"]] = float(story.reading.dangling(mask)[idx].sum())
        out[r, col["stop_ratio"]] = float(stop_ratio[idx].mean())
        summary = _unit(view.vectors[idx].sum(axis=0))
        out[r, col["cos_story"]] = float(summary @ centroid)
        out[r, col["cos_scored"]] = float(summary @ scored)
        out[r, col["expected_f2"]] = 2.0 * (cover - words_cover) / (used + REFERENCE_WORDS)
    out[0, col["is_concepts"]] = 1.0
    if k > 1:
        out[1, col["is_mmr"]] = 1.0
    out[:, col["story_sentences"]] = np.log1p(n)
    out[:, col["story_articles"]] = view.n_articles
    out[:, col["candidates"]] = k
    for gap, source in (
        ("score_sum_gap", "score_sum"),
        ("cover_gap", "cover"),
        ("expected_f1_gap", "expected_f1"),
        ("top30_gap", "top30"),
        ("cos_story_gap", "cos_story"),
        ("cos_scored_gap", "cos_scored"),
        ("score_mean_gap", "score_mean"),
        ("top100_gap", "top100"),
        ("words_gap", "words"),
        ("repeat_gap", "repeat_share"),
    ):
        values = out[:, col[source]]
        out[:, col[gap]] = values - values.max()
    for ranked, source in (
        ("cover_rank", "cover"),
        ("score_rank", "score_sum"),
        ("cos_scored_rank", "cos_scored"),
        ("expected_f1_rank", "expected_f1"),
    ):
        values = out[:, col[source]]
        out[np.argsort(-values, kind="stable"), col[ranked]] = np.arange(k) / max(k - 1, 1)
    return out


def _unit(v: FloatArray) -> FloatArray:
    norm = float(np.linalg.norm(v))
    out: FloatArray = (v / norm if norm > 0 else v).astype(np.float32)
    return out


def best_candidate(model: TreeModel, story: CandidateStory) -> list[int]:
    """The candidate the ranker scores highest (ties: the earlier one, ``concepts`` first)."""
    picks = candidates(story)
    if not picks:
        return []
    ranked = model.score(candidate_features(story, picks))
    return list(picks[int(np.argmax(ranked))])


def reranked(
    articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]], words: int
) -> list[Sentence]:
    """The candidate summary the ranker scores highest, in reading order (``select.order``).

    Needs the sentence scorer, the concept model and the ranker; with the first two but
    without the ranker it is ``concepts`` (its first candidate), and without them ``newsdesk``.
    """
    scored = scored_story(articles, sentences)
    if scored is None:
        from . import learned  # the package's default method (imported when needed)

        return learned(articles, sentences, words)
    concept_model, view, scores = scored
    if not view.sentences:
        return []
    concepts = Concepts.build(view)
    weights = concept_model.weights(view, concepts, scores)
    knobs = (concept_model.beta, concept_model.cost_power, concept_model.leaning_penalty)
    story = CandidateStory.build(view, scores, weights, concepts, words, knobs)
    ranker = load_rerank_model()
    picked = cover_greedy(story) if ranker is None else best_candidate(ranker, story)
    return order(view, picked, scores)


def read_rerank_model(path: Path) -> TreeModel:
    """Read a ranker file; a file that does not fit ``CANDIDATE_FEATURES`` is a DataError."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return trees_from_json(raw, CANDIDATE_FEATURES, str(path))
    except (OSError, ValueError, KeyError, TypeError) as error:
        if isinstance(error, DataError):
            raise
        raise DataError(f"{path}: not a newsdesk reranking model ({error})") from None


def bundled_rerank_path() -> Path:
    """Where the shipped ranker lives (it may be absent)."""
    return Path(str(resources.files("newsdesk") / "data" / RERANK_FILE))


@lru_cache(maxsize=4)
def load_rerank_model(path: Path | None = None) -> TreeModel | None:
    """The ranker at ``path`` (default: the bundled one), or None when absent (cached)."""
    path = path or bundled_rerank_path()
    if not path.is_file():
        return None
    return read_rerank_model(path)
