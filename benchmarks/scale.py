"""Throughput and memory of ingest + dedup + cluster (+ the SQLite store) at 10k to 1M articles.

Articles are resampled from Multi-News (train-sample10k and validation documents, never
test) and perturbed so that no two are the same text: each sentence is dropped with
probability 0.2 and each word replaced by another word of the pool with probability 0.03. Each
resampled article gets a synthetic outlet (one of 500) and a publication time: 5,000 articles
a day, each published up to 2 days before it arrives (so 1M articles span 200 days and the
clusterer's 7-day window holds about 35k articles). 10% of the articles are syndicated copies
of an article from the last 2,000, under another outlet, with a credit line added.

Per article, timed: parse the JSONL line and build the ``Article`` (content-hash id), MinHash
signature, ``SyndicationIndex.add``, ``StoryClusterer.assign`` for originals (a copy joins its
original's story), and ``Store.write_batch`` every 1,000 articles into a SQLite file (WAL).
Generating the lines is not timed. Peak memory is ``ru_maxrss`` of a fresh process per size.

    .venv/bin/python benchmarks/scale.py --n 10000 --peer       # + datasketch in-process peer
    .venv/bin/python benchmarks/scale.py --n 100000
    nohup .venv/bin/python benchmarks/scale.py --n 1000000 > scale-1m.txt &
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from collections import OrderedDict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

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


def run(n: int, seed: int, with_store: bool) -> None:
    docs, vocab = load_pool()
    base_rss = rss_mb()
    index = SyndicationIndex(threshold=0.8)
    clusterer = StoryClusterer()
    # Story of each recent original, for copies (the store answers this in production).
    story_of: OrderedDict[str, str] = OrderedDict()
    store = None
    tmp = tempfile.TemporaryDirectory()
    if with_store:
        from newsdesk.store import NewArticle, open_store

        store = open_store(str(Path(tmp.name) / "scale.db"))
    stages = {"ingest": 0.0, "dedup": 0.0, "cluster": 0.0, "store": 0.0}
    chunk_rates: list[float] = []
    chunk_time = 0.0
    copies = 0
    arrival = 0
    total_start = time.perf_counter()
    for batch in lines(n, seed, docs, vocab):
        t0 = time.perf_counter()
        articles = []
        for line in batch:
            r = json.loads(line)
            articles.append(
                Article.create(
                    source="scale.jsonl",
                    text=r["text"],
                    outlet=r["outlet"],
                    published=r.get("published"),
                    url=r.get("url"),
                )
            )
        t1 = time.perf_counter()
        sigs = [index.signature(a.text) for a in articles]
        originals = [index.add(a.id, s) for a, s in zip(articles, sigs, strict=True)]
        t2 = time.perf_counter()
        stories = []
        for a, orig in zip(articles, originals, strict=True):
            arrival += 1
            if orig is not None and orig in story_of:
                copies += 1
                stories.append(story_of[orig])
                continue
            sid = clusterer.assign(a, arrival=arrival)
            story_of[a.id] = sid
            stories.append(sid)
        while len(story_of) > 50_000:
            story_of.popitem(last=False)
        t3 = time.perf_counter()
        if store is not None:
            from dataclasses import replace

            store.write_batch(
                [
                    NewArticle(
                        article=replace(a, duplicate_of=o) if o else a,
                        arrival=arrival - len(articles) + k + 1,
                        story_id=sid,
                        signature=s if o is None else None,
                    )
                    for k, (a, o, sid, s) in enumerate(
                        zip(articles, originals, stories, sigs, strict=True)
                    )
                ]
            )
        t4 = time.perf_counter()
        for key, dt in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            stages[key] += dt
        chunk_time += t4 - t0
        if arrival % CHUNK == 0:
            chunk_rates.append(CHUNK / chunk_time)
            chunk_time = 0.0
            if arrival % (CHUNK * 10) == 0 or arrival == CHUNK:
                print(
                    f"  {arrival:>9,} articles: {chunk_rates[-1]:,.0f}/s over the last "
                    f"{CHUNK:,}, rss {rss_mb():,.0f} MB, live stories {len(clusterer):,}",
                    flush=True,
                )
    wall = time.perf_counter() - total_start
    busy = sum(stages.values())
    if store is not None:
        store.close()
    tmp.cleanup()
    print(f"\nn={n:,} store={'sqlite' if with_store else 'none'}")
    print(f"processed {n:,} articles in {busy:.1f} s timed ({wall:.1f} s wall incl. generation)")
    print(
        f"throughput: {n / busy:,.0f} articles/s overall; median per {CHUNK:,}-article "
        f"chunk {statistics.median(chunk_rates):,.0f}/s; first chunk "
        f"{chunk_rates[0]:,.0f}/s, last chunk {chunk_rates[-1]:,.0f}/s"
    )
    print(
        "microseconds per article by stage: "
        + ", ".join(f"{k} {v / n * 1e6:.0f}" for k, v in stages.items())
    )
    print(
        f"copies linked: {copies:,} ({copies / n:.1%}); originals indexed: {len(index):,}; "
        f"live stories at end: {len(clusterer):,}"
    )
    print(f"peak RSS {rss_mb():,.0f} MB (pool of source documents alone: {base_rss:,.0f} MB)")


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
    parser.add_argument("--peer", action="store_true", help="also time datasketch (slow)")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"no data at {DATA}")
    if args.peer:
        peer(args.n, args.seed)
    else:
        run(args.n, args.seed, with_store=not args.no_store)


if __name__ == "__main__":
    main()
