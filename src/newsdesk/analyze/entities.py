"""People, organizations and places of a story, each spelling variant merged into one entity.

Names come from ``_text.find_names`` (capitalized sequences, titles stripped). People are
merged when their surnames match within one edit (Damerau-Levenshtein: a letter dropped,
added, changed or two swapped) and their first names are compatible (equal, one edit apart,
an initial, a known short form or the start of the long one: "Ken"/"Kenji"), or when they
are spelled alike but for dots and hyphens ("Louis C.K."/"Louis CK"); a bare surname goes to
the person named in full most recently before it in the same article, else to the most
frequent one in the story, so "Mark Ellis" and "Sarah Ellis" stay two people; a two-word
surname alone ("Le Pichon") joins the one person whose name ends in it.

Organizations and places: what ``find_names`` took for a name but is none ("DNA", "God",
"PAYING IT FORWARD:") is dropped, what it cut is put back ("White House Correspondents'
Association", "First District Court of Appeal"), names listed after a kind of firm are firms,
and short forms join the one organization they fit ("TSA", "Kleiner", "the Church", "Ill.").

Not people: a genus before its species ("Diprotodon optatum"), a name the text calls a
newspaper or a company, the start of an organization's name ("Kleiner Perkins" of
"Kleiner Perkins Caufield & Byers"), a town said to be where someone spoke ("an official
in Karachi said"); ``_text.find_names`` drops titles, roles, teams, page furniture.

>>> from newsdesk.models import Article
>>> from types import SimpleNamespace
>>> text = "Jane Smyth spoke. Later Jane Smith said Smith met Jane Smith."
>>> a = Article.create(source="x", text=text)
>>> story = SimpleNamespace(articles=(a,), sentences={})
>>> [(e["name"], e["aliases"]) for e in extract_entities(story)]
[('Jane Smith', ['Jane Smyth', 'Smith'])]
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz.distance import OSA
from rapidfuzz.fuzz import ratio

from ._text import (
    COMMON,
    FIRST_NAME_GENDER,
    ORG_WORDS,
    PLACE_WORDS,
    PLACES,
    ROLE_GENDER,
    ROLE_HEADS,
    SAID_VERBS,
    SINGLE_ORGS,
    Name,
    StoryLike,
    classify,
    find_names,
)

# Short forms of first names, both ways; a first name one edit away is also accepted.
_NICKNAMES = {
    frozenset(p.split("/"))
    for p in """bill/william bob/robert rob/robert mike/michael jim/james jimmy/james tom/thomas
    tony/anthony dave/david dan/daniel joe/joseph chris/christopher matt/matthew
    nick/nicholas steve/steven steve/stephen kate/katherine liz/elizabeth beth/elizabeth
    sam/samuel sam/samantha alex/alexander ben/benjamin jeff/jeffrey greg/gregory ed/edward
    andy/andrew pat/patrick rick/richard dick/richard jon/jonathan tim/timothy ken/kenneth
    larry/lawrence jen/jennifer jenny/jennifer sue/susan cathy/catherine kathy/katherine""".split()
}
# Surnames shorter than this must match exactly (one edit turns "Lee" into "Lew").
MIN_FUZZY_SURNAME = 5
LONG_SURNAME = 9
# A lone capitalized word seen this often mid-sentence, never as a person, is an organization.
RECURRING_NAME = 2
# Organizations and places merge above this rapidfuzz ratio (a typo in a long name).
ORG_SIMILARITY = 92

# "Smith said" is evidence of a person; "..., the owner of Afrique Oil, said" is not, so no
# comma is allowed between the name and the verb.
_SAID_AFTER = re.compile(rf"^\s+(?:{SAID_VERBS})\b")
_SAID_BEFORE = re.compile(rf"\b(?:{SAID_VERBS})\s*,?\s*$")
_SAID_BARE = re.compile(r"^\s+(?:said|says|told)\b")
_ROLE_BEFORE = re.compile(rf"\b(?:{'|'.join(sorted(ROLE_HEADS))}),?\s+$")
# How a town is written about: "in Millbrook", "outside Tikrit", "the city of Millbrook",
# "Raymond Koval, 58, of Millbrook", "the mayor of Millbrook".
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|near|outside)|\b(?:city|town|village|county|suburb|province)\s+of"
    r"|\b(?:mayor|residents?|outskirts|streets|center|centre|heart|edge)\s+of"
    r"|,\s+\d{1,3},\s+of)\s+$"
)
_IN_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|from|near|outside|across|throughout)\s+(?:[A-Z][\w-]*,?\s+(?:and|or)\s+)?$"
)
# A species name after a genus: "Homo sapiens", "Diprotodon optatum", "E. coli" aside.
_EPITHET = re.compile(r" ([a-z]{3,}(?:us|um|ae|ii|ensis|iens|oides))\b")
# English words with those endings that follow a name ("the Harvard campus", "a Zika virus"
# is a thing either way).
_NOT_EPITHETS = frozenset(
    """campus bonus status census focus chorus consensus stimulus surplus apparatus
    prospectus thus plus minus versus genus onus nexus bus stadium museum forum premium
    medium album minimum maximum memorandum curriculum spectrum momentum platinum
    aluminum aluminium podium symposium moratorium auditorium gymnasium referendum
    condominium millennium vacuum serum petroleum calcium sodium uranium plutonium helium
    lithium titanium quorum asylum equilibrium emporium""".split()
)
# ... but "published in Nature", "writing in Science" name a journal.
_PUBLISHED_IN = re.compile(
    r"\b(?:publish\w*|appear\w*|writ\w*|wrote|report\w*|stud\w*|paper|article)\s+in\s+$",
    re.I,
)
# "MILLBROOK (Meridian Wire) —", "TIKRIT, Iraq —": a dateline names a place.
_DATELINE = re.compile(r"\s*(?:\(|,|—|–|--)")

_NICKNAME = re.compile(r" [\"“‘] ?([^\"”’ ]+) ?[\"”’] ")  # 'John "Jay" Rockefeller'
_AGE_AFTER = re.compile(r",\s+\d{1,3},")
_OF_PLACE = re.compile(r"^\s+of\s+[A-Z]")  # "Rafe Kell of Millbrook"
# "Sue Okon from the Australian National University", "Marlo Lind of the University of
# Ostra" (not "the North Lawn of the White House": an institution must follow).
_OF_THE = re.compile(r"^\s+(?:of|from)\s+the\s+((?:[A-Z][\w'’.&-]*\s+){0,4}[A-Z][\w'’.&-]*)")
# Nouns after a name that make it an organization ("the Rodong Sinmun newspaper"); not
# "campaign", "family" or "group", which follow people too ("the Trump campaign").
_ORG_NOUN_AFTER = re.compile(
    r"\s+(?:newspaper|daily|tabloid|magazine|broadcaster|network|channel|website|agency"
    r"|company|firm|bank|airline|carrier|retailer|chain|brand|manufacturer|conglomerate"
    r"|studio|outlet)\b"
)
# "archaeologist Marlize Lombard": an occupation in lower case before the name.
_OCCUPATION_BEFORE = re.compile(r"\b[a-z]{3,}(?:ist|ologer|ographer)\s+$")
_APPOSITIVE = re.compile(
    r"^\s?,\s+(?:a|an|the|who|whose|\d+|his|her|its|their|[a-z]+ (?:of|for|at)"
    r"|[A-Z]{2,4} (?:of|at))\b"  # "Gina Moor, CEO of Lumos"
)
# "Tara Mills, assistant district attorney": a role head in the first three words (checked
# against ROLE_HEADS in Python: an alternation of the heads costs 2 ms to compile).
_APPOSITIVE_WORDS = re.compile(r"^\s?,\s+([a-z\-]+)(?: ([a-z\-]+))?(?: ([a-z\-]+))?\b")


@dataclass
class Entity:
    """One merged entity, with every mention kept for speaker and role lookups."""

    type: str
    forms: Counter[str] = field(default_factory=Counter)
    mentions: Counter[str] = field(default_factory=Counter)
    spans: list[tuple[str, int, int, str]] = field(
        default_factory=list
    )  # article, start, end, title
    gender: Counter[str] = field(default_factory=Counter)
    first_seen: tuple[int, int] = (0, 0)
    keys: set[tuple[str, str]] = field(default_factory=set)  # (first, last) of full forms
    singles: set[str] = field(default_factory=set)  # one-word forms, lower-cased
    flats: set[str] = field(default_factory=set)  # forms without case, dots and hyphens
    parts: set[str] = field(default_factory=set)  # two-word surnames written alone

    @property
    def name(self) -> str:
        # The most frequent full (multi-word) form, else the most frequent form; a surname
        # of two words ("Le Pichon") only when nothing else is left.
        forms = sorted(
            self.forms.items(),
            key=lambda kv: (
                kv[0] in self.parts,
                -(len(kv[0].split()) > 1),
                -kv[1],
                -len(kv[0]),
            ),
        )
        return forms[0][0]

    @property
    def sex(self) -> str:
        known = {g: c for g, c in self.gender.items() if g}
        return max(known, key=lambda g: known[g]) if known else ""

    def add(self, article: str, name: Name, text: str = "") -> None:
        words = _key_words(name.text)
        if len(words) > 1:
            self.keys.add((words[0], words[-1]))
        else:
            self.singles.add(words[0])
        self.forms[name.text] += 1
        self.flats.add(_flat(name.text))
        self.mentions[article] += 1
        self.spans.append((article, name.start, name.end, name.title))
        self.gender[name.gender or _role_gender(text, name)] += 1

    def to_dict(self) -> dict[str, Any]:
        canonical = self.name
        aliases = [f for f, _ in self.forms.most_common() if f != canonical]
        return {
            "name": canonical,
            "type": self.type,
            "aliases": aliases,
            "mentions": dict(self.mentions),
        }


@dataclass
class EntityIndex:
    """The entities of a story and where each was mentioned."""

    entities: list[Entity]
    by_span: dict[tuple[str, int], Entity]

    def at(self, article: str, start: int) -> Entity | None:
        """The entity mentioned at ``start`` in ``article``, if any."""
        return self.by_span.get((article, start))

    def people_before(self, article: str, pos: int) -> list[tuple[int, Entity]]:
        """People mentioned in ``article`` before ``pos``, the most recent first."""
        found = [
            (start, ent)
            for (art, start), ent in self.by_span.items()
            if art == article and start < pos and ent.type == "person"
        ]
        return sorted(found, key=lambda t: -t[0])

    def find(self, surface: str, article: str = "", pos: int = 0) -> Entity | None:
        """The entity a written name refers to ("Smith" -> Jane Smith), if one matches."""
        text = _norm(surface)
        for ent in self.entities:
            if any(_norm(f) == text for f in ent.forms):
                candidates = [e for e in self.entities if any(_norm(f) == text for f in e.forms)]
                if len(candidates) > 1 and article:
                    recent = [
                        (s, e) for s, e in self.people_before(article, pos) if e in candidates
                    ]
                    if recent:
                        return recent[0][1]
                return max(candidates, key=lambda e: sum(e.mentions.values()))
        people = [e for e in self.entities if e.type == "person"]
        last = text.split()[-1] if text else ""
        for ent in sorted(people, key=lambda e: -sum(e.mentions.values())):
            if any(_surname_match(last, _norm(f).split()[-1]) for f in ent.forms):
                return ent
        if " " not in text:
            # A first name alone ("says Robin") when one person in the story has it.
            firsts = [e for e in people if any(_norm(f).split()[0] == text for f in e.forms)]
            if len(firsts) == 1:
                return firsts[0]
        return None


_GENDER_BEFORE = re.compile(rf"\b({'|'.join(ROLE_GENDER)}),?\s+$", re.I)
_GENDER_AFTER = re.compile(
    rf"^,\s+(?:his|her|the|a|an)\s+(?:[\w-]+\s+)?({'|'.join(ROLE_GENDER)})\b"
)


_OTHER_NAME = re.compile(r"\b[A-Z][a-z]+")  # another name before the pronoun: no vote
# The first he/she after a mention in its sentence, outside quotations (whose pronouns are
# the speaker's, about someone else).
_NEXT_HE_SHE = re.compile(r"[^.!?\n\"“”]{0,120}?\b(he|she)\b", re.I)
# "Joseph believes her brother": a possessive with its noun right after the verb.
_NEXT_HIS_HER = re.compile(r"[^.!?\n\"“”,]{0,25}?\b(his|her)\s+(?!own\b)[a-z]+", re.I)


def _role_gender(text: str, name: Name) -> str:
    """ "his daughter, Elena," and "Elena, the spokeswoman," tell Elena is a she."""
    if not text:
        return ""
    m = _GENDER_BEFORE.search(text[max(0, name.start - 30) : name.start]) or _GENDER_AFTER.match(
        text[name.end : name.end + 40]
    )
    return ROLE_GENDER[m.group(1).lower()] if m else ""


# "Wilbur Ross Jr." is keyed as Wilbur Ross (while "John Paul Getty III" is not "J. Paul
# Getty": a numeral tells a grandson from his grandfather).
_SUFFIXES = frozenset("jr. sr. jr sr".split())


def _key_words(text: str) -> list[str]:
    """Lower-cased words of a name, initials apart and a "Jr." dropped."""
    words = text.lower().replace(".", ". ").split()
    if len(words) > 2 and words[-1] in _SUFFIXES:
        words.pop()
    return words


@functools.lru_cache(maxsize=65536)
def _flat(s: str) -> str:
    """ "Kim Jong-nam" and "Kim Jong Nam", "Louis C.K." and "Louis CK" are one spelling."""
    return " ".join(s.lower().replace(".", "").replace("-", " ").split())


@functools.lru_cache(maxsize=65536)
def _norm(s: str) -> str:
    s = re.sub(r"^the\s+", "", s.strip(), flags=re.I)
    return re.sub(r"[’']s$", "", s).lower()


_PARTICLE = re.compile(r"^(?:al|el|ad|an|as|ash|at|az)-")


@functools.lru_cache(maxsize=65536)
def _surname_match(a: str, b: str) -> bool:
    # "Zahar" is "al-Zahar": an Arabic particle is often left out.
    a, b = _PARTICLE.sub("", a), _PARTICLE.sub("", b)
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_FUZZY_SURNAME:
        return False
    # Long surnames take two edits ("Sementilli"/"Semintelli"); shorter ones one.
    return OSA.distance(a, b) <= (2 if min(len(a), len(b)) >= LONG_SURNAME else 1)


@functools.lru_cache(maxsize=65536)
def _first_match(a: str, b: str) -> bool:
    a, b = a.rstrip("."), b.rstrip(".")
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:  # an initial
        return a[0] == b[0]
    if frozenset((a, b)) in _NICKNAMES:
        return True
    if min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)):
        # A short form that is the start of the long one ("Ken"/"Kenji", "Max"/"Maxwell"),
        # unless the two say different sexes ("Dan"/"Danielle", "Chris"/"Christina").
        ga, gb = FIRST_NAME_GENDER.get(a, ""), FIRST_NAME_GENDER.get(b, "")
        return not (ga and gb and ga != gb)
    # Three letters is enough for one edit: "Jon"/"John" are one person spelled two ways.
    return min(len(a), len(b)) >= 3 and OSA.distance(a, b) <= 1


_MIDDLE_INITIAL = re.compile(r"[A-Z]\.")
# (not a numeral: "World War II", "Jurassic Park III")
_GENERATION = frozenset({"Jr.", "Sr."})


def _is_person_evidence(text: str, name: Name, all_names: set[str]) -> bool:
    after = text[name.end : name.end + 40]
    before = text[max(0, name.start - 30) : name.start]
    words = name.text.split()
    return bool(
        name.title
        or (words[0].lower() in FIRST_NAME_GENDER)
        or _SAID_AFTER.match(after)
        or _SAID_BEFORE.search(before)
        or _APPOSITIVE.match(after)
        or _role_appositive(after)
        or _ROLE_BEFORE.search(before)
        or _OF_PLACE.match(after)
        or _of_institution(text, name.end)
        or _OCCUPATION_BEFORE.search(before)
        or (len(words) > 1 and words[-1].lower() in all_names)
        # "Denzil P. Mathew", "Leslie Merritt Jr.": a middle initial or a generation suffix
        or (len(words) > 2 and (_MIDDLE_INITIAL.fullmatch(words[1]) or words[-1] in _GENERATION))
    )


_INSTITUTIONS = frozenset(
    """university college institute school hospital department ministry agency association
    foundation council commission committee society company corporation bank center centre
    laboratory museum library academy""".split()
)


def _role_appositive(after: str) -> bool:
    m = _APPOSITIVE_WORDS.match(after)
    return bool(m and any(w in ROLE_HEADS for w in m.groups() if w))


def _of_institution(text: str, end: int) -> bool:
    m = _OF_THE.match(text[end : end + 80])
    return bool(m and any(w.lower() in _INSTITUTIONS for w in m.group(1).split()))


def _said_by(text: str, name: Name) -> bool:
    """ "Rusty said", but not "an official in Karachi said" (the place is not who spoke)."""
    return bool(
        _SAID_BARE.match(text[name.end : name.end + 20])
        and not _IN_PLACE_BEFORE.search(text, max(0, name.start - 30), name.start)
    )


# Capitalized words that name no organization or place: abbreviations of common nouns
# ("CPR training", "a DNA test", "TV news vans", "MRSA" the germ), and words capitalized
# out of reverence ("God", "the Fatherland"). General vocabulary, not names from stories.
_COMMON_ABBREVIATIONS = frozenset(
    """DNA RNA CPR TV HDTV HIV AIDS MRSA MSSA GPS ATM CEO CFO COO CTO GDP IQ DVD SUV UFO IVF
    PTSD ADHD ICU MRI LED LCD USB PDF URL SMS VIP MVP RIP OMG LOL PC""".split()
)
_REVERED = frozenset("God Fatherland Motherland Heaven Internet".split())
# "the Soviet era", "Soviet authorities": the adjective of a state that is gone (those of
# living peoples are dropped by ``find_names``).
_ADJECTIVES = frozenset("Soviet".split())
# "Brotherhood-backed", "Kremlin-allied": the name before a participle of support.
_DESCRIBED = re.compile(
    r"-(?:backed|based|led|allied|linked|affiliated|funded|owned|run|controlled|sponsored)$"
)
# "AK-47", "F-16": a model by its letters and number.
_MODEL = re.compile(r"(?!I-)[A-Z]{1,4}-\d+[A-Z]?")  # (not "I-95", a highway)
# Place words that name no place alone ("Street", "Airport"); a region alone does ("the
# Northeast", "the Gulf").
_KINDS_OF_PLACE = PLACE_WORDS - {
    "northwest",
    "northeast",
    "southwest",
    "southeast",
    "midwest",
    "gulf",
}
_HEADING_PREFIX = re.compile(r"[^a-z]*")  # "ON VISION:": nothing in lower case before


def _not_names(text: str, names: list[Name]) -> list[Name]:
    """Drops what ``find_names`` took for a name but names no one: abbreviations of common
    nouns, "God", model numbers, headings in capitals ("PAYING IT FORWARD:"), shouts
    ("HEY-O!"); "MVP Taran Killam" loses its "MVP"."""
    out: list[Name] = []
    for name in names:
        if name.text.replace(".", "") in _COMMON_ABBREVIATIONS or name.text in _REVERED:
            continue
        if name.text in _ADJECTIVES:
            continue
        if (d := _DESCRIBED.search(name.text)) is not None:
            name = replace(name, text=name.text[: d.start()], end=name.start + d.start())
        if name.text.endswith(" Photo") and text.startswith("/", name.end):
            # "AP Photo/Richard Vogel": a credit names the agency
            name = replace(name, text=name.text[:-6], end=name.end - 6)
        if _MODEL.fullmatch(name.text):
            continue
        words = name.text.split()
        if len(words) > 1 and words[0] in _COMMON_ABBREVIATIONS and not name.title:
            rest = name.text.split(" ", 1)[1]
            kind = classify(rest)
            if kind in ("", "person"):
                start = name.end - len(rest)
                out.append(replace(name, text=rest, start=start, kind=kind))
                continue
        if name.text.isupper() and classify(name.text) != "place":
            after = text[name.end : name.end + 1]
            line = text[text.rfind("\n", 0, name.start) + 1 : name.start]
            if after == "!" or (
                after == ":"
                and _HEADING_PREFIX.fullmatch(line)
                and (len(words) > 1 or len(name.text) > 5)
            ):
                continue
        out.append(name)
    return out


# "insurance companies (Allstate, Geico, State Farm)", "sponsors such as Subway": names
# listed after a plural kind of firm are firms.
_FIRM_KIND_END = re.compile(
    r"\b(?:companies|firms|insurers|carmakers|automakers|manufacturers|makers|banks|lenders"
    r"|retailers|airlines|carriers|restaurants|chains|brands|networks|broadcasters"
    r"|newspapers|publishers|outlets|sponsors|advertisers|universities|charities|studios)$",
    re.I,
)
# What opens the list; the kind of firm before it is checked then (one search of the whole
# text with the kinds costs 1 ms an article, this one a few microseconds).
_LIST_OPENER = re.compile(r"\s+(?:\(|such\s+as\s+|including\s+|like\s+)")
_LIST_GAP = re.compile(r",\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+")
_BRAND_POSSESSIVE = re.compile(r"['’]s(?=[,)]|\s+(?:and|or)\b)")  # "McDonald's, Subway"


def _listed_firms(text: str, names: list[Name]) -> list[Name]:
    """Names listed after a plural kind of firm ("restaurants (McDonald's, Subway)") are
    organizations, a brand's "'s" kept."""
    out: list[Name] = []
    starts: dict[int, int] = {}
    for m in _LIST_OPENER.finditer(text):
        if not _FIRM_KIND_END.search(text, max(0, m.start() - 14), m.start()):
            continue
        if not out:
            out = list(names)
            starts = {n.start: k for k, n in enumerate(out)}
        pos = m.end()
        while (k := starts.get(pos)) is not None:
            name = out[k]
            if name.title or name.kind not in ("", "?initial", "person", "organization"):
                break
            end = name.end
            brand = _BRAND_POSSESSIVE.match(text, end)
            if brand:
                end = brand.end()
            elif name.kind == "person":
                break
            out[k] = replace(name, text=text[name.start : end], end=end, kind="organization")
            gap = _LIST_GAP.match(text, end)
            if gap is None:
                break
            pos = gap.end()
    return out or names


_ORDINAL = r"(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|Twelfth)"
_ORDINAL_BEFORE = re.compile(rf"\b{_ORDINAL} $")
_ORDINAL_START = re.compile(rf"{_ORDINAL} ")
# "United Nations investigators", "a Georgetown student": the people of a body after it.
_MEMBERS_AFTER = re.compile(
    r"\s+(?:officials|investigators|inspectors|experts|researchers|scientists|officers"
    r"|employees|staffers|student|students|professor|professors|spokesman|spokeswoman)\b"
)
_CAMPUS_OF = re.compile(r"\bUniversity of [A-Z][\w.]*(?: [A-Z][\w.]*)?$")
_LIST_ON = re.compile(r"\s*,?\s+(?:and|or)\b")


def _place_starts(name: str) -> list[str]:
    """The first one to three words of ``name`` that are a known place, lower-cased."""
    words = name.lower().split()
    return [" ".join(words[:k]) for k in (1, 2, 3) if " ".join(words[:k]) in PLACES]


_JOURNAL_BEFORE = re.compile(r"\bjournal\s+$")
_STATES_ATTORNEY = re.compile(r"['’]s\s+Attorney\b")


def _whole_names(text: str, names: list[Name]) -> list[Name]:
    """Puts back what ``find_names`` cut from an organization's name: a plural possessive
    ("White House Correspondents' Association"), "and" in a journal's name ("the journal
    Infection and Immunity"), an ordinal ("First District Court of Appeal"); and takes
    "State" from "DeKalb County State's Attorney" (a title)."""
    out: list[Name] = []
    journal = "journal" in text
    for name in names:
        prev = out[-1] if out else None
        gap = text[prev.end : name.start] if prev is not None else ""
        if (
            prev is not None
            and gap in ("' ", "’ ")
            and prev.text.endswith("s")
            and name.text.split()[-1].lower() in ORG_WORDS
        ):
            out[-1] = Name(text[prev.start : name.end], prev.start, name.end, "organization")
            continue
        if (
            prev is not None
            and gap == ", "
            and _CAMPUS_OF.search(prev.text)
            and _place_starts(name.text)
            and not _LIST_ON.match(text, name.end)
            and name.text.split()[-1] not in ("University", "College")
        ):
            # "University of California, San Diego School of Medicine": a campus by its town
            out[-1] = Name(text[prev.start : name.end], prev.start, name.end, "organization")
            continue
        if (
            prev is not None
            and gap == " and "
            and journal
            and prev.kind == "organization"
            and _JOURNAL_BEFORE.search(text, max(0, prev.start - 12), prev.start)
        ):
            out[-1] = replace(prev, text=text[prev.start : name.end], end=name.end)
            continue
        if (
            name.kind == ""
            and not name.title
            and name.text.split()[0].lower() not in FIRST_NAME_GENDER
            and _MEMBERS_AFTER.match(text, name.end)
        ):
            name = replace(name, kind="organization")  # "United Nations investigators"
        if (
            journal
            and _JOURNAL_BEFORE.search(text, max(0, name.start - 12), name.start)
            and not name.title
        ):
            name = replace(name, kind="organization")  # "the journal Nature"
        elif name.kind in ("organization", "place") and (
            m := _ORDINAL_BEFORE.search(text, max(0, name.start - 10), name.start)
        ):
            name = replace(name, text=text[m.start() : name.end], start=m.start())
        if name.text.endswith(" State") and _STATES_ATTORNEY.match(text, name.end):
            short = name.text[: -len(" State")]
            name = replace(name, text=short, end=name.start + len(short), kind=classify(short))
        out.append(name)
    return out


def _towns(text: str, names: list[Name]) -> set[str]:
    """One-word names written before a comma and a country or a state ("Polson, Montana",
    "Hannover, Germany"), lower-cased: towns."""
    return {
        prev.text.lower()
        for prev, name in itertools.pairwise(names)
        if text[prev.end : name.start] == ", "
        and name.text.lower() in PLACES
        and prev.kind in ("", "?initial")
        and " " not in prev.text
        and "." not in prev.text  # (not an initial: "R., Texas")
        and not prev.title
        and prev.text.lower() not in FIRST_NAME_GENDER
    }


_PREFIXED = re.compile(r"\b(?:pro|anti|non|ex|post|pre|neo)-(?=[A-Z])")


def _after_prefixes(text: str, names: list[Name]) -> list[Name]:
    """ "pro-Kremlin", "anti-Wall Street": the name after a prefix in lower case (which
    ``find_names`` reads as one word that is not capitalized)."""
    extra: list[Name] = []
    for m in _PREFIXED.finditer(text):
        found = find_names(text[m.end() : m.end() + 80])
        if found and found[0].start == 0 and not found[0].title:
            n = found[0]
            extra.append(replace(n, start=n.start + m.end(), end=n.end + m.end()))
    if not extra:
        return names
    kept = [n for n in names if not any(e.start <= n.start < e.end for e in extra)]
    return sorted(kept + extra, key=lambda n: n.start)


def _line_start(text: str, pos: int) -> bool:
    return not text[text.rfind("\n", 0, pos) + 1 : pos].strip()


def build_index(story: StoryLike) -> EntityIndex:
    """Find and merge the entities of ``story``; the quotes section reuses this index."""
    found: list[tuple[int, str, str, Name]] = []  # (article index, article id, text, name)
    midsentence: set[str] = set()
    nicknames: dict[str, str] = {}  # clean full name, lower-cased -> its nickname
    nick_owners: dict[str, list[Entity]] = {}  # nickname -> the people who bear it
    towns: set[str] = set()
    for ai, art in enumerate(story.articles):
        # find_names, then what it missed or took for a name (each step's docstring)
        names = _not_names(art.text, _after_prefixes(art.text, find_names(art.text)))
        names = _whole_names(art.text, _listed_firms(art.text, names))
        towns |= _towns(art.text, names)
        for name in names:
            if (nick := _NICKNAME.search(name.text)) is not None:
                # 'John "Jay" Rockefeller' is John Rockefeller, also known as Jay Rockefeller.
                clean = name.text[: nick.start()] + " " + name.text[nick.end() :]
                nicknames[clean.lower()] = nick.group(1).lower()
                name = replace(name, text=clean)
            found.append((ai, art.id, art.text, name))
            if name.kind != "?initial":
                midsentence.add(name.text.lower())
                midsentence.update(name.text.lower().split())
    # "Diprotodon optatum", "Staphylococcus aureus": a genus, named alone elsewhere too.
    genera = {
        n.text.split()[-1]
        for _, _, text, n in found
        if (m := _EPITHET.match(text, n.end))
        and not m.group(1).endswith("ous")
        and m.group(1) not in _NOT_EPITHETS
    }
    if genera:
        found = [f for f in found if f[3].text.split()[-1] not in genera]
    # "the North's Rodong Sinmun newspaper said": a name the text calls a newspaper, a
    # company, an agency is an organization wherever it is written.
    org_by_noun = {
        n.text
        for _, _, text, n in found
        if n.kind == ""
        and " " in n.text
        and n.text.split()[0].lower() not in FIRST_NAME_GENDER
        and _ORG_NOUN_AFTER.match(text, n.end)
    }
    if org_by_noun:
        found = [
            (ai, aid, t, replace(n, kind="organization") if n.text in org_by_noun else n)
            for ai, aid, t, n in found
        ]
    single_surnames = {n.text.lower() for _, _, _, n in found if len(n.text.split()) == 1}
    single_counts = Counter(
        n.text.lower() for _, _, _, n in found if " " not in n.text and n.kind == ""
    )
    place_counts = Counter(
        n.text.lower()
        for _, _, text, n in found
        if " " not in n.text
        and n.kind == ""
        and (
            (
                _PLACE_BEFORE.search(text, max(0, n.start - 40), n.start)
                and not _PUBLISHED_IN.search(text, max(0, n.start - 40), n.start)
            )
            or (n.text.isupper() and _DATELINE.match(text, n.end) and _line_start(text, n.start))
        )
    )

    people: list[Entity] = []
    others: list[Entity] = []
    by_span: dict[tuple[str, int], Entity] = {}

    def place_person(ai: int, aid: str, name: Name, text: str, join_only: bool = False) -> None:
        words = _key_words(name.text)
        first, last = words[0], words[-1]
        flat = _flat(name.text)
        nick = nicknames.get(name.text.lower(), "") if len(words) > 1 else ""
        for ent in people:
            if flat in ent.flats or any(
                _surname_match(last, b)
                and (_first_match(first, a) or (nick and _first_match(nick, a)))
                for a, b in ent.keys
            ):
                ent.add(aid, name, text)
                if nick:
                    ent.keys.add((nick, last))
                    nick_owners.setdefault(nick, []).append(ent)
                by_span[(aid, name.start)] = ent
                return
        if join_only:
            return
        ent = Entity("person", first_seen=(ai, name.start))
        ent.add(aid, name, text)
        if nick:
            ent.keys.add((nick, last))
            nick_owners.setdefault(nick, []).append(ent)
        people.append(ent)
        by_span[(aid, name.start)] = ent

    # "Kleiner Perkins" of "Kleiner Perkins Caufield & Byers", "Halvard" of "Halvard Group":
    # the start of an organization's name, written alone, is that organization.
    org_names = {n.text + " " for _, _, _, n in found if n.kind == "organization" and " " in n.text}
    org_prefixes = {
        n.text
        for _, _, _, n in found
        if n.kind == "" and " " in n.text and any(o.startswith(n.text + " ") for o in org_names)
    }
    # 1. People named in full (two words or more), most frequent spellings first.
    full = [
        f
        for f in found
        if len(f[3].text.split()) > 1
        and f[3].kind in ("person", "")
        and f[3].text not in org_prefixes
        and _is_person_evidence(f[2], f[3], single_surnames)
    ]
    counts = Counter(f[3].text for f in full)
    for ai, aid, atext, name in sorted(full, key=lambda f: (-counts[f[3].text], f[0], f[3].start)):
        place_person(ai, aid, name, atext)
    # Spellings seen without evidence join a person when they match one ("Tobais Renner").
    evidenced = {id(f[3]) for f in full}
    for ai, aid, atext, name in found:
        if len(name.text.split()) > 1 and name.kind == "" and id(name) not in evidenced:
            place_person(ai, aid, name, atext, join_only=True)
    people = _merge_surname_parts(people, by_span)
    # "SSP Nabugyere", "CS Wakhungu": a rank in capitals before the surname of someone
    # named in full is a title, not a firm (no first name is written in capitals).
    surnames = {b for e in people for _a, b in e.keys}
    for k, (ai, aid, atext, name) in enumerate(found):
        words = name.text.split()
        if (
            name.kind == "organization"
            and len(words) == 2
            and words[0].isupper()
            and words[0].isalpha()
            and 2 <= len(words[0]) <= 5
            and words[1].lower() in surnames
        ):
            at = name.end - len(words[1])
            found[k] = (
                ai,
                aid,
                atext,
                replace(name, text=words[1], start=at, kind="", title=words[0]),
            )
    # 2. Single words: a surname of someone named in full, a titled person, a place, an org.
    for ai, aid, text, name in sorted(found, key=lambda f: (f[0], f[3].start)):
        if len(name.text.split()) > 1:
            continue
        if name.kind == "?initial" and name.text.lower() not in midsentence:
            continue
        low = name.text.lower()
        # A known place joins a person only spelled exactly ("Jordan"): "Australia" is no
        # misspelling of someone called "Australian".
        matches = [
            e
            for e in people
            if any(_surname_match(low, b) and (b == low or low not in PLACES) for _a, b in e.keys)
        ]
        if not matches:
            matches = [e for e in people if low in e.singles]
        if not matches and low in nick_owners:
            matches = list({id(e): e for e in nick_owners[low]}.values())  # "Snooki" alone
        if name.gender and len(matches) > 1:
            # "Mr. Ellis" is not Sarah Ellis.
            matches = [e for e in matches if e.sex in ("", name.gender)] or matches
        if matches:
            ent = _pick(matches, aid, name.start, text)
            ent.add(aid, name, text)
            by_span[(aid, name.start)] = ent
            continue
        kind = name.kind if name.kind not in ("?initial", "") else classify(name.text)
        if name.title or (
            kind == ""
            and low not in COMMON
            and (
                _said_by(text, name)
                or _ROLE_BEFORE.search(text[max(0, name.start - 30) : name.start])
                or _AGE_AFTER.match(text, name.end)  # "I met Rusty, 71, who ..."
            )
        ):
            place_person(ai, aid, name, text)
            continue
        if (
            kind == ""
            and name.kind == ""
            and single_counts[low] >= RECURRING_NAME
            # "Maria", "Johnny" met again and again: someone known by first name, no firm
            and low not in FIRST_NAME_GENDER
        ):
            # A single capitalized word met again and again mid-sentence, never as a
            # person: most often a company or an institution ("Wella", "Invesco"), a town
            # when a third of its mentions read like one ("in Millbrook", a dateline).
            place = place_counts[low] >= 2 and 3 * place_counts[low] >= single_counts[low]
            kind = "place" if place else "organization"
        if kind in ("", "organization") and name.kind in ("", "?initial") and low in towns:
            kind = "place"
        if kind == "place" and low.rstrip(".") in _KINDS_OF_PLACE:
            continue  # "Our Street", "Forest hikers", "the Airport": a kind of place alone
        if kind in ("place", "organization"):
            _place_other(others, by_span, ai, aid, name, kind, text)
    # 2b. Unproven full names whose surname is a person known by surname alone
    # ("Fabian Sementelli" and "Sementilli said").
    for _ai, aid, atext, name in found:
        words = name.text.split()
        if len(words) < 2 or name.kind != "" or (aid, name.start) in by_span:
            continue
        last = words[-1].lower()
        for ent in people:
            if not ent.keys and any(_surname_match(last, f) for f in ent.singles):
                ent.add(aid, name, atext)
                by_span[(aid, name.start)] = ent
                break
    # 3. Organizations and places named in several words.
    for ai, aid, atext, name in found:
        if len(name.text.split()) > 1 and name.kind in ("organization", "place"):
            _place_other(others, by_span, ai, aid, name, name.kind, atext)
    for _ai, aid, atext, name in found:
        if name.text in org_prefixes and (aid, name.start) not in by_span:
            whole = next(
                (
                    e
                    for e in others
                    if e.type == "organization"
                    and any(f.startswith(name.text + " ") for f in e.forms)
                ),
                None,
            )
            if whole is not None:
                whole.add(aid, name, atext)
                by_span[(aid, name.start)] = whole
    _join_short_forms(others, by_span)

    # "Milano ... she wrote", "Joseph believes her brother ...": the first pronoun after a
    # mention, in its sentence (a possessive only right after it: "the family of Mollie
    # Olgin has reached out to meet with his family" is no vote), votes; the majority wins.
    texts = {a.id: a.text for a in story.articles}
    for ent in people:
        if ent.sex:
            continue
        votes: Counter[str] = Counter()
        for aid, _start, end, _title in ent.spans:
            near = [
                x
                for x in (_NEXT_HE_SHE.match(texts[aid], end), _NEXT_HIS_HER.match(texts[aid], end))
                if x is not None
            ]
            m = min(near, key=lambda x: x.start(1), default=None)  # the nearer pronoun
            if m and not _OTHER_NAME.search(texts[aid], end, m.start(1)):
                votes["f" if m.group(1).lower() in ("she", "her") else "m"] += 1
        if votes["f"] != votes["m"]:  # "believes her brother ... what he felt": she
            ent.gender[votes.most_common(1)[0][0]] += 1
    entities = people + others
    entities.sort(key=lambda e: (-sum(e.mentions.values()), e.first_seen))
    return EntityIndex(entities, by_span)


def _merge_surname_parts(
    people: list[Entity], by_span: dict[tuple[str, int], Entity]
) -> list[Entity]:
    """ "Le Pichon" is Jean-Baptiste Le Pichon, "Crotty Alexander" Laura E. Crotty Alexander:
    a surname of two words, written alone, joins the one person whose longer name ends in it
    (no known first name in front: "John Smith" is not "Mary John Smith")."""
    out: list[Entity] = []
    for ent in people:
        forms = list(ent.forms)
        if all(
            len(f.split()) == 2 and f.split()[0].lower() not in FIRST_NAME_GENDER for f in forms
        ):
            whole = [
                e
                for e in people
                if e is not ent
                and all(
                    any(g.endswith(" " + f) and len(g.split()) > 2 for g in e.forms) for f in forms
                )
            ]
            if len(whole) == 1:
                _absorb(whole[0], ent, by_span)
                continue
        out.append(ent)
    return out


def _absorb(into: Entity, ent: Entity, by_span: dict[tuple[str, int], Entity]) -> None:
    into.parts |= set(ent.forms) - set(into.forms)
    into.forms.update(ent.forms)
    into.mentions.update(ent.mentions)
    into.spans.extend(ent.spans)
    into.gender.update(ent.gender)
    into.keys |= ent.keys
    into.flats |= ent.flats
    into.first_seen = min(into.first_seen, ent.first_seen)
    for art, start, _end, _title in ent.spans:  # (every span of ent is in by_span)
        if by_span.get((art, start)) is ent:
            by_span[(art, start)] = into


# Characters from the last mention of a namesake after which a bare surname is the person
# introduced first; swept 150-1200 on lines 1-150 of the gold set: 600 best (0.856 vs 0.849).
PRIMARY_WINDOW = 600
_POSSESSED_PERSON = re.compile(
    rf"['’]s\s+(?:[a-z\-]+\s+){{0,2}}?(?:{'|'.join(sorted(ROLE_HEADS))})s?\b"
)
# "daughter of former Texas Gov. Ann Richards": within the sentence (abbreviations aside).
# Not "by": "a letter by chief executive Elon Musk" is about Musk (+4 on lines 1-150); nor
# "according to Mr. Ellis", who is a source, not a modifier.
_OBJECT_BEFORE = re.compile(
    r"\b(?:of|(?<!according )to|with|from)[ \t]+"
    r"(?:(?:[\w\-]+|[A-Z][a-z]{0,3}\.|(?:[A-Z]\.)+)[ \t]+){0,3}$"
)


# "his sister Mirella Sementilli": a relative brought in by a possessive is not who the
# story goes on about when the bare surname comes back.
_RELATIVE_BEFORE = re.compile(
    r"\b(?:his|her|their)\s+(?:[a-z\-]+\s+)?(?:sister|brother|wife|husband|son|daughter"
    r"|mother|father|aunt|uncle|niece|nephew|cousin|grandson|granddaughter)s?,?\s+$"
)


def _pick(matches: list[Entity], article: str, pos: int, text: str = "") -> Entity:
    """The person a bare surname means: named most recently before it, else most often."""
    if len(matches) == 1:
        return matches[0]
    best: tuple[int, Entity] | None = None
    first: dict[int, tuple[int, Entity]] = {}  # the first mention of each, filters passed
    most = max(matches, key=lambda e: sum(e.mentions.values()))
    for ent in matches:
        for art, start, end, _title in ent.spans:
            if art != article or start >= pos:
                continue
            if text and (
                _OBJECT_BEFORE.search(text[max(0, start - 40) : start])
                or _RELATIVE_BEFORE.search(text, max(0, start - 40), start)
                or _POSSESSED_PERSON.match(text, end)
                or (ent is not most and text.startswith(("'s", "’s"), end))
            ):
                # "the daughter of former Texas Gov. Ann Richards", "Marty Singer, Bryan
                # Singer's lawyer": a name in a modifier is not who the story goes on about;
                # nor is "first lady Melania Trump's decision" in a story about another
                # Trump, while "David Chaney's Facebook page" is about the Chaney of the story.
                continue
            if best is None or start > best[0]:
                best = (start, ent)
            if id(ent) not in first or start < first[id(ent)][0]:
                first[id(ent)] = (start, ent)
    if best is not None and pos - best[0] > PRIMARY_WINDOW:
        # "His father, Prescott Bush, was a senator. ... Bush said": away from the mention
        # of a relative, the surname is the person the article introduced first.
        primary = min(first.values(), key=lambda t: t[0])[1]
        if primary is not best[1]:
            return primary
    if best is not None:
        return best[1]
    return max(matches, key=lambda e: sum(e.mentions.values()))


# Words an acronym skips: "Committee to Protect Journalists" is CPJ.
_ACRONYM_SKIP = frozenset("of and for the to on in at de du des la le".split())
# AP state abbreviations ("SYCAMORE, Ill."), the state they stand for; "D.C." is Washington.
_STATE_ABBREVIATIONS = {
    a.split("=")[0]: a.split("=")[1].replace("_", " ")
    for a in """ala=alabama ariz=arizona ark=arkansas calif=california colo=colorado
    conn=connecticut del=delaware fla=florida ga=georgia ill=illinois ind=indiana kan=kansas
    kans=kansas ky=kentucky la=louisiana md=maryland mass=massachusetts mich=michigan
    minn=minnesota miss=mississippi mo=missouri mont=montana neb=nebraska nev=nevada
    n.h=new_hampshire n.j=new_jersey n.m=new_mexico n.y=new_york n.c=north_carolina
    n.d=north_dakota okla=oklahoma ore=oregon pa=pennsylvania r.i=rhode_island
    s.c=south_carolina s.d=south_dakota tenn=tennessee tex=texas vt=vermont va=virginia
    wash=washington w.va=west_virginia wis=wisconsin wyo=wyoming d.c=washington""".split()
}


@functools.lru_cache(maxsize=65536)
def _initials(form: str) -> str:
    """ "Transportation Security Administration" -> "TSA", "UC San Diego" -> "UCSD"."""
    out = []
    for word in form.replace("-", " ").split():
        bare = re.sub(r"['’]s?$", "", word).replace(".", "")
        if not bare or bare.lower() in _ACRONYM_SKIP or not bare[0].isalpha():
            continue
        # A word in capitals gives all its letters ("UC", "U.S."), another its first.
        out.append(bare if bare.isupper() and bare.isalpha() else bare[0].upper())
    return "".join(out)


def _join_short_forms(others: list[Entity], by_span: dict[tuple[str, int], Entity]) -> None:
    """Acronyms and short forms of organizations join the full name, in place.

    "TSA" is the Transportation Security Administration (its initials), "Ill." Illinois
    (a state abbreviation), "Kleiner" Kleiner Perkins (the first word of one organization),
    "the Church" the Russian Orthodox Church and "Air Force" the U.S. Air Force (the head or
    the words of one organization): each only when exactly one entity fits.
    """
    if len(others) < 2:
        return
    multi = [(e, [f for f in e.forms if " " in f]) for e in others]
    multi = [(e, fs) for e, fs in multi if fs]
    by_initials: dict[str, list[Entity]] = {}
    by_first: dict[str, list[Entity]] = {}  # organizations by first word, where it may join
    by_head: dict[str, list[Entity]] = {}  # organizations by head noun
    for e, fs in multi:
        for f in fs:
            by_initials.setdefault(_initials(f), []).append(e)
            if e.type == "organization":
                words = f.split()
                if _first_word_of(words[0], f):
                    by_first.setdefault(words[0], []).append(e)
                if words[-1] in _ORG_HEADS:
                    by_head.setdefault(words[-1], []).append(e)
    gone: set[int] = set()
    # Names of several words first: "Russian Church" joins before "the Church" looks for
    # the one organization it could be.
    for ent in sorted(others, key=lambda e: -max(len(f.split()) for f in e.forms)):
        forms = list(ent.forms)
        single = all(" " not in f for f in forms)
        lows = {f.lower().rstrip(".") for f in forms}
        states = {_STATE_ABBREVIATIONS.get(x) for x in lows}
        letters = {f.replace(".", "") for f in forms}
        targets: list[Entity] = []
        if ent.type != "organization" and not single:
            # "the First District" of the "First District Court of Appeal": a numbered unit
            targets = [
                e
                for e, fs in multi
                if e is not ent
                and e.type == "organization"
                and all(_ORDINAL_START.match(f) for f in forms)
                and all(any(g.startswith(f + " ") for g in fs) for f in forms)
            ]
        elif ent.type == "place" and single and len(states) == 1 and None not in states:
            targets = [
                e
                for e in others
                if e is not ent and e.type == "place" and any(f.lower() in states for f in e.forms)
            ]
        elif single and all(2 <= len(x) <= 6 and x.isupper() and x.isalpha() for x in letters):
            # (a country's initials name only a country: "U.S." is no "University of S...")
            candidates = {id(e): e for x in letters for e in by_initials.get(x, [])}
            targets = [
                e
                for e in candidates.values()
                if e is not ent and (e.type == "place" or not {f.lower() for f in forms} & PLACES)
            ]
        if not targets and ent.type == "organization" and single:
            found = by_first.get(ent.name, []) + by_head.get(ent.name, [])
            targets = list({id(e): e for e in found if e is not ent}.values())
        elif ent.type == "organization" and not single:
            targets = [
                e
                for e, fs in multi
                if e is not ent
                and e.type == "organization"
                and all(any(_within(f, g) for g in fs) for f in forms)
            ]
        targets = [e for e in targets if id(e) not in gone]
        if len(targets) == 1:
            _absorb(targets[0], ent, by_span)
            gone.add(id(ent))
    others[:] = [e for e in others if id(e) not in gone]


# The bodies a country has one of, named alone for themselves ("the Senate", "the House":
# "the Montana Senate race" is no back-reference, "Senate Republicans" no senate).
_NATIONAL_BODIES = frozenset("Senate House Congress Parliament Assembly Cabinet".split())
# One-word heads that stand for the organization named in full ("the Church said"); not
# the names of one organization ("Fox" is a network).
_ORG_HEADS = frozenset(w.capitalize() for w in ORG_WORDS if w.isalpha()) - _NATIONAL_BODIES
_ORG_HEADS -= {w.capitalize() for w in SINGLE_ORGS}
# A first word before these is most often a town ("Anaheim Police Department", "Lovelock
# Correctional Center"), not the short name of the body.
_LOCAL_BODIES = frozenset(
    """department police council agency authority office bureau center centre school
    university college hospital museum library board commission committee court service
    services""".split()
)


def _first_word_of(word: str, name: str) -> bool:
    """ "Kleiner" of "Kleiner Perkins", spelled alike ("NASA" is no "Nasa Service Medal");
    not an acronym or a one-word organization, names of their own ("AP Photo", "Apple
    Watch")."""
    words = name.split()
    return (
        words[0] == word
        and word not in _NATIONAL_BODIES
        and not (word.isupper() and len(word) <= 5)
        and word.lower() not in SINGLE_ORGS
        and words[-1].lower().rstrip(".") not in _LOCAL_BODIES
    )


def _within(short: str, long: str) -> bool:
    """ "Russian Church" in "Russian Orthodox Church", "Air Force" in "U.S. Air Force": the
    shorter name's words, in order, ending in the same head."""
    a, b = short.split(), long.split()
    if (
        len(a) >= len(b)
        or a[-1] != b[-1]
        or a[0].lower() in FIRST_NAME_GENDER
        or short.lower() in PLACES  # "White House" is not "CBS News White House"
    ):
        return False  # (and "Nicola Fox" is not "Zurbuchen and Nicola Fox")
    if "and" in b or "&" in b:
        return False
    it = iter(b)
    return all(w in it for w in a)


@functools.lru_cache(maxsize=65536)
def _same_other(a: str, b: str) -> bool:
    # "E.U." is "EU": dots apart, one spelling.
    return (
        a == b
        or a.replace(".", "") == b.replace(".", "")
        or (len(b) >= 8 and ratio(a, b) >= ORG_SIMILARITY)
    )


def _place_other(
    others: list[Entity],
    by_span: dict[tuple[str, int], Entity],
    ai: int,
    aid: str,
    name: Name,
    kind: str,
    text: str,
) -> None:
    key = _norm(name.text)
    for ent in others:
        if ent.type != kind:
            continue
        if any(_same_other(_norm(f), key) for f in ent.forms):
            ent.add(aid, name, text)
            by_span[(aid, name.start)] = ent
            return
    ent = Entity(kind, first_seen=(ai, name.start))
    ent.add(aid, name, text)
    others.append(ent)
    by_span[(aid, name.start)] = ent


def extract_entities(story: StoryLike, index: EntityIndex | None = None) -> list[dict[str, Any]]:
    """People, organizations and places of ``story``, most mentioned first.

    Each item is ``{"name", "type", "aliases", "mentions"}``: ``name`` is the most frequent
    full spelling, ``aliases`` every other spelling seen (surname alone, misspellings),
    ``mentions`` the count per article id.

    >>> from newsdesk.models import Article
    >>> from types import SimpleNamespace
    >>> a = Article.create(source="x", text="Mark Ellis and Sarah Ellis met. Ellis left.")
    >>> [e["name"] for e in extract_entities(SimpleNamespace(articles=(a,), sentences={}))]
    ['Sarah Ellis', 'Mark Ellis']
    """
    index = index if index is not None else build_index(story)
    return [e.to_dict() for e in index.entities]
