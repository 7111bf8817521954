"""Claims: the story's statements aligned across articles, counted per independent outlet.

Each sentence of each original article (syndicated copies are not extra support) is matched to
the sentences of the other articles that carry the same information (``dedup.SentenceIndex``,
the matcher the summary's citations use); a claim is one such group, told in the words of its
earliest-placed sentence. ``outlets`` counts distinct outlets among the originals, so an outlet
with two articles, or a wire story under two names, counts once.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from ..dedup import SentenceIndex
from ..models import Article, Sentence

MIN_WORDS = 6
"""Shorter sentences ('He declined.', bylines that survived cleaning) are not claims."""

_QUESTION = re.compile(r"\?\s*[\"”’']?\s*$")


class StoryLike(Protocol):
    @property
    def articles(self) -> tuple[Article, ...]: ...

    @property
    def originals(self) -> tuple[Article, ...]: ...

    @property
    def sentences(self) -> dict[str, tuple[Sentence, ...]]: ...


def outlet_key(article: Article) -> str:
    """Who stands behind an article: its outlet's name, normalized; unknown outlets stand alone."""
    if article.outlet:
        name = re.sub(r"[^a-z0-9 ]", "", article.outlet.lower())
        return re.sub(r"^the ", "", " ".join(name.split()))
    return f"source:{article.id}"


def _is_statement(sentence: Sentence) -> bool:
    return sentence.words >= MIN_WORDS and not _QUESTION.search(sentence.text)


def extract_claims(story: StoryLike) -> list[dict[str, Any]]:
    """Group the story's statements across articles; most widely reported first.

    Every claim is ``{"text", "articles", "outlets", "status", "sentences"}``: ``articles`` are
    the ids of the articles carrying it (syndicated copies of them included, after the
    originals), ``outlets`` the number of independent outlets among the originals, ``status``
    "corroborated" from two outlets on, and ``sentences`` where each article says it
    (``{"article", "sentence", "start", "end"}``).
    """
    originals = story.originals
    by_id = {a.id: a for a in story.articles}
    copies: dict[str, list[str]] = {}
    for article in story.articles:
        if article.duplicate_of:
            copies.setdefault(article.duplicate_of, []).append(article.id)
    support = {a.id: story.sentences.get(a.id, ()) for a in originals}
    index = SentenceIndex(support)
    used: set[tuple[str, int]] = set()
    claims: list[tuple[tuple[int, int, int], dict[str, Any]]] = []
    for rank, article in enumerate(originals):
        for sentence in support[article.id]:
            if (article.id, sentence.index) in used or not _is_statement(sentence):
                continue
            group = [sentence]
            for _, citation in index.matches(sentence):
                if (citation.article, citation.sentence) not in used:
                    group.append(support[citation.article][citation.sentence])
            used.update((s.article, s.index) for s in group)
            ids = [s.article for s in group]
            ids += [c for i in ids for c in copies.get(i, [])]
            outlets = len({outlet_key(by_id[s.article]) for s in group})
            claim = {
                "text": sentence.text,
                "articles": ids,
                "outlets": outlets,
                "status": "corroborated" if outlets >= 2 else "single-source",
                "sentences": [
                    {"article": s.article, "sentence": s.index, "start": s.start, "end": s.end}
                    for s in group
                ],
            }
            claims.append(((-outlets, sentence.index, rank), claim))
    claims.sort(key=lambda item: item[0])
    return [claim for _, claim in claims]
