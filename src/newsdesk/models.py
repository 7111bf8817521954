"""The records every stage passes along: plain, frozen, cheap to copy.

``Article``          one article as read (then cleaned): text plus metadata
``Sentence``         one sentence of an article, with character offsets into ``Article.text``
``Citation``         a pointer at one sentence of one article
``SummarySentence``  a summary sentence, verbatim, with every article that carries it
``Brief``            what ``newsdesk brief`` returns for one story
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

_SPACE = re.compile(r"\s+")


def content_id(*parts: str | None) -> str:
    """A stable id from content: the same parts always give the same 16 hex digits.

    Whitespace differences do not change the id.

    >>> a = content_id("Reuters", "A  headline", "Some text.")
    >>> a == content_id("Reuters", "A headline", "Some text.")
    True
    """
    normalized = "\x1f".join(_SPACE.sub(" ", p or "").strip() for p in parts)
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Article:
    """One article.

    ``id`` is a content hash of outlet, url, title and the text as read, so reading the same
    input twice gives the same id, and cleaning (which rewrites ``text``) keeps it.
    ``published`` is ISO 8601: a date (``2021-06-14``) or a full timestamp.
    ``duplicate_of`` names the first-seen article this one is a syndicated copy of.
    """

    id: str
    source: str
    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    duplicate_of: str | None = None

    @classmethod
    def create(
        cls,
        *,
        source: str,
        text: str,
        title: str | None = None,
        outlet: str | None = None,
        published: str | None = None,
        url: str | None = None,
    ) -> Article:
        """Build an article whose id is the content hash of what it carries."""
        return cls(
            id=content_id(outlet, url, title, text),
            source=source,
            text=text,
            title=title,
            outlet=outlet,
            published=published,
            url=url,
        )

    @property
    def words(self) -> int:
        return len(self.text.split())

    def to_dict(self) -> dict[str, Any]:
        """The article as it appears in the JSON brief (without its text)."""
        return {
            "id": self.id,
            "source": self.source,
            "outlet": self.outlet,
            "title": self.title,
            "published": self.published,
            "words": self.words,
            "duplicate_of": self.duplicate_of,
        }


@dataclass(frozen=True, slots=True)
class Sentence:
    """Sentence ``index`` (0-based) of article ``article``: ``text == article.text[start:end]``."""

    article: str
    index: int
    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class Citation:
    """Sentence ``sentence`` (0-based, as ``segment`` numbers them) of article ``article``."""

    article: str
    sentence: int

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "sentence": self.sentence}


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """A summary sentence copied verbatim from the article of its first citation."""

    text: str
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "citations": [c.to_dict() for c in self.citations]}


@dataclass(frozen=True, slots=True)
class Brief:
    """One story's brief: a headline, a cited summary, the articles it was made from.

    ``sentences`` maps each article id to its sentences, so every citation can be checked.
    ``sections`` holds the analysis sections added by later stages (quotes, claims, ...).
    """

    title: str
    summary: tuple[SummarySentence, ...]
    articles: tuple[Article, ...]
    sentences: dict[str, tuple[Sentence, ...]] = field(default_factory=dict)
    sections: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON brief, version 1 of DESIGN.md, plus any analysis sections."""
        out: dict[str, Any] = {
            "title": self.title,
            "summary": [s.to_dict() for s in self.summary],
            "articles": [a.to_dict() for a in self.articles],
        }
        out.update(self.sections)
        return out
