"""Markdown, JSON and HTML renderings of a brief."""

from __future__ import annotations

import dataclasses
import json

import pytest

from newsdesk.errors import UsageError
from newsdesk.models import Article, Brief, Citation, SummarySentence
from newsdesk.render import render

A = Article.create(
    source="a.txt", text="Rain <flooded> the market.", outlet="Daily & Co", title="Flood"
)
B = Article.create(
    source="b.html", text="The market flooded.", outlet="Radio 4", published="2024-05-01"
)
C = Article.create(source="c.txt", text="Rain <flooded> the market.", outlet="Copy Post")
C = dataclasses.replace(C, duplicate_of=A.id)
BRIEF = Brief(
    title="Market floods <again>",
    summary=(
        SummarySentence("Rain <flooded> the market.", (Citation(A.id, 0), Citation(B.id, 0))),
    ),
    articles=(A, B, C),
    sections={
        "quotes": [
            {"text": "We lost everything", "speaker": "Ana Ruiz", "articles": [A.id],
             "variants": [{"text": "We lost everything", "articles": [A.id]},
                          {"text": "We have lost everything", "articles": [B.id]}]}
        ],
        "timeline": [{"date": "2024-04-30", "text": "Rain began.", "articles": [B.id]}],
    },
)  # fmt: skip


def test_markdown_numbers_sources_and_cites() -> None:
    md = render(BRIEF, "markdown")
    assert md.startswith("# Market floods <again>\n")
    assert "- Rain <flooded> the market. [1][2]" in md
    assert "1. Daily & Co, “Flood” (a.txt)" in md
    assert "3. Copy Post" in md and "copy of [1]" in md
    assert "## Who said what" in md and "Ana Ruiz: “We lost everything” [1]" in md
    assert "also worded: “We have lost everything” [2]" in md
    assert "2024-04-30: Rain began. [2]" in md


def test_json_is_the_contract() -> None:
    data = json.loads(render(BRIEF, "json"))
    assert data["summary"][0]["citations"] == [
        {"article": A.id, "sentence": 0},
        {"article": B.id, "sentence": 0},
    ]
    assert data["articles"][2]["duplicate_of"] == A.id
    assert data["articles"][1]["published"] == "2024-05-01"
    assert data["quotes"][0]["speaker"] == "Ana Ruiz"


def test_html_escapes_all_article_text() -> None:
    page = render(BRIEF, "html")
    assert page.startswith("<!doctype html>")
    assert "<flooded>" not in page and "&lt;flooded&gt;" in page
    assert "<again>" not in page
    assert "Daily &amp; Co" in page
    assert 'href="#src2"' in page and 'id="src2"' in page
    assert "<script" not in page  # self-contained: no scripts, nothing fetched
    assert "src=" not in page and "<link" not in page


def test_unknown_format() -> None:
    with pytest.raises(UsageError, match="Unknown format 'pdf'; available: markdown, json, html"):
        render(BRIEF, "pdf")
