"""Choosing sentences under a word budget, and putting them in an order that reads well.

``fill`` is the one budget rule every summarizer shares (the evaluation relies on it):
take sentences in order of preference, each only if it still fits; never exceed the budget.

>>> from newsdesk.models import Sentence
>>> s = [Sentence("a", i, 0, 0, t) for i, t in enumerate(["One two three.", "Four five.", "Six."])]
>>> [x.text for x in fill(s, 4)]
['One two three.', 'Six.']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

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
    leans on an antecedent pays ``leaning_penalty`` unless its predecessor is already chosen.
    """
    n = len(view.sentences)
    lengths = np.asarray([s.words for s in view.sentences], dtype=np.int64)
    leaning = view.leaning
    key = {(s.article, s.index): i for i, s in enumerate(view.sentences)}
    predecessor = np.asarray(
        [key.get((s.article, s.index - 1), -1) for s in view.sentences], dtype=np.int64
    )
    alive = (lengths >= min(MIN_WORDS, words)) & (lengths <= words)
    if not alive.any():  # a story of fragments only: better a fragment than nothing
        alive = (lengths > 0) & (lengths <= words)
    max_sim = np.zeros(n, dtype=np.float32)
    chosen_mask = np.zeros(n, dtype=bool)
    chosen: list[int] = []
    used = 0
    base = scores.astype(np.float32)
    while True:
        alive &= lengths <= words - used
        alive &= ~chosen_mask
        if not alive.any():
            break
        has_antecedent = (predecessor >= 0) & chosen_mask[np.maximum(predecessor, 0)]
        penalty = np.where(leaning & ~has_antecedent, leaning_penalty, 0.0)
        gain = base - redundancy * max_sim - penalty
        gain = np.where(alive, gain, -np.inf)
        best = int(np.argmax(gain))
        chosen.append(best)
        chosen_mask[best] = True
        used += int(lengths[best])
        max_sim = np.maximum(max_sim, view.similarity[best])
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
    clean = [g for g in groups if not leans_on_antecedent(sentences[g[0]].text)]
    if clean and clean[0] is not groups[0]:
        groups.remove(clean[0])
        groups.insert(0, clean[0])
    out = [sentences[i] for g in groups for i in g]
    if leans_on_antecedent(out[0].text):
        for j, sentence in enumerate(out):
            if not leans_on_antecedent(sentence.text):
                out.insert(0, out.pop(j))
                break
    return out
