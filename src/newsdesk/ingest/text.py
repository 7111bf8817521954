"""Plain text and Markdown: a headline-like first line becomes the title, and datelines,
bylines and labelled header lines near the top become metadata.

Only the first ``HEADER_LINES`` non-blank lines are looked at, and a line is taken only when
all of it is recognised (a date, a byline, ``Source: ...``, or a few of these joined by
``|``/``·``), so prose that mentions a date or starts with "By" stays in the body. Nothing
else is removed: dropping navigation and prompts is the clean stage's work.

>>> header, body = split_header("Bridge Closed After Barge Strike\\nBy Ann Lee, Reuters\\n"
...                             "June 14, 2021\\n\\nThe bridge closed on Monday.")
>>> header.title, header.outlet, header.published, body
('Bridge Closed After Barge Strike', 'Reuters', '2021-06-14', 'The bridge closed on Monday.')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import parse_date

# The title plus up to five header lines: bylines and datelines sit right under the headline
# (sometimes under a one-line deck); further down, "By ..." or a date is prose.
HEADER_LINES = 6
# A headline has 3-25 words: shorter first lines are section labels ("Advertisement",
# "World"), longer ones are the first paragraph.
TITLE_MIN_WORDS = 3
TITLE_MAX_WORDS = 25
# A line of this many words is prose: the header is over.
PROSE_WORDS = 20


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_BLANK_RUNS = re.compile(r"\n{3,}")
_MD_HEADING = re.compile(r"#{1,6}\s+(?P<text>.+?)(?:\s+#+)?")
_SETEXT = re.compile(r"(?:=+|-+)")
_EMPHASIS = "*_`"
_SEGMENT_SPLIT = re.compile(r"\s+[|·•]\s+|\s+[—–]\s+|\s+-\s+(?=[Bb]y\s)|\s+(?=[Bb]y\s+[A-Z])")
_NAME_GLUE = _wordset("of the and & for on de du la")
_LABEL = re.compile(
    r"(?P<label>(?:first |originally |last )?(?:published|posted|updated|modified)(?: on| at)?"
    r"|date(?:d|line)?|source|outlet|publisher|publication|site|newspaper|title|headline"
    r"|url|link|canonical(?: url)?|original url|author|authors|byline|written by)"
    r"(?P<sep>\s*[:：]\s*|\s+)(?P<value>.+)",
    re.IGNORECASE,
)
_DATE_LABELS = ("published", "posted", "updated", "modified", "date")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
# A name in a byline: capitalised words, initials, particles (de, van, al-), O'Brien, Smith-Jones.
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|(?:de|da|del|der|di|du|la|le|van|von|bin|al|el|ibn)\b-?)"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}"
_BYLINE = re.compile(
    rf"(?:(?i:written|words|reporting|story)\s+)?(?i:by)\s+"
    rf"(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*?)"
    rf"(?:\s*(?:,|\bfor\b|\bof\b|/)\s*(?P<org>[^,]{{2,60}}))?"
)
_TWO_NAMES = re.compile(rf"{_NAME}\s+(?:and|&)\s+{_NAME}")
# Words that can open a byline-shaped line that is not one ("By Monday, ...", "By The Way").
_NOT_NAMES = _wordset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may"
    " june july august september october november december the then now this that these those"
    " it its far all some most many no one two three four five ten noon midnight tonight"
    " today tomorrow yesterday contrast comparison law order"
)
# Job titles after a byline comma: "By Ann Lee, Staff Writer" names no outlet.
_ROLE_WORDS = _wordset(
    "staff writer writers reporter reporters correspondent correspondents editor editors"
    " contributor contributing columnist senior chief bureau special associate political"
    " national foreign business science health sports digital producer photographer"
    " contributors"
)
_FUNCTION_WORDS = _wordset(
    "a an the of to and or but that in on for with by at from as is are was were his her"
    " their its our your my"
)
_ABBREVIATION_END = re.compile(r"(?:[A-Z]\.){2,}$")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# C0 control characters and DEL, but tab and the line breaks normalize_text reads: no prose
# holds them, terminals act on them, and PostgreSQL refuses NUL in text outright.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Header:
    """What the top of a text said about it, and the lines that said it (now out of the body)."""

    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    consumed: tuple[str, ...] = field(default=())


def normalize_text(text: str) -> str:
    """Unix line endings, no trailing spaces, at most one blank line between paragraphs.

    >>> normalize_text("One  \\r\\nline\\r\\n\\r\\n\\r\\n\\r\\nTwo\\n")
    'One\\nline\\n\\nTwo'
    """
    text = _CONTROLS.sub("", text).replace("\v", "\n")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n").replace("\f", "\n\n").replace("\ufeff", "")
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")


def replace_surrogates(text: str) -> str:
    """``text`` with lone surrogates (JSON's ``"\\ud800"``) replaced by U+FFFD, and control
    characters (NUL, BEL, ESC...; not tab or line breaks) dropped.

    JSON may escape half of a UTF-16 pair; Python keeps it as a lone surrogate, which no
    UTF-8 encoder (the content hash, the store, the output) accepts. JSON may also escape
    NUL, which PostgreSQL refuses in text, and ESC, which a terminal would obey.

    >>> replace_surrogates("dam \\ud800 held") == "dam \\ufffd held"
    True
    >>> replace_surrogates("dam\\x00 held\\x1b")
    'dam held'
    """
    return _CONTROLS.sub("", _SURROGATE.sub("\ufffd", text))


def _unemphasize(line: str) -> str:
    return line.strip().strip(_EMPHASIS).strip()


def _titleish(value: str, max_words: int = 8) -> bool:
    """A short name: an outlet or a person, not a sentence."""
    words = value.split()
    if not 0 < len(words) <= max_words:
        return False
    if value.endswith((",", ";", ":")):
        return False
    if value.endswith(".") and not _ABBREVIATION_END.search(value):
        return False
    return value[:1].isupper() or value[:1].isdigit()


def _name_like(value: str, max_words: int = 6) -> bool:
    """An outlet's name: capitalised words ("The Daily Planet", "BBC News"), not a phrase."""
    words = value.split()
    if not 0 < len(words) <= max_words or not value[:1].isupper():
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _NAME_GLUE for w in words)


def _byline(segment: str) -> tuple[bool, str | None]:
    """(is a byline, outlet it names)."""
    match = _BYLINE.fullmatch(segment)
    if not match:
        return False, None
    names = match.group("names")
    first = names.split()[0].lower().strip(".,")
    if first in _NOT_NAMES:
        return False, None
    org = (match.group("org") or "").strip()
    if not org:
        return True, None
    org_words = {word.lower().strip(".,") for word in org.split()}
    if org_words & _ROLE_WORDS or _TWO_NAMES.fullmatch(org):
        return True, None  # "By A, Staff Writer" / "By A, B and C": names, no outlet
    if not _name_like(org):
        return False, None
    return True, org


def _segment_meta(segment: str) -> dict[str, str] | None:
    """Metadata carried by one segment of a header line, or None if it is not metadata."""
    segment = _unemphasize(segment)
    if not segment:
        return None
    found = parse_date(segment)
    if found:
        return {"published": found}
    is_byline, org = _byline(segment)
    if is_byline:
        return {"outlet": org} if org else {}
    match = _LABEL.fullmatch(segment)
    if not match:
        return None
    label, value = match.group("label").lower(), match.group("value").strip()
    colon = ":" in match.group("sep") or "：" in match.group("sep")
    if any(label.startswith(word) or label.endswith(word) for word in _DATE_LABELS):
        found = parse_date(value, numeric=True)
        if not found:
            return None
        key = "updated" if "updated" in label or "modified" in label else "published"
        return {key: found}
    if not colon:  # "Source close to ..." is prose; labels other than dates need a colon
        return None
    if label in {"url", "link", "canonical", "canonical url", "original url"}:
        return {"url": value} if _URL.fullmatch(value) else None
    if label in {"title", "headline"}:
        return {"title": value}
    if label in {"author", "authors", "byline", "written by"}:
        return {} if _titleish(value, max_words=12) else None
    return {"outlet": value} if _titleish(value) else None


def parse_meta_line(line: str) -> dict[str, str] | None:
    """The metadata a header line states, or None if the line is not (all) metadata.

    Keys: ``published``, ``updated``, ``outlet``, ``url``, ``title``; a plain byline gives {}.

    >>> parse_meta_line("Published: 14 June, 2021")
    {'published': '2021-06-14'}
    >>> parse_meta_line("By Ann Lee | The Daily Planet")
    {'outlet': 'The Daily Planet'}
    >>> parse_meta_line("By Monday the water had gone.") is None
    True
    """
    line = _unemphasize(line)
    if not line or len(line) > 160:
        return None
    whole = _segment_meta(line)
    if whole is not None:
        return whole
    segments = [s for s in _SEGMENT_SPLIT.split(line) if s.strip()]
    if len(segments) < 2:
        return None
    merged: dict[str, str] = {}
    bare_names: list[str] = []
    for segment in segments:
        meta = _segment_meta(segment)
        if meta is None:
            if _name_like(_unemphasize(segment)):
                bare_names.append(_unemphasize(segment))
                continue
            return None
        for key, value in meta.items():
            merged.setdefault(key, value)
    # One bare name beside a byline or date is the outlet ("By Ann Lee | The Daily Planet").
    if len(bare_names) > 1 or len(bare_names) == len(segments):
        return None
    if bare_names:
        merged.setdefault("outlet", bare_names[0])
    return merged


def _headline_like(line: str, next_line: str | None, directly_followed: bool) -> bool:
    words = line.split()
    if not TITLE_MIN_WORDS <= len(words) <= TITLE_MAX_WORDS or len(line) > 200:
        return False
    if line.endswith((",", ";", ":", "...", "…")):
        return False
    if line.endswith(".") and not _ABBREVIATION_END.search(line):
        return False
    if not (line[0].isupper() or line[0].isdigit() or line[0] in "\"'“‘"):
        return False
    if words[-1].lower() in _FUNCTION_WORDS:
        return False  # a hard-wrapped sentence cut after "the", "of", ...
    if next_line is None:
        return False  # a lone line is the text, not its title
    if directly_followed and parse_meta_line(next_line) is None:
        if next_line[:1].islower():
            return False  # the sentence goes on
        long_words = [w for w in words if len(w) > 3 and w[:1].isalpha()]
        title_case = bool(long_words) and sum(w[0].isupper() for w in long_words) >= 0.6 * len(
            long_words
        )
        wrapped = len(line) >= 60 and len(next_line) >= 60
        if wrapped and not title_case:
            return False  # two full-width lines: a hard-wrapped paragraph
    return True


def split_header(text: str) -> tuple[Header, str]:
    """The header the top of ``text`` states, and the body without the lines it used.

    ``text`` should be normalized (``normalize_text``); the body is normalized again.

    >>> header, body = split_header("# Flood Warning Lifted\\n\\ndate 2021-06-14\\n\\nWater fell.")
    >>> header.title, header.published, body
    ('Flood Warning Lifted', '2021-06-14', 'Water fell.')
    """
    lines = text.split("\n")
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    consumed: list[int] = []
    meta: dict[str, str] = {}
    title: str | None = None
    seen_content = False
    for position, index in enumerate(nonblank[:HEADER_LINES]):
        if index in consumed:
            continue  # a Markdown title's underline
        line = lines[index].strip()
        following = nonblank[position + 1] if position + 1 < len(nonblank) else None
        next_line = lines[following].strip() if following is not None else None
        found = parse_meta_line(line)
        if found is not None:
            for key, value in found.items():
                meta.setdefault(key, value)
            consumed.append(index)
            continue
        if title is None and not seen_content and "title" not in meta:
            heading = _MD_HEADING.fullmatch(line)
            if heading and next_line is not None:
                title = _unemphasize(heading.group("text"))
                consumed.append(index)
                continue
            plain = _unemphasize(line)
            directly = following == index + 1
            if _headline_like(plain, next_line, directly):
                title = plain
                consumed.append(index)
                if directly and next_line is not None and _SETEXT.fullmatch(next_line):
                    consumed.append(index + 1)  # the ===== under a Markdown title
                continue
        seen_content = True
        if len(line.split()) >= PROSE_WORDS:
            break
    taken = set(consumed)
    if len(taken) == len(nonblank):
        return Header(), text  # it was all header: keep it as the text rather than lose it
    body = normalize_text("\n".join(line for i, line in enumerate(lines) if i not in taken))
    return (
        Header(
            title=title or meta.get("title"),
            published=meta.get("published") or meta.get("updated"),
            outlet=meta.get("outlet"),
            url=meta.get("url"),
            consumed=tuple(lines[i] for i in sorted(taken)),
        ),
        body,
    )
