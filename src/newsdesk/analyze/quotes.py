"""Direct quotations of a story with their speakers, one item per quote across articles.

Rules, in the order they are tried for each quotation (quotes in straight ``"`` or curly
``“”`` marks; single quotes are not read, they are too often apostrophes or scare quotes):

1. Kept when it has at least ``MIN_WORDS`` words, or at least two words and ends like a
   sentence (``"No comment," he said.``); titles in quotes ("The Da Vinci Code") are skipped.
2. The speaker is read right after the quote (``," said Jane Smith, the mayor.``,
   ``," Smith said.``, ``," according to police.``), else earlier in the same sentence
   (``Smith said: "..."``, ``Smith called it "a disgrace."``), else later in the sentence,
   else it is the speaker of the previous quote of the paragraph, else, for a paragraph that
   is a quotation, the speaker of the previous paragraph (its last quote, its last said-verb
   subject, or the last person it names).
3. "he"/"she" is the most recent person named before the quote with a compatible gender
   (honorific or first name); "the foreign minister" is the person whose title or
   appositive holds that role in the story, else the role itself with ``"role"``.
4. Names go through the entity index, so "Smith" becomes "Jane Smith".
5. Versions of one quote in several articles (rapidfuzz ratio >= ``SAME_QUOTE``, or one
   wording contained in the other) are one item; each distinct wording is a variant.

>>> from newsdesk.models import Article
>>> from types import SimpleNamespace
>>> a = Article.create(source="x", text='"We will appeal the ruling," said Jane Smith, the mayor.')
>>> q = extract_quotes(SimpleNamespace(articles=(a,), sentences={}))
>>> q[0]["text"], q[0]["speaker"], q[0]["role"]
('We will appeal the ruling', 'Jane Smith', 'the mayor')
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from rapidfuzz.fuzz import partial_ratio, ratio

from ..dates import MONTHS, WEEKDAYS
from ..models import Article
from ._text import (
    COMMON,
    DOCUMENT_SPEAKERS,
    FIRST_NAME_GENDER,
    GROUP_SPEAKERS,
    ORG_NOUNS,
    ROLE_GENDER,
    ROLE_HEADS,
    SAID_VERBS,
    StoryLike,
    classify,
    paragraphs,
)
from .entities import Entity, EntityIndex, build_index

# Partial quotes inside a sentence shorter than this are scare quotes ("slut" comment).
MIN_WORDS = 4
# Same quote across articles: ratio of normalized wordings; 88 kept "We will not raise taxes"
# and "We will not raise taxes this year" together and split different sentences of one
# speaker on invented examples.
SAME_QUOTE = 88
# A shorter wording wholly inside a longer one (partial_ratio) is the same quote cut short.
CONTAINED = 95
CONTAINED_MIN_CHARS = 20

_ROLE_HEAD = "|".join(sorted(ROLE_HEADS, key=len, reverse=True))
_GROUP = "|".join(sorted(GROUP_SPEAKERS, key=len, reverse=True))
# A name does not start with a capitalized function word, weekday or month ("On Friday").
_NOT_NAME = "|".join(
    sorted(
        {w.capitalize() for w in COMMON | set(WEEKDAYS) | set(MONTHS) if w.isalpha()}
        - {"New", "First", "Mr", "Mrs", "Ms", "Dr", "St"}  # "New Scientist", "Dr. Lee"
    )
)
_NOT_NAME_LOW = frozenset(w.lower() for w in _NOT_NAME.split("|"))
# One word of a name: an initial or a known abbreviation with its period ("K.", "Sen."),
# else a word without one, so a name never runs over a sentence end ("of Ross. A").
_NAME_WORD = (
    r"(?:[A-Z]\.|(?:Sen|Rep|Gov|Gen|Dr|Mr|Mrs|Ms|St|Lt|Col|Sgt|Capt|Cmdr|Rev|Jr|Sr|Prof|Det)\."
    r"|[A-Z][\w'’\-]*)"
)
_NAME_WORDS = (
    rf"{_NAME_WORD}(?:\s+(?:(?:de|van|von|bin|al|da|del|la|le|di|du|of)\s+)?"
    rf"{_NAME_WORD}){{0,7}}"
)
_NAME = rf"(?!(?:{_NOT_NAME})\b){_NAME_WORDS}"
# Determiners of a role phrase, possessives included ("his daughter", "Nutter's spokesman").
_DET = r"(?:\b(?i:the|a|an|one|another|his|her|their|its)|\b[A-Z][\w.\-]*['’]s)"
# Words between the determiner and the role head are modifiers, never function words ("a
# thing from your agent" is no role).
_MODIFIER = (
    r"(?:(?!(?i:from|your|my|our|their|his|her|of|to|in|on|at|that|which|who|and|or|but|"
    r"with|for|by|is|was|it|its|it's|it’s)\b)[\w'’.\-]+\s+)"
)
_ROLE = (
    rf"{_DET}\s+{_MODIFIER}{{0,4}}?(?i:(?:ex-)?(?:{_ROLE_HEAD}))s?"
    # what the role is of needs no check for function words: the pattern is compiled into
    # every attribution pattern, and without a second word list they compile ~25% faster
    rf"(?:\s+(?:of|for|at)\s+(?:the\s+)?(?![A-Z][a-z]*day\b){_NAME_WORDS})?"
)
# "the party said", "the ministry said": the organization of that kind named last.
_ORG_NOUN = "|".join(sorted(ORG_NOUNS, key=len, reverse=True))
_DOCUMENT = "|".join(sorted(DOCUMENT_SPEAKERS, key=len, reverse=True))
_WHO = (
    rf"(?P<who>{_ROLE}|(?i:the)\s+(?:{_ORG_NOUN}|{_DOCUMENT})\b|(?i:an?)\s+(?:{_DOCUMENT})\b"
    r"|\b(?i:he|she|they|we)\b"
    rf"|(?:[Tt]he\s+)?{_NAME}"
    rf"|(?:[Tt]he\s+)?\d+-year-old|(?i:{_GROUP}))"
)
# What may stand between the speaker and the verb: an apposition in commas ("Smith, 45,
# said", "Ashton, who is trying to mediate, added") or where they are from.
_BETWEEN = (
    r"(?P<app>\s*,[^\"“”]{1,110}?,|\s*\([^)\"“”]{1,40}\)"
    # "of the Field Museum in Chicago," but not "of Texas paleontologist Julia Clarke":
    # where someone is from is capitalized words.
    r"|\s+(?:of|from|at)\s+(?:the\s+)?[A-Z][\w.'’\-]*"
    r"(?:\s+(?:(?:of|the|and|in|for|de)\s+)*[A-Z][\w.'’\-]*){0,6}"
    r"(?:,\s*[A-Z][^,\"“”]{1,40}){0,2},?"
    r"|\s+(?:for|with)\s+[^,\"“”.]{1,60}?)?"
)
_ADV = (
    r"(?:(?:later|also|then|once|previously|recently|quickly|simply|has|had|would|was|were|"
    r"reportedly|told|added|earlier|further|again|is|who|was\s+quoted\s+as)\s+)*"
)
_VERB = (
    rf"(?i:{SAID_VERBS}|write|add|note|argue|explain|conclude|warn|insist|state"
    r"|(?:issued|released|put\s+out)\s+a\s+(?:\w+\s+)?statement)\b"
)
_STATEMENT = re.compile(r"\bstatement$")
# A dialogue line is short; a paragraph continuing a long statement is not.
_TURN_WORDS = 20
_CONNECTIVE = re.compile(
    r"(?i:still|but|and|yet|so|however|meanwhile|then|later|again|instead|now|also),?"
)
_DASH = r"[\s,]*(?:[—–]|--)?\s*"
# "said evolutionary biologist Chad Eliason", "says U.S. Forest Service volunteer Jules
# Fijolek": a descriptor without article, ending in a person noun, then the name.
_FUNCTION = (
    r"(?:the|a|an|in|on|at|to|of|for|by|with|from|that|this|and|or|but|as|after|before|"
    r"during|while|when|about|into|his|her|their|its|our|my|your|said|told|also|later|"
    r"earlier|again|then|now|not|no|it|he|she|they|we|i|you|who|which|how|what|is|was)"
)
_DESCRIBED = (
    r"(?:[A-Z][\w.'’\-]*\s+){0,4}"
    rf"(?:(?!{_FUNCTION}\b)[a-z][\w\-]*\s+){{0,2}}"
    r"(?!" + _FUNCTION + r"\b)[a-z][\w\-]*(?:ist|er|or|ian|ant|ent|man|woman|person|eer|ee|ive|al)"
    rf"\s+(?P<who>{_NAME_WORDS})"  # after "biologist " no function word starts a name
)
_AFTER = [
    re.compile(rf"^{_DASH}{_VERB}\s+{_DESCRIBED}"),
    re.compile(rf"^{_DASH}{_VERB}\s+{_WHO}"),
    re.compile(rf"^{_DASH}{_WHO}{_BETWEEN}\s+{_ADV}{_VERB}"),
    re.compile(rf"^{_DASH}according\s+to\s+{_WHO}"),
    # "the truck driver group said": an organization of that kind (session 5; a few verbs,
    # not _VERB: it costs 1 ms more to compile)
    re.compile(
        rf"^{_DASH}(?P<who>[Tt]he\s+(?:[a-z][\w\-]*\s+){{1,2}}(?:{_ORG_NOUN}))\s+"
        r"(?:also\s+)?(?:said|says|added|adds|wrote|writes|stated|states|noted|notes|warned"
        r"|warns|continued|explained|explains|announced|argued|argues|insisted|insists)\b"
    ),
]
_IN_SENTENCE = [
    re.compile(rf"{_WHO}{_BETWEEN},?\s+{_ADV}{_VERB}"),
    # "said Smith", never "said they" (the start of a reported clause).
    # "said the North is capable" is a reported clause, not an attribution: the speaker
    # after "said" ends the clause or takes an apposition.
    re.compile(
        rf"\b(?:[Aa]ccording\s+to|[Ss]aid|[Ss]ays)\s+(?!(?:he|she|they|we|it)\b){_WHO}"
        r"(?=\s*(?:[,.;:(]|$))"
    ),
    # "Timbuktu mayor Halle Cisse: "...": a name, then a colon, then the quote.
    re.compile(rf"(?<![\w'’])(?![A-Z' ]+:){_WHO}\s*:\s*$"),
]
# A quote introduced by a participle or a sign ("..., saying:", "a sign that read,"), or
# with no verb at all: the subject at the start of the sentence speaks.
_SUBJECT = re.compile(rf"{_WHO}\b")
_SUBJECT_REACH = 60  # characters from the sentence start where its subject may begin
_APPOSITION = re.compile(r"^,\s+(?P<role>(?:(?:the|a|an)\s+)?[^,.;\"“”]{2,70}?)(?=[,.;]|$)")
_ROLE_WORD = re.compile(rf"(?:\b|-)(?:{_ROLE_HEAD})s?\b", re.I)
_PRONOUNS = {"he": "m", "she": "f"}
_POSSESSED = re.compile(r"\b((?i:h)is|(?i:h)er)\s+(?:[a-z\-]+\s+){1,3}$")
_POSSESSIVE_SEX = {"his": "m", "her": "f"}
# "He entered a stall.", "First he thought ...": a sentence about he/she.
_PRONOUN_OPENS = re.compile(
    r"(?:^|(?<=[.!?])\s+|\n)\s*(?:(?:First|Then|Later|Now),?\s+)?(He|She)\b", re.M
)
_ROLE_SUBJECT = re.compile(rf"\s*[Tt]he\s+((?:\w+\s+){{0,2}}?(?i:{_ROLE_HEAD}))\b")
# A lower-case title after the organization it is of, right before a name ("Sinn Féin leader
# Gerry Adams", "CNN aviation analyst David Soucie"): the role that person holds, when its
# last word is a role head (session 5). Bare occupations ("actor Anthony Rapp", "police
# officer X") are shared by several people of a story: with them, 5 speakers were lost on
# lines 1-150. (The head is checked in Python: an alternation of the heads costs 1.4 ms to
# compile.)
_TITLE_BEFORE = re.compile(
    r"(?<![\w'’.\-])((?:[A-Z][\w'’.\-]*\s+){1,3}(?:[a-z][\w\-]*\s+){0,2}([a-z][\w\-]*))\s+$"
)
# 'The group "Truckers for the Constitution" is hoping ...': a group named in quotes, the
# one "the group said" means (session 5).
_QUOTED_ORG = re.compile(
    rf"\b(?:[Tt]he|[Aa]n?)\s+(?:[\w\-]+\s+){{0,2}}?({_ORG_NOUN})\s+(?:(?:called|named)\s+)?"
    r"[\"“]([A-Z][^\"“”]{2,60}?)[,.]?[\"”]"
)
_SAID_BY = re.compile(r",\s+(?:said|says|according\s+to)\s+(?:an?\b|the\b|one\b|[A-Z])")
# "One worker, discussing ..., mentioned", "a valet driver wondered": an unnamed person opens
# the sentence, known by a role (session 5, docs/analysis.md), the first word of the next
# four that is a role head. Not "his brother": he is often named elsewhere in the story (2
# speakers lost on lines 1-150 when it counted).
_UNNAMED_DET = re.compile(r"(?:[Oo]ne|[Aa]n?)\s+")
_MODIFIER_WORD = re.compile(r"[\w'’\-]+\s+")
_WORD_RUN = re.compile(r"\w+")
# How a sentence opens: a pronoun (after an optional connective: "Still, she"), a quotation
# mark (no subject to read), or anything else, where a name may start.
_OPENER = re.compile(
    r"\s*(?:(?i:still|but|and|yet|so|however|meanwhile|later|then|now|instead|also|"
    r"afterward|afterwards|since\s+then|in\s+response|at\s+first|again)\b,?\s+)?"
    # A fronted clause ("When Kinect came out in 2010, Microsoft's Dennis Durken said") is
    # skipped to its comma.
    r"(?:(?i:when|after|before|while|as|during|since|although|though|if|because|in|on|"
    r"at|by|with|for|despite|following|asked|even\s+if|even\s+though|[a-z]+ing)\b"
    r"[^,.;:\"“”]{1,80},\s+){0,2}"
    r"(?:(?P<pro>[Hh]e|[Ss]he)\b|(?P<other>(?:They|It|We|This|That|There)\b)"
    r"|(?P<name>(?![\"“‘]))"
    r")"
)
_SAID_AT_END = re.compile(
    r",\s+(?P<who>(?:[Aa]n?|[Tt]he)\s+[\w\-]+(?:\s+[\w\-]+){0,2}"
    r"|[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3})\s+(?:said|says|told\s+\w+|added)"
    r"(?:\s+\w+){0,2}\.[\"”’]?\s*$"
)
# A fronted subordinate clause to its first comma ("When Crowley said she was surprised,"):
# its "said" reports nothing of the main clause (+2 on lines 1-150).
_FRONTED = re.compile(
    r"\s*(?:When|After|As|While|Before|Once|Although|Though|Because|Since|Until)\b"
    r"[^,;:]{1,200},\s+"  # quote marks allowed: "When CNN's "State of the Union" host"
)
# The main clause after it, short, introducing the quote: "he shot back:", "Smith replied,".
_MAIN_CLAUSE = re.compile(
    r"(?P<who>[Hh]e|[Ss]he|[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3})"
    r"\s+(?:[a-z]+\s+){0,3}[a-z]+[:,]?\s*$"
)
# "the North's Rodong Sinmun newspaper said": the paper (an organization) speaks (+2
# speakers on lines 1-150, docs/analysis.md "Speaker rules (session 4)").
_MEDIA_SAID = re.compile(
    r"(?:[Tt]he\s+)?(?:(?:[A-Z][\w.\-]*\s+){0,2}[A-Z][\w.\-]*['’]s\s+)?"
    r"(?P<who>[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,4})"
    r"\s+(?:state\s+|official\s+|news\s+)?(?:newspaper|daily|paper|agency|magazine|tabloid"
    r"|weekly|broadcaster|television|radio|network|channel|website)"
    r"\s+(?:also\s+)?(?:said|says|reported|reports|wrote|writes|added|adds|stated|noted)\b"
)
# "It said: "...", "...," it cautioned.": an organization named before speaks (+4 on lines
# 1-150).
_IT_VERBS = (
    r"(?:said|says|added|adds|cautioned|cautions|warned|warns|noted|notes|stated|states"
    r"|wrote|writes|continued|continues|predicted|predicts|declared|declares|reported|reports)"
)
_IT_SAID_BEFORE = re.compile(
    rf"\s*(?:(?:But|And|Still|Also),?\s+)?It\s+(?:also\s+|then\s+)?{_IT_VERBS}[,:]?\s*$"
)
_IT_SAID_AFTER = re.compile(rf"[\s,]*it\s+(?:also\s+)?{_IT_VERBS}\b")
_ASKED_BY = re.compile(r"\s*Asked\s+by\s+(?P<by>[^,;:\"“”]{2,80}),?\s*$")
_ROLE_GAP = re.compile(r"\s+(?:[a-z][\w\-]*\s+){1,4}")
_PARENTHETICAL_END = re.compile(r"[^,.;\"“”]{0,30}[,.;]")
_FIRST_WORD = re.compile(r"([A-Z][a-z]+)\b(?![\s\-][A-Z])")
_REPORTED = re.compile(r"\s+(?:that\s+)?\S")
_DETERMINERS = frozenset(["the", "a", "an", "one", "another", "his", "her", "their", "its"])
_APPOSED_NAME = re.compile(
    r",\s+(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?([A-Z][\w'’\-.]+(?:\s+[A-Z][\w'’\-.]+){1,3})\s*(?:[,.;]|$)"
)
_CAPS_RUN = r"[A-Z][\w'’&.\-]*(?:\s+(?:of\s+|&\s+)?[A-Z][\w'’&.\-]*){0,5}"
COMMON_CAPS = frozenset("The A An It He She They We This That His Her Its Their".split())
_LISTENER = re.compile(r"\b(?:told|tells|telling|to|on|in|with|via)\s+(?:the\s+)?$")
# Plural roles that sign documents: "a statement from several board members".
ROLE_PLURALS = frozenset("members directors lawyers attorneys officials executives".split())
_PLATFORMS = frozenset(
    "facebook twitter instagram youtube linkedin snapchat tiktok weibo reddit tumblr x".split()
)
_FOLLOWING_NAME = re.compile(r"\s+([A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,2})\b")
_BARE_NAME = re.compile(r"^[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’.\-]+){0,3}$")
# A short label before a quote that fills its paragraph ("ON HAPPINESS: “...”").
_LABEL = re.compile(r"(?:[A-Z][A-Z' ]{1,30}|On\s[^:\"“”.]{1,50}):\s*[\"“]$")
# "PT: When it's in that gray area ...": the initials or surname of who talks, in an
# interview transcript.
_INTERVIEW_LABEL = re.compile(
    r"([A-Z]{2,3}|[A-Z][A-Z'\-]{3,20}|[A-Z][A-Z'\-.]{1,20}(?:\s+[A-Z][A-Z'\-.]{1,20}){1,2}"
    # "Robert Ricks: ...", "Williams: ...": a name as written, if a person of the story
    r"|[A-Z][a-z'\-]{2,20}(?:\s+[A-Z][a-z'\-]{1,20}){0,2})"
    r":\s+(?![\"“])"
)
# Words of capitalized headings that end in a colon like a transcript's speaker labels.
_HEADING_WORDS = frozenset(
    """note editor also see breaking news related video coverage documents facts update
    updated correction read more watch photos photo full live latest story stories key
    points what why how who when where the this""".split()
)
_MARK = re.compile('[“”"]|\ufffd\\?')
# A sentence ends at . ! ? before a capital, but not after an initial ("K."), "U.S." or a
# title ("Mr.", "Gen.").
_SENTENCE_BREAK = re.compile(
    # The lookahead first: the lookbehinds are tried at . ! ? only, not at every character.
    r"(?=[.!?])(?<!\s[A-Z])(?<!\.[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bJr)(?<!\bSr)(?<!\bNo)"
    r"(?<!\bMrs)(?<!\bGen)(?<!\bSen)(?<!\bRep)(?<!\bGov)(?<!\bSgt)(?<!\bCol)(?<!\bLt)"
    r"(?<!\bCapt)(?<!\bMaj)(?<!\bProf)(?<!\bRev)(?<!\bDet)(?<!\bCmdr)(?<!\bSupt)(?<!\bInsp)"
    r"(?<!\bSt)(?<!\bAtty)(?<!\bGov)(?<!\bAdm)(?<!\bCpl)(?<!\bPvt)"
    r"[.!?][\"”’)]*\s+(?=[\"“A-Z])"
)


# Abbreviated titles as the role words that refer back to them: "Gov. Margaret Ellery" ...
# "the governor said".
_TITLE_WORDS = {
    "gov": "governor", "sen": "senator", "rep": "representative", "gen": "general",
    "lt": "lieutenant", "col": "colonel", "capt": "captain", "sgt": "sergeant",
    "pres": "president", "supt": "superintendent", "insp": "inspector", "det": "detective",
    "atty": "attorney", "prof": "professor", "adm": "admiral", "maj": "major",
}  # fmt: skip


def _unnamed_role(text: str, at: int) -> tuple[str, int] | None:
    """ "One current agent, who ...": the role ("current agent") and where it ends (a plural
    "s" included), if "one"/"a"/"an" and at most three words before a role head open ``at``.

    >>> _unnamed_role("One current agent, who spoke", 0)
    ('current agent', 17)
    """
    m = _UNNAMED_DET.match(text, at)
    if m is None:
        return None
    begin = pos = m.end()
    for _ in range(4):
        run = _WORD_RUN.match(text, pos)
        if run is not None:
            word = run.group(0)
            if word in ROLE_HEADS:
                return text[begin : run.end()], run.end()
            if word.endswith("s") and word[:-1] in ROLE_HEADS:
                return text[begin : run.end() - 1], run.end()
        step = _MODIFIER_WORD.match(text, pos)
        if step is None:
            return None
        pos = step.end()
    return None


def _form_at(ent: Entity, text: str, at: int) -> str:
    """The spelling of ``ent`` written at ``at`` (longest first), or ""."""
    return max((f for f in ent.forms if text.startswith(f, at)), key=len, default="")


def _possessive(text: str, end: int) -> bool:
    """Whether the name ending at ``end`` is a possessive ("Smith's", "Ferrellgas'")."""
    return text.startswith(("'s", "’s"), end) or (
        text[end - 1 : end] == "s" and text.startswith(("' ", "’ "), end)
    )


def _spell_out(title: str) -> str:
    """A title, lower case, abbreviations written out: "Gov." -> "governor"."""
    return " ".join(_TITLE_WORDS.get(w.rstrip("."), w.rstrip(".")) for w in title.lower().split())


@dataclass
class _Quote:
    article: str
    start: int
    end: int
    text: str
    speaker: str | None = None
    role: str | None = None
    para: int = 0
    open_ended: bool = False  # runs to its paragraph's end without a closing mark
    explicit: bool = False  # attributed in its own sentence (not inherited)


def _quote_spans(text: str, ps: int, pe: int, next_opens: bool) -> list[tuple[int, int]]:
    """(start, end) of the inside of each quotation in paragraph ``text[ps:pe]``."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    # Curly marks say which side they are; a straight one opens when no quote is open and
    # closes the open one, so mixed pairs ("...” and “...") work. "\ufffd?" is a closing
    # curly quote mangled by a bad decoding, common in crawled pages.
    for m in _MARK.finditer(text, ps, pe):
        mark = m.group()
        if mark == "“" or (mark == '"' and open_at is None):
            open_at = m.end()
        elif open_at is not None:
            spans.append((open_at, m.start()))
            open_at = None
    if open_at is not None and (next_opens or text[ps] in '"“'):
        # A quote running into the next paragraph is closed at the paragraph end.
        spans.append((open_at, pe))
    return spans


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return start, end


# Small words a title leaves in lower case.
_TITLE_SMALL = frozenset(
    "a an the of and or nor but in on at to for with from by as v. vs vs.".split()
)


def _keep(inner: str, standalone: bool, ended: bool) -> bool:
    words = inner.split()
    if not words:
        return False
    letters = [w for w in words if w[:1].isalpha()]
    title_case = bool(letters) and len(letters) == len(words)
    if (
        title_case
        and words[0][0].isupper()
        and all(w[0].isupper() or w in _TITLE_SMALL for w in words)
        # a title may end its sentence inside the marks: appeared on "State of the Union."
        and (inner[-1] not in ".!?" or (inner[-1] == "." and not standalone))
    ):
        return False  # a title: "The Da Vinci Code", "State of the Union", "A Walk in the Woods"
    if len(words) >= MIN_WORDS:
        return True
    return len(words) >= 2 and standalone and (ended or inner[-1] in ".!?")


def _sentence_bounds(
    text: str, ps: int, pe: int, pos: int, quoted: list[tuple[int, int]]
) -> tuple[int, int]:
    """The sentence around ``pos``; a "?" or "!" inside a quotation does not end it."""
    start = ps
    for m in _SENTENCE_BREAK.finditer(text, ps, pe):
        if any(s <= m.start() < e for s, e in quoted):
            continue
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            return start, m.start() + 1
    return start, pe


class _Resolver:
    """Turns the written speaker ("he", "the mayor", "Smith") into one canonical name."""

    def __init__(self, story: StoryLike, index: EntityIndex) -> None:
        self.index = index
        self.roles: list[tuple[str, Entity, str, int]] = []  # role, person, article, pos
        # The last person quoted in each article, where the attribution was written:
        # "he said" after a quote of Lavrov is Lavrov, even if the quote named others.
        self.last_speaker: dict[str, tuple[int, Entity, str | None]] = {}
        self.quoted: dict[str, list[tuple[int, int]]] = {}
        self.last_group: dict[str, str] = {}
        self._para_starts: dict[str, list[int]] = {}
        self.by_name = {e.name: e for e in index.entities}
        self.texts = {art.id: art.text for art in story.articles}
        self.quoted_orgs = {
            art.id: [
                (m.start(), m.group(1).lower(), m.group(2)) for m in _QUOTED_ORG.finditer(art.text)
            ]
            for art in story.articles
        }
        for art in story.articles:
            for ent in index.entities:
                if ent.type != "person":
                    continue
                for aid, start, end, title in ent.spans:
                    if aid != art.id:
                        continue
                    if title:
                        self.roles.append((_spell_out(title), ent, aid, start))
                    m = _TITLE_BEFORE.search(art.text, max(0, start - 80), start)
                    if m and m.group(2) in ROLE_HEADS:
                        # "Sinn Féin leader Gerry Adams" ... "the Sinn Féin leader said"
                        held = re.sub(r"^(?:the|a|an)\s+", "", m.group(1).lower())
                        self.roles.append((held, ent, aid, start))
                    m = _APPOSITION.match(art.text[end : end + 90])
                    if m and _ROLE_WORD.search(m.group("role")):
                        self.roles.append((m.group("role").lower(), ent, aid, start))

    def _start_of(self, ent: Entity, article: str, pos: int) -> int:
        starts = [s for a, s, _e, _t in ent.spans if a == article and s < pos]
        return max(starts, default=-1)

    def _paragraph_start(self, article: Article, pos: int, back: int = 0) -> int:
        """Start of the paragraph holding ``pos`` (``back`` paragraphs earlier)."""
        starts = self._para_starts.get(article.id)
        if starts is None:
            starts = [s for s, _e in paragraphs(article.text)]
            self._para_starts[article.id] = starts
        i = max(0, bisect.bisect_right(starts, pos) - 1 - back)
        return starts[i] if starts else 0

    def subject_before(
        self, article: Article, pos: int, gender: str, strict: bool = False
    ) -> Entity | None:
        """The person who opens the sentence before ``pos`` (its likely subject)."""
        text = article.text
        lo = self._paragraph_start(article, pos, back=1)
        starts = [lo] + [m.end() for m in _SENTENCE_BREAK.finditer(text, lo, pos + 1)]
        current = max(s for s in starts if s <= pos)
        earlier = [s for s in starts if s < current]
        if not earlier:
            return None
        prev = earlier[-1]
        spans = self.quoted.get(article.id, [])
        for start, ent in sorted(
            (s, e) for (a, s), e in self.index.by_span.items() if a == article.id
        ):
            if prev <= start < min(current, prev + _SUBJECT_REACH):
                if any(a <= start < b for a, b in spans):
                    continue
                end = start + len(next(f for f in ent.forms if text.startswith(f, start)) or "")
                if _possessive(text, end):
                    continue  # "Sementilli's murder": a modifier, not the subject
                if ent.type == "person" and ent.sex in ((gender,) if strict else ("", gender)):
                    return ent
                return None  # the sentence opens with someone else, or something else
        m = _ROLE_SUBJECT.match(text, prev)
        if m:  # "The comedian was accused ...": the person holding that role
            holder = self.role_holder(m.group(1), article.id, prev)
            if holder is not None and holder.sex in ((gender,) if strict else ("", gender)):
                return holder
        return None

    def _sentence_starts(self, article: Article, lo: int, pos: int) -> list[int]:
        """Starts of the sentences (and paragraphs) of ``article`` from ``lo`` to ``pos``."""
        text = article.text
        starts = (
            {lo}
            | {m.end() for m in _SENTENCE_BREAK.finditer(text, lo, pos + 1)}
            | {lo + s for s, _e in paragraphs(text[lo : pos + 1])}
        )
        return sorted(x for x in starts if x <= pos)

    def subject_chain(
        self, article: Article, pos: int, pronoun: str, gender: str = ""
    ) -> tuple[int, Entity | str, int] | None:
        """Who "he"/"she" at ``pos`` continues: the person opening the sentence before.

        Sentences opened by the same pronoun are walked back over ("Luray dismisses it.
        Still, she can see why. "Hype," she said."), at most two paragraphs; a sentence
        opened by a quotation or by something else ends the walk with no answer. Gives
        (where that sentence starts, the person, how many pronoun sentences were crossed);
        the person is a role ("hospital official") when an unnamed one said that sentence.
        """
        text = article.text
        gender = _PRONOUNS.get(pronoun, gender)
        lo = self._paragraph_start(article, pos, back=2)
        starts = self._sentence_starts(article, lo, pos)
        current = max((s for s in starts if s <= pos), default=lo)
        earlier = [s for s in starts if s < current]
        bounds = [*earlier, current]
        hops = 0
        for k in range(len(earlier) - 1, -1, -1):
            start, end = bounds[k], bounds[k + 1]
            m = _OPENER.match(text, start, end)
            if m is None:
                return None
            tail = _SAID_AT_END.search(text, start, end)
            if tail is not None and not m.group("pro"):
                # "Security forces fired on mourners, a hospital official said.": who said
                # the sentence is who it comes from.
                ent = self._said_at_end(article, tail)
                return (start, ent, hops) if ent is not None else None
            if m.group("pro"):
                said = m.group("pro").lower()
                if said != pronoun and (pronoun or _PRONOUNS[said] not in ("", gender)):
                    return None
                hops += 1
                continue
            if m.group("other"):
                # "They did not need to ...": no one who could be "he" opens it; go on,
                # unless someone is named in it.
                if self.person_between(article.id, start, end) is not None:
                    return None
                continue
            # "In the video, a Tyson worker is caught ...": the worker, not Tyson.
            unnamed = self._unnamed_subject(article, m.start("name"), start, end, hops, gender)
            if unnamed is not None:
                return unnamed
            ent = self._opening_person(article, m.start("name"), end)
            if ent is None:
                return None
            if gender and ent.sex not in ("", gender):
                return None
            return start, ent, hops
        return None

    def _unnamed_subject(
        self, article: Article, at: int, start: int, end: int, hops: int, gender: str
    ) -> tuple[int, str, int] | None:
        """An unnamed person opening the sentence at ``at`` by a role ("One worker, ...,
        mentioned", "a valet driver wondered"): that role, if the gender fits and no person
        is named after it in the sentence (``end``)."""
        found = _unnamed_role(article.text, at)
        if found is None or self.person_between(article.id, found[1], end) is not None:
            return None  # "A spokesman for the board, Jeremy Handel, said": Handel
        role = found[0]
        if gender and ROLE_GENDER.get(role.split()[-1].lower(), gender) != gender:
            return None
        return start, role, hops

    def _said_at_end(self, article: Article, m: re.Match[str]) -> Entity | str | None:
        """The person of a sentence-final attribution (", Glick said."), if a person, or the
        role of an unnamed one (", a hospital official said." -> "hospital official")."""
        who = m.group("who")
        name, role = self.resolve(who, article, m.start("who"), m.start("who"), "")
        ent = self.by_name.get(name or "")
        if ent is not None and ent.type == "person":
            return ent
        return role if role and name == role and role.islower() else None

    def _opening_person(self, article: Article, at: int, end: int) -> Entity | None:
        """The person whose name starts at ``at`` (after a possessive modifier, if any)."""
        text = article.text
        spans = self.quoted.get(article.id, [])
        m = _FIRST_WORD.match(text, at)
        if m and self.index.at(article.id, at) is None:
            # "Hilario, a tech sergeant, says": the one person of that first name.
            named = self.first_named(m.group(1))
            if named is not None:
                return named
        for start in range(at, min(end, at + _SUBJECT_REACH)):
            ent = self.index.at(article.id, start)
            if ent is None or any(a <= start < b for a, b in spans):
                continue
            form = _form_at(ent, text, start)
            if _possessive(text, start + len(form)):
                continue  # "Microsoft's Dennis Durken": the modifier is not the subject
            if ent.type != "person" and start == at:
                # "UWA communications manager Bashir Hangi described ...": the person after
                # an organization and a role.
                gap = _ROLE_GAP.match(text, start + len(form))
                if gap and _ROLE_WORD.search(gap.group(0)):
                    after = self.index.at(article.id, gap.end())
                    return after if after is not None and after.type == "person" else None
            return ent if ent.type == "person" else None
        m = _ROLE_SUBJECT.match(text, at)
        if m and m.start(1) - at < 6:
            return self.role_holder(m.group(1), article.id, at)
        return None

    def first_named(self, first: str) -> Entity | None:
        """The one person of the story whose full name starts with ``first``, if exactly one.

        ("Hilario says" -> Hilario Chapa; the index keeps a first name alone apart, as
        merging it there cost speakers, so it is read here, at resolution.)
        """
        named = [
            e
            for e in self.index.entities
            if e.type == "person" and any(f.split()[0] == first and " " in f for f in e.forms)
        ]
        return named[0] if len(named) == 1 else None

    def it_subject(self, article: Article, pos: int) -> Entity | None:
        """The organization "it" at ``pos`` stands for: the one opening a sentence before.

        ("North Korea's Rodong Sinmun newspaper said ... But it criticised ... It said:
        "..."": sentences opened by "It" are walked over, at most two paragraphs back; a
        sentence opened by a person, or by nothing named, ends the walk with no answer.)
        """
        text = article.text
        lo = self._paragraph_start(article, pos, back=2)
        starts = self._sentence_starts(article, lo, pos)
        current = max((s for s in starts if s <= pos), default=lo)
        earlier = [s for s in starts if s < current]
        bounds = [*earlier, current]
        for k in range(len(earlier) - 1, -1, -1):
            start, end = bounds[k], bounds[k + 1]
            m = _OPENER.match(text, start, end)
            if m is None:
                return None
            if m.group("other"):
                if m.group("other") == "It":
                    continue
                return None
            if m.group("pro"):
                return None
            if text.startswith("it ", m.start("name")):  # "But it criticised ..."
                continue
            tail = _MEDIA_SAID.search(text, start, end)
            if tail is not None:  # "..., the state-run Xinhua news agency said."
                orgs = [
                    e
                    for k2 in range(*tail.span("who"))
                    if (e := self.index.at(article.id, k2)) is not None and e.type == "organization"
                ]
                return orgs[0] if orgs else None
            at = m.start("name")
            mark = _MARK.search(text, at, end)
            for k2 in range(at, min(end, at + _SUBJECT_REACH, mark.start() if mark else end)):
                ent = self.index.at(article.id, k2)
                if ent is None:
                    continue
                form = _form_at(ent, text, k2)
                if ent.type == "place" or _possessive(text, k2 + len(form)):
                    continue  # "North Korea's Rodong Sinmun": the modifier is not it
                para = self._paragraph_start(article, k2)
                if len(_MARK.findall(text, para, k2)) % 2:
                    return None  # inside a quotation ("URGENT... SPECIAL MESSAGE.")
                return ent if ent.type == "organization" else None
            return None
        return None

    def previous_subject(self, article: Article, pos: int) -> Entity | None:
        """Who opens the sentence before ``pos`` in its paragraph (a name, he or she)."""
        text = article.text
        lo = self._paragraph_start(article, pos)
        starts = self._sentence_starts(article, lo, pos)
        current = max(starts)
        earlier = [s for s in starts if s < current]
        if not earlier:
            return None
        m = _OPENER.match(text, earlier[-1], current)
        if m is None or m.group("other"):
            return None
        if m.group("pro"):
            low = m.group("pro").lower()
            name, _role = self.resolve(low, article, m.start("pro"), m.start("pro"), "")
            return self.by_name.get(name or "")
        return self._opening_person(article, m.start("name"), current)

    def person_between(self, article: str, lo: int, hi: int) -> Entity | None:
        """A person named in ``article`` between ``lo`` and ``hi``, outside quotations."""
        spans = self.quoted.get(article, [])
        for start, ent in self.index.people_before(article, hi):
            if start < lo:
                return None
            if not any(s <= start < e for s, e in spans):
                return ent
        return None

    def person_before(
        self, article: str, pos: int, gender: str = "", strict: bool = False
    ) -> Entity | None:
        spans = self.quoted.get(article, [])
        text = self.texts.get(article, "")
        for start, ent in self.index.people_before(article, pos):
            if any(s <= start < e for s, e in spans):
                continue  # a name inside a quotation is not who speaks
            possessor = _POSSESSED.search(text, max(0, start - 40), start)
            if gender and possessor and _POSSESSIVE_SEX[possessor.group(1).lower()] == gender:
                # "following the death of her cooking partner Paterson, she said": the
                # partner is not "she"; the one whose partner it is, is.
                continue
            if not gender or ent.sex in ((gender,) if strict else ("", gender)):
                return ent
        return None

    def org_before(self, article: str, pos: int, noun: str = "") -> Entity | None:
        best: tuple[int, Entity] | None = None
        for (aid, start), ent in self.index.by_span.items():
            if aid == article and start < pos and ent.type == "organization":
                if noun and noun not in ent.name.lower().split():
                    continue
                if best is None or start > best[0]:
                    best = (start, ent)
        return best[1] if best else None

    def opens_sentence(self, article: Article, pos: int) -> bool:
        """True when only a connective ("But", "Still,") stands before ``pos`` in its sentence."""
        lo = self._paragraph_start(article, pos)
        current = max(self._sentence_starts(article, lo, pos))
        m = _OPENER.match(article.text, current, pos + 1)
        return m is not None and m.group("name") is not None and m.start("name") == pos

    def document_author(self, article: Article, pos: int, noun: str) -> str | None:
        """Who put out "the statement" quoted at ``pos``: "Georgia Power released a statement
        saying ... "...," the statement says." (within the two paragraphs before)."""
        lo = self._paragraph_start(article, pos, back=2)
        found = None
        # "a statement released by the Department of Defense", "a statement from several
        # board members": the author follows (up to the quote itself).
        for m in re.finditer(
            rf"\b{re.escape(noun)}\s+(?:(?:released|issued|put\s+out|posted|sent|published)\s+by"
            rf"|from)\s+(?P<by>(?:the\s+)?{_CAPS_RUN}|(?:several\s+|some\s+|two\s+|three\s+)?"
            rf"[a-z]+(?:\s+[a-z]+)?)(?=[\s,.;:]|$)",
            article.text[lo : pos + 200],
        ):
            at = lo + m.start()
            if at <= pos or (at <= pos + 40 and "." not in article.text[pos:at]):
                # this quote's own statement, or an earlier one; never the next sentence's
                found = lo + m.start("by")
                by = m.group("by")
        if found is not None:
            by = re.sub(r"^(?:the|several|some|two|three)\s+", "", by).rstrip(".")
            if by[:1].isupper():
                ent = self.index.find(by, article.id, found)
                return ent.name if ent is not None else by
            return by if by.split()[-1] in GROUP_SPEAKERS | ROLE_PLURALS else None
        for m in re.finditer(
            rf"(?:(?<=\s)|^)(?:(?P<who>{_CAPS_RUN}\s+)|(?P<group>[a-z]+)\s+)?"
            rf"(?:released|issued|put\s+out|posted|sent|"
            rf"published|said\s+in)\s+(?:a|an|its)\s+(?:[\w\-]+\s+){{0,2}}?{re.escape(noun)}\b",
            article.text[lo:pos],
        ):
            found = lo + m.start("who") if m.group("who") else lo + m.start()
            written = m.group("who")
            group = m.group("group") if m.group("group") in GROUP_SPEAKERS else None
        if found is None:
            return self._statement_sayer(article, lo, pos, noun)
        if group:  # "Saldanha's family released a statement": the family
            return group
        if written and written.split()[0] not in COMMON_CAPS:
            # "Georgia Power released a statement": the words right before the verb.
            ent = self.index.find(written.strip(), article.id, found)
            return ent.name if ent is not None else written.strip()
        sentence = max(self._sentence_starts(article, lo, found))
        spans = self.quoted.get(article.id, [])
        authors = [
            (start, ent)
            for (aid, start), ent in self.index.by_span.items()
            if aid == article.id
            and sentence <= start < found
            and ent.type in ("person", "organization")
            and not any(a <= start < b for a, b in spans)
        ]
        return min(authors, key=lambda t: t[0])[1].name if authors else None

    def _statement_sayer(self, article: Article, lo: int, pos: int, noun: str) -> str | None:
        """ "In a statement, the station's owner, Southern Cross Media, said ...": the person or
        organization named (not as a possessive) between the statement and the verb."""
        text = article.text
        sayer = None
        for m in re.finditer(
            rf"\b[Ii]n\s+(?:a|an|its|his|her|their)\s+(?:[\w\-]+\s+){{0,2}}?{re.escape(noun)}"
            r",\s+(?P<who>[^.;\"“”]{2,100}?)\s+(?:said|says|added|wrote)\b",
            text[lo:pos],
        ):
            start, end = lo + m.start("who"), lo + m.end("who")
            named = [
                ent
                for (aid, at), ent in self.index.by_span.items()
                if aid == article.id
                and start <= at < end
                and ent.type in ("person", "organization")
                and not _possessive(text, at + len(_form_at(ent, text, at)))
            ]
            sayer = named[-1].name if named else None
        return sayer

    def role_holder(self, role: str, article: str, pos: int) -> Entity | None:
        found = self.role_holder_exact(role, article, pos)
        return found[0] if found else None

    def role_holder_exact(self, role: str, article: str, pos: int) -> tuple[Entity, bool] | None:
        """The person holding ``role``, and whether the title is exactly that role."""
        words = [w for w in re.findall(r"[\w'’\-]+", role.lower()) if w not in {"the", "a"}]
        if not words:
            return None
        head = words[-1].rstrip("s") if words[-1] not in ROLE_HEADS else words[-1]
        want = set(words[:-1]) - {"an", "one", "another", "of", "for", "at"}
        best: tuple[tuple[int, int, int], Entity] | None = None
        for held, ent, aid, start in self.roles:
            held_words = set(re.findall(r"[\w'’\-]+", held))
            if head not in held_words or not want <= held_words:
                continue
            # Prefer the exact title ("President" over "WHCA President"), then the holder
            # named most recently before, in the same article.
            exact = int(held_words == want | {head})
            if aid == article and start < pos:
                # The holder mentioned last, by any form ("President Barack Obama" earlier,
                # then "Trump was overstating ..., the president said"): who is talked about
                # (+6 speakers on lines 1-150 over the last titled mention).
                last = max(s for a, s, _e, _t in ent.spans if a == article and s < pos)
                rank = (exact, 1, last)
            else:
                rank = (exact, 0, len(ent.spans))
            if best is None or rank > best[0]:
                best = (rank, ent)
        return (best[1], bool(best[0][0])) if best else None

    def _described(
        self, article: Article, who_start: int, quote_start: int, role: str
    ) -> Entity | str | None:
        """Whom "the actor" points back to, when no one holds that exact title.

        Opening a sentence, the person opening the sentence before ("Jon Bernthal says ...
        The actor told SiriusXM, "..."); after a quote, the person (or the unnamed role: "One
        worker, ..., mentioned") opening the sentence right before the quote ("Analyst Dora
        Whitby was less skeptical. "...," the investigator said."), else the person quoted
        last, within two paragraphs ("... ," said the actor).
        """
        head = role.lower().split()[-1]
        gender = ROLE_GENDER.get(head, "")
        if self.opens_sentence(article, who_start):
            chain = self.subject_chain(article, who_start, "", gender)
            return chain[1] if chain is not None and isinstance(chain[1], Entity) else None
        pos = min(who_start, quote_start)
        chain = self.subject_chain(article, pos, "", gender)
        if (
            chain is not None
            and chain[2] == 0
            # "the video's narrator" is someone of the video, not who the sentence is about
            and not re.search(r"['’]s?\s", role)
            # "Johnson ... was respected, said a Miami Gardens officer.": that sentence is
            # someone else's words about its subject.
            and not _SAID_BY.search(article.text, chain[0], pos)
        ):
            return chain[1]
        last = self.last_speaker.get(article.id)
        if (
            last is not None
            and last[1].type == "person"  # "the man said" is no company quoted before
            and last[1].sex in ("", gender or last[1].sex)
            and last[0] >= self._paragraph_start(article, pos, back=2)
        ):
            return last[1]
        return None

    def resolve(
        self,
        who: str,
        article: Article,
        who_start: int,
        quote_start: int,
        after: str,
        app: tuple[int, int] | None = None,
    ) -> tuple[str | None, str | None]:
        """(speaker, role) for the written speaker ``who`` found at ``who_start``."""
        low = who.lower()
        following = _FOLLOWING_NAME.match(after)
        if "year-old" in low and following:  # "said 16-year-old Jennie Steinberg"
            ent = self.index.find(following.group(1), article.id, who_start)
            return (ent.name if ent else following.group(1)), None
        if low in _PRONOUNS or "year-old" in low:
            gender = _PRONOUNS.get(low, "")
            pos = min(who_start, quote_start)
            # 1. The person the sentences before are about: a sentence opened by a name,
            # then perhaps by the same pronoun ("Gianforte pleaded guilty. He apologized,
            # saying, "..."): more recent than any quote before it, by construction.
            if low in _PRONOUNS:
                chain = self.subject_chain(article, pos, low)
                if chain is not None:
                    said = chain[1]
                    # "..., a hospital official said. He spoke on condition of anonymity.
                    # "Many of the dead ...," he told The Associated Press.": the official.
                    return (said, said) if isinstance(said, str) else (said.name, None)
            # 2. The person quoted last, if in this paragraph or the one before, or further
            # back when nobody else is named since (outside quotations).
            last = self.last_speaker.get(article.id)
            if (
                last is not None
                and last[1].sex in ("", gender)
                and (
                    last[0] >= self._paragraph_start(article, pos, back=1)
                    or self.person_between(article.id, last[0], pos) is None
                )
            ):
                return last[1].name, last[2]
            # 3. The subject of the sentence before, then the person named last before the
            # pronoun (names inside quotes do not count): first among people known to be
            # "he" or "she", then among people of unknown gender.
            ent = (
                self.subject_before(article, pos, gender, strict=True)
                or self.person_before(article.id, pos, gender, strict=True)
                or self.subject_before(article, pos, gender)
                or self.person_before(article.id, pos, gender)
            )
            return (ent.name, None) if ent else (None, None)
        if low in ("they", "we"):
            if article.id in self.last_group:  # "the authors write. But, they add, ..."
                return self.last_group[article.id], None
            ent = self.org_before(article.id, quote_start)
            return (ent.name, None) if ent else (None, None)
        if low in GROUP_SPEAKERS:
            return low, None
        noun = re.sub(r"^(?:the|an?)\s+", "", low)
        if (
            " " in noun
            and noun.split()[-1] in ORG_NOUNS
            and re.sub(r"^(?:the|an?)\s+", "", who, flags=re.I).islower()
        ):
            noun = noun.split()[-1]  # "the truck driver group": a group
        if noun in DOCUMENT_SPEAKERS:
            author = self.document_author(article, who_start, noun) if low != noun else None
            return (author or noun), None
        if noun in ORG_NOUNS and low.startswith("the "):
            # The organization of that kind named last, else one named in quotes ('the group
            # "Truckers for the Constitution"'), else the organization named last.
            org = self.org_before(article.id, who_start, noun)
            quoted = [
                (at, name)
                for at, kind, name in self.quoted_orgs[article.id]
                if kind == noun and at < who_start
            ]
            if quoted and (
                org is None or self._start_of(org, article.id, who_start) < quoted[-1][0]
            ):
                return quoted[-1][1], None
            org = org or self.org_before(article.id, who_start)
            return (org.name if org else noun), None
        first = low.split()[0]
        is_role = (first in _DETERMINERS or first.endswith(("'s", "’s"))) and bool(
            _ROLE_WORD.search(who)
        )
        role_text = re.sub(r"^(?:the|a|an|one|another)\s+", "", who, flags=re.I)
        if app and is_role:
            # "the press secretary, Cyril Volkov, said": the named person speaks.
            for (aid, start), ent in self.index.by_span.items():
                if aid == article.id and app[0] <= start < app[1] and ent.type == "person":
                    return ent.name, role_text
            named = article.text[app[0] : app[1]].strip(" ,")
            if _BARE_NAME.match(named):
                ent = self.index.find(named, article.id, app[0])
                return (ent.name if ent else named), role_text
        apposed = _APPOSED_NAME.match(after)
        if is_role and apposed:
            # "said the lead author, Dr. Sripal Bangalore, an associate professor", "said
            # Melquan's former coach, Don Clark": the named person.
            named = apposed.group(1)
            ent = self.index.find(named, article.id, who_start)
            if ent is not None and ent.type == "person":
                return ent.name, role_text
        if is_role and following and following.group(1).split()[0].lower() not in _NOT_NAME_LOW:
            # "says his mother Robin Roberts": the name after the role speaks.
            named = following.group(1)
            ent = self.index.find(named, article.id, who_start)
            return (ent.name if ent else named), role_text
        if is_role:
            if first == "the":
                held = self.role_holder_exact(role_text, article.id, who_start)
                if held is not None and held[1]:  # "Foreign Minister Lavrov" ... "the minister"
                    return held[0].name, role_text
                described = self._described(article, who_start, quote_start, role_text)
                if isinstance(described, str):  # "One worker mentioned ... "...," the man said."
                    return described, described
                if described is not None:
                    return described.name, role_text
                if held is not None:
                    return held[0].name, role_text
            return role_text, role_text
        name = re.sub(r"^the\s+", "", who, flags=re.I)
        name = re.sub(r"[’']s?$", "", name).rstrip(".")
        # The entity mentioned inside the written speaker ("Battalion Chief Larry Collins",
        # "Xbox's Marc Whitten"): a person before anything else.
        inside = [
            e
            for k in range(len(who))
            if (e := self.index.at(article.id, who_start + k)) is not None
        ]
        people = [e for e in inside if e.type == "person"]
        ent = (people or inside)[0] if inside else None
        if ent is None:
            ent = self.index.find(name, article.id, who_start)
        if " " not in name and (
            (ent is None and name[:1].isupper())
            or (
                ent is not None
                and ent.type == "person"
                and " " not in ent.name
                and name.lower() in FIRST_NAME_GENDER
            )
        ):
            # "Hilario says": the one person of the story with that first name, if any
            # (the index keeps a first name alone as its own entity).
            ent = self.first_named(name) or ent
        role = None
        m = _APPOSITION.match(after)
        if m and _ROLE_WORD.search(m.group("role")):
            role = m.group("role")
        return (ent.name if ent else name), role


def _is_place(res: _Resolver, art: Article, base: int, m: re.Match[str]) -> bool:
    """Whether the written speaker of ``m`` is a place ("in Laurel, Maryland: "..."").

    A place never speaks: the attribution is skipped and the next rule tried.
    """
    who = m.group("who")
    if not who[:1].isupper() or who.split()[0].lower() in COMMON:
        return False
    at = base + m.start("who")
    # "Maryland Gov. Martin O'Malley", "Sen. Jeff Sessions of Alabama": a person inside the
    # written speaker is who speaks (as in _Resolver.resolve).
    inside = [e for k in range(len(who)) if (e := res.index.at(art.id, at + k)) is not None]
    if inside:
        return all(e.type == "place" for e in inside)
    ent = res.by_name.get(who) or res.index.find(who, art.id, at)
    if ent is not None:
        return ent.type == "place"
    return classify(who) == "place"


def _attribute(
    res: _Resolver, art: Article, q: _Quote, ps: int, pe: int, spans: list[tuple[int, int]]
) -> tuple[str | None, str | None] | None:
    text = art.text
    close = q.end
    while close < pe and text[close] in '"”,;:—– \ufffd':
        if text[close] in '"”\ufffd':
            close += 2 if text.startswith("\ufffd?", close) else 1
            break
        close += 1
    after = text[close:pe]
    # After a quote that ends its sentence ("... the end." Adds Smith: "...") the next words
    # start a new sentence and introduce the next quote, not this one.
    if not q.text.endswith(".") and _IT_SAID_AFTER.match(after):
        # "...," it cautioned.: the organization the sentences before are about.
        ent = res.it_subject(art, q.start)
        return (ent.name, None) if ent is not None else None
    media = _MEDIA_SAID.match(after, len(after) - len(after.lstrip(" ,—–-")))
    if media is not None and not q.text.endswith("."):
        return _who(res, art, q, close, media, after)
    for pat in _AFTER if not q.text.endswith(".") else ():
        m = pat.match(after)
        if m and not _is_place(res, art, close, m):
            return _who(res, art, q, close, m, after)
    sstart, send = _sentence_bounds(text, ps, pe, q.start, spans)
    before = text[sstart : max(sstart, q.start - 1)]
    if _IT_SAID_BEFORE.match(before):
        # "It cautions: "...": the organization the sentences before are about.
        ent = res.it_subject(art, sstart)
        return (ent.name, None) if ent is not None else None
    asked = _ASKED_BY.match(before)
    if asked is not None:
        # "Asked by TV3's Duncan Garner Friday, "Do you rule out ...?"": the asker speaks.
        lo, hi = sstart + asked.start("by"), sstart + asked.end("by")
        people = [
            e
            for k in range(lo, hi)
            if (e := res.index.at(art.id, k)) is not None and e.type == "person"
        ]
        if people:
            return people[-1].name, None
    # "When Crowley said she was surprised ..., he shot back: "...": the fronted clause's
    # "said" reports nothing of the main clause, whose subject speaks.
    fronted = _FRONTED.match(before)
    best: re.Match[str] | None = None
    said_by: list[tuple[int, int]] = []  # the "Smith said" matches of the first pattern
    for pat in _IN_SENTENCE:
        for m in pat.finditer(before):
            if pat is _IN_SENTENCE[0]:
                said_by.append(m.span())
            elif (
                pat is _IN_SENTENCE[1]
                and m.group("who")[:1].islower()
                and any(a <= m.start() < b for a, b in said_by)
            ):
                # "Prideaux said the paper, published in Nature, "...": the "said" of
                # "Prideaux said" opens a reported clause, "the paper" is no speaker.
                continue
            if pat is _IN_SENTENCE[2] and (
                m.group("who").lower() in _PLATFORMS or _LISTENER.search(before, 0, m.start())
            ):
                # "... in a post on Facebook: "...", "The student told the Guardian: "...":
                # the poster and the student speak, not Facebook or the Guardian.
                continue
            if _is_place(res, art, sstart, m):
                continue
            if (
                best is not None
                and _REPORTED.match(before, best.end(), m.start() + 1)
                # "X released a statement" reports nothing: a later "Y said" is no report.
                and not _STATEMENT.search(best.group(0))
                # "Cohen asked again, to which Keilar replied, "..."": an answer, no report.
                and not before.endswith("which ", 0, m.start())
                and not (fronted and best.start() < fronted.end() <= m.start())
                # ", Kerry said here Monday," after a clause attributes that clause: it is
                # no report inside the first ("Pakistan has agreed to ..., Kerry said").
                and not (
                    pat is _IN_SENTENCE[0]
                    and before.endswith(", ", 0, m.start())
                    and _PARENTHETICAL_END.match(before, m.end())
                )
            ):
                continue  # "Unruh said her son told ...": the son is inside what she said
            if best is None or m.start() > best.start():
                best = m
    if best is not None and fronted and best.start() < fronted.end():
        main = _MAIN_CLAUSE.match(before, fronted.end())
        if main is not None:
            return _who(res, art, q, sstart, main, before)
    if best is not None:
        return _who(res, art, q, sstart, best, before)
    if close < send and not q.text.endswith("."):  # a quote ending "." ends its sentence
        rest = text[close:send]
        for pat in _IN_SENTENCE:
            m = pat.search(rest)
            if m and not _is_place(res, art, close, m):
                return _who(res, art, q, close, m, rest)
    for m in _SUBJECT.finditer(before, 0, min(len(before), _SUBJECT_REACH + 40)):
        if m.start() > _SUBJECT_REACH:
            break
        who = m.group("who")
        if who.split()[0].lower() in COMMON - {"he", "she"} - _DETERMINERS:
            continue
        speaker, role = _who(res, art, q, sstart, m, before)
        named = _FOLLOWING_NAME.match(before, m.end())
        if role and named:  # "His wife Lynn jumped in"
            return named.group(1), role
        ent = res.by_name.get(speaker or "")
        if speaker and (
            (ent is not None and ent.type == "person")
            or role
            or (
                ent is None
                and len(who.split()) > 1
                and _BARE_NAME.match(who)
                and classify(who) == ""
            )
        ):
            return speaker, role
    return None


def _previous_sentence(
    res: _Resolver, art: Article, q: _Quote, ps: int, pe: int, spans: list[tuple[int, int]]
) -> tuple[str | None, str | None] | None:
    """A quote opening a sentence with no attribution: the speaker of the sentence before.

    ("... six senators wrote a letter. "It is imperative ...")
    """
    text = art.text
    sstart, _send = _sentence_bounds(text, ps, pe, q.start, spans)
    before = text[sstart : max(sstart, q.start - 1)]
    if sstart <= ps or (before.strip() and not _CONNECTIVE.fullmatch(before.strip())):
        return None  # "Still, "He knew ..."": a connective is no attribution
    pstart, _ = _sentence_bounds(text, ps, pe, sstart - 1, spans)
    prev = text[pstart:sstart]
    last = None
    for m in _IN_SENTENCE[0].finditer(prev):
        last = m
    if last is None or any(a <= pstart + last.start() < b for a, b in spans):
        return None
    speaker, role = _who(res, art, q, pstart, last, prev)
    return (speaker, role) if speaker else None


def _dialogue_turn(
    text: str, paras: list[tuple[int, int]], pi: int, q: _Quote, out: list[_Quote]
) -> str | None:
    """A short unattributed line after two attributed lines of two people: the other's turn.

    (""Says who?" Cohen fired back. / "Polls. All of them?" replied anchor Brianna Keilar. /
    "Says who?" he asked again. / "Polls. I just told you." -> Keilar.)
    """
    if pi < 2 or text[paras[pi][0]] not in '"“' or len(q.text.split()) > _TURN_WORDS:
        return None
    turns: list[_Quote] = []
    for back in (1, 2):
        ps, pe = paras[pi - back]
        inside = [o for o in out if ps <= o.start < pe]
        if text[ps] not in '"“' or not inside or not inside[-1].explicit:
            return None
        turns.append(inside[-1])
    last, before = turns
    if last.speaker and before.speaker and last.speaker != before.speaker:
        return before.speaker
    return None


def _previous_subject(
    res: _Resolver, art: Article, q: _Quote, ps: int, pe: int, spans: list[tuple[int, int]]
) -> str | None:
    """A quote opening a sentence, no one said to speak: who the sentence before is about.

    ("Herman shakes his head. "I'm just saying go with your gut."")
    """
    sstart, _send = _sentence_bounds(art.text, ps, pe, q.start, spans)
    before = art.text[sstart : max(sstart, q.start - 1)].strip()
    if sstart <= ps or (before and not _CONNECTIVE.fullmatch(before)):
        return None
    ent = res.previous_subject(art, sstart)
    return ent.name if ent is not None and ent.type == "person" else None


def _paragraph_pronoun(
    res: _Resolver, art: Article, q: _Quote, ps: int, pe: int, spans: list[tuple[int, int]]
) -> str | None:
    """A quote opening a sentence in a paragraph told about "he"/"she": that person.

    ("He went to the bathroom. He entered a stall. ... "I was trying to figure out what to
    do."": whoever the paragraph's last sentence-opening "He" is.)
    """
    text = art.text
    sstart, _send = _sentence_bounds(text, ps, pe, q.start, spans)
    before = text[sstart : max(sstart, q.start - 1)].strip()
    if sstart <= ps or (before and not _CONNECTIVE.fullmatch(before)):
        return None
    last = None
    for m in _PRONOUN_OPENS.finditer(text, ps, sstart):
        if not any(a <= m.start(1) < b for a, b in spans):
            last = m
    if last is None:
        return None
    pos = last.start(1)
    speaker, _role = res.resolve(last.group(1).lower(), art, pos, pos, "")
    ent = res.by_name.get(speaker or "")
    return speaker if ent is not None and ent.type == "person" else None


def _who(
    res: _Resolver, art: Article, q: _Quote, base: int, m: re.Match[str], seg: str
) -> tuple[str | None, str | None]:
    who = m.group("who")
    app = None
    if "app" in m.groupdict() and m.group("app"):
        app = (base + m.start("app"), base + m.end("app"))
    return res.resolve(who, art, base + m.start("who"), q.start, seg[m.end("who") :], app)


def _previous_paragraph_speaker(
    res: _Resolver, art: Article, ps: int, pe: int, quotes: list[_Quote]
) -> str | None:
    """Who a quotation paragraph without attribution belongs to, from the paragraph before."""
    inside = [q for q in quotes if ps <= q.start < pe]
    if inside and inside[-1].speaker:
        return inside[-1].speaker
    para = art.text[ps:pe]
    last = None
    for m in _IN_SENTENCE[0].finditer(para):
        last = m
    if last is not None:
        speaker, _ = res.resolve(last.group("who"), art, ps + last.start("who"), pe, "")
        if speaker:
            return speaker
    ent = res.person_before(art.id, pe)
    if ent is not None and any(a == art.id and ps <= s < pe for a, s, _e, _t in ent.spans):
        return ent.name
    return None


def _interview_speakers(res: _Resolver, art: Article, paras: list[tuple[int, int]]) -> list[str]:
    """Per paragraph, who talks in an interview transcript ("PT: ...", "MD: ..."), else "".

    A label is the initials (or the surname, in capitals) of a person of the story; an
    article needs two labelled paragraphs to count as a transcript, and a paragraph without
    a label continues the answer of the last one.
    """
    text = art.text
    labels: list[str] = []
    for ps, pe in paras:
        m = _INTERVIEW_LABEL.match(text, ps, pe)
        labels.append(m.group(1) if m else "")
    people = [e for e in res.index.entities if e.type == "person"]
    who: dict[str, str] = {}
    for label in set(labels) - {""}:
        key = label.replace(" ", "").replace(".", "").upper()
        for ent in sorted(people, key=lambda e: -sum(e.mentions.values())):
            words = ent.name.replace("-", " ").split()
            if key in (
                "".join(w[0] for w in words).upper(),
                words[-1].upper(),
                "".join(words).upper().replace(".", ""),
            ) or any(key == "".join(f.split()).upper().replace(".", "") for f in ent.forms):
                who[label] = ent.name
                break
        else:
            words = label.lower().replace("'s", "").split()
            if (
                label.isupper()
                and len(words) > 1
                and (words[0] in FIRST_NAME_GENDER or not set(words) & _HEADING_WORDS)
                and all(w.isalpha() for w in words)
                and classify(label.title()) in ("", "person")
            ):
                # "PAUL RUDD: ...", an oral history: the name in capitals ("EDITOR'S NOTE:",
                # "SEE ALSO:", "BREAKING NEWS:" are headings, not people)
                who[label] = label.title()
    if sum(1 for x in labels if x in who) < 2:
        return [""] * len(paras)
    out: list[str] = []
    current = ""
    for label in labels:
        if label:  # a heading ends the answer before it
            current = who.get(label, "")
        out.append(current)
    return out


# Honorifics and formal titles before a surname inside a quotation: the quote speaks of that
# person. On lines 1-150 of the gold set, 5 of 5 such speakers were wrong.
_SPOKEN_OF = (
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Sir|Dame|Secretary|Senator|Sen|Rep|Gov|Governor"
    r"|Mayor|Judge|Justice|Gen|General|Officer|Detective|Det|Sheriff|Deputy|Ambassador"
    r"|Minister|Chancellor|Commissioner)\.?\s+"
)


def _spoken_of(text: str, speaker: str) -> bool:
    """Whether ``text`` names ``speaker`` by title and surname ("Mr. Spacey denies ...") or
    by first name alone ("I guess Mitt will have to tell us"): then someone else says it.

    A surname alone is no sign (family members share it: 0.873 -> 0.866 on lines 1-150), nor
    is the full name (a letter signed "the designer Mikhail Kalashnikov").

    >>> _spoken_of("I guess Mitt will have to tell us", "Mitt Romney")
    True
    >>> _spoken_of("The Romney family is proud", "Mitt Romney")
    False
    >>> _spoken_of("I, Mitt Romney, approve this message", "Mitt Romney")
    False
    """
    words = speaker.split()
    if len(words) < 2:
        return False
    first = words[0]
    if (
        first.lower() in FIRST_NAME_GENDER
        and first in text
        and re.search(rf"(?<![\w.])\b{re.escape(first)}\b(?!\s+[A-Z])", text) is not None
    ):
        return True
    if words[-1] not in text:  # the common case, without a pattern
        return False
    return re.search(_SPOKEN_OF + re.escape(words[-1]) + r"\b", text) is not None


def _article_quotes(res: _Resolver, art: Article) -> list[_Quote]:
    text = art.text
    paras = list(paragraphs(text))
    interview = _interview_speakers(res, art, paras)
    out: list[_Quote] = []
    for pi, (ps, pe) in enumerate(paras):
        next_opens = pi + 1 < len(paras) and text[paras[pi + 1][0]] in '"“'
        para_quotes: list[_Quote] = []
        spans = _quote_spans(text, ps, pe, next_opens)
        for start, end in spans:
            s, e = _clean_span(text, start, end)
            inner = text[s:e]
            before = text[ps : start - 1].rstrip()
            standalone = not before or before[-1] in ".:!?,"
            ended = text[end - 1 : end] in ",.!?"
            if not _keep(inner, standalone, ended):
                continue
            q = _Quote(art.id, s, e, inner, para=pi, open_ended=end >= pe)
            res.quoted.setdefault(art.id, []).append((s, e))
            found = _attribute(res, art, q, ps, pe, spans)
            if found is not None:
                q.speaker, q.role = found
                q.explicit = True
            elif interview[pi]:  # said within an answer ("I'd go, "..."") by who answers
                q.speaker = interview[pi]
            elif para_quotes and para_quotes[-1].speaker:
                q.speaker, q.role = para_quotes[-1].speaker, para_quotes[-1].role
            elif (prev := _previous_sentence(res, art, q, ps, pe, spans)) is not None:
                q.speaker, q.role = prev
            elif (subject := _previous_subject(res, art, q, ps, pe, spans)) is not None:
                q.speaker = subject
            elif (turn := _dialogue_turn(text, paras, pi, q, out)) is not None:
                q.speaker = turn
            elif (told := _paragraph_pronoun(res, art, q, ps, pe, spans)) is not None:
                q.speaker = told
            elif pi > 0 and (text[ps] in '"“' or _LABEL.match(text, ps, start)):
                prev_s, prev_e = paras[pi - 1]
                q.speaker = _previous_paragraph_speaker(res, art, prev_s, prev_e, out)
            if q.speaker and _spoken_of(q.text, q.speaker):
                # "Mr. Fields' actions were justified," the statement read: whoever says
                # "Mr. Fields" is not Fields (his lawyer, a spokesman): the role, if any.
                q.speaker = q.role
            if q.speaker and (q.explicit or not interview[pi]):
                # Who answers an interview says "I": a "he" in the answer is someone else.
                ent = res.by_name.get(q.speaker)
                if ent is not None and ent.type == "person":
                    res.last_speaker[art.id] = (q.end, ent, q.role)
                elif ent is None and q.speaker.endswith("s"):
                    res.last_group[art.id] = q.speaker
            para_quotes.append(q)
        out.extend(para_quotes)
    # A quotation running over several paragraphs is often attributed only at its end.
    for i in range(len(out) - 2, -1, -1):
        q, nxt = out[i], out[i + 1]
        if q.speaker is None and nxt.para == q.para + 1 and nxt.speaker:
            ps, pe = paras[q.para]
            if q.open_ended:
                q.speaker, q.role = nxt.speaker, nxt.role
    return out


def _key(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").lower()
    return " ".join(re.findall(r"[\w']+", text))


def _same(a: str, b: str) -> bool:
    # score_cutoff lets rapidfuzz stop early; the scores compared are the same.
    if ratio(a, b, score_cutoff=SAME_QUOTE):
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= CONTAINED_MIN_CHARS and bool(
        partial_ratio(short, long_, score_cutoff=CONTAINED)
    )


def extract_quotes(story: StoryLike, index: EntityIndex | None = None) -> list[dict[str, Any]]:
    """Every direct quotation of ``story``, one item per quote across its articles.

    Items are ``{"text", "speaker", "role"?, "articles", "variants", "offsets"}``:
    ``variants`` lists each distinct wording with the articles carrying it (the item's
    ``text`` is the wording most articles use), ``offsets`` every occurrence
    (``{"article", "start", "end"}`` into that article's text). ``index`` lets a caller
    share one entity index with ``extract_entities``.

    >>> from newsdesk.models import Article
    >>> from types import SimpleNamespace
    >>> a = Article.create(source="a", text='Smith said: "The bridge will reopen in May."')
    >>> text = '"The bridge will reopen in early May," Jane Smith said.'
    >>> b = Article.create(source="b", text=text)
    >>> q = extract_quotes(SimpleNamespace(articles=(a, b), sentences={}))
    >>> len(q), q[0]["speaker"], len(q[0]["variants"])
    (1, 'Jane Smith', 2)
    """
    index = index if index is not None else build_index(story)
    res = _Resolver(story, index)
    groups: list[list[_Quote]] = []
    keys: list[str] = []
    for art in story.articles:
        for q in _article_quotes(res, art):
            k = _key(q.text)
            for gi, gk in enumerate(keys):
                if _same(k, gk) and (
                    q.article not in {o.article for o in groups[gi]}
                    # The same words twice in one article, by one speaker, are one quote.
                    or (k == gk and all(o.speaker == q.speaker for o in groups[gi]))
                ):
                    groups[gi].append(q)
                    break
            else:
                groups.append([q])
                keys.append(k)
    return [_group_item(g) for g in groups]


def _group_item(group: list[_Quote]) -> dict[str, Any]:
    wordings: dict[str, tuple[str, list[str]]] = {}
    for q in group:
        k = _key(q.text)
        _text, arts = wordings.setdefault(k, (q.text, []))
        if q.article not in arts:
            arts.append(q.article)
    best = max(wordings.values(), key=lambda v: (len(v[1]), len(v[0])))
    # A speaker who is a named entity outvotes a bare role ("press secretary").
    named = [q.speaker for q in group if q.speaker and q.speaker != q.role]
    speakers = Counter(named or [q.speaker for q in group if q.speaker])
    roles = Counter(q.role for q in group if q.role)
    articles: list[str] = []
    for q in group:
        if q.article not in articles:
            articles.append(q.article)
    item: dict[str, Any] = {
        "text": best[0],
        "speaker": speakers.most_common(1)[0][0] if speakers else None,
    }
    if roles:
        item["role"] = roles.most_common(1)[0][0]
    item["articles"] = articles
    item["variants"] = [{"text": t, "articles": a} for t, a in wordings.values()]
    item["offsets"] = [{"article": q.article, "start": q.start, "end": q.end} for q in group]
    return item
