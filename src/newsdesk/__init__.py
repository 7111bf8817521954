"""newsdesk: cited, verbatim briefs of news stories from many outlets.

>>> import newsdesk
>>> text = "The dam held overnight, officials said."
>>> articles = [newsdesk.Article.create(source="a.txt", text=text)]
>>> newsdesk.brief(articles).summary[0].text
'The dam held overnight, officials said.'

The names below are the public API; everything else may change. They load on first use, so
``import newsdesk`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "brief": "newsdesk.pipeline",
    "prepare": "newsdesk.pipeline",
    "Story": "newsdesk.pipeline",
    "read_articles": "newsdesk.ingest",
    "render": "newsdesk.render",
    "Settings": "newsdesk.config",
    "Article": "newsdesk.models",
    "Sentence": "newsdesk.models",
    "Citation": "newsdesk.models",
    "SummarySentence": "newsdesk.models",
    "Brief": "newsdesk.models",
    "Desk": "newsdesk.desk",
    "open_store": "newsdesk.store",
    "StoreError": "newsdesk.store",
    "NewsdeskError": "newsdesk.errors",
    "UsageError": "newsdesk.errors",
    "DataError": "newsdesk.errors",
    "ReadError": "newsdesk.errors",
    "NoArticlesError": "newsdesk.errors",
}

__all__ = [
    "Article",
    "Brief",
    "Citation",
    "DataError",
    "Desk",
    "NewsdeskError",
    "NoArticlesError",
    "ReadError",
    "Sentence",
    "Settings",
    "StoreError",
    "Story",
    "SummarySentence",
    "UsageError",
    "brief",
    "open_store",
    "prepare",
    "read_articles",
    "render",
]

if TYPE_CHECKING:
    from .config import Settings
    from .desk import Desk
    from .errors import DataError, NewsdeskError, NoArticlesError, ReadError, UsageError
    from .ingest import read_articles
    from .models import Article, Brief, Citation, Sentence, SummarySentence
    from .pipeline import Story, brief, prepare
    from .render import render
    from .store import StoreError, open_store


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'newsdesk' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return [*globals(), *__all__]
