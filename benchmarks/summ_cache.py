"""Prepared clusters cached for summarizer experiments (benchmarks/summ_*.py).

    python benchmarks/summ_cache.py validation 1000     # -> /tmp/summ/validation-1000.pkl

Each cluster goes through ``pipeline.prepare`` exactly as in the ROUGE harness; stored:
(article ids, sentences by article, newline-split reference). Never run on test files.
"""

from __future__ import annotations

import pickle
import sys
from multiprocessing import get_context
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "multinews"
CACHE = Path("/tmp/summ")

Prepared = tuple[tuple[str, ...], dict[str, Any], str]


def _prepare(job: tuple[Any, str]) -> Prepared | None:
    from newsdesk.config import Settings
    from newsdesk.errors import DataError
    from newsdesk.evaluate import _reference
    from newsdesk.pipeline import prepare

    articles, summary = job
    try:
        story = prepare(articles, Settings(require_english=False), on_skip=lambda e: None)
    except DataError:
        return None
    ids = tuple(a.id for a in story.originals)
    return ids, {i: story.sentences.get(i, ()) for i in ids}, _reference(summary)


def load(name: str, limit: int) -> list[Prepared | None]:
    """Prepared clusters of a split (file order; None where nothing was usable)."""
    if "test" in name:
        raise SystemExit("never on test files")
    path = CACHE / f"{name}-{limit}.pkl"
    if path.exists():
        with path.open("rb") as f:
            out: list[Prepared | None] = pickle.load(f)
        return out
    from newsdesk.ingest.clusters import read_clusters

    jobs = (
        (c.articles, c.summary)
        for c in read_clusters(DATA / f"{name}.jsonl.gz", limit=limit)
        if c.summary
    )
    with get_context("fork").Pool(2) as pool:
        rows = list(pool.imap(_prepare, jobs, chunksize=16))
    CACHE.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        pickle.dump(rows, f)
    return rows


if __name__ == "__main__":
    import statistics

    rows = load(sys.argv[1], int(sys.argv[2]))
    lengths = [len(r[2].split()) for r in rows if r is not None]
    print(
        f"{len(rows)} clusters, {sum(r is None for r in rows)} unusable; reference words: "
        f"mean {statistics.mean(lengths):.0f}, median {statistics.median(lengths):.0f}"
    )
