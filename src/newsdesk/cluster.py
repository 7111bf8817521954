"""Stories from a stream of articles, one article at a time.

``StoryClusterer.assign`` puts each new article into the best matching recent story or starts
a new one; ``StoryClusterer.record`` replays a stored membership on start-up, leaving the
clusterer exactly as if it had assigned that article itself.

How an article is matched:

- **Text**: a TF-IDF vector of its stemmed content words (title words count twice), hashed
  into ``2**20`` features; document frequencies are counted as the stream goes, in a fixed
  array, so memory does not grow with the vocabulary.
- **Entities**: capitalized name sequences not at a sentence start ("Ana Ruiz", "Bank of
  England"), each one feature of its own, given ``entity_weight`` of the vector's norm: two
  stories about floods share words, two reports of one flood share places and names too.
- **Time**: a story is a centroid (sum of its articles' unit vectors) with the time span it
  covers. An article's score is the cosine to the centroid times a decay in its distance to
  that span, ``0.5 ** (days / half_life_days)``; stories older than ``window_days`` cannot be
  joined and are evicted, so memory stays proportional to the window. An article without a
  ``published`` date uses its arrival number instead (``window_arrivals`` stands for
  ``window_days``).

Candidate stories come from an inverted index over each story's strongest terms, so an
article is scored against a handful of stories, not all of them. Tuning and evaluation:
docs/clustering.md.

>>> clusterer = StoryClusterer()
>>> a = Article.create(source="a", text="Floods hit the river town of Elmsworth; "
...     "hundreds of homes flooded and residents were evacuated.", published="2024-03-01")
>>> b = Article.create(source="b", text="Residents of Elmsworth evacuated as the river "
...     "floods homes across the town.", published="2024-03-02")
>>> c = Article.create(source="c", text="The central bank raised interest rates by half "
...     "a point to fight inflation.", published="2024-03-02")
>>> s1 = clusterer.assign(a, arrival=0)
>>> clusterer.assign(b, arrival=1) == s1, clusterer.assign(c, arrival=2) == s1
(True, False)
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain, islice, pairwise, repeat
from operator import mul

import numpy as np
import numpy.typing as npt

from .dates import parse_iso
from .errors import UsageError
from .models import Article
from .text import STOPWORDS, stem

__all__ = ["ClusterSettings", "StoryClusterer", "cluster"]

_WORD = re.compile(r"[a-z0-9]+")
# A name: capitalized words, optionally joined by "of"/"de"/"al" ("Bank of England").
_NAME = re.compile(
    r"[A-Z](?:[A-Za-z'’-]|\.(?=[A-Z]))*(?:[ \t]+(?:(?:of|de|al|von|van|the)[ \t]+)?"
    r"[A-Z](?:[A-Za-z'’-]|\.(?=[A-Z]))*)*"
)
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"“”'‘’\n]\s*|\n)$")
# Capitalized in English but not names: they would make every Monday story "share an entity".
_NOT_NAMES = frozenset((
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "i",
))  # fmt: skip
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """Knobs of story clustering; the defaults were tuned on Multi-News validation streams.

    See docs/clustering.md for the sweeps (``benchmarks/cluster_eval.py --tune``).
    """

    threshold: float = 0.17
    """Least decayed cosine for an article to join a story; below it the article starts one.

    Swept 0.12-0.25 on validation: B3 F1 0.922/0.921/0.921 at 0.16/0.17/0.18; at 0.14 generic
    stories ("police", "crash") absorb others (pairwise F1 0.78 -> 0.37)."""
    half_life_days: float = 5.0
    """An article this many days from a story's span counts half as similar (2/5/10 swept)."""
    window_days: float = 5.0
    """Stories not updated for longer cannot be joined and are evicted."""
    window_arrivals: int = 300
    """For undated articles: the window counted in arrivals instead of days.

    Depends on volume: about ``window_days`` of arrivals (300 was best of 150-2000 on the
    validation streams, 68 articles a day)."""
    entity_weight: float = 0.25
    """Share of an article's vector norm given to its names (when it has any).

    Chosen a priori: Multi-News train/validation text is lower-cased, so it has no names."""
    phrases: bool = False
    """Count adjacent content-word pairs as features too (off: B3 F1 0.897 at best, 0.921 off)."""
    title_weight: int = 2
    """Title words count this many times."""
    query_terms: int = 16
    """An article's strongest terms that look up candidate stories."""
    max_candidates: int = 5
    """Candidate stories scored in full per article (those sharing most query terms).

    With 16 query terms, 5 candidates scored as well as 30 on validation (0.921) for a sixth of
    the dot products."""
    max_postings: int = 16
    """Stories remembered per query term (the most recently updated)."""
    max_story_terms: int = 500
    """A story's centroid keeps its strongest terms only: memory per story is bounded."""
    max_stories: int = 200_000
    """Hard cap on live stories whatever the window: the oldest go first."""

    def check(self) -> None:
        """Raise UsageError for a value outside its range."""
        if not 0.0 <= self.threshold <= 1.0:
            raise UsageError(f"cluster threshold must be in [0, 1], got {self.threshold}")
        if self.half_life_days <= 0 or self.window_days <= 0 or self.window_arrivals < 1:
            raise UsageError("cluster half-life and windows must be positive")
        if not 0.0 <= self.entity_weight < 1.0:
            raise UsageError(f"entity weight must be in [0, 1), got {self.entity_weight}")
        limits = (self.query_terms, self.max_candidates, self.max_postings, self.max_stories)
        if min(*limits, self.max_story_terms) < 1 or self.title_weight < 0:
            raise UsageError("cluster term, candidate and story limits must be positive")


_FEATURES = 1 << 20
_MASK = _FEATURES - 1
_SWEEP_EVERY = 256  # arrivals between eviction sweeps; eligibility is checked exactly anyway


def day_number(published: str | None) -> float | None:
    """Days since 1970-01-01 UTC of an ISO 8601 date or timestamp; None if absent or bad.

    >>> day_number("1970-01-02"), day_number("1970-01-01T12:00:00Z"), day_number("soon")
    (1.0, 0.5, None)
    """
    when = parse_iso(published)
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - _EPOCH).total_seconds() / 86400.0


@dataclass(slots=True)
class _Story:
    id: str
    vec: dict[int, float] = field(default_factory=dict)
    norm2: float = 0.0
    size: int = 0
    first_day: float | None = None
    last_day: float | None = None
    first_arrival: int = 0
    last_arrival: int = 0
    posted: set[int] = field(default_factory=set)


class StoryClusterer:
    """Incremental story clustering over a time window; see the module docstring.

    >>> clusterer = StoryClusterer(ClusterSettings(threshold=0.3))
    >>> art = Article.create(source="x", text="Quake shakes the coast near Port Alma.")
    >>> clusterer.assign(art, arrival=0) == "s" + art.id
    True
    """

    def __init__(self, settings: ClusterSettings | None = None) -> None:
        self.settings = settings or ClusterSettings()
        self.settings.check()
        self._df = np.zeros(_FEATURES, dtype=np.int32)
        self._docs = 0
        self._stories: dict[str, _Story] = {}
        # feature -> the stories that posted it, most recently updated last (a dict as an
        # ordered set, capped: a term shared by hundreds of live stories finds nothing).
        self._postings: dict[int, dict[str, None]] = {}
        self._watermark: float | None = None  # latest publication day seen
        self._arrival = -1  # latest arrival seen
        self._last_sweep = 0
        # word -> feature (-1 for a stop word); per instance, cleared when large.
        self._words: dict[str, int] = {}

    def __len__(self) -> int:
        """Live stories (those still inside the window)."""
        return len(self._stories)

    def assign(self, article: Article, *, arrival: int) -> str:
        """The id of the story ``article`` joins; a new story is ``"s" + article.id``.

        ``arrival`` is the article's position in the stream (increasing); it stands in for
        the date of an article without one.
        """
        vec, query = self._vector(article)
        day = day_number(article.published)
        story, dot = self._best(vec, query, day, arrival)
        if story is None:
            story = self._stories.get("s" + article.id) or _Story("s" + article.id)
            dot = 0.0
        self._join(story, vec, query, dot, day, arrival)
        return story.id

    def record(self, article: Article, story_id: str, *, arrival: int | None = None) -> None:
        """Replay a stored membership (on start-up), in the order the articles arrived.

        Leaves the clusterer in the state ``assign`` would have; ``arrival`` defaults to the
        one after the latest seen.
        """
        if arrival is None:
            arrival = self._arrival + 1
        vec, query = self._vector(article)
        story = self._stories.get(story_id) or _Story(story_id)
        dot = sum(map(mul, vec.values(), map(story.vec.get, vec, repeat(0.0))))
        self._join(story, vec, query, dot, day_number(article.published), arrival)

    # -- matching ---------------------------------------------------------------------------

    def _best(
        self, vec: dict[int, float], query: list[int], day: float | None, arrival: int
    ) -> tuple[_Story | None, float]:
        # Rank stories by how many of the article's strongest terms they share, then score
        # only the leading few in full: the dot products are most of the cost of an assignment.
        postings = self._postings
        shared = Counter(chain.from_iterable(postings[f] for f in query if f in postings))
        candidates = [sid for sid, _ in shared.most_common(self.settings.max_candidates)]
        feats, weights = list(vec), list(vec.values())
        zeros = repeat(0.0)
        best: _Story | None = None
        best_score = self.settings.threshold
        best_dot = 0.0
        for sid in candidates:
            story = self._stories[sid]
            age = self._age(story, day, arrival)
            if age > self.settings.window_days:
                continue
            dot = sum(map(mul, weights, map(story.vec.get, feats, zeros)))
            score = dot / math.sqrt(story.norm2) * 0.5 ** (age / self.settings.half_life_days)
            if score > best_score or (score == best_score and best is not None and sid < best.id):
                best, best_score, best_dot = story, score, dot
            elif score == best_score and best is None:
                best, best_dot = story, dot
        return best, best_dot

    def _age(self, story: _Story, day: float | None, arrival: int) -> float:
        """Days between the article and the story's span (arrivals scaled when undated)."""
        if day is not None and story.first_day is not None and story.last_day is not None:
            if day > story.last_day:
                return day - story.last_day
            return max(0.0, story.first_day - day)
        if arrival > story.last_arrival:
            gap = arrival - story.last_arrival
        else:
            gap = max(0, story.first_arrival - arrival)
        return gap * self.settings.window_days / self.settings.window_arrivals

    def _join(
        self,
        story: _Story,
        vec: dict[int, float],
        query: list[int],
        dot: float,
        day: float | None,
        arrival: int,
    ) -> None:
        if story.size == 0:
            story.first_arrival = story.last_arrival = arrival
        # Most recently joined last: the sweep reads stale stories from the front.
        self._stories.pop(story.id, None)
        self._stories[story.id] = story
        svec = story.vec
        for f, w in vec.items():
            svec[f] = svec.get(f, 0.0) + w
        story.norm2 += 2.0 * dot + 1.0  # |c + a|^2 with |a| = 1
        story.size += 1
        story.first_arrival = min(story.first_arrival, arrival)
        story.last_arrival = max(story.last_arrival, arrival)
        if day is not None:
            story.first_day = day if story.first_day is None else min(story.first_day, day)
            story.last_day = day if story.last_day is None else max(story.last_day, day)
            self._watermark = day if self._watermark is None else max(self._watermark, day)
        for f in query:
            story.posted.add(f)
            posted = self._postings.setdefault(f, {})
            posted.pop(story.id, None)
            posted[story.id] = None
            if len(posted) > self.settings.max_postings:
                del posted[next(iter(posted))]
        if len(svec) > 2 * self.settings.max_story_terms:
            keep = sorted(svec.items(), key=lambda kv: kv[1], reverse=True)
            story.vec = dict(keep[: self.settings.max_story_terms])
            story.norm2 = sum(w * w for w in story.vec.values())
        self._arrival = max(self._arrival, arrival)
        if self._arrival - self._last_sweep >= _SWEEP_EVERY:
            self._last_sweep = self._arrival
            self._sweep()

    def _sweep(self) -> None:
        """Evict stories that no article can join any more (and the oldest past the cap).

        Stories are kept in the order they were last joined, so the sweep stops at the first
        one still live: its cost is the number evicted, not the number live. (A story whose
        dates run behind its arrivals may wait a little longer; eligibility to be joined is
        checked exactly in ``_best`` regardless.)
        """
        s = self.settings
        old: list[str] = []
        for sid, story in self._stories.items():
            if story.last_day is not None and self._watermark is not None:
                expired = self._watermark - story.last_day > s.window_days
            else:
                expired = self._arrival - story.last_arrival > s.window_arrivals
            if not expired:
                break
            old.append(sid)
        over = len(self._stories) - len(old) - s.max_stories
        if over > 0:
            old.extend(islice(self._stories, len(old), len(old) + over))
        for sid in old:
            self._evict(sid)

    def _evict(self, sid: str) -> None:
        story = self._stories.pop(sid)
        for f in story.posted:
            posted = self._postings.get(f)
            if posted is not None:
                posted.pop(sid, None)
                if not posted:
                    del self._postings[f]

    # -- features ---------------------------------------------------------------------------

    def _vector(self, article: Article) -> tuple[dict[int, float], list[int]]:
        """The article's unit TF-IDF vector (text and names) and its strongest features.

        Also counts the article into the document frequencies (after weighting it).
        """
        counts = self._features(article.text)
        names: Counter[int] = Counter(_name_feature(n) for n in names_in(article.text))
        if article.title:
            title = self._features(article.title)
            for _ in range(self.settings.title_weight):
                counts.update(title)
            names.update(_name_feature(n) for n in names_in(article.title))
        feats, weights = self._weigh(counts)
        if names:
            name_feats, name_weights = self._weigh(names)
            if len(feats):
                # Both parts are unit vectors on (almost surely) disjoint features, so the
                # scaled sum is a unit vector too.
                share = self.settings.entity_weight
                weights *= math.sqrt(1.0 - share)
                name_weights *= math.sqrt(share)
            feats = np.concatenate([feats, name_feats])
            weights = np.concatenate([weights, name_weights])
        self._docs += 1
        if not len(feats):
            return {}, []
        self._df[feats] += 1
        k = self.settings.query_terms
        top = np.argpartition(-weights, k)[:k] if len(feats) > k else np.arange(len(feats))
        # Strongest first, ties by feature: the order must not depend on anything else.
        top = top[np.lexsort((feats[top], -weights[top]))]
        return dict(zip(feats.tolist(), weights.tolist(), strict=True)), feats[top].tolist()

    def _weigh(self, counts: Counter[int]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """Features and unit weights: sub-linear TF times smoothed IDF."""
        feats = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        w = (1.0 + np.log(tf)) * (np.log((self._docs + 1.0) / (self._df[feats] + 1.0)) + 1.0)
        norm = math.sqrt(float(np.dot(w, w)))
        if norm:
            w /= norm
        return feats, w

    def _features(self, text: str) -> Counter[int]:
        """Counts of the hashed stems of ``text``'s content words."""
        cache = self._words
        if len(cache) > 500_000:
            cache.clear()
        words = _WORD.findall(text.lower())
        for word in set(words).difference(cache):
            if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
                cache[word] = -1
            else:
                cache[word] = zlib.crc32(stem(word).encode()) & _MASK
        feats = list(map(cache.__getitem__, words))
        counts = Counter(feats)
        counts.pop(-1, None)
        if self.settings.phrases:
            # Adjacent content-word pairs ("dan brown", "da vinci"): names and set phrases,
            # which still identify a story in lower-cased text where capitals are gone.
            counts.update(
                (a * 0x9E3779B1 + b) & _MASK for a, b in pairwise(feats) if a >= 0 and b >= 0
            )
        return counts


def _name_feature(name: str) -> int:
    return zlib.crc32(b"\x00name:" + name.encode()) & _MASK


def names_in(text: str) -> list[str]:
    """Capitalized name sequences, lower-cased, that do not start a sentence.

    A capitalized word that opens a sentence is dropped (it is capitalized anyway); the rest
    of its sequence is kept. A cheap offline stand-in for named entities.

    >>> names_in("The mayor of Elm City met Ana Ruiz. She said the Bank of England agreed.")
    ['elm city', 'ana ruiz', 'bank of england']
    """
    out: list[str] = []
    for m in _NAME.finditer(text):
        words = m.group().split()
        start = m.start()
        if _SENTENCE_END.search(text[max(0, start - 3) : start]):
            words = words[1:]
            while words and words[0].lower() in {"of", "de", "al", "von", "van", "the"}:
                words = words[1:]
        name = " ".join(words).lower().rstrip(".")
        if name and name not in STOPWORDS and name not in _NOT_NAMES:
            out.append(name)
    return out


def cluster(articles: Iterable[Article], settings: ClusterSettings | None = None) -> list[str]:
    """Story ids for ``articles`` taken as a stream in the order given.

    >>> a = Article.create(source="a", text="Storm closes schools in Brookhaven.")
    >>> ids = cluster([a, a])
    >>> ids[0] == ids[1]
    True
    """
    clusterer = StoryClusterer(settings)
    return [clusterer.assign(a, arrival=i) for i, a in enumerate(articles)]
