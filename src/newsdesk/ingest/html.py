"""Web pages: main text and metadata through trafilatura, with the page's own tags as fallback.

trafilatura (imported only when a page is read) finds the article body and drops navigation,
footers, cookie notices and most share bars; its metadata is completed from ``<meta>`` tags,
``<link rel=canonical>`` and JSON-LD when it misses a field, and a full publication timestamp
(``2021-06-14T10:41:00-04:00``) is preferred to its date-only answer when both agree.
Paragraphs come out separated by a blank line, so the clean stage can judge each one.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from ..models import Article
from .dates import normalize_date
from .text import replace_surrogates

log = logging.getLogger(__name__)

# favor_precision: on the three labelled fixture pages (tests/data/ingest/labels.json) every
# setting kept all 13 story paragraphs; of 26 noise lines the default kept 6, favor_recall 7,
# favor_precision 4 (it drops "Photo by ...", "Advertisement"). Measured with
# `.venv/bin/python tests/data/ingest/compare_html_settings.py`. What is left (captions printed
# twice, video teasers, share lines) is the clean stage's.
FAVOR_PRECISION = True
# Date search limited to the page's explicit markup: the extensive search reads any date in
# the text (a copyright year, a date in a related-story link) as the publication date.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_SPACE = re.compile(r"\s+")
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date",
    "dc.date.issued",
    "sailthru.date",
)


@dataclass(frozen=True, slots=True)
class Page:
    """What a page yields: its main text (paragraphs split by blank lines) and metadata."""

    text: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None

    def article(
        self,
        source: str,
        *,
        url: str | None = None,
        title: str | None = None,
        outlet: str | None = None,
        published: str | None = None,
    ) -> Article:
        """The page as an ``Article`` read from ``source``; values given win over the page's.

        >>> Page("It shut.", title="Bridge shut").article("a.html", outlet="Planet").outlet
        'Planet'
        """
        return Article.create(
            source=source,
            text=self.text,
            title=title or self.title,
            outlet=outlet or self.outlet,
            published=published or self.published,
            url=url or self.url,
        )


def _squash(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = _SPACE.sub(" ", replace_surrogates(value)).strip()
    return value or None


def _meta(tree: Any) -> dict[str, str]:
    """``<meta>`` values by lower-cased property/name/itemprop, first one wins."""
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        value = _squash(element.get("content"))
        if key and value:
            found.setdefault(key.strip().lower(), value)
    for element in tree.iter("time"):
        if (element.get("itemprop") or "").lower() == "datepublished" and element.get("datetime"):
            found.setdefault("datepublished", element.get("datetime"))
    return found


def _json_ld(tree: Any) -> dict[str, str]:
    """datePublished, publisher name and url from JSON-LD blocks, when present."""
    found: dict[str, str] = {}
    for element in tree.iter("script"):
        if (element.get("type") or "").lower() != "application/ld+json" or not element.text:
            continue
        try:
            data = json.loads(element.text)
        except (ValueError, RecursionError):
            continue  # broken (or absurdly nested) JSON-LD is common and never fatal
        stack: list[Any] = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(v for k, v in item.items() if k == "@graph")
                published = _squash(item.get("datePublished"))
                if published:
                    found.setdefault("published", published)
                publisher = item.get("publisher")
                outlet = _squash(publisher.get("name")) if isinstance(publisher, dict) else None
                if outlet:
                    found.setdefault("outlet", outlet)
                url = _squash(item.get("url"))
                if url and "@type" in item:
                    found.setdefault("url", url)
    return found


def _fallbacks(tree: Any) -> dict[str, str | None]:
    meta = _meta(tree)
    ld = _json_ld(tree)
    canonical = None
    for element in tree.iter("link"):
        if "canonical" in (element.get("rel") or "").lower().split() and element.get("href"):
            canonical = element.get("href").strip()
            break
    title = meta.get("og:title") or meta.get("twitter:title")
    title_text = _squash(tree.findtext(".//title")) or ""
    suffix = _TITLE_SUFFIX.search(title_text)
    if not title and title_text:
        title = _TITLE_SUFFIX.sub("", title_text) or title_text
    published = next((meta[k] for k in _PUBLISHED_META if k in meta), None) or ld.get("published")
    return {
        "title": title,
        "published": normalize_date(published) if published else None,
        "outlet": meta.get("og:site_name") or meta.get("application-name") or ld.get("outlet"),
        "url": canonical or meta.get("og:url") or ld.get("url"),
        "title_suffix": suffix.group(0).strip(" |–—-") if suffix else None,
    }


def _paragraphs(text: str, title: str | None) -> str:
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    # trafilatura keeps the <h1> as the first line; the title is metadata, not body
    if title and paragraphs and _SPACE.sub(" ", paragraphs[0]).casefold() == title.casefold():
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


# A consent prompt speaks to the reader about the site's cookies ("We and our partners use
# cookies", "By clicking Accept all you consent..."); news prose about cookies reports them.
_CONSENT = re.compile(
    r"\b(?:we|our partners|this (?:web)?site|our (?:web)?site)\b[^.]{0,60}\buses? cookies\b"
    r"|\b(?:accept|allow|reject|decline|manage)(?: all)?(?: the)? cookies\b"
    r"|\bcookie (?:settings|preferences|policy|notice|banner)\b"
    r"|\b(?:consent|agree) to (?:the|our) use of cookies\b"
    r"|\bby (?:clicking|continuing|using|browsing)\b[^.]{0,80}\b(?:consent|agree)",
    re.IGNORECASE,
)
# A page is only a consent wall when prompts are this share of its words and it is short:
# a real article page with a banner extracted alongside has hundreds of words of its own.
CONSENT_SHARE = 0.4
CONSENT_MAX_WORDS = 200


def consent_wall(text: str) -> bool:
    """Whether extracted page text is only a cookie or consent notice, not an article.

    >>> consent_wall("We use cookies to improve your experience.\\n\\nAccept all.")
    True
    >>> consent_wall("The regulator fined the company over its cookie banners on Monday.")
    False
    """
    paragraphs = [p for p in text.split("\n") if p.strip()]
    words = sum(len(p.split()) for p in paragraphs)
    if not words or words > CONSENT_MAX_WORDS:
        return False
    prompts = sum(len(p.split()) for p in paragraphs if _CONSENT.search(p))
    return prompts >= CONSENT_SHARE * words


def extract_page(html: str) -> Page | None:
    """The main text and metadata of a page, or None when it holds no article text (nothing
    extracted, or only a cookie or consent notice).

    >>> page = extract_page("<html><head><title>Bridge shut | Planet</title></head><body>"
    ...                     "<article><p>" + "The bridge shut on Monday after a barge hit it. " * 4
    ...                     + "</p></article></body></html>")
    >>> page.title, page.text[:15]
    ('Bridge shut', 'The bridge shut')
    """
    import trafilatura

    tree = trafilatura.load_html(html)
    if tree is None:
        return None
    backup = _fallbacks(tree)  # before extraction, which prunes the tree it is given
    document: Any = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=FAVOR_PRECISION,
        date_extraction_params=_DATE_PARAMS,
    )
    if document is None or not (document.text or "").strip():
        return None
    title = _squash(document.title) or backup["title"]
    published = _published(_squash(document.date), backup["published"])
    outlet = _outlet(_squash(document.sitename), backup["outlet"], backup["title_suffix"])
    url = _squash(document.url) or backup["url"]
    text = _paragraphs(document.text, title)
    if not text or consent_wall(text):
        return None
    log.debug(
        "page metadata: title=%r published=%r outlet=%r url=%r", title, published, outlet, url
    )
    return Page(text=text, title=title, published=published, outlet=outlet, url=url)


def _alnum(value: str) -> str:
    return "".join(ch for ch in value.lower() if ch.isalnum())


def _outlet(found: str | None, tagged: str | None, title_suffix: str | None) -> str | None:
    """The site's name; a bare host name ("riversidecourier.example") only as a last resort.

    trafilatura falls back to the host name when a page names no site; the ``<title>``
    suffix ("... - Riverside Courier") is the name people read, if it spells the host.
    """
    hostlike = found is not None and " " not in found and "." in found
    if found and not hostlike:
        return found
    if tagged:
        return tagged
    if found and title_suffix and _alnum(title_suffix) and _alnum(title_suffix) in _alnum(found):
        return title_suffix
    return found


def _published(found: str | None, tagged: str | None) -> str | None:
    """trafilatura's date, or the tagged timestamp when it is the same day (it has the time)."""
    day = normalize_date(found) if found else None
    if tagged and (day is None or tagged[:10] == day[:10]):
        return tagged
    return day
