"""Same text seen twice, and the same information said twice.

``find_duplicates``  articles that are one text (a wire story under several outlets' names)
``cite``             for each summary sentence, every article that carries the same information

For a stream of many articles the store uses ``newsdesk.dedup.lsh.SyndicationIndex``
(MinHash LSH); a brief has a handful of articles, so here shingles are compared exactly.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

from ..models import Article, Citation, Sentence, SummarySentence
from ..text import terms, words

SHINGLE = 5
"""Word 5-grams: short enough to survive a changed word, long enough to be specific."""

CONTAINMENT = 0.9
"""A copy with a paragraph added or cut: 90% of the shorter text's shingles are in the longer."""

MIN_SHINGLES = 40
"""Below this many shingles containment is too easy (a short brief quoting a wire paragraph)."""

MATCH_SIMILARITY = 0.42
"""Cosine of idf-weighted stemmed terms at or above which two sentences carry the same
information. Set by reading every cross-article pair of the example story scoring 0.28-0.60
(examples/bridge-collapse, invented): of the 22 pairs at or above 0.42, about 15 state the same
fact (paraphrases such as 'A contractor had begun resurfacing work on the span last week.' /
'Resurfacing work on the Calder Street span began last week.' score 0.45-0.60); the misses
share a speaker and an attribution but not the fact ('Lindqvist said Saturday that...' /
'Lindqvist said crews...'). Below 0.42 same-fact pairs become rare (one in the 22 pairs of
0.30-0.42). Raising it to 0.47 kept the precision near 0.7 and lost true pairs."""

MIN_SHARED_TERMS = 2
"""Two sentences must share at least this many content terms to count as the same fact."""


def shingles(text: str, size: int = SHINGLE) -> set[int]:
    """Hashes of the word ``size``-grams of ``text`` (lower-cased, punctuation ignored)."""
    tokens = words(text)
    if len(tokens) < size:
        return {hash(tuple(tokens))} if tokens else set()
    return {hash(tuple(tokens[i : i + size])) for i in range(len(tokens) - size + 1)}


def _order(article: Article, position: int) -> tuple[int, str, int]:
    """First seen: earliest publication, then the order given (undated articles last)."""
    return (0 if article.published else 1, article.published or "", position)


def find_duplicates(articles: Sequence[Article], threshold: float = 0.7) -> dict[str, str]:
    """Map each syndicated copy's id to the id of the first-seen article it copies.

    Two articles are one text when the Jaccard similarity of their word 5-gram shingles is at
    least ``threshold``, or when nearly all of the shorter one is inside the longer one.

    >>> text = "The river rose four metres overnight. " * 3
    >>> a = Article.create(source="a", text=text, outlet="A")
    >>> b = Article.create(source="b", text=a.text + "More soon.", outlet="B")
    >>> find_duplicates([a, b]) == {b.id: a.id}
    True
    """
    order = sorted(range(len(articles)), key=lambda i: _order(articles[i], i))
    sets = {articles[i].id: shingles(articles[i].text) for i in order}
    originals: list[str] = []
    copies: dict[str, str] = {}
    for i in order:
        article = articles[i]
        mine = sets[article.id]
        for original in originals:
            theirs = sets[original]
            if not mine or not theirs or original == article.id:
                continue
            shared = len(mine & theirs)
            jaccard = shared / len(mine | theirs)
            smaller = min(len(mine), len(theirs))
            contained = smaller >= MIN_SHINGLES and shared / smaller >= CONTAINMENT
            if jaccard >= threshold or contained:
                copies[article.id] = original
                break
        else:
            originals.append(article.id)
    return copies


class SentenceIndex:
    """The sentences of a story as unit tf-idf vectors, to find the same fact in other articles.

    idf is taken over the story's own sentences, smoothed: in a story of a few articles the
    shared facts are exactly the terms that recur, so they must keep weight (plain log(n/df)
    would zero them).
    """

    def __init__(self, sentences: Mapping[str, Sequence[Sentence]]) -> None:
        self.sentences = sentences
        self.bags = {
            (s.article, s.index): Counter(terms(s.text)) for ss in sentences.values() for s in ss
        }
        df: Counter[str] = Counter()
        for bag in self.bags.values():
            df.update(bag.keys())
        n = len(self.bags) + 1
        self.idf = {t: 1 + math.log(n / (c + 1)) for t, c in df.items()}
        self.vectors = {key: self._unit(bag) for key, bag in self.bags.items()}

    def _unit(self, bag: Counter[str]) -> dict[str, float]:
        vec = {t: (1 + math.log(c)) * self.idf.get(t, 1.0) for t, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    def matches(
        self, sentence: Sentence, similarity: float = MATCH_SIMILARITY
    ) -> list[tuple[float, Citation]]:
        """The best-matching sentence of every other article reaching ``similarity``, best first."""
        key = (sentence.article, sentence.index)
        bag = self.bags.get(key) or Counter(terms(sentence.text))
        mine, mine_terms = self.vectors.get(key) or self._unit(bag), set(bag)
        found: list[tuple[float, Citation]] = []
        for article_id, article_sentences in self.sentences.items():
            if article_id == sentence.article:
                continue
            best, best_index = 0.0, -1
            for other in article_sentences:
                okey = (other.article, other.index)
                if len(mine_terms.intersection(self.bags[okey])) < MIN_SHARED_TERMS:
                    continue
                theirs = self.vectors[okey]
                score = sum(w * theirs.get(t, 0.0) for t, w in mine.items())
                if score > best:
                    best, best_index = score, other.index
            if best >= similarity:
                found.append((best, Citation(article_id, best_index)))
        found.sort(key=lambda m: -m[0])
        return found


def cite(
    picked: Sequence[Sentence],
    sentences: Mapping[str, Sequence[Sentence]],
    similarity: float = MATCH_SIMILARITY,
) -> tuple[SummarySentence, ...]:
    """Cite, for every picked sentence, each article that carries the same information.

    The article the sentence was copied from comes first; then every other article of
    ``sentences`` (pass only non-duplicate articles: a syndicated copy is not extra support)
    whose best-matching sentence reaches ``similarity``, best match first.

    >>> a = Article.create(source="a", text="Twelve people were hurt when the bridge collapsed.")
    >>> b = Article.create(source="b", text="The bridge collapse injured 12 people on Friday.")
    >>> sa = Sentence(a.id, 0, 0, len(a.text), a.text)
    >>> sb = Sentence(b.id, 0, 0, len(b.text), b.text)
    >>> [c.article for c in cite([sa], {a.id: [sa], b.id: [sb]})[0].citations] == [a.id, b.id]
    True
    """
    index = SentenceIndex(sentences)
    return tuple(
        SummarySentence(
            text=s.text,
            citations=(
                Citation(s.article, s.index),
                *(c for _, c in index.matches(s, similarity)),
            ),
        )
        for s in picked
    )
