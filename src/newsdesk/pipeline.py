"""The one place where stage order lives: read -> clean -> segment -> dedup -> summarize -> cite.

``prepare(articles)`` gives a ``Story``: cleaned articles with syndicated copies marked, and
every article's sentences. ``brief(articles)`` summarizes it into a ``Brief``.

>>> from newsdesk.models import Article
>>> a = Article.create(source="a.txt", text="The council voted to close the old bridge on Monday.")
>>> brief([a], Settings(words=20)).summary[0].text
'The council voted to close the old bridge on Monday.'
"""

from __future__ import annotations

import dataclasses
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .clean import clean, is_english, language_of, page_furniture
from .config import Settings
from .dedup import cite, find_duplicates
from .errors import NoArticlesError, ReadError
from .ingest.clusters import Cluster, read_clusters
from .models import Article, Brief, Sentence
from .segment import segment
from .summarize import summarize
from .text import terms

OnSkip = Callable[[ReadError], None]


@dataclass(frozen=True, slots=True)
class Story:
    """A story ready for summarizing and analysis.

    ``articles`` are cleaned, in the order given, with ``duplicate_of`` set on syndicated
    copies; ``sentences`` holds every article's sentences (copies included).
    """

    articles: tuple[Article, ...]
    sentences: dict[str, tuple[Sentence, ...]]

    @property
    def originals(self) -> tuple[Article, ...]:
        """The articles that count as sources: syndicated copies left out."""
        return tuple(a for a in self.articles if a.duplicate_of is None)


def _skip(on_skip: OnSkip | None, error: ReadError) -> None:
    if on_skip is None:
        raise error
    on_skip(error)


def prepare(
    articles: Iterable[Article],
    settings: Settings | None = None,
    *,
    on_skip: OnSkip | None = None,
) -> Story:
    """Clean, filter, deduplicate and segment ``articles`` into a ``Story``.

    Articles with no prose left after cleaning, or not in English (when the settings ask for
    English), are skipped: reported through ``on_skip`` if given, else raised as ``ReadError``.
    Raises ``NoArticlesError`` when nothing usable remains.
    """
    settings = settings or Settings()
    kept: list[Article] = []
    seen: set[str] = set()
    for article in clean(articles):
        if article.id in seen:  # the same input given twice is one article
            continue
        seen.add(article.id)
        if not article.text.strip():
            _skip(on_skip, ReadError(article.source, "no article text left after cleaning"))
            continue
        if settings.require_english and not is_english(article.text):
            language = language_of(article.text)
            reason = f"not in English (looks like '{language}')"
            if language in ("en", ""):  # English words, but not sentences: a list, a table
                reason = "not English prose (too few common English words)"
            _skip(on_skip, ReadError(article.source, reason))
            continue
        kept.append(article)
    if not kept:
        raise NoArticlesError("no usable English article text found")
    copies = find_duplicates(kept, threshold=settings.duplicate_threshold)
    marked = tuple(
        dataclasses.replace(a, duplicate_of=copies[a.id]) if a.id in copies else a for a in kept
    )
    return Story(marked, {a.id: segment(a) for a in marked})


def headline(story: Story, summary_text: str) -> str:
    """The story's headline: the title that best shares the words of the summary and titles.

    Falls back to the first summary sentence when no article has a title.
    """
    titles = [
        a.title.strip()
        for a in story.originals
        if a.title and a.title.strip() and not page_furniture(a.title)
    ]
    if not titles:
        first = summary_text.split("\n", 1)[0]
        return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "..."
    weight = Counter(terms(summary_text)) + Counter(
        t for title in titles for t in set(terms(title))
    )

    def score(title: str) -> float:
        ts = set(terms(title))
        return sum(weight[t] for t in ts) / (len(ts) + 2) if ts else 0.0

    return max(titles, key=score)


def brief(
    articles: Iterable[Article],
    settings: Settings | None = None,
    *,
    on_skip: OnSkip | None = None,
) -> Brief:
    """Brief one story: a headline, a cited summary within ``settings.words``, the sources.

    Every summary sentence is verbatim from its first cited article and cites every other
    non-duplicate article carrying the same information.
    """
    settings = settings or Settings()
    story = prepare(articles, settings, on_skip=on_skip)
    originals = story.originals
    support = {a.id: story.sentences[a.id] for a in originals}
    picked = summarize(originals, support, words=settings.words, method=settings.summarizer)
    summary = cite(picked, support)
    title = headline(story, "\n".join(s.text for s in summary))
    sections: dict[str, Any] = {}
    if settings.analyze:
        from .analyze import analyze

        sections = dict(analyze(story))
    return Brief(
        title=title,
        summary=summary,
        articles=story.articles,
        sentences=story.sentences,
        sections=sections,
    )


def brief_clusters(
    path: str,
    settings: Settings | None = None,
    *,
    progress: bool = False,
    on_skip: OnSkip | None = None,
) -> Iterator[dict[str, Any]]:
    """Brief every cluster of a cluster file: ``{"id", "summary", "brief"}`` per cluster.

    ``summary`` is the summary's sentences joined by newlines. A cluster with no usable article
    gives ``{"id", "summary": "", "brief": null, "error": "..."}`` and the batch goes on.
    """
    settings = settings or Settings()
    clusters: Iterable[Cluster] = read_clusters(path)
    if progress:
        from tqdm import tqdm

        clusters = tqdm(clusters, desc="briefing", unit=" clusters", file=sys.stderr)
    for cluster in clusters:
        for error in cluster.skipped:
            _skip(on_skip, error)
        try:
            result = brief(cluster.articles, settings, on_skip=on_skip)
        except NoArticlesError as error:
            yield {"id": cluster.id, "summary": "", "brief": None, "error": str(error)}
            continue
        yield {
            "id": cluster.id,
            "summary": "\n".join(s.text for s in result.summary),
            "brief": result.to_dict(),
        }
