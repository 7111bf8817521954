"""Story clustering quality on streams built from Multi-News, against a batch baseline.

A stream pools the documents of ``--clusters`` Multi-News clusters. Each cluster gets a
synthetic first-publication time, uniform over ``--span-days``; each of its documents is
published ``uniform(0, --jitter-days)`` later and arrives after a further exponential delay
(mean 6 hours), so arrival order is not publication order and stories interleave. Gold story
= cluster. Documents with fewer than 10 words are dropped (nothing to cluster).

``relevant: false`` documents (crawl noise: archive boilerplate, error pages, off-topic
articles) have no gold story. The main stream leaves them out; ``--noise singleton`` keeps
them, each as its own gold story, to show what the noise costs.

The no-date variant is the same stream with ``published`` removed: arrival order stands in.

Baseline: TF-IDF (scikit-learn, sub-linear TF, English stop words) and average-linkage
agglomerative clustering on cosine distance over the whole stream at once, distance
threshold tuned on validation.

    .venv/bin/python benchmarks/cluster_eval.py --tune            # sweeps on validation
    .venv/bin/python benchmarks/cluster_eval.py                   # report on test
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import itertools
import json
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newsdesk.cluster import ClusterSettings, StoryClusterer
from newsdesk.models import Article

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "multinews"
START = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Stream:
    articles: list[Article]
    gold: list[str]


def read_clusters(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def build_stream(
    clusters: Sequence[dict[str, Any]],
    *,
    n: int,
    seed: int,
    span_days: float = 30.0,
    jitter_days: float = 3.0,
    noise: str = "exclude",
    dated: bool = True,
) -> Stream:
    """Pool ``n`` random clusters into one stream, ordered by (synthetic) arrival time."""
    rng = random.Random(seed)
    chosen = rng.sample(list(clusters), n)
    rows: list[tuple[float, Article, str]] = []
    for cluster in chosen:
        base = rng.uniform(0.0, span_days)
        relevant = cluster.get("relevant") or [True] * len(cluster["documents"])
        for i, (doc, rel) in enumerate(zip(cluster["documents"], relevant, strict=True)):
            text = doc["text"]
            if len(text.split()) < 10:
                continue
            if not rel and noise == "exclude":
                continue
            gold = cluster["id"] if rel else f"{cluster['id']}#noise{i}"
            published = base + rng.uniform(0.0, jitter_days)
            arrival = published + rng.expovariate(4.0)  # mean delay 6 hours
            when = (START + timedelta(days=published)).isoformat(timespec="seconds")
            article = Article.create(
                source=f"{cluster['id']}#{i}",
                text=text,
                outlet=f"outlet{rng.randrange(50)}",
                published=when if dated else None,
            )
            rows.append((arrival, article, gold))
    rows.sort(key=lambda r: r[0])
    return Stream([r[1] for r in rows], [r[2] for r in rows])


# -- metrics ----------------------------------------------------------------------------------


def scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """Pairwise and B-cubed precision, recall, F1, and the number of predicted stories."""
    joint = Counter(zip(gold, pred, strict=True))
    gsize = Counter(gold)
    psize = Counter(pred)

    def pairs(c: Iterable[int]) -> int:
        return sum(k * (k - 1) // 2 for k in c)

    tp, pp, gp = pairs(joint.values()), pairs(psize.values()), pairs(gsize.values())
    pw_p = tp / pp if pp else 1.0
    pw_r = tp / gp if gp else 1.0
    n = len(gold)
    b_p = sum(k * k / psize[p] for (_, p), k in joint.items()) / n
    b_r = sum(k * k / gsize[g] for (g, _), k in joint.items()) / n
    return {
        "pair_p": pw_p,
        "pair_r": pw_r,
        "pair_f1": f1(pw_p, pw_r),
        "b3_p": b_p,
        "b3_r": b_r,
        "b3_f1": f1(b_p, b_r),
        "stories": float(len(psize)),
        "gold_stories": float(len(gsize)),
    }


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


# -- systems ----------------------------------------------------------------------------------


def run_clusterer(stream: Stream, settings: ClusterSettings) -> tuple[list[str], float]:
    clusterer = StoryClusterer(settings)
    start = time.perf_counter()
    pred = [clusterer.assign(a, arrival=i) for i, a in enumerate(stream.articles)]
    return pred, time.perf_counter() - start


class Baseline:
    """TF-IDF + average-linkage agglomerative clustering on cosine distance (batch)."""

    def __init__(self, stream: Stream) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        start = time.perf_counter()
        vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
            [a.text for a in stream.articles]
        )
        sims = (vectors @ vectors.T).toarray()
        self.distances = 1.0 - sims
        self.distances[self.distances < 0] = 0.0
        self.prep = time.perf_counter() - start

    def run(self, threshold: float) -> tuple[list[str], float]:
        from sklearn.cluster import AgglomerativeClustering

        start = time.perf_counter()
        labels = AgglomerativeClustering(
            n_clusters=None,
            metric="precomputed",
            linkage="average",
            distance_threshold=threshold,
        ).fit_predict(self.distances)
        return [str(x) for x in labels], self.prep + time.perf_counter() - start


# -- commands ---------------------------------------------------------------------------------

STREAM_SEEDS = (1, 2, 3)


def streams(path: Path, args: argparse.Namespace, dated: bool) -> list[Stream]:
    clusters = read_clusters(path)
    return [
        build_stream(
            clusters,
            n=args.clusters,
            seed=seed,
            span_days=args.span_days,
            jitter_days=args.jitter_days,
            noise=args.noise,
            dated=dated,
        )
        for seed in STREAM_SEEDS[: args.streams]
    ]


def median_scores(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def fmt(name: str, s: dict[str, float], seconds: float | None = None) -> str:
    cells = " | ".join(
        f"{s[k]:.3f}" for k in ("b3_p", "b3_r", "b3_f1", "pair_p", "pair_r", "pair_f1")
    )
    t = f" | {seconds:.2f}" if seconds is not None else ""
    return f"| {name} | {cells} | {s['stories']:.0f} / {s['gold_stories']:.0f}{t} |"


HEADER = (
    "| system | B3 P | B3 R | B3 F1 | pair P | pair R | pair F1 | stories / gold | seconds |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


def sweep(runs: list[Stream], base: ClusterSettings, grid: dict[str, list[Any]]) -> None:
    """Print median B3 F1 (and pair F1, stories) for every combination of ``grid``."""
    keys = list(grid)
    print(f"{' '.join(keys)}: B3 P / R / F1, pair F1, stories (median of {len(runs)} streams)")
    for values in itertools.product(*grid.values()):
        settings = dataclasses.replace(base, **dict(zip(keys, values, strict=True)))
        s = median_scores([scores(r.gold, run_clusterer(r, settings)[0]) for r in runs])
        print(
            f"  {' '.join(str(v) for v in values)}: {s['b3_p']:.3f} / {s['b3_r']:.3f} / "
            f"{s['b3_f1']:.4f}, {s['pair_f1']:.4f}, {s['stories']:.0f}",
            flush=True,
        )


def tune(args: argparse.Namespace) -> None:
    path = DATA / "validation.jsonl.gz"
    base = ClusterSettings()
    thresholds = [0.12, 0.14, 0.15, 0.16, 0.17, 0.18, 0.19, 0.2, 0.25]
    print(f"defaults: {base}")
    for dated in (True, False):
        runs = streams(path, args, dated)
        print(f"\n## validation, {'dated' if dated else 'no dates (arrival order)'}")
        print(f"{len(runs)} streams, {[len(s.articles) for s in runs]} articles\n")
        if dated:
            sweep(
                runs,
                base,
                {
                    "threshold": thresholds,
                    "half_life_days": [2.0, 5.0, 10.0],
                    "window_days": [3.0, 5.0, 7.0],
                },
            )
            print()
            sweep(
                runs,
                base,
                {
                    "query_terms": [12, 16, 20, 40],
                    "max_postings": [16, 32, 1000],
                    "max_candidates": [3, 5, 10, 30],
                },
            )
            print()
            sweep(runs, base, {"phrases": [True], "threshold": [0.1, 0.12, 0.14, 0.16]})
            print()
            sweep(runs, base, {"entity_weight": [0.0, 0.25]})
            baselines = [Baseline(r) for r in runs]
            print("\nbaseline distance threshold: B3 P / R / F1, pair F1, stories")
            for t in (0.7, 0.75, 0.8, 0.82, 0.84, 0.85, 0.86, 0.88, 0.9):
                s = median_scores(
                    [scores(r.gold, b.run(t)[0]) for r, b in zip(runs, baselines, strict=True)]
                )
                print(
                    f"  {t}: {s['b3_p']:.3f} / {s['b3_r']:.3f} / {s['b3_f1']:.4f}, "
                    f"{s['pair_f1']:.4f}, {s['stories']:.0f}"
                )
        else:
            sweep(
                runs,
                base,
                {"threshold": thresholds, "window_arrivals": [150, 200, 300, 400, 600, 2000]},
            )


def report(args: argparse.Namespace) -> None:
    path = DATA / f"{args.split}.jsonl.gz"
    settings = ClusterSettings()
    if args.entity_weight is not None:
        settings = dataclasses.replace(settings, entity_weight=args.entity_weight)
    print(
        f"split {args.split}, {args.clusters} clusters per stream, noise={args.noise}, "
        f"span {args.span_days} days, jitter {args.jitter_days} days, "
        f"median over {args.streams} streams (seeds {list(STREAM_SEEDS[: args.streams])})"
    )
    print(f"StoryClusterer settings: {settings}")
    print(f"baseline distance threshold: {args.baseline_threshold}")
    for dated in (True, False):
        runs = streams(path, args, dated)
        ours = [run_clusterer(r, settings) for r in runs]
        base = [Baseline(r).run(args.baseline_threshold) for r in runs] if dated else []
        print(
            f"\n### {'dated' if dated else 'no dates: arrival order'} "
            f"({statistics.median(len(r.articles) for r in runs):.0f} articles per stream)\n"
        )
        print(HEADER)
        print(
            fmt(
                "StoryClusterer (incremental)",
                median_scores([scores(r.gold, p) for r, (p, _) in zip(runs, ours, strict=True)]),
                statistics.median(t for _, t in ours),
            )
        )
        if base:
            print(
                fmt(
                    "TF-IDF + agglomerative (batch)",
                    median_scores(
                        [scores(r.gold, p) for r, (p, _) in zip(runs, base, strict=True)]
                    ),
                    statistics.median(t for _, t in base),
                )
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tune", action="store_true", help="sweep settings on validation")
    parser.add_argument(
        "--split", default="test", choices=["test", "validation", "test-fulltext200"]
    )
    parser.add_argument("--clusters", type=int, default=1000)
    parser.add_argument("--streams", type=int, default=3)
    parser.add_argument("--span-days", type=float, default=30.0)
    parser.add_argument("--jitter-days", type=float, default=3.0)
    parser.add_argument("--noise", default="exclude", choices=["exclude", "singleton"])
    parser.add_argument(
        "--entity-weight", type=float, help="override ClusterSettings.entity_weight"
    )
    parser.add_argument("--baseline-threshold", type=float, default=0.84)
    args = parser.parse_args(argv)
    if not DATA.exists():
        sys.exit(f"no data at {DATA}")
    if args.tune:
        tune(args)
    else:
        report(args)


if __name__ == "__main__":
    main()
