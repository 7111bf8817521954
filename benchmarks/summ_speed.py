"""Speed of summarizers on long stories built from validation clusters (never test files).

    python benchmarks/summ_speed.py --merge 3 --stories 150 --methods newsdesk,lexrank

Each story joins the articles of ``--merge`` consecutive validation clusters (Multi-News
validation text is truncated; joining gives stories of ~50-60 sentences, the size of
test-fulltext200's median story). Each story is prepared once (not timed); the methods run
on the same sentences, interleaved story by story, one process, 250 words.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from summ_cache import load


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--merge", type=int, default=3)
    parser.add_argument("--stories", type=int, default=150)
    parser.add_argument("--methods", default="newsdesk,lexrank")
    parser.add_argument("--parts", action="store_true", help="time the stages of `concepts`")
    args = parser.parse_args()
    if args.parts:
        parts(args)
        return
    from newsdesk.summarize import summarize

    rows = [r for r in load("validation", 1000) if r is not None]
    methods = args.methods.split(",")
    times: dict[str, list[float]] = {m: [] for m in methods}
    sizes = []
    for k in range(args.stories):
        group = rows[k * args.merge : (k + 1) * args.merge]
        ids = tuple(i for r in group for i in r[0])
        sentences = {i: s for r in group for i, s in r[1].items()}
        articles = [_Article(i) for i in ids]
        sizes.append(sum(len(sentences[i]) for i in ids))
        for m in methods:
            started = time.perf_counter()
            summarize(articles, sentences, words=250, method=m)  # type: ignore[arg-type]
            times[m].append(time.perf_counter() - started)
    print(f"{args.stories} stories, median {statistics.median(sizes)} sentences")
    base = statistics.median(times[methods[0]])
    for m in methods:
        med = statistics.median(times[m])
        p90 = sorted(times[m])[int(0.9 * len(times[m]))]
        print(f"  {m:20s} median {1000 * med:6.2f} ms  p90 {1000 * p90:6.2f} ms  x{med / base:.2f}")


def parts(args: argparse.Namespace) -> None:
    """Mean ms of each stage of the ``concepts`` method (and of MMR selection, for scale)."""
    from newsdesk.summarize.concepts import (
        Concepts,
        concept_features,
        load_concept_model,
        select_by_concepts,
    )
    from newsdesk.summarize.features import StoryView, features
    from newsdesk.summarize.model import load_model
    from newsdesk.summarize.select import order, select

    rows = [r for r in load("validation", 1000) if r is not None]
    model, concepts_model = load_model(), load_concept_model()
    assert model is not None and concepts_model is not None, "no model files"
    spent: dict[str, float] = {}

    def tick(name: str, started: float) -> float:
        now = time.perf_counter()
        spent[name] = spent.get(name, 0.0) + now - started
        return now

    for k in range(args.stories):
        group = rows[k * args.merge : (k + 1) * args.merge]
        ids = tuple(i for r in group for i in r[0])
        sentences = {i: s for r in group for i, s in r[1].items()}
        t = time.perf_counter()
        view = StoryView.build(ids, sentences)
        t = tick("story view", t)
        scores = model.score(features(view))
        t = tick("sentence features + scores", t)
        concepts = Concepts.build(view)
        t = tick("concepts", t)
        x = concept_features(view, concepts, scores, concepts_model.prior)
        t = tick("concept features", t)
        weights = concepts_model.linear.score(x)
        t = tick("concept weights", t)
        chosen = select_by_concepts(view, concepts, weights, scores, 250, beta=10.0)
        t = tick("concept selection", t)
        order(view, chosen, scores)
        t = tick("order", t)
        select(view, scores, 250)
        tick("(MMR selection, for scale)", t)
    for name, seconds in spent.items():
        print(f"  {name:30s} {1000 * seconds / args.stories:5.2f} ms")


class _Article:
    """Only ``id`` is read by the summarizers."""

    def __init__(self, id: str) -> None:
        self.id = id


if __name__ == "__main__":
    main()
