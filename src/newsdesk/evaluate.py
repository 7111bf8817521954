"""ROUGE evaluation of summarizers on Multi-News-style cluster files, all in one harness.

The rule every system follows (so the comparison is fair): each is given the same cleaned,
segmented, de-duplicated sentences of a cluster (``pipeline.prepare``) and a budget of
``words`` words (default 250), and returns whole sentences totalling at most that many words
(``summarize.fill`` is the shared budget rule for ranking methods). The harness checks the
budget, joins the sentences with newlines and scores them against the reference with
rouge-score (ROUGE-1, ROUGE-2, ROUGE-Lsum F1, Porter stemmer). The ``oracle`` is a greedy
extractive ceiling: it adds the sentence that most raises ROUGE-1 + ROUGE-2 F1 against the
reference while it fits, until none helps.

>>> import gzip, json, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "c.jsonl.gz"
>>> doc = "The city council approved a new budget on Tuesday. The vote was close."
>>> row = {"id": "1", "documents": [{"text": doc}], "summary": "The council approved the budget."}
>>> _ = gzip.open(path, "wt").write(json.dumps(row) + "\\n")
>>> result = evaluate(path, systems=["lead", "oracle"], words=20, bootstrap=10, workers=1)
>>> result["clusters"], sorted(result["systems"])
(1, ['lead', 'oracle'])
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import pairwise
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import DataError, UsageError
from .models import Article, Sentence

METRICS = ("rouge1", "rouge2", "rougeLsum")
DEFAULT_SYSTEMS = ("newsdesk", "lead", "lexrank", "textrank", "oracle")


@lru_cache(maxsize=1)
def _scorer() -> Any:
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)


def _reference(summary: str) -> str:
    """The reference with one sentence per line, as ROUGE-Lsum expects."""
    from .segment import split_sentences

    text = summary.strip().lstrip("–—- ").strip()
    return "\n".join(text[a:b].strip() for a, b in split_sentences(text))


def rouge(candidate: Sequence[str], reference: str) -> dict[str, float]:
    """ROUGE F1 (x100) of candidate sentences against a newline-split reference.

    >>> round(rouge(["The cat sat."], "The cat sat.")["rouge1"])
    100
    """
    scores = _scorer().score(reference, "\n".join(candidate))
    return {m: 100.0 * scores[m].fmeasure for m in METRICS}


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from rouge_score.tokenizers import DefaultTokenizer

    return DefaultTokenizer(use_stemmer=True)


def ngram_counts(text: str) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """Unigram and bigram counts of ``text`` as rouge-score tokenizes it (stemmed)."""
    tokens = _tokenizer().tokenize(text)
    return Counter(tokens), Counter(pairwise(tokens))


def _f1(overlap: int, candidate: int, reference: int) -> float:
    if not overlap:
        return 0.0
    return 2.0 * overlap / (candidate + reference)


def oracle(sentences: Sequence[Sentence], reference: str, words: int) -> list[Sentence]:
    """Greedy extractive ceiling: add what most raises R1+R2 F1 and fits, while it helps.

    The search counts n-grams itself (bigrams within sentences); the final score is
    rouge-score's, like every other system's.
    """
    ref1, ref2 = ngram_counts(reference)
    n_ref1, n_ref2 = sum(ref1.values()), sum(ref2.values())
    pool = [(s, *ngram_counts(s.text)) for s in sentences if s.words]
    have1: Counter[str] = Counter()
    have2: Counter[tuple[str, str]] = Counter()
    chosen: list[Sentence] = []
    used = 0
    best = 0.0
    while True:
        top: tuple[float, int] | None = None
        n1, n2 = sum(have1.values()), sum(have2.values())
        for i, (sentence, c1, c2) in enumerate(pool):
            if used + sentence.words > words:
                continue
            o1 = sum(min(have1[t] + k, ref1[t]) for t, k in c1.items() if t in ref1)
            o1 += sum(min(k, ref1[t]) for t, k in have1.items() if t not in c1)
            o2 = sum(min(have2[t] + k, ref2[t]) for t, k in c2.items() if t in ref2)
            o2 += sum(min(k, ref2[t]) for t, k in have2.items() if t not in c2)
            gain = _f1(o1, n1 + sum(c1.values()), n_ref1) + _f1(o2, n2 + sum(c2.values()), n_ref2)
            if top is None or gain > top[0]:
                top = (gain, i)
        if top is None or top[0] <= best:
            return chosen
        best = top[0]
        sentence, c1, c2 = pool.pop(top[1])
        have1 += c1
        have2 += c2
        chosen.append(sentence)
        used += sentence.words


Job = tuple[str, tuple[Article, ...], str, tuple[str, ...], int]


def _score_cluster(job: Job) -> dict[str, Any]:
    from .pipeline import prepare
    from .summarize import summarize

    cluster_id, articles, summary, systems, words = job
    reference = _reference(summary)
    row: dict[str, Any] = {"id": cluster_id, "scores": {}, "seconds": {}}
    try:
        # Multi-News clusters carry error pages and empty documents: skip them, as batch does
        settings = Settings(words=words, require_english=False)
        story = prepare(articles, settings, on_skip=lambda error: None)
    except DataError:  # a cluster with nothing usable scores 0 for everyone
        story = None
    for system in systems:
        started = time.perf_counter()
        if story is None:
            picked: list[Sentence] = []
        elif system == "oracle":
            flat = [s for a in story.originals for s in story.sentences.get(a.id, ())]
            picked = oracle(flat, reference, words)
        else:
            picked = summarize(story.originals, story.sentences, words=words, method=system)
        row["seconds"][system] = time.perf_counter() - started
        if sum(s.words for s in picked) > words:
            raise AssertionError(f"{system} exceeded {words} words on cluster {cluster_id}")
        row["scores"][system] = rouge([s.text for s in picked], reference)
    return row


def score_clusters(
    path: str | Path,
    *,
    systems: Sequence[str] = DEFAULT_SYSTEMS,
    words: int = 250,
    limit: int | None = None,
    workers: int = 2,
) -> Iterator[dict[str, Any]]:
    """Per-cluster ROUGE of every system, in file order."""
    from .ingest.clusters import read_clusters
    from .summarize import SUMMARIZERS

    for system in systems:
        if system != "oracle" and system not in SUMMARIZERS:
            available = ", ".join(sorted([*SUMMARIZERS, "oracle"]))
            raise UsageError(f"Unknown system {system!r}; available: {available}")
    # only plain records cross to the workers (a cluster also carries its skip reasons)
    jobs: Iterator[Job] = (
        (c.id, c.articles, c.summary, tuple(systems), words)
        for c in read_clusters(path, limit=limit)
        if c.summary
    )
    if workers <= 1:
        yield from map(_score_cluster, jobs)
        return
    with get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_score_cluster, jobs, chunksize=8)


def bootstrap_ci(
    values: Sequence[float], *, samples: int = 1000, seed: int = 0
) -> tuple[float, float]:
    """95% percentile bootstrap interval of the mean, resampling clusters.

    >>> bootstrap_ci([1.0, 1.0, 1.0], samples=50)
    (1.0, 1.0)
    """
    import numpy as np

    data = np.asarray(values, dtype=np.float64)
    if data.size == 0 or samples < 1:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, data.size, size=(samples, data.size))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return (float(low), float(high))


def summarize_rows(
    rows: Sequence[dict[str, Any]], systems: Sequence[str], *, bootstrap: int = 1000
) -> dict[str, Any]:
    """Means, 95% CIs and median seconds per system over ``rows``."""
    import numpy as np

    out: dict[str, Any] = {}
    for system in systems:
        entry: dict[str, Any] = {}
        for metric in METRICS:
            values = [r["scores"][system][metric] for r in rows]
            low, high = bootstrap_ci(values, samples=bootstrap)
            entry[metric] = {
                "mean": float(np.mean(values)) if values else float("nan"),
                "low": low,
                "high": high,
            }
        entry["median_ms"] = 1000 * float(np.median([r["seconds"][system] for r in rows]))
        out[system] = entry
    return out


def evaluate(
    path: str | Path,
    *,
    systems: Sequence[str] = DEFAULT_SYSTEMS,
    words: int = 250,
    limit: int | None = None,
    bootstrap: int = 1000,
    workers: int = 2,
    progress: bool = False,
) -> dict[str, Any]:
    """Score ``systems`` on the clusters of ``path``; means with 95% bootstrap CIs."""
    rows = score_clusters(path, systems=systems, words=words, limit=limit, workers=workers)
    if progress:
        from tqdm import tqdm

        rows = tqdm(rows, total=limit, unit="cluster")
    collected = list(rows)
    if not collected:
        raise DataError(f"{path}: no cluster with a reference summary ('summary') to score")
    return {
        "file": str(path),
        "clusters": len(collected),
        "words": words,
        "rule": "whole sentences, at most `words` words per summary; sentences joined by newlines",
        "systems": summarize_rows(collected, systems, bootstrap=bootstrap),
    }
