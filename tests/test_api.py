"""The curated public API stays complete and importable."""

from __future__ import annotations

import pytest

import newsdesk


def test_all_names_resolve() -> None:
    for name in newsdesk.__all__:
        assert getattr(newsdesk, name) is not None, name


def test_unknown_name() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = newsdesk.nothing  # type: ignore[attr-defined]


def test_documented_entry_points() -> None:
    """The README's Python example uses exactly these."""
    for name in ("brief", "read_articles", "render", "Settings", "Article", "Brief"):
        assert name in newsdesk.__all__
