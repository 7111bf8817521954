"""Sentence splitters compared: accuracy on our hard cases, speed on Multi-News.

Accuracy: tests/data/segment/cases.jsonl, hand-written tricky cases (abbreviations, initials,
numbers, quotations, ellipses, line breaks, Multi-News style). A case counts as right when the
splitter returns exactly the expected sentences; boundary precision/recall count single breaks.
Speed: words per second over the documents of the first N clusters of a Multi-News file, median
of R runs, and the ratio to newsdesk in the same process.

    .venv/bin/python benchmarks/segment_bench.py [--clusters 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from newsdesk.segment import split_sentences

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "segment" / "cases.jsonl"
# written after the rules were frozen, never tuned on: the honest accuracy figure
HELDOUT = ROOT / "tests" / "data" / "segment" / "heldout.jsonl"
DATA = ROOT.parent / "shared" / "data" / "multinews"

Splitter = Callable[[str], list[tuple[int, int]]]


def syntok_spans(text: str) -> list[tuple[int, int]]:
    from syntok import segmenter

    spans = []
    for paragraph in segmenter.analyze(text):
        for sentence in paragraph:
            first, last = sentence[0], sentence[-1]
            # syntok puts a sentence's leading spacing into its first token's offset already
            spans.append((first.offset, last.offset + len(last.value)))
    return spans


def make_pysbd() -> Splitter:
    import pysbd  # type: ignore[import-untyped]  # ships no type hints

    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def spans(text: str) -> list[tuple[int, int]]:
        out = []
        for span in seg.segment(text):
            start, end = span.start, span.end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                out.append((start, end))
        return out

    return spans


def accuracy(split: Splitter, cases: Path) -> tuple[int, int, float, float, list[str]]:
    right = total = 0
    tp = fp = fn = 0
    wrong = []
    for line in cases.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        text = case["sep"].join(case["sentences"])
        want = case["sentences"]
        got = [text[a:b] for a, b in split(text)]
        total += 1
        if got == want:
            right += 1
        else:
            wrong.append(case["note"])
        want_ends = _ends(want, text)
        got_ends = {b for _, b in split(text)}
        tp += len(want_ends & got_ends)
        fp += len(got_ends - want_ends)
        fn += len(want_ends - got_ends)
    return right, total, tp / max(tp + fp, 1), tp / max(tp + fn, 1), wrong


def _ends(sentences: list[str], text: str) -> set[int]:
    ends, pos = set(), 0
    for s in sentences:
        pos = text.index(s, pos) + len(s)
        ends.add(pos)
    return ends


def load_texts(clusters: int) -> list[str]:
    texts = []
    with gzip.open(DATA / "validation.jsonl.gz", "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= clusters:
                break
            texts += [d["text"] for d in json.loads(line)["documents"]]
    return texts


def speed(split: Splitter, texts: list[str], runs: int) -> float:
    words = sum(len(t.split()) for t in texts)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for t in texts:
            split(t)
        times.append(time.perf_counter() - t0)
    return words / statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    splitters: dict[str, Splitter] = {
        "newsdesk": split_sentences,
        "syntok": syntok_spans,
        "pysbd": make_pysbd(),
    }
    texts = load_texts(args.clusters) if DATA.exists() else []
    words = sum(len(t.split()) for t in texts)
    print(f"speed: {len(texts)} Multi-News validation documents, {words} words")
    for cases in (CASES, HELDOUT):
        print(f"accuracy: {cases.relative_to(ROOT)}")
        for name, split in splitters.items():
            right, total, precision, recall, wrong = accuracy(split, cases)
            print(
                f"  {name:9s} cases {right}/{total} ({right / total:.0%})"
                f"  boundary P {precision:.3f} R {recall:.3f}"
            )
            for note in wrong:
                print(f"             wrong: {note}")
    base = None
    for name, split in splitters.items():
        # pysbd is ~10x slower: time it on a tenth of the text to keep the run short
        sample = texts if name != "pysbd" else texts[: max(1, len(texts) // 10)]
        wps = speed(split, sample, args.runs) if texts else float("nan")
        base = base or wps
        print(f"  {name:9s} {wps / 1000:7.0f}k words/s  ratio to newsdesk {wps / base:.2f}")


if __name__ == "__main__":
    main()
