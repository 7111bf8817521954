"""Choosing sentences under a word budget, and putting them in an order that reads well.

``fill`` is the one budget rule every summarizer shares (the evaluation relies on it):
take sentences in order of preference, each only if it still fits; never exceed the budget.

>>> from newsdesk.models import Sentence
>>> s = [Sentence("a", i, 0, 0, t) for i, t in enumerate(["One two three.", "Four five.", "Six."])]
>>> [x.text for x in fill(s, 4)]
['One two three.', 'Six.']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from ..models import Sentence
from .features import StoryView, leans_on_antecedent
from .text import FloatArray

# In units of the sentence score (the model's probability that the sentence belongs in a
# summary). Swept on validation clusters 0-999 at 250 words with the shipped model
# (docs/summarizer.md): redundancy 0 -> 45.68 ROUGE-1, 0.3 -> 45.91, 1.0 -> 45.95 (R2 drops);
# the leaning penalty costs ~0.1 ROUGE-1 (0 -> 46.02, 0.3 -> 45.85) and keeps dangling
# "He said..." sentences out of short briefs; 0.65 cosine is a restatement, never news.
REDUNDANCY = 0.3
NEAR_DUPLICATE = 0.65
LEANING_PENALTY = 0.3
MIN_WORDS = 4  # fragments ("Photo.", "Advertisement.") read badly and say nothing


def fill(ranked: Iterable[Sentence], words: int) -> list[Sentence]:
    """The sentences of ``ranked``, in that order, that fit in ``words`` words, greedily."""
    chosen: list[Sentence] = []
    used = 0
    for sentence in ranked:
        n = sentence.words
        if n and used + n <= words:
            chosen.append(sentence)
            used += n
    return chosen


# "Reyes said", "said Reyes.": a person named by surname alone in an attribution.
_SAID_WORDS = ("said", "says", "told", "tells", "added", "adds", "explained", "wrote", "writes",
               "asked", "recalled")  # fmt: skip
_SAID = rf"(?:{'|'.join(_SAID_WORDS)})"
_SAID_ANY = re.compile(rf"\b{_SAID}\b")
_BARE_NAME = re.compile(
    rf"(?<![\w'’.\-])([A-Z][a-z][\w'’\-]+)\s+{_SAID}\b"
    rf"|\b{_SAID}\s+([A-Z][a-z][\w'’\-]+)(?=\s*[,.;])"
)
_CAPITALIZED_BEFORE = re.compile(r"([A-Z][\w'’.\-]*)\s+$")
# Capitalized words before a surname that are not a first name: "But Reyes said".
_NOT_FIRST = frozenset(
    """But And Then So Yet Still Also When After Before Later Now Meanwhile However Instead
    Since While As If Though Although Because Once Until Where Why How What Who The A An
    This That These Those He She It They We""".split()
)
_NOT_PERSON = frozenset(
    """The A An He She It They We I You This That These Those There Here Police Officials
    Authorities Investigators Prosecutors Witnesses Residents Experts Analysts Critics Sources
    Officers Doctors Researchers Scientists Neighbors Friends Relatives""".split()
)


# Openers that point back at people or things of an earlier sentence, beyond the model's own
# leaning feature: "None of them was hurt", "Five others were treated", "Both were released".
_POINTS_BACK = re.compile(
    # "None of them ...", "Both were released", "The others ..." (not "Both teams played",
    # "Either way, ...", "None of the victims was named")
    r"^[\"“]?(?:none|both|neither|either)\s+(?:of\s+(?:them|those|these|us|whom)\b|"
    r"(?:were|was|are|is|have|had|will|would|could|remain|remained)\b)"
    r"|^[\"“]?(?:others|the others|the rest)\b"
    r"|^[\"“]?(?:[\w\-]+\s+){0,2}(?:others|of them|of those|of whom)\b"
    # a pronoun right after a short fronted phrase: "On Thursday afternoon, she was ..."
    r"|^[^,;:\"“”]{3,40},\s+(?:he|she|they|it|we|his|her|their|its)\b"
    # an organization named before, by its kind: "The company said its crews ..."
    r"|^the\s+(?:company|firm|agency|group|organization|contractor|department)\s+"
    r"(?:said|says|told|added|declined|did not|has|had)\b",
    re.I,
)


# A short sentence resting on a "shell noun" that names something said before: "About
# 16,000 bridges carry the label in the U.S." (which label?), "The move drew criticism."
_SHELL = re.compile(
    r"\b(?:the|this|that|such a|the same)\s+(?:label|designation|rating|move|decision|step|"
    r"measure|practice|tactic|term|phrase|idea|proposal|plan|incident|episode|remarks?|"
    r"comments?|claims?|allegations?|figure|number|change)\b",
    re.I,
)
SHELL_WORDS = 15  # longer sentences usually say what the noun is themselves
# ... unless the shell noun opens the sentence as its subject, with nothing after it saying
# what it is: "The designation does not mean a bridge is unsafe, ..." (which designation?);
# not "The decision to close the bridge ...", "The plan for the new span ...".
_SHELL_OPENER = re.compile(
    r"^[\"“]?(?:the|this|that|such a|the same)\s+"
    + _SHELL.pattern.split(r"\s+", 1)[1]
    + r"(?!\s+(?:to|of|by|that|for|on|in|from|which|who)\b)(?!\s*,)",
    re.I,
)


# A sentence that is only a subordinate clause ("Until they went home and turned on the
# television."), or one that introduces what it does not hold ("Listen to him here:").
_FRAGMENT = re.compile(
    r"^[\"“]?(?:until|because|although|though|unless|whereas|while|if)\b[^,;:\"“”]*[.!?][\"”]?$"
    r"|:[\"“”]?$",
    re.I,
)


def points_back(text: str) -> bool:
    """An opener that points back ("None of them was hurt"), a short sentence resting on a
    shell noun ("About 16,000 bridges carry the label in the U.S."), a bare subordinate
    clause ("Until they went home.") or a sentence ending in a colon."""
    text = text.strip()
    return (
        bool(_POINTS_BACK.match(text))
        or (text.count(" ") < SHELL_WORDS and bool(_SHELL.search(text)))
        or bool(_SHELL_OPENER.match(text))
        or bool(_FRAGMENT.search(text))
    )


def leans(text: str) -> bool:
    """``leans_on_antecedent`` or ``points_back``.

    >>> leans("Five others were treated and released."), leans("Five people were hurt.")
    (True, False)
    >>> leans("About 16,000 bridges carry the label in the U.S.")
    True
    """
    return leans_on_antecedent(text) or points_back(text)


def _bare_names(text: str) -> set[str]:
    """Surnames ``text`` names alone in an attribution ("Reyes said", not "Daniel Reyes said",
    "But Reyes said" included)."""
    names: set[str] = set()
    if not _SAID_ANY.search(text):
        return names  # most sentences attribute nothing: skip the longer expression
    for m in _BARE_NAME.finditer(text):
        name = m.group(1) or m.group(2)
        before = _CAPITALIZED_BEFORE.search(text, 0, m.start(1)) if m.group(1) else None
        if name in _NOT_PERSON or (before and before.group(1) not in _NOT_FIRST):
            continue
        names.add(name)
    return names


# A full name ("Fire Chief Daniel Reyes" for "Reyes"): a capitalized word, not one of
# `_NOT_FIRST`, before the surname. `_introduces` finds what this pattern finds
# (`re.finditer`, the surname escaped into it) without compiling a pattern for each surname:
_FULL_NAME = r"\b([A-Z][\w'’.\-]*)\s+{surname}\b"
# what it reads around each place the surname occurs
_RUN_BEFORE = re.compile(r"\b([A-Z][\w'’.\-]*)\s+\Z")
_WORD_CHAR = re.compile(r"\w")


def _introduces(text: str, name: str) -> bool:
    """Whether ``text`` writes ``name`` in full: a match of ``_FULL_NAME`` whose first word
    is not in ``_NOT_FIRST``. The same matches as the pattern's (checked on 800,000 random
    strings and every surname of test-fulltext200 and validation 0-999), without compiling
    it: ~100 us per surname, a twentieth of the summarizer's time on a median story.

    >>> _introduces("Fire Chief Daniel Reyes led it.", "Reyes"), _introduces("But Reyes", "Reyes")
    (True, False)
    """
    pos = 0  # where the next match may start: matches do not overlap
    size = len(name)
    word_end = _WORD_CHAR.match(name, size - 1) is not None
    at = text.find(name)
    while at >= 0:
        end = at + size
        # `\b` after the name: a word character on exactly one side
        if word_end != (end < len(text) and _WORD_CHAR.match(text, end) is not None):
            m = _RUN_BEFORE.search(text, pos, at)  # the leftmost start, as the scan finds it
            if m:
                if m.group(1) not in _NOT_FIRST:
                    return True
                pos = end
                at = text.find(name, end)
                continue
        at = text.find(name, at + 1)
    return False


class _Introducers:
    """Which sentences of a story name a person in full ("Fire Chief Daniel Reyes"), by
    surname, computed when first asked."""

    def __init__(
        self,
        texts: Sequence[str],
        among: Sequence[int] | None = None,
        names: dict[int, set[str]] | None = None,
    ) -> None:
        self.texts = texts
        self.among = range(len(texts)) if among is None else among  # where to look
        self.cache: dict[str, list[int]] = {}
        self.names = {} if names is None else names  # _bare_names of sentence i, once asked

    def bare_names(self, i: int) -> set[str]:
        """``_bare_names`` of sentence ``i``, remembered."""
        names = self.names.get(i)
        if names is None:
            names = self.names[i] = _bare_names(self.texts[i])
        return names

    def of(self, name: str) -> list[int]:
        if name not in self.cache:
            self.cache[name] = sorted(
                j for j in self.among if name in self.texts[j] and _introduces(self.texts[j], name)
            )
        return self.cache[name]

    def needed(self, i: int) -> list[int]:
        """The sentences that introduce whom sentence ``i`` names by surname alone, or []."""
        found = [[j for j in self.of(n) if j != i] for n in self.bare_names(i)]
        return sorted({j for js in found for j in js}) if found and all(found) else []


def introductions(view: StoryView, only: set[int] | None = None) -> list[list[int]]:
    """For each sentence that names a person by surname alone in an attribution ("Reyes
    said"), the sentences of the story that introduce that person ("Fire Chief Daniel Reyes");
    an empty list for every other sentence, and for a surname the story never writes in full.
    ``only``: look at these sentences only (the others get an empty list).

    >>> from newsdesk.models import Sentence
    >>> t = ["Fire Chief Daniel Reyes led the rescue.", '"It was cold," Reyes said.']
    >>> v = StoryView.build(["a"], {"a": [Sentence("a", i, 0, 0, x) for i, x in enumerate(t)]})
    >>> introductions(v)
    [[], [0]]
    """
    intro = _Introducers([s.text for s in view.sentences])
    return [
        intro.needed(i) if only is None or i in only else [] for i in range(len(view.sentences))
    ]


@dataclass(frozen=True)
class Reading:
    """What each sentence of a story needs before it can be read: the sentence before it
    (``leaning``, ``predecessor``), or one that introduces the person it names by surname
    (asked sentence by sentence, ``unintroduced``: only the few that come up as the best
    choice are ever looked at)."""

    leaning: npt.NDArray[np.bool_]
    predecessor: npt.NDArray[np.int64]
    introducers: _Introducers
    needs: dict[int, list[int]]
    points: dict[int, bool]

    @classmethod
    def of(cls, view: StoryView) -> Reading:
        key = {(s.article, s.index): i for i, s in enumerate(view.sentences)}
        return cls(
            leaning=view.leaning,
            predecessor=np.asarray(
                [key.get((s.article, s.index - 1), -1) for s in view.sentences], dtype=np.int64
            ),
            introducers=_Introducers(
                [s.text for s in view.sentences], names=view.memo.setdefault("bare_names", {})
            ),
            needs={},
            points={},
        )

    @cached_property
    def _antecedent(self) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
        """(has a predecessor, the predecessor or 0): the constant part of ``dangling``."""
        return self.predecessor >= 0, np.maximum(self.predecessor, 0)

    @cached_property
    def followers(self) -> dict[int, list[int]]:
        """For each sentence, the leaning sentences that stop dangling once it is chosen: what
        keeps ``dangling`` up to date during a greedy selection without recomputing it."""
        out: dict[int, list[int]] = {}
        for i in np.flatnonzero(self.leaning & (self.predecessor >= 0)).tolist():
            out.setdefault(int(self.predecessor[i]), []).append(i)
        return out

    def dangling(self, chosen: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        """Sentences that lean on a sentence before them that is not among the ``chosen``
        (the model's leaning feature; ``unintroduced`` adds the rest, one sentence at a time)."""
        has_predecessor, predecessor = self._antecedent
        return self.leaning & ~(has_predecessor & chosen[predecessor])

    def unintroduced(self, i: int, chosen: npt.NDArray[np.bool_]) -> bool:
        """Whether sentence ``i`` reads badly beyond ``dangling``: it points back ("None of
        them was hurt") and its predecessor is not chosen, or it names someone by surname
        whose introduction is not chosen."""
        if i not in self.points:
            self.points[i] = not self.leaning[i] and points_back(self.introducers.texts[i])
        before = int(self.predecessor[i])
        if self.points[i] and not (before >= 0 and chosen[before]):
            return True
        if i not in self.needs:
            self.needs[i] = self.introducers.needed(i)
        intro = self.needs[i]
        return bool(intro) and not chosen[intro].any()

    def best(
        self, score: FloatArray, chosen: npt.NDArray[np.bool_], penalty: FloatArray | float
    ) -> int:
        """The index of the best ``score`` once a sentence naming an unintroduced person has
        paid ``penalty`` (its own, if an array): asked of the top candidates only."""
        top = int(np.argmax(score))
        if not self.unintroduced(top, chosen):
            return top  # nearly always: the best reads well as it is
        score = score.copy()
        paid = set()
        while True:
            if top in paid or not np.isfinite(score[top]) or not self.unintroduced(top, chosen):
                return top
            paid.add(top)
            score[top] -= penalty[top] if isinstance(penalty, np.ndarray) else penalty
            top = int(np.argmax(score))


def select(
    view: StoryView,
    scores: FloatArray,
    words: int,
    *,
    redundancy: float = REDUNDANCY,
    near_duplicate: float = NEAR_DUPLICATE,
    leaning_penalty: float = LEANING_PENALTY,
) -> list[int]:
    """Greedy maximal marginal relevance: best score minus similarity to what is chosen.

    Returns indices into ``view.sentences`` in the order they were chosen. A sentence that
    leans on an antecedent pays ``leaning_penalty`` unless its predecessor is already chosen;
    so does one that names someone by surname alone ("Reyes said") until a sentence that
    introduces them ("Fire Chief Daniel Reyes") is chosen.
    """
    n = len(view.sentences)
    lengths = view.lengths
    reading = Reading.of(view)
    alive = (lengths >= min(MIN_WORDS, words)) & (lengths <= words)
    if not alive.any():  # a story of fragments only: better a fragment than nothing
        alive = (lengths > 0) & (lengths <= words)
    max_sim = np.zeros(n, dtype=np.float32)
    chosen_mask = np.zeros(n, dtype=bool)
    chosen: list[int] = []
    used = 0
    base = scores.astype(np.float32)
    # `np.where(reading.dangling(chosen_mask), leaning_penalty, 0.0)` kept up to date rather
    # than recomputed: a leaning sentence stops dangling when its predecessor is chosen
    penalty = np.where(reading.leaning, leaning_penalty, 0.0)
    followers = reading.followers
    while True:
        alive &= lengths <= words - used
        if not alive.any():
            break
        gain = base - redundancy * max_sim - penalty
        gain = np.where(alive, gain, -np.inf)
        best = reading.best(gain, chosen_mask, leaning_penalty)
        chosen.append(best)
        chosen_mask[best] = True
        alive[best] = False
        for i in followers.get(best, ()):
            penalty[i] = 0.0
        used += int(lengths[best])
        np.maximum(max_sim, view.similarity[best], out=max_sim)
        alive &= max_sim < near_duplicate
    return chosen


def order(view: StoryView, chosen: Sequence[int], scores: FloatArray) -> list[Sentence]:
    """Chosen sentences grouped by article (most important first), in source order within.

    The summary never opens with a sentence that leans on a missing antecedent when some
    article's part starts cleanly: that article's part moves to the front.
    """
    if not chosen:
        return []
    importance: dict[int, float] = {}
    for i in chosen:
        a = int(view.article_of[i])
        importance[a] = importance.get(a, 0.0) + float(scores[i])
    ranked = sorted(
        chosen,
        key=lambda i: (-importance[int(view.article_of[i])], int(view.article_of[i]), i),
    )
    groups: list[list[int]] = []
    for i in ranked:
        if groups and view.article_of[groups[-1][0]] == view.article_of[i]:
            groups[-1].append(i)
        else:
            groups.append([i])
    sentences = view.sentences
    points: dict[int, bool] = view.memo.setdefault("points_back", {})

    def leans_at(i: int) -> bool:  # leans(sentences[i].text): the view has the first half
        if view.leaning[i]:
            return True
        if i not in points:
            points[i] = points_back(sentences[i].text)
        return points[i]

    clean = [g for g in groups if not leans_at(g[0])]
    if clean and clean[0] is not groups[0]:
        groups.remove(clean[0])
        groups.insert(0, clean[0])
    # Positions by sentence index (comparing Sentence records field by field is slow).
    seq = [i for g in groups for i in g]

    def clean_front() -> None:
        if leans_at(seq[0]):
            for j, i in enumerate(seq):
                if not leans_at(i):
                    seq.insert(0, seq.pop(j))
                    break

    clean_front()
    # "Reyes said" never before the sentence that introduces Daniel Reyes.
    intro = _Introducers(
        [s.text for s in sentences], among=seq, names=view.memo.setdefault("bare_names", {})
    )
    for i in list(seq):
        needed = [seq.index(j) for j in intro.needed(i) if j in seq]
        at = seq.index(i)
        if needed and min(needed) > at:
            seq.insert(min(needed), seq.pop(at))
    clean_front()  # a move may have left a leaning sentence in front
    return [sentences[i] for i in seq]
