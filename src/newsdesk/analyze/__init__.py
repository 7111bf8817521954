"""Compare the sources of one story: who said what, what is corroborated, what conflicts, when.

``analyze(story)`` returns the brief's analysis sections, each a list of plain dicts that point
back at article ids and character offsets:

``quotes``     every direct quotation with its speaker, one item per quote across articles
``entities``   people, organizations and places, partial names and misspellings merged
``claims``     statements aligned across articles, counted per independent outlet
``numbers``    quantities with what they count
``timeline``   dated events, relative dates resolved against publication dates
``conflicts``  numbers, quote wordings, dates and name spellings that differ between outlets
"""

from __future__ import annotations

from typing import Any

from .claims import StoryLike, extract_claims
from .conflicts import find_conflicts
from .entities import build_index, extract_entities
from .numbers import extract_numbers
from .quotes import extract_quotes
from .timeline import extract_timeline

SECTIONS = ("quotes", "entities", "claims", "conflicts", "numbers", "timeline")


def analyze(story: StoryLike) -> dict[str, list[dict[str, Any]]]:
    """The analysis sections of ``story``, keyed as in the JSON brief.

    >>> from newsdesk.models import Article
    >>> from newsdesk.pipeline import prepare
    >>> story = prepare([Article.create(source="a.txt", outlet="A",
    ...     text='"We will reopen the road on Friday," Mayor Ana Ruiz said on Tuesday.')])
    >>> analyze(story)["quotes"][0]["speaker"]
    'Ana Ruiz'
    """
    index = build_index(story)  # names found once, for speakers and for entities
    quotes = extract_quotes(story, index)
    entities = extract_entities(story, index)
    numbers = extract_numbers(story)
    timeline = extract_timeline(story)
    conflicts = find_conflicts(
        story, quotes=quotes, entities=entities, numbers=numbers, timeline=timeline
    )
    return {
        "quotes": quotes,
        "entities": entities,
        "claims": extract_claims(story),
        "conflicts": conflicts,
        "numbers": numbers,
        "timeline": timeline,
    }
