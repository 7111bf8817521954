"""People, organizations and places of a story, each spelling variant merged into one entity.

Names come from ``_text.find_names`` (capitalized sequences, titles stripped). People are
merged when their surnames match within one edit (Damerau-Levenshtein: a letter dropped,
added, changed or two swapped) and their first names are compatible (equal, one edit apart,
an initial, a known short form or the start of the long one: "Ken"/"Kenji"), or when they
are spelled alike but for dots and hyphens ("Louis C.K."/"Louis CK"); a bare surname goes to
the person named in full most recently before it in the same article, else to the most
frequent one in the story, so "Mark Ellis" and "Sarah Ellis" stay two people; a two-word
surname alone ("Le Pichon") joins the one person whose name ends in it.

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
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz.distance import OSA
from rapidfuzz.fuzz import ratio

from ._text import (
    COMMON,
    FIRST_NAME_GENDER,
    PLACES,
    ROLE_GENDER,
    ROLE_HEADS,
    SAID_VERBS,
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


def _line_start(text: str, pos: int) -> bool:
    return not text[text.rfind("\n", 0, pos) + 1 : pos].strip()


def build_index(story: StoryLike) -> EntityIndex:
    """Find and merge the entities of ``story``; the quotes section reuses this index."""
    found: list[tuple[int, str, str, Name]] = []  # (article index, article id, text, name)
    midsentence: set[str] = set()
    nicknames: dict[str, str] = {}  # clean full name, lower-cased -> its nickname
    nick_owners: dict[str, list[Entity]] = {}  # nickname -> the people who bear it
    for ai, art in enumerate(story.articles):
        for name in find_names(art.text):
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
        if kind == "" and name.kind == "" and single_counts[low] >= RECURRING_NAME:
            # A single capitalized word met again and again mid-sentence, never as a
            # person: most often a company or an institution ("Wella", "Invesco"), a town
            # when a third of its mentions read like one ("in Millbrook", a dateline).
            place = place_counts[low] >= 2 and 3 * place_counts[low] >= single_counts[low]
            kind = "place" if place else "organization"
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
    for key, e in by_span.items():
        if e is ent:
            by_span[key] = into


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


@functools.lru_cache(maxsize=65536)
def _same_other(a: str, b: str) -> bool:
    return a == b or (len(b) >= 8 and ratio(a, b) >= ORG_SIMILARITY)


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
