"""Summarizer speed and memory: newsdesk against sumy LexRank on the same prepared stories.

    python benchmarks/speed.py [CLUSTERS] [--words 250] [--limit N]

Every cluster goes through ``pipeline.prepare`` once (not timed); then each summarizer runs
on the same sentences. Prints the median milliseconds per cluster, the peak traced memory of
one summarizer call (tracemalloc, Python allocations incl. numpy), and the ratio of medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "multinews" / "test-fulltext200.jsonl.gz"


def main(argv: list[str] | None = None) -> int:
    from newsdesk.config import Settings
    from newsdesk.errors import DataError
    from newsdesk.ingest.clusters import read_clusters
    from newsdesk.pipeline import prepare
    from newsdesk.summarize import summarize

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("clusters", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--words", type=int, default=250)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--systems", default="newsdesk,lexrank")
    parser.add_argument(
        "--stages", action="store_true", help="also time the stages of the default method"
    )
    args = parser.parse_args(argv)
    systems = args.systems.split(",")

    stories = []
    settings = Settings(words=args.words, require_english=False)
    for cluster in read_clusters(args.clusters, limit=args.limit):
        try:
            stories.append(prepare(cluster.articles, settings, on_skip=lambda e: None))
        except DataError:
            continue
    sentences = [sum(len(v) for v in s.sentences.values()) for s in stories]
    print(
        f"{len(stories)} clusters of {args.clusters.name}; "
        f"median {statistics.median(sentences):.0f} sentences per cluster; "
        f"load average {os.getloadavg()[0]:.1f} (timings shift with it on a shared machine)"
    )
    # warm up: imports, the model file
    for system in systems:
        summarize(stories[0].originals, stories[0].sentences, words=args.words, method=system)
    timings: dict[str, list[float]] = {s: [] for s in systems}
    peaks: dict[str, int] = {s: 0 for s in systems}
    for story in stories:
        for system in systems:  # interleaved, so both see the same machine state
            started = time.perf_counter()
            summarize(story.originals, story.sentences, words=args.words, method=system)
            timings[system].append(time.perf_counter() - started)
    for story in stories:
        for system in systems:
            tracemalloc.start()
            summarize(story.originals, story.sentences, words=args.words, method=system)
            peaks[system] = max(peaks[system], tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
    if args.stages:
        stages(stories, args.words)
    base = statistics.median(timings[systems[0]])
    for system in systems:
        median = statistics.median(timings[system])
        print(
            f"{system:10s} median {1000 * median:8.1f} ms/cluster  "
            f"p90 {1000 * sorted(timings[system])[int(0.9 * len(stories))]:8.1f} ms  "
            f"peak {peaks[system] / 2**20:6.1f} MiB  x{median / base:5.1f} of {systems[0]}"
        )
    return 0


def stages(stories: list[Any], words: int) -> None:
    """Median ms of each stage of the default method, each story once, in file order."""
    from newsdesk.summarize.features import StoryView, features
    from newsdesk.summarize.model import load_model
    from newsdesk.summarize.select import order, select

    model = load_model()
    assert model is not None, "no model file"
    names = ("story view", "features", "tree scores", "select", "order")
    spent: dict[str, list[float]] = {name: [] for name in names}
    for story in stories:
        marks = [time.perf_counter()]
        view = StoryView.build([a.id for a in story.originals], story.sentences)
        marks.append(time.perf_counter())
        x = features(view)
        marks.append(time.perf_counter())
        scores = model.score(x)
        marks.append(time.perf_counter())
        chosen = select(view, scores, words)
        marks.append(time.perf_counter())
        order(view, chosen, scores)
        marks.append(time.perf_counter())
        for name, before, after in zip(names, marks, marks[1:], strict=False):
            spent[name].append(after - before)
    print("stages of the default method (medians, each story once):")
    for name in names:
        print(f"  {name:12s} {1000 * statistics.median(spent[name]):6.2f} ms")


if __name__ == "__main__":
    sys.exit(main())
