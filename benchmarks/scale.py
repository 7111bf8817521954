"""Throughput and memory of ingest + dedup + cluster (+ the SQLite store) at 10k to 1M articles.

Articles are resampled from Multi-News (train-sample10k and validation documents, never
test) and perturbed so that no two are the same text: each sentence is dropped with
probability 0.2 and each word replaced by another word of the pool with probability 0.03. Each
resampled article gets a synthetic outlet (one of 500) and a publication time: 5,000 articles
a day, each published up to 2 days before it arrives (so 1M articles span 200 days and the
clusterer's 5-day window holds about 25k articles). 10% of the articles are syndicated copies
of an article from the last 2,000, under another outlet, with a credit line added.

The stream is written once to a JSONL file in the temp folder (not timed). Timed, per
article: read and parse the line and build the ``Article`` (content-hash id), MinHash
signature ("ingest+sign"), ``SyndicationIndex.add`` ("dedup"), ``StoryClusterer.assign`` for
originals, a copy joining its original's story ("cluster"), and ``Store.write_batch`` every
1,000 articles into a SQLite file, WAL ("store"). Peak memory is ``ru_maxrss`` of a fresh
process per size.

``--workers 1`` uses the second core: ingest+sign runs in a worker process (at most 4
batches ahead) and the store writes in a background thread (sqlite3 releases the GIL), while
the main process runs dedup and clustering in arrival order, so results are the same.

    .venv/bin/python benchmarks/scale.py --n 10000 --peer          # datasketch, same process
    .venv/bin/python benchmarks/scale.py --n 10000 [--workers 1]
    .venv/bin/python benchmarks/scale.py --n 100000 [--workers 1]
    nohup .venv/bin/python benchmarks/scale.py --n 1000000 --workers 1 > scale-1m.txt &
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from collections import OrderedDict, deque
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newsdesk.cluster import StoryClusterer
from newsdesk.dedup.lsh import SyndicationIndex, jaccard_estimate, signature
from newsdesk.models import Article

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "multinews"
START = datetime(2024, 1, 1, tzinfo=UTC)
PER_DAY = 5000
BATCH = 1000
CHUNK = 10_000  # articles per throughput sample
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def load_pool() -> tuple[list[list[str]], list[str]]:
    docs: list[list[str]] = []
    vocab: set[str] = set()
    for name in ("train-sample10k.jsonl.gz", "validation.jsonl.gz"):
        with gzip.open(DATA / name, "rt", encoding="utf-8") as f:
            for line in f:
                cluster = json.loads(line)
                for doc, rel in zip(cluster["documents"], cluster["relevant"], strict=True):
                    if rel and len(doc["text"].split()) >= 30:
                        docs.append(_SENTENCE.split(doc["text"]))
                        if len(vocab) < 50_000:
                            vocab.update(doc["text"].split())
    return docs, sorted(vocab)


def lines(n: int, seed: int, docs: list[list[str]], vocab: list[str]) -> Iterator[list[str]]:
    """Batches of JSONL article lines, resampled and perturbed from the pool."""
    rng = random.Random(seed)
    recent: list[dict[str, str]] = []
    batch: list[str] = []
    for i in range(n):
        day = i / PER_DAY
        if recent and rng.random() < 0.1:
            original = rng.choice(recent[-2000:])
            record = dict(original)
            record["outlet"] = f"outlet{rng.randrange(500)}"
            record["text"] = original["text"] + " Reporting by the wire service."
        else:
            sentences = [s for s in rng.choice(docs) if rng.random() >= 0.2] or ["Empty."]
            words = " ".join(sentences).split()
            for k in range(len(words)):
                if rng.random() < 0.03:
                    words[k] = rng.choice(vocab)
            published = START + timedelta(days=day - rng.uniform(0.0, 2.0))
            record = {
                "text": " ".join(words),
                "outlet": f"outlet{rng.randrange(500)}",
                "published": published.isoformat(timespec="seconds"),
                "url": f"https://example.org/{seed}/{i}",
            }
            recent.append(record)
            if len(recent) > 4000:
                del recent[:2000]
        batch.append(json.dumps(record))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def data_file(n: int, seed: int) -> Path:
    """The stream as a JSONL file, generated once (not timed) and reused."""
    path = Path(tempfile.gettempdir()) / "newsdesk-scale" / f"articles-{n}-{seed}.jsonl"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        docs, vocab = load_pool()
        part = path.with_suffix(".part")
        with part.open("w", encoding="utf-8") as f:
            for batch in lines(n, seed, docs, vocab):
                f.write("\n".join(batch) + "\n")
        part.rename(path)
        print(f"generated {path} in {time.perf_counter() - start:.0f} s (not timed)")
    return path


def read_batches(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as f:
        batch: list[str] = []
        for line in f:
            batch.append(line)
            if len(batch) == BATCH:
                yield batch
                batch = []
        if batch:
            yield batch


def prepare(batch: list[str]) -> list[tuple[Article, bytes]]:
    """Ingest (parse, build the content-hashed Article) and MinHash-sign one batch."""
    out = []
    for line in batch:
        r = json.loads(line)
        article = Article.create(
            source="scale.jsonl",
            text=r["text"],
            outlet=r["outlet"],
            published=r.get("published"),
            url=r.get("url"),
        )
        out.append((article, SyndicationIndex.signature(article.text)))
    return out


def prepared_batches(path: Path, workers: int) -> Iterator[list[tuple[Article, bytes]]]:
    """``prepare`` inline, or in ``workers`` processes with at most 4 batches in flight."""
    if not workers:
        yield from map(prepare, read_batches(path))
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pending: deque[Any] = deque()
        for batch in read_batches(path):
            pending.append(pool.apply_async(prepare, (batch,)))
            if len(pending) >= 4:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        pool.close()
        pool.join()


class StoreSink:
    """``write_batch`` inline, or in one background thread (SQLite releases the GIL)."""

    def __init__(self, location: str, threaded: bool) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from newsdesk.store import open_store

        self.executor = ThreadPoolExecutor(1) if threaded else None
        # A SQLite connection belongs to the thread that opened it.
        if self.executor:
            self.store = self.executor.submit(open_store, location).result()
        else:
            self.store = open_store(location)
        self.pending: Any = None

    def write(self, items: list[Any]) -> None:
        if self.executor is None:
            self.store.write_batch(items)
            return
        if self.pending is not None:
            self.pending.result()
        self.pending = self.executor.submit(self.store.write_batch, items)

    def close(self) -> None:
        if self.executor is None:
            self.store.close()
            return
        if self.pending is not None:
            self.pending.result()
        self.executor.submit(self.store.close).result()
        self.executor.shutdown()


def run(n: int, seed: int, with_store: bool, workers: int) -> None:
    from newsdesk.store import NewArticle

    path = data_file(n, seed)
    index = SyndicationIndex(threshold=0.8)
    clusterer = StoryClusterer()
    # Story of each recent original, for copies (the store answers this in production).
    story_of: OrderedDict[str, str] = OrderedDict()
    tmp = tempfile.TemporaryDirectory()
    sink = StoreSink(str(Path(tmp.name) / "scale.db"), threaded=workers > 0) if with_store else None
    stages = dict.fromkeys(("ingest+sign", "dedup", "cluster", "store"), 0.0)
    chunk_stages = dict.fromkeys(stages, 0.0)
    chunk_rates: list[float] = []
    load_start = os.getloadavg()[0]
    cpu_start = time.process_time()
    chunk_start = total_start = time.perf_counter()
    copies = arrival = 0
    batches = prepared_batches(path, workers)
    while True:
        t0 = time.perf_counter()
        prepared = next(batches, None)
        if prepared is None:
            break
        t1 = time.perf_counter()
        originals = [index.add(a.id, sig) for a, sig in prepared]
        t2 = time.perf_counter()
        items = []
        for (a, sig), orig in zip(prepared, originals, strict=True):
            arrival += 1
            if orig is not None and orig in story_of:
                copies += 1
                sid = story_of[orig]
                a = replace(a, duplicate_of=orig)
            else:
                sid = clusterer.assign(a, arrival=arrival)
                story_of[a.id] = sid
            items.append(NewArticle(a, arrival, sid, sig if orig is None else None))
        while len(story_of) > 50_000:
            story_of.popitem(last=False)
        t3 = time.perf_counter()
        if sink is not None:
            sink.write(items)
        t4 = time.perf_counter()
        for key, dt in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            stages[key] += dt
            chunk_stages[key] += dt
        if arrival % CHUNK == 0:
            now = time.perf_counter()
            chunk_rates.append(CHUNK / (now - chunk_start))
            chunk_start = now
            if arrival % (CHUNK * 10) == 0 or arrival == CHUNK:
                per = ", ".join(f"{k} {v / CHUNK * 1e6:.0f}" for k, v in chunk_stages.items())
                print(
                    f"  {arrival:>9,} articles: {chunk_rates[-1]:,.0f}/s over the last "
                    f"{CHUNK:,} (us/article: {per}), rss {rss_mb():,.0f} MB, "
                    f"live stories {len(clusterer):,}",
                    flush=True,
                )
            chunk_stages = dict.fromkeys(stages, 0.0)
    if sink is not None:
        sink.close()
    wall = time.perf_counter() - total_start
    cpu = time.process_time() - cpu_start
    tmp.cleanup()
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = child.ru_maxrss / 1024.0
    cpu += child.ru_utime + child.ru_stime
    mode = f"{workers} worker process(es) + store thread" if workers else "one process"
    print(f"\nn={n:,} store={'sqlite' if with_store else 'none'} mode={mode}")
    print(
        f"throughput: {n / wall:,.0f} articles/s overall ({wall:.1f} s wall); median per "
        f"{CHUNK:,}-article chunk {statistics.median(chunk_rates):,.0f}/s; first chunk "
        f"{chunk_rates[0]:,.0f}/s, last chunk {chunk_rates[-1]:,.0f}/s"
    )
    print(
        f"CPU: {cpu:.1f} s in all processes, {n / cpu:,.0f} articles per CPU-second; "
        f"machine load average {load_start:.1f} at start, {os.getloadavg()[0]:.1f} at end "
        f"(2 cores; other jobs were running)"
    )
    print(
        "main-thread microseconds per article by stage (waits included): "
        + ", ".join(f"{k} {v / n * 1e6:.0f}" for k, v in stages.items())
    )
    print(
        f"copies linked: {copies:,} ({copies / n:.1%}); originals indexed: {len(index):,}; "
        f"live stories at end: {len(clusterer):,}"
    )
    extra = f"; worker process peak {children:,.0f} MB" if workers else ""
    print(f"peak RSS {rss_mb():,.0f} MB{extra}")


def peer(n: int, seed: int) -> None:
    """Our numpy MinHash against datasketch's MinHash + MinHashLSH, same articles, same process."""
    from datasketch import MinHash, MinHashLSH

    docs, vocab = load_pool()
    texts = [json.loads(x)["text"] for b in lines(n, seed, docs, vocab) for x in b]
    word = re.compile(r"\w+")

    def ds_sig(text: str) -> MinHash:
        toks = word.findall(text.lower())
        shingles = [" ".join(toks[i : i + 5]).encode() for i in range(max(1, len(toks) - 4))]
        m = MinHash(num_perm=128)
        m.update_batch(shingles)
        return m

    ours_t, theirs_t = [], []
    for _ in range(3):
        t = time.perf_counter()
        index = SyndicationIndex(0.8)
        ours = [index.add(str(i), index.signature(x)) for i, x in enumerate(texts)]
        ours_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        lsh = MinHashLSH(threshold=0.8, num_perm=128)
        theirs: list[str | None] = []
        for i, x in enumerate(texts):
            m = ds_sig(x)
            found = lsh.query(m)
            theirs.append(min(found, key=int) if found else None)
            if not found:
                lsh.insert(str(i), m)
        theirs_t.append(time.perf_counter() - t)
    a, b = statistics.median(ours_t), statistics.median(theirs_t)
    agree = sum((x is None) == (y is None) for x, y in zip(ours, theirs, strict=True)) / n
    print(
        f"\npeer, {n:,} articles, median of 3: SyndicationIndex {n / a:,.0f}/s, "
        f"datasketch MinHash+MinHashLSH {n / b:,.0f}/s, ratio {b / a:.1f}x; "
        f"copy/original decisions agree on {agree:.2%}; copies found "
        f"{sum(x is not None for x in ours):,} vs {sum(y is not None for y in theirs):,}"
    )
    # Estimator check: our estimate against exact 5-gram Jaccard on pairs of related texts.
    rng = random.Random(seed)
    errors = []
    for _ in range(300):
        x = rng.choice(texts)
        toks = x.split()
        y = " ".join(w if rng.random() > 0.05 else rng.choice(vocab) for w in toks)
        tx, ty = word.findall(x.lower()), word.findall(y.lower())
        sx = {tuple(tx[i : i + 5]) for i in range(max(1, len(tx) - 4))}
        sy = {tuple(ty[i : i + 5]) for i in range(max(1, len(ty) - 4))}
        exact = len(sx & sy) / len(sx | sy)
        errors.append(abs(jaccard_estimate(signature(x), signature(y)) - exact))
    print(
        f"MinHash estimate vs exact 5-gram Jaccard on 300 perturbed pairs: median abs error "
        f"{statistics.median(errors):.3f}, 95th percentile "
        f"{sorted(errors)[int(0.95 * len(errors))]:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-store", action="store_true", help="dedup + cluster only")
    parser.add_argument("--peer", action="store_true", help="time datasketch instead (slow)")
    parser.add_argument(
        "--workers", type=int, default=0, help="processes for ingest + signatures (0: inline)"
    )
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"no data at {DATA}")
    if args.peer:
        peer(args.n, args.seed)
    else:
        run(args.n, args.seed, with_store=not args.no_store, workers=args.workers)


if __name__ == "__main__":
    main()
