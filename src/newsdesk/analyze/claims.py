"""Claims: the story's statements aligned across articles, counted per independent outlet.

Each statement of each original article (syndicated copies are not extra support) is compared
with every statement of the other articles by ``ClaimMatcher``, a matcher of its own that sees
paraphrase better than the summary's citations (``dedup.SentenceIndex``): words are cut to a
short stem ('arrests', 'arrested' and 'arresting' are one term), shared numbers weigh more, and
besides the cosine it asks how much of the shorter sentence the longer one covers. The
attribution ("Priya Lindqvist, the city's transportation director, said", ", officials said
Friday", "according to police") is not the claim: its terms weigh ``ATTRIBUTION_WEIGHT`` and
do not count as shared, so one speaker saying two things is not one fact. Linked pairs
are joined strongest first into claims of at most one sentence per article, each sentence
linked to all the others; a claim is told in the words of its earliest-placed statement.
``outlets`` counts distinct outlets among the originals, so an outlet with two articles, or a
wire story under two names, counts once.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ..models import Article, Sentence
from ..text import NUMBER_WORDS, STOPWORDS, stem, words

MIN_WORDS = 6
"""Shorter sentences ('He declined.', bylines that survived cleaning) are not claims."""

MIN_MEMBER_WORDS = 3
"""Sentences of 3-5 words ('His name has not been released.') may support a claim, by cosine."""

_QUESTION = re.compile(r"\?\s*[\"”’']?\s*$")

PREFIX = 7
"""Stems are cut to this many letters, so 'investigators' meets 'investigation'. Calibration
here and below: ``benchmarks/claims_eval.py --gold validation --sweep`` (66 validation links;
as set, link precision 0.84 (16/19), recall 0.24): 5 letters the same, 6 loses a right link,
uncut two."""

NUMBER_WEIGHT = 2.0
"""A shared number ('14 people', '$4.2 million', '1958') is a strong sign of one fact: 1.0 and
1.5 lose right links, 3.0 brings 5 more false ones."""

COSINE = 0.36
"""Cosine at or above which two sentences carry the same fact: 0.30-0.33 add 2 false links,
0.39-0.50 lose a right one (precision 0.88, recall 0.23)."""

COVER = 0.5
"""Share of the shorter sentence's weighted terms found in the other, for a paraphrase (the
overlap coefficient): 0.45 adds a false link, 0.6 or no cover rule lose a right one."""

COVER_COSINE = 0.3
"""The cosine a paraphrase must still reach besides ``COVER``: 0.2 adds 2 false links."""

MIN_SHARED = 2
"""Two sentences must share at least this many terms to count as the same fact."""

ATTRIBUTION_WEIGHT = 0.25
"""Weight, in a pair's cosine and cover, of a term found only in either sentence's attribution
(``split_attribution``): the speaker and their title say who, not what; a term in both
attributions does not count toward ``MIN_SHARED`` either. On validation 0 to 0.75 give the same
links (precision 0.89 (16/18), recall 0.24), 0.9 and 1.0 (the rule off) 0.84 (16/19). Set by
the invented stories of tests/test_claims.py: at 0 "Mayor X called it 'a dark day'" no longer
meets '"a dark day," Mayor X said' (also in examples/bridge-collapse); at 0.5 one speaker
saying two things about one ferry links again."""

JOIN_SHARE = 1.0
"""Two groups join only when this share of the sentence pairs across them are linked: at 0.5
a sentence telling two facts chains them (precision 0.74 (14/19))."""

FloatMatrix = npt.NDArray[np.float64]


class StoryLike(Protocol):
    @property
    def articles(self) -> tuple[Article, ...]: ...

    @property
    def originals(self) -> tuple[Article, ...]: ...

    @property
    def sentences(self) -> dict[str, tuple[Sentence, ...]]: ...


def outlet_key(article: Article) -> str:
    """Who stands behind an article: its outlet's name, normalized; unknown outlets stand alone."""
    if article.outlet:
        name = re.sub(r"[^a-z0-9 ]", "", article.outlet.lower())
        return re.sub(r"^the ", "", " ".join(name.split()))
    return f"source:{article.id}"


def _is_statement(sentence: Sentence) -> bool:
    return sentence.words >= MIN_WORDS and not _QUESTION.search(sentence.text)


def _is_member(sentence: Sentence) -> bool:
    """Short statements ('His name was not released.') may support a claim, not make one."""
    return sentence.words >= MIN_MEMBER_WORDS and not _QUESTION.search(sentence.text)


def claim_terms(text: str) -> list[str]:
    """Content terms for matching claims: stop words dropped, numbers normalized, short stems.

    >>> claim_terms("Investigators arrested four protesters")
    ['investi', 'arrest', '4', 'protest']
    >>> sorted(claim_terms("the investigation: 4 arrests of a protester"))
    ['4', 'arrest', 'investi', 'protest']
    """
    return [t for t in map(_term, words(text)) if t]


@lru_cache(maxsize=65536)
def _term(word: str) -> str:
    """``word``'s claim term, or "" for a stop word."""
    w = NUMBER_WORDS.get(word, word).replace(",", "").replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if w in STOPWORDS or (len(w) < 2 and not w.isdigit()):
        return ""
    term = stem(w)
    return term if term[0].isdigit() else term[:PREFIX]


_VERB = r"(?:said|says|say|told|tells|added|adds|noted|notes|explained|stated|wrote|writes)"
_WORD = r"[^\s,;\"“”]+"  # a word: no comma, semicolon or quotation mark in it
_QUOTE = r"[\"“”]"
_DAY = (
    r"(?:today|yesterday|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"morning|afternoon|evening|night|week)"
)
_AT = r"(?:\s+(?:(?:on|late|early|earlier|this|last)\s+)?" + _DAY + r"\b)*"
# when and where it was said: "said Friday", "said late Thursday in a statement"
_WHEN = (
    _AT + r"(?:\s+(?:in|at|during|on)\s+(?:a|an|the|his|her|their|its)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:statement|interview|conference|briefing|release|post|video|letter|recording|call)\b)?"
    + _AT
)
# a clause of its own, not an attribution: ", and Holt said the radar ..."
_OPENER = (
    r"(?!(?:and|but|or|while|because|as|which|who|when|so|if|although|though|since|after|"
    r"before|where|whose)\b)"
)
# what follows is what was said, not who said it: "said it would", "said to have"
_CLAUSE = r"(?!\s+(?:to|that|it|he|she|they|we|i|you|there|this|these|those)\b)"
_SAY = rf"(?:(?:told|tells)(?:\s+{_WORD}){{1,6}}?{_WHEN}|{_VERB}{_WHEN})"

_LEADING = re.compile(  # "Priya Lindqvist, the city's transportation director, said (that)"
    rf"^\s*{_QUOTE}?\s*(?P<who>[^,;\"“”]{{1,80}}?)\s*(?:,[^\"“”]{{1,200}}?,\s*)?"
    rf"(?:(?:told|tells)(?:\s+{_WORD}){{1,4}}?\s+that\b|{_VERB}\b{_WHEN}(?:\s+that\b)?)",
    re.IGNORECASE,
)
_TRAILING = re.compile(  # '..., officials said Friday.', '"...," said Ruth Castellane, a ...'
    rf"(?:,|{_QUOTE})\s*{_QUOTE}?\s*(?:{_VERB}{_CLAUSE}(?:\s+{_WORD}){{1,6}}?"
    rf"(?:,[^\"“”]{{1,200}}?)?|{_OPENER}(?:{_WORD}\s+){{1,8}}?{_CLAUSE}{_SAY})"
    rf"\s*[.!]?\s*{_QUOTE}?\s*$",
    re.IGNORECASE,
)
_MIDDLE = re.compile(  # "Crews cleaned the bearings in 2019, she said, and ..."
    rf"(?:,|{_QUOTE})\s*{_OPENER}(?:{_WORD}\s+){{1,5}}?{_VERB}{_CLAUSE}{_WHEN}\s*(?=,|{_QUOTE})",
    re.IGNORECASE,
)
_ACCORDING = re.compile(r"\baccording to\b[^,;\"“”]*", re.IGNORECASE)
_SPEECH = re.compile(rf"\b(?:{_VERB}|according to)\b", re.IGNORECASE)  # a quick test first
_NOT_SPEAKER = frozenset(
    "and or but who which that whom whose is are was were be been being have has had not never "
    "to if when because it".split()
)


def split_attribution(text: str) -> tuple[str, str]:
    """``(what was said, who said it)``: the sentence without its attribution, and the
    attribution's words (the speaker, their title, the verb, when it was said).

    Found by the shape of the sentence, not by capitals (lower-cased text works too): a
    leading "Speaker[, title,] said [Friday] [that]" (a speaker of up to six words, with no
    number, no "who" or "and": "82% of voters said" is the fact itself), a trailing ", X
    said [Friday]." or ', said X[, title].', a ", she said," inside, and "according to X" up
    to the next comma.

    >>> split_attribution("Priya Lindqvist, the city's director, said Monday that work stopped.")
    ('work stopped.', "Priya Lindqvist, the city's director, said Monday that")
    >>> split_attribution("the span fell at 4:40 p.m., officials said friday.")
    ('the span fell at 4:40 p.m.', ', officials said friday.')
    >>> split_attribution("82% of voters said the bridge should be rebuilt.")[1]
    ''
    """
    if not _SPEECH.search(text):
        return text.strip(), ""
    spans: list[tuple[int, int]] = []
    pos = 0
    leading = _LEADING.match(text)
    if leading:
        who = leading.group("who")
        names = who.lower().split()
        digits = any(c.isdigit() for c in who)
        if len(names) <= 6 and not digits and not _NOT_SPEAKER.intersection(names):
            spans.append(leading.span())
            pos = leading.end()
    trailing = _TRAILING.search(text, pos)
    if trailing:
        # "The crew told the Coast Guard that steering failed, Varga said.": the speaker is
        # the one at the end; what the crew told is what Varga said
        spans = [trailing.span()]
        pos = 0
    for pattern in (_MIDDLE, _ACCORDING):
        spans.extend(m.span() for m in pattern.finditer(text, pos))
    said, who_said, at = [], [], 0
    for start, end in sorted(spans):
        if start > at:
            said.append(text[at:start])
        if end > at:
            who_said.append(text[max(start, at) : end])
        at = max(at, end)
    said.append(text[at:])
    return " ".join(p.strip() for p in said if p.strip()), " ".join(p.strip() for p in who_said)


class ClaimMatcher:
    """Pairs of statements of different articles that state the same fact, strongest first.

    Terms are weighted by a smoothed idf over the story's own statements (the recurring terms
    are the shared facts, so they keep weight), numbers by ``NUMBER_WEIGHT`` more; a term of
    an attribution only (``split_attribution``) weighs ``ATTRIBUTION_WEIGHT`` in a pair, and
    a term both attributions hold is not shared. Two sentences are linked when they share
    ``MIN_SHARED`` terms or more and either their cosine reaches ``COSINE`` or the terms they
    share cover ``COVER`` of the shorter sentence's weight with a cosine of ``COVER_COSINE`` or
    more (statements of ``MIN_WORDS`` or more only: a short sentence is covered too easily).

    >>> a = Sentence("a", 0, 0, 0, "Police arrested four protesters outside city hall.")
    >>> b = Sentence("b", 0, 0, 0, "Four demonstrators were arrested by police at city hall.")
    >>> [(x.article, y.article) for _, x, y in ClaimMatcher({"a": [a], "b": [b]}).links()]
    [('a', 'b')]
    """

    def __init__(self, sentences: Mapping[str, Sequence[Sentence]]) -> None:
        self.sentences = [s for ss in sentences.values() for s in ss]
        n = len(self.sentences)
        bags: list[Counter[str]] = []
        discounts: list[dict[str, float]] = []  # term -> ATTRIBUTION_WEIGHT, if only in "who"
        for s in self.sentences:
            said, who = map(claim_terms, split_attribution(s.text))
            if len(set(said)) < MIN_SHARED:  # nothing but who said it: all of it is the claim
                said, who = said + who, []
            bags.append(Counter(said + who))
            discounts.append({t: ATTRIBUTION_WEIGHT for t in set(who) - set(said)})
        df: Counter[str] = Counter()
        for bag in bags:
            df.update(bag.keys())
        weight = {
            t: (1 + math.log((n + 1) / (c + 1))) * (NUMBER_WEIGHT if t[0].isdigit() else 1.0)
            for t, c in df.items()
        }
        # the products go term by term over the sentences holding it (a sparse product):
        # a dense matrix product goes through BLAS, whose threads cost 30-60 ms on a busy
        # two-core machine. Postings are laid out term after term in flat arrays: per entry,
        # the sentence, the term's normalized value there, its weight and attribution factor
        postings: dict[str, list[tuple[int, float, float]]] = {}
        mass = np.zeros(n)
        for i, (bag, discount) in enumerate(zip(bags, discounts, strict=True)):
            vec = {t: (1 + math.log(c)) * weight[t] for t, c in bag.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            mass[i] = sum(weight[t] for t in bag)
            for t, v in vec.items():
                if df[t] >= 2:
                    postings.setdefault(t, []).append((i, v / norm, discount.get(t, 1.0)))
        entries = [(i, v, weight[t], f) for t, p in postings.items() for i, v, f in p]
        flat = np.array(entries, dtype=np.float64).reshape(-1, 4)
        starts = np.cumsum([0] + [len(p) for p in postings.values()])[:-1]
        pairs = [_pairs(len(p)) for p in postings.values()]
        none = [np.zeros(0, dtype=np.intp)]
        first = np.concatenate([a + o for (a, _), o in zip(pairs, starts, strict=True)] or none)
        second = np.concatenate([b + o for (_, b), o in zip(pairs, starts, strict=True)] or none)
        at = flat[:, 0].astype(np.int64)
        key = at[first] * n + at[second]
        # a term of an attribution weighs less, on either side; one in both attributions (one
        # speaker, one title) is who, not what, and does not count as shared
        factor = np.minimum(flat[first, 3], flat[second, 3])
        both = np.maximum(flat[first, 3], flat[second, 3]) == 1.0

        def total(values: FloatMatrix) -> FloatMatrix:
            upper = np.bincount(key, values, minlength=n * n).reshape(n, n).astype(np.float64)
            out: FloatMatrix = upper + upper.T
            return out

        self.cosine: FloatMatrix = total(flat[first, 1] * flat[second, 1] * factor)
        self.shared: FloatMatrix = total(both.astype(np.float64))
        covered = total(flat[first, 2] * factor)
        shorter = np.minimum.outer(mass, mass)
        self.cover: FloatMatrix = covered / np.where(shorter > 0, shorter, 1.0)
        ids = {a: i for i, a in enumerate(sentences)}
        article = np.array([ids[s.article] for s in self.sentences])
        self.other: npt.NDArray[np.bool_] = article[:, None] != article[None, :]
        full = np.array([_is_statement(s) for s in self.sentences], dtype=bool)
        self.full: npt.NDArray[np.bool_] = full[:, None] & full[None, :]

    def linked(self) -> npt.NDArray[np.bool_]:
        """``linked[i, j]``: sentences i and j (of ``self.sentences``) state the same fact."""
        cos, cover = self.cosine, self.cover
        # a short sentence is covered too easily: it links by the cosine alone
        linked = (cos >= COSINE) | ((cover >= COVER) & (cos >= COVER_COSINE) & self.full)
        out: npt.NDArray[np.bool_] = linked & (self.shared >= MIN_SHARED) & self.other
        return out

    def links(self) -> list[tuple[float, Sentence, Sentence]]:
        """Linked pairs ``(strength, sentence, sentence)``, strongest first, each pair once."""
        if not self.sentences:
            return []
        cos = self.cosine
        rows, cols = np.nonzero(np.triu(self.linked(), k=1))
        strength = cos
        order = np.argsort(-strength[rows, cols], kind="stable")
        return [
            (float(strength[rows[k], cols[k]]), self.sentences[rows[k]], self.sentences[cols[k]])
            for k in order
        ]


@lru_cache(maxsize=256)
def _pairs(size: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Positions ``(i, j)``, i < j, of every pair among ``size`` items."""
    first, second = np.triu_indices(size, 1)
    return first, second


def group_statements(
    sentences: Mapping[str, Sequence[Sentence]],
) -> list[list[Sentence]]:
    """The statements of ``sentences`` (article id -> its sentences) grouped into claims.

    Linked pairs (``ClaimMatcher``) join their groups strongest first, unless the two groups
    hold sentences of the same article, or fewer than ``JOIN_SHARE`` of the pairs across them
    are linked (a sentence telling two facts must not make them one); every statement left
    alone is a claim of its own. Groups keep reading order: by article as given, then by
    sentence.
    """
    statements = {a: [s for s in ss if _is_member(s)] for a, ss in sentences.items()}
    matcher = ClaimMatcher(statements)
    linked = matcher.linked()
    where = {(s.article, s.index): i for i, s in enumerate(matcher.sentences)}
    group_of = list(range(len(matcher.sentences)))
    groups: list[list[int]] = [[i] for i in group_of]
    for _, a, b in matcher.links():
        ga, gb = group_of[where[(a.article, a.index)]], group_of[where[(b.article, b.index)]]
        mine, theirs = groups[ga], groups[gb]
        if {matcher.sentences[i].article for i in mine} & {
            matcher.sentences[j].article for j in theirs
        }:
            continue
        if linked[np.ix_(mine, theirs)].mean() < JOIN_SHARE:
            continue
        for j in theirs:
            group_of[j] = ga
        groups[ga] = mine + theirs
        groups[gb] = []
    rank = {a: i for i, a in enumerate(statements)}
    return [
        sorted((matcher.sentences[i] for i in g), key=lambda s: (rank[s.article], s.index))
        for g in groups
        if any(_is_statement(matcher.sentences[i]) for i in g)
    ]


def extract_claims(story: StoryLike) -> list[dict[str, Any]]:
    """Group the story's statements across articles; most widely reported first.

    Every claim is ``{"text", "articles", "outlets", "status", "sentences"}``: ``articles`` are
    the ids of the articles carrying it (syndicated copies of them included, after the
    originals), ``outlets`` the number of independent outlets among the originals, ``status``
    "corroborated" from two outlets on, and ``sentences`` where each article says it
    (``{"article", "sentence", "start", "end"}``).
    """
    originals = story.originals
    rank = {a.id: i for i, a in enumerate(originals)}
    support = {a.id: story.sentences.get(a.id, ()) for a in originals}
    record = claim_records(story)
    claims: list[tuple[tuple[int, int, int], dict[str, Any]]] = []
    for group in group_statements(support):
        first = next(s for s in group if _is_statement(s))
        claim = record(first.text, group)
        claims.append(((-claim["outlets"], first.index, rank[first.article]), claim))
    claims.sort(key=lambda item: item[0])
    return [claim for _, claim in claims]


def claim_records(story: StoryLike) -> Callable[[str, Sequence[Sentence]], dict[str, Any]]:
    """``record(text, group)``: the claim ``text`` told by the sentences of ``group`` (one per
    original article), as ``extract_claims`` lists it: its articles with their syndicated
    copies after them, its independent outlets, its status and where each article says it.
    The story's outlets and copies are looked up once, not per claim."""
    outlet = {a.id: outlet_key(a) for a in story.articles}
    copies: dict[str, list[str]] = {}
    for article in story.articles:
        if article.duplicate_of:
            copies.setdefault(article.duplicate_of, []).append(article.id)

    def record(text: str, group: Sequence[Sentence]) -> dict[str, Any]:
        ids = [s.article for s in group]
        ids += [c for i in list(ids) for c in copies.get(i, [])]
        outlets = len({outlet[s.article] for s in group})
        return {
            "text": text,
            "articles": ids,
            "outlets": outlets,
            "status": "corroborated" if outlets >= 2 else "single-source",
            "sentences": [
                {"article": s.article, "sentence": s.index, "start": s.start, "end": s.end}
                for s in group
            ],
        }

    return record
