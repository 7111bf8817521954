"""One small immutable settings object, merged in one place: defaults, then flags.

>>> Settings().words
120
>>> Settings().replace(words=80).words
80
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .errors import UsageError


@dataclass(frozen=True, slots=True)
class Settings:
    """Knobs of the brief pipeline, in the user's terms."""

    words: int = 120
    """Word budget of the summary; never exceeded."""
    summarizer: str = "newsdesk"
    """Which summarizer picks the sentences; see ``newsdesk.summarize.SUMMARIZERS``."""
    duplicate_threshold: float = 0.7
    """Word 5-gram Jaccard at or above which two articles are one syndicated text."""
    max_file_bytes: int = 20_000_000
    """Larger files are refused: no news article is 20 MB of text."""
    require_english: bool = True
    """Skip articles that are not in English (the summarizer's stop words and cues are English)."""
    analyze: bool = True
    """Add the cross-source sections (quotes, claims, conflicts, numbers, timeline, entities)."""

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied and checked."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise UsageError(f"Unknown setting {sorted(unknown)[0]!r}")
        new = dataclasses.replace(self, **changes)
        new.check()
        return new

    def check(self) -> None:
        if self.words < 1:
            raise UsageError(f"--words must be at least 1, got {self.words}")
        if not 0.0 < self.duplicate_threshold <= 1.0:
            raise UsageError(
                f"duplicate threshold must be in (0, 1], got {self.duplicate_threshold}"
            )
