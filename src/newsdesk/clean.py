"""Keep an article's own prose; drop the page furniture around it.

``clean_text`` looks at one article, one line (paragraph) at a time, and drops a line when it
is not the article's prose: navigation and related-link lists, share/follow/subscribe/app and
newsletter prompts, "N min read", video teasers, photo captions and credits, comment notices,
bylines and credit lines, "Advertisement", copyright lines, crossheads, and any paragraph
printed a second time. It decides from the *shape* of a line (length, final punctuation,
share of capitalized words, all caps, URL/e-mail/handle density, time patterns) and from short
pattern families of each boilerplate *kind* (call-to-action verbs, credit phrases), never from
one site's strings.

``clean`` does the same for a stream of articles and adds what one article cannot know: a line
that several articles carry verbatim and that does not read as prose is site furniture
(wire copies share real prose lines, and those stay).

``language_of`` and ``is_english`` tell the pipeline which articles it can summarize.

Every decision is made per line from the line itself and from the lines before it, and kept
lines are distinct, so cleaning is idempotent: ``clean_text(clean_text(s)) == clean_text(s)``.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .models import Article

__all__ = ["clean", "clean_text", "find_boilerplate", "is_english", "language_of"]

# ---------------------------------------------------------------------------------------------
# Line shape

# A sentence ends with . ! ? (or an ellipsis), possibly followed by closing quotes/brackets.
_SENTENCE_END = re.compile(r"""[.!?…]['"’”)\]]*$""")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_LETTER = re.compile(r"[^\W\d_]")
_URL = re.compile(r"https?://\S+|www\.\S+|\b\S+\.(?:com|org|net|ly|co\.uk)/\S*", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_HANDLE = re.compile(r"(?<![\w@])@\w{2,}")
_KEY_STRIP = re.compile(r"[\W_]+")
# "CARSON CITY —", "SEATTLE (AP) —", "Washington (CNN) --": a dateline opening a paragraph.
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Za-z.'’]*[ ,/]*){1,5}(?:\([A-Za-z .]{2,20}\))?\s*(?:—|–|--|-)\s+"
    r"|^\([A-Za-z .]{2,20}\)\s*"
)

# A short line without a sentence ending is a heading, a label, a link or a credit. Set to
# 12 words before tuning and kept: on the dev half of the hand labels (docs/cleaning.md) it
# catches crossheads such as "Realising a dream from the beginning of the space age" while
# the unpunctuated prose paragraphs (truncated standfirsts) run to 20+ words; the blind split
# has one 14-word headline it misses.
SHORT_WORDS = 12
# A line of this many words holding two or more sentence ends (or twice as many words) is
# running text, whatever its first words. Before this rule the first 200 validation clusters
# (one line a document) lost 63 of ~540 documents whole, 58 of them marked relevant; it costs
# recall on long furniture paragraphs (fresh split 0.797 -> 0.759, docs/cleaning.md).
LONG_PARAGRAPH_WORDS = 60
_INNER_END = re.compile(r"""[.!?]['"’”)\]]*\s+['"“‘(]?[A-Z0-9]""")
# Title Case lines (headlines, related-link lists): share of words that start with a capital.
TITLE_CASE_SHARE = 0.8
TITLE_CASE_MIN_WORDS = 4

# ---------------------------------------------------------------------------------------------
# Pattern families, one per boilerplate kind. Each is generic: a kind of furniture, not a site.

_I = re.I


@dataclass(frozen=True, slots=True)
class _Family:
    """One kind of furniture as three small patterns, so long prose lines stay cheap.

    ``head`` is tried on the start of a line, ``tail`` on its end, and ``anywhere`` on the
    whole line only when one of the literal ``triggers`` occurs in it (case-folded): scanning
    every position of every paragraph with a dozen alternations cost 5.5 ms per 1,000 words;
    these windows and triggers bring it to 1.4 ms (benchmarks/clean_eval.py --speed).
    """

    name: str
    head: re.Pattern[str] | None = None
    tail: re.Pattern[str] | None = None
    anywhere: re.Pattern[str] | None = None
    triggers: tuple[str, ...] = ()

    def match(self, line: str, low: str) -> bool:
        if self.head is not None and self.head.search(line[:_HEAD]):
            return True
        if self.tail is not None and self.tail.search(line[-_TAIL:]):
            return True
        return (
            self.anywhere is not None
            and any(t in low for t in self.triggers)
            and self.anywhere.search(line) is not None
        )


_HEAD = 120  # characters; every head pattern is shorter than this
_TAIL = 160

_FAMILIES = (
    _Family(
        "embedded post",  # "— Jane Doe (@jdoe) March 29, 2018", pic.twitter.com links
        tail=re.compile(r"\(@\w+\)\s+[A-Z][a-z]+\.? \d{1,2},? \d{4}\s*$"),
        anywhere=re.compile(r"pic\.twitter\.com/|\bt\.co/", _I),
        triggers=("pic.twitter", "t.co/"),
    ),
    _Family(
        "reading time",
        anywhere=re.compile(r"\b\d+\s*(?:-\s*)?(?:min|mins|minute|minutes)\s+read\b", _I),
        triggers=(" read",),
    ),
    _Family(
        "comment notice",
        anywhere=re.compile(
            r"\bcomments? (?:are|is) (?:closed|open)\b|\bjoin the (?:conversation|discussion)\b"
            r"|\b(?:let us know|tell us|share (?:it|them|yours?|your \w+)|sound off) in the "
            r"comments\b|\bcomment box\b|\bleave a comment\b|\bpost a comment\b"
            r"|\bshow comments\b|\bcomments? \(\d+\)",
            _I,
        ),
        triggers=("comment", "conversation", "discussion"),
    ),
    _Family(
        "copyright",
        head=re.compile(r"^\(c\)\s*\d{4}|^copyright\b.{0,60}\d{4}", _I),
        anywhere=re.compile(r"©|\ball rights reserved\b", _I),
        triggers=("©", "rights reserved"),
    ),
    _Family(
        "photo credit",
        head=re.compile(r"^FILE\s*[-–—]|^(?:[A-Z][\w.'-]* ){1,3}/ (?:[A-Z]|Via\b)"),
        tail=re.compile(
            r"\((?:AP|Associated Press|Reuters|AFP|EPA|Getty Images)[^()]{0,40}\)\s*$"
            r"|\([^()]{0,60}\b[A-Z][\w.'-]*\s?/\s?(?:[A-Z][\w.'-]*|Via)[^()]{0,60}\)\s*$"
        ),
        anywhere=re.compile(
            r"(?i:\((?:photo|image|picture|video|credit)s?\s*:"
            r"|\bphoto(?:graph)?s? (?:by|courtesy)\b"
            r"|\b(?:photograph|photo|image|picture|credit)s?\s*:\s*\S"
            r"|\bimage (?:copyright|caption)\b)"
            r"|\b(?:AP|AFP|EPA|Reuters|Getty) (?:Photo|Images)\b|\bGetty Images\b|\bREUTERS/"
            r"|\bAFP/|\b(?:Photo|Photograph)/|\bfile (?:photo|image)\b|\bStaff Photographer\b"
            r"|\bWireImage\b"
        ),
        triggers=("photo", "image", "picture", "credit", "getty", "reuters", "afp", "file"),
    ),
    _Family(
        "credit or link list",
        head=re.compile(
            r"^contributing\s*:|^(?:warning|spoiler alert|note to readers)\s*:"
            r"|^\(?(?:additional reporting|reporting|editing|writing) by\b"
            r"|^information from\s*:|^(?:this|the) (?:story|article|post) (?:has been|was) "
            r"(?:corrected|updated|amended)\b|^correction\s*:|^editor'?s note\b"
            r"|^(?:this|the) (?:story|article) (?:originally |first )?appear(?:s|ed) in\b"
            r"|^story highlights\b|^story continue[sd]?\b"
            r"|^(?:related|recommended|see also|also|more|trending|most popular|most read|"
            r"top stories|you may also like|related stories?|read more)\b\s*[:|]"
            r"|^(?:advertisement|sponsored(?: content)?|ad)\s*(?:[:|–—-].*)?$"
            r"|^(?:\w+ ){1,3}reported from\b.{0,60}\.$",
            _I,
        ),
        anywhere=re.compile(
            r"^\[.*\]$|\bcontributed (?:to )?(?:this|the) (?:report|story|article)\b"
            r"|[(;]\s*(?:additional reporting|reporting|editing|writing) by\b",
            _I,
        ),
        triggers=("[", "contributed", "reporting by", "editing by", "writing by"),
    ),
    _Family(
        "call to action",
        head=re.compile(
            r"^(?:(?:facebook|twitter|pinterest|whatsapp|linkedin|reddit|email|e-mail|share|"
            r"messenger|sms|print)\b\W*){2,}",
            _I,
        ),
        tail=re.compile(
            r"\b(?:read more|continue reading|more videos|more news videos|read the full story)"
            r"\s*$",
            _I,
        ),
        anywhere=re.compile(
            r"\b(?:sign up|subscribe)\b.{0,80}\b(?:newsletter|e-?mail|alerts|inbox)\b"
            r"|\b(?:download|get) (?:the|our) [\w ]{0,20}\bapp\b"
            r"|\bfollow (?:us|@\w+|\w+ on (?:twitter|facebook|instagram))"
            r"|\b(?:share|read) (?:or share )?this (?:story|article)\b"
            r"|\bfor more on this story\b"
            r"|\bby signing up\b|\bterms of (?:use|service)\b|\bprivacy policy\b",
            _I,
        ),
        triggers=(
            "sign up",
            "subscribe",
            " app",
            "follow ",
            "this story",
            "this article",
            "signing up",
            "terms of",
            "privacy policy",
        ),
    ),
)
_CALL_TO_ACTION = re.compile(
    r"^(?:share|follow|subscribe|sign up|sign in|log in|register|download|get (?:the|our)|"
    r"click|tap|watch|listen|read|see|visit|check out|like us|join|email|e-mail|contact|"
    r"send|tell us|print|save|bookmark|don't miss|do not miss|sponsored)\b",
    _I,
)
# Objects of a call to action: what the prompt wants you to go to.
_CTA_OBJECT = re.compile(
    r"\b(?:app|apps|newsletters?|inbox|alerts?|twitter|facebook|instagram|pinterest|youtube|"
    r"linkedin|whatsapp|podcast|on this story|this story|the story|this article|full story|"
    r"comments?|here|below|more|our|us|online|website|\.com|e-?mail|updates|live|coverage)\b",
    _I,
)
_VIDEO = _Family(
    "video teaser",
    head=re.compile(
        r"(?i:^(?:watch|videos?|photos?|gallery|slideshow|audio|listen|replay)\s*[:|–—-]\s)"
        r"|(?i:^(?:play video|view images|view gallery|view photos|just watched|must watch)\b)"
        r"|^(?:CLOSE|EMBED|WATCH|VIDEO|PHOTOS?)\b"
    ),
    tail=re.compile(r"\b(?:\d{1,2}:)?\d{1,2}:\d{2}\s*$"),
    anywhere=re.compile(r"\bmore (?:news )?videos\b|\bplay video\b", _I),
    triggers=("video",),
)
# Names are matched case-sensitively: "By the time police arrived" is prose.
_BYLINE = re.compile(
    r"^(?i:by)\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?:\s*(?:,|and|&|\|)\s*.*)?$"
    r"|(?i:^(?:updated|published|posted|last updated|first published)\b.{0,60}"
    r"(?:\d{1,2}:\d{2}|\b(?:am|pm|a\.m\.|p\.m\.|gmt|bst|et|est|edt|utc)\b|\d{4}))"
)
_LINK_TRIGGERS = ("http", "www.", ".com", ".org", ".net", ".ly/", ".co.uk", "@")


def _key(line: str) -> str:
    """What makes two lines "the same": letters and digits, case-folded."""
    return _KEY_STRIP.sub(" ", line).strip().casefold()


def _body_key(line: str) -> str:
    """The key without a leading dateline, so "CITY — Text" repeats "Text"."""
    return _key(_DATELINE.sub("", line, count=1))


def _normalize(line: str) -> str:
    return " ".join(line.split())


def _furniture(line: str) -> str | None:
    """Why ``line`` (normalized, non-blank) is not prose, or None when it reads as prose.

    >>> _furniture("Share this article on Facebook")
    'call to action'
    >>> _furniture('"No," she said.') is None
    True
    """
    words = _WORD.findall(line)
    n_words = len(words)
    letters = _LETTER.findall(line)
    if not letters:
        return "no words"
    if n_words >= 2 * LONG_PARAGRAPH_WORDS or (
        n_words >= LONG_PARAGRAPH_WORDS and len(_INNER_END.findall(line)) >= 2
    ):
        # Several sentences of running text are a paragraph even when they open with
        # furniture ("Photo: Getty On Wednesday, the company..."), or the page was flattened
        # into one line (Multi-News): dropping it whole would drop the article.
        return None
    ends_sentence = bool(_SENTENCE_END.search(line))
    low = line.casefold()
    for family in _FAMILIES:
        if family.match(line, low):
            return family.name
    if n_words <= 12 and not ends_sentence and _BYLINE.search(line):
        return "byline"
    if n_words <= 20 and _CALL_TO_ACTION.search(line) and _CTA_OBJECT.search(line):
        return "call to action"
    if (n_words <= 25 or not ends_sentence) and _VIDEO.match(line, low):
        return _VIDEO.name
    uppers = sum(1 for c in letters if c.isupper())
    if len(letters) >= 4 and uppers / len(letters) > 0.8:
        return "all caps"
    if any(t in low for t in _LINK_TRIGGERS):
        links = len(_URL.findall(line)) + len(_EMAIL.findall(line)) + len(_HANDLE.findall(line))
        if links and ((n_words <= SHORT_WORDS and not ends_sentence) or links * 8 >= n_words):
            return "links"
    if not ends_sentence and n_words <= SHORT_WORDS and not (line.endswith(":") and n_words >= 4):
        return "short, no sentence ending"
    if n_words >= TITLE_CASE_MIN_WORDS:
        capitalized = sum(1 for w in words if w[0].isupper())
        if capitalized / n_words >= TITLE_CASE_SHARE:
            return "title case"
    return None


# Reasons that say only "short" or "capitalized like a headline": a title has both.
_TITLE_LIKE = frozenset({"short, no sentence ending", "title case", "all caps"})


def page_furniture(line: str) -> bool:
    """Whether a title line is page furniture (a promo, a prompt, a credit), not a headline.

    >>> page_furniture("This story appears in the May 2, 2017 issue of Harbor Weekly.")
    True
    >>> page_furniture("Calder Street Bridge collapses into Tessel River; 12 hurt")
    False
    """
    reason = _furniture(_normalize(line)) if line.strip() else "no words"
    return reason is not None and reason not in _TITLE_LIKE


def clean_text(text: str, *, boilerplate: frozenset[str] = frozenset()) -> str:
    """The article's own prose: kept lines, whitespace-normalized, joined by blank lines.

    ``boilerplate`` holds lines (any spacing or case) known to be furniture, usually found by
    ``clean`` across many articles. A line repeating an earlier one (ignoring case, spacing,
    punctuation and a leading dateline) is dropped; the first occurrence stays.

    >>> clean_text("Share on Facebook\\nThe mayor resigned on Monday.\\n\\n3 min read")
    'The mayor resigned on Monday.'
    >>> clean_text('"No," she said.\\nAdvertisement\\n"No," she said.')
    '"No," she said.'
    """
    boilerplate_keys = {_key(b) for b in boilerplate}
    seen: set[str] = set()
    kept: list[str] = []
    for raw in text.split("\n"):
        line = _normalize(raw)
        if not line:
            continue
        key = _body_key(line) or _key(line)
        # Compared with kept lines only, so a prose paragraph survives a dropped caption
        # that happens to say the same words.
        if key in seen or _furniture(line) is not None:
            continue
        if boilerplate_keys and _key(line) in boilerplate_keys:
            continue
        seen.add(key)
        kept.append(line)
    return "\n\n".join(kept)


def _is_prose(line: str) -> bool:
    return _furniture(line) is None


def find_boilerplate(articles: Iterable[Article]) -> frozenset[str]:
    """Lines that several articles carry verbatim and that are furniture, not shared prose.

    A line counts when it occurs in two or more articles and does not read as prose, or in
    three or more articles, is short (at most ``SHORT_WORDS`` words) and every neighbour it
    has there is different (a wire copy repeats a line together with the prose around it;
    site furniture sits between different stories).

    >>> a = [Article.create(source=f"s{i}", text=f"Story {i} was told.\\nMore from us!")
    ...      for i in range(3)]
    >>> sorted(find_boilerplate(a))
    ['More from us!']
    """
    count: dict[str, int] = defaultdict(int)
    neighbours: dict[str, list[tuple[str, str]]] = defaultdict(list)
    first: dict[str, str] = {}
    for article in articles:
        lines = [_normalize(x) for x in article.text.split("\n")]
        lines = [x for x in lines if x]
        keys = [_key(x) for x in lines]
        for i, (line, key) in enumerate(zip(lines, keys, strict=True)):
            if not key:
                continue
            first.setdefault(key, line)
            before = keys[i - 1] if i else ""
            after = keys[i + 1] if i + 1 < len(keys) else ""
            neighbours[key].append((before, after))
        for key in set(keys):
            count[key] += 1
    found = set()
    for key, n in count.items():
        if n < 2 or not key:
            continue
        line = first[key]
        if not _is_prose(line):
            found.add(line)
            continue
        if n >= 3 and len(_WORD.findall(line)) <= SHORT_WORDS:
            # The article's edges ("") are no evidence of a copy: furniture sits there too.
            befores = [b for b, _ in neighbours[key] if b]
            afters = [a for _, a in neighbours[key] if a]
            if len(set(befores)) == len(befores) and len(set(afters)) == len(afters):
                found.add(line)
    return frozenset(found)


def clean(articles: Iterable[Article]) -> Iterator[Article]:
    """Each article with ``text`` cleaned (same id); furniture shared across articles dropped.

    Articles left empty are still yielded: the pipeline decides what to do with them. The
    input is read whole before the first article comes out (boilerplate needs all of it).

    >>> a = Article.create(source="a.txt", text="Follow us on Twitter\\nThe bridge reopened.")
    >>> [x.text for x in clean([a])]
    ['The bridge reopened.']
    """
    articles = list(articles)
    boilerplate = find_boilerplate(articles)
    for article in articles:
        yield dataclasses.replace(article, text=clean_text(article.text, boilerplate=boilerplate))


# ---------------------------------------------------------------------------------------------
# Language

# The most frequent English function words; in English news they are ~40% of the words, in
# German, French or Spanish news under 5% (a, in, die, on... overlap a little).
_STOPWORD_TEXT = (
    "the of and to a in that is was he for it with as his on be at by i this had not are but "
    "from or have an they which one you were her all she there would their we him been has "
    "when who will more no if out so said what up its about into than them can only other new "
    "some could time these two may then do first any my now such like our over man me even "
    "most made after also did many before must through back years where much your way well "
    "down should because each just those people how too little state good very make world "
    "still own see men work long get here between both life being under never day same "
    "another know while last might us great old year off come since against go came right "
    "used take three says told"
)
_ENGLISH_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Stop-word share above which a text is English and below which it is not, without loading
# the language model (0.8 s to decompress, more than `newsdesk brief`'s whole budget). Between
# the two, py3langid decides. Checked on the 570 documents of test-fulltext200: see
# benchmarks/clean_eval.py --language.
ENGLISH_SURE = 0.25
NOT_ENGLISH_SURE = 0.08
# Below this many words the language model is unreliable and the stop-word share decides alone.
SHORT_TEXT_WORDS = 12
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _stopword_share(words: list[str]) -> float:
    if not words:
        return 0.0
    return sum(1 for w in words if w.casefold() in _ENGLISH_STOPWORDS) / len(words)


def language_of(text: str) -> str:
    """The ISO 639-1 code of the language ``text`` is written in ("en", "de", ...).

    Uses py3langid's bundled model (loaded on first use). Returns "" for text without letters.

    >>> language_of("Der Bürgermeister ist am Montag zurückgetreten, teilte die Stadt mit.")
    'de'
    """
    if not _LETTER.search(text):
        return ""
    import py3langid  # lazy: loading its model takes most of a second

    code, _score = py3langid.classify(text)
    return str(code)


def is_english(text: str) -> bool:
    """Whether ``text`` is English; robust on short texts.

    >>> is_english("The mayor resigned on Monday after a week of protests.")
    True
    >>> is_english("Le maire a démissionné lundi après une semaine de manifestations.")
    False
    >>> is_english("It was over.")
    True
    """
    words = _TOKEN.findall(text)
    share = _stopword_share(words)
    if len(words) < SHORT_TEXT_WORDS:
        # One stop word in a handful of words is enough: "It was over." has three of three;
        # "Guten Morgen, Berlin" has none. Tested on invented short lines in tests/test_clean.py.
        return share >= 0.2
    if share >= ENGLISH_SURE:
        return True
    if share < NOT_ENGLISH_SURE:
        return False
    return language_of(text) == "en"
