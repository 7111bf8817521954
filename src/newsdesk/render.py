"""Write a brief as Markdown (terminals), JSON (machines) or HTML (people).

``render(brief, "markdown" | "json" | "html") -> str``. Markdown numbers the sources and cites
them as ``[1][3]``; HTML is one self-contained page with every piece of article text escaped.
Analysis sections (quotes, claims, conflicts, numbers, timeline, entities), when present, are
rendered after the summary.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from .errors import UsageError
from .models import Article, Brief

FORMATS = ("markdown", "json", "html")
_REF = re.compile(r"\[(\d+)\]")


def _numbers(brief: Brief) -> dict[str, int]:
    """Source numbers, 1-based, in the order of the brief's articles."""
    return {a.id: i for i, a in enumerate(brief.articles, 1)}


def _source_line(article: Article, numbers: dict[str, int]) -> str:
    parts = [article.outlet or "unknown outlet"]
    if article.title:
        parts.append(f"“{article.title}”")
    if article.published:
        parts.append(article.published)
    line = ", ".join(parts) + f" ({article.url or article.source})"
    if article.duplicate_of:
        line += f"; copy of [{numbers[article.duplicate_of]}], not counted as a separate source"
    return line


def _refs(articles: Any, numbers: dict[str, int]) -> str:
    return "".join(f"[{numbers[a]}]" for a in articles if a in numbers)


# Each analysis section: a heading and how one item reads as a line, in the order shown.
def _quote(item: dict[str, Any], n: dict[str, int]) -> str:
    who = item.get("speaker") or "unattributed"
    if item.get("role") and item["role"] != who:  # "his sister (his sister)" says it once
        who += f" ({item['role']})"
    line = f"{who}: “{item['text']}” {_refs(item.get('articles', []), n)}"
    others = [v for v in item.get("variants", []) if v.get("text") != item["text"]]
    for variant in others:
        line += f"\n    also worded: “{variant['text']}” {_refs(variant.get('articles', []), n)}"
    return line


def _claim(item: dict[str, Any], n: dict[str, int]) -> str:
    outlets = item.get("outlets", 0)
    plural = "s" if outlets != 1 else ""
    refs = _refs(item.get("articles", []), n)
    return f"{item['text']} {refs} ({item.get('status', '')}, {outlets} outlet{plural})"


def _conflict(item: dict[str, Any], n: dict[str, int]) -> str:
    sides = "; ".join(
        f"“{s['text']}” {_refs(s.get('articles', []), n)}" for s in item.get("sides", [])
    )
    return f"{item.get('kind', '')}, {item.get('about', '')}: {sides}"


def _number(item: dict[str, Any], n: dict[str, int]) -> str:
    return f"{item['text']} {_refs(item.get('articles', []), n)}"


def _dated(item: dict[str, Any], n: dict[str, int]) -> str:
    return f"{item['date']}: {item['text']} {_refs(item.get('articles', []), n)}"


def _entity(item: dict[str, Any], n: dict[str, int]) -> str:
    aliases = [a for a in item.get("aliases", []) if a != item["name"]]
    also = f" (also {', '.join(aliases)})" if aliases else ""
    return f"{item['name']}{also}, {item.get('type', '')} {_refs(item.get('mentions', {}), n)}"


Line = Callable[[dict[str, Any], dict[str, int]], str]


def _corroborated(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [i for i in items if i.get("status") == "corroborated"]


def _top(n: int) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    return lambda items: items[:n]


def _all(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return items


# Each analysis section as people read it: a heading, which items to show (JSON keeps all of
# them: an editor's page shows what several outlets confirm, not every single-source sentence),
# and how one item reads as a line. In this order.
SECTIONS: dict[str, tuple[str, Callable[[list[dict[str, Any]]], list[dict[str, Any]]], Line]] = {
    "conflicts": ("Where sources disagree", _all, _conflict),
    "claims": ("What several outlets confirm", _corroborated, _claim),
    "quotes": ("Who said what", _all, _quote),
    "timeline": ("Timeline", _all, _dated),
    "entities": ("People, organizations, places", _top(15), _entity),
}


def _shown(brief: Brief) -> Iterator[tuple[str, Line, list[dict[str, Any]]]]:
    for key, (heading, pick, line) in SECTIONS.items():
        items = pick(brief.sections.get(key) or [])
        if items:
            yield heading, line, items


def to_markdown(brief: Brief) -> str:
    numbers = _numbers(brief)
    out = [f"# {brief.title}", ""]
    for sentence in brief.summary:
        out.append(f"- {sentence.text} {_refs([c.article for c in sentence.citations], numbers)}")
    for heading, line, items in _shown(brief):
        out += ["", f"## {heading}", ""]
        out += [f"- {line(item, numbers)}" for item in items]
    out += ["", "## Sources", ""]
    out += [f"{numbers[a.id]}. {_source_line(a, numbers)}" for a in brief.articles]
    return "\n".join(out) + "\n"


def to_json(brief: Brief) -> str:
    return json.dumps(brief.to_dict(), ensure_ascii=False, indent=2) + "\n"


_STYLE = """
body{font:16px/1.5 Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem;line-height:1.25}
h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #ddd}
li{margin:.35rem 0}sup a{text-decoration:none;color:#06c;font-size:.75rem;margin-left:1px}
.src{font-size:.9rem;color:#555}.copy{color:#999}
""".strip()


def _html_refs(articles: Any, numbers: dict[str, int]) -> str:
    return "".join(
        f'<sup><a href="#src{numbers[a]}">[{numbers[a]}]</a></sup>'
        for a in articles
        if a in numbers
    )


def to_html(brief: Brief) -> str:
    e = html.escape
    numbers = _numbers(brief)
    body = [f"<h1>{e(brief.title)}</h1>", "<ul class=summary>"]
    for sentence in brief.summary:
        refs = _html_refs([c.article for c in sentence.citations], numbers)
        body.append(f"<li>{e(sentence.text)} {refs}</li>")
    body.append("</ul>")
    for heading, line, items in _shown(brief):
        # the Markdown line, escaped, with its [n] references turned into links
        body += [f"<h2>{e(heading)}</h2>", "<ul>"]
        for item in items:
            text = _REF.sub(r'<sup><a href="#src\1">[\1]</a></sup>', e(line(item, numbers)))
            body.append(f"<li>{text.replace(chr(10), '<br>')}</li>")
        body.append("</ul>")
    body += ["<h2>Sources</h2>", "<ol class=src>"]
    for a in brief.articles:
        cls = ' class="copy"' if a.duplicate_of else ""
        body.append(f'<li id="src{numbers[a.id]}"{cls}>{e(_source_line(a, numbers))}</li>')
    body.append("</ol>")
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>{e(brief.title)}</title><style>{_STYLE}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


RENDERERS: dict[str, Callable[[Brief], str]] = {
    "markdown": to_markdown,
    "json": to_json,
    "html": to_html,
}


def render(brief: Brief, fmt: str = "markdown") -> str:
    """The brief as text in ``fmt``: one of markdown, json, html.

    >>> from newsdesk.models import Brief
    >>> render(Brief(title="T", summary=(), articles=()), "markdown").splitlines()[0]
    '# T'
    """
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise UsageError(f"Unknown format {fmt!r}; available: {', '.join(FORMATS)}") from None
    return renderer(brief)
