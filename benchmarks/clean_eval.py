"""How well ``newsdesk.clean`` drops the lines a person would drop, against hand labels.

    .venv/bin/python benchmarks/clean_eval.py            # precision/recall/F1, both halves
    .venv/bin/python benchmarks/clean_eval.py --errors dev   # list dev-half mistakes
    .venv/bin/python benchmarks/clean_eval.py --speed    # ms per 1,000 words, vs the peer
    .venv/bin/python benchmarks/clean_eval.py --language # is_english vs py3langid

Labels: benchmarks/data/clean_labels.tsv, one row per non-blank line of 40 documents of
../shared/data/multinews/test-fulltext200 (cluster id, document index, 1-based line number over
``text.split("\\n")``, keep/drop, dev/heldout); how they were chosen and the labelling guide are
in docs/cleaning.md. Only the dev half may be looked at for tuning.

The positive class is "drop this line". The peer, run in the same process on the same lines,
is the obvious baseline: drop a line shorter than N words that does not end a sentence, and an
exact repeat of an earlier line.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from newsdesk.clean import clean_text, find_boilerplate, is_english, language_of
from newsdesk.models import Article

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "data" / "clean_labels.tsv"
DATA = ROOT.parent / "shared" / "data" / "multinews" / "test-fulltext200.jsonl.gz"
# How the documents were chosen (a looser "ends like a sentence" than the peer's, kept as used).
_NOISE_END = re.compile(r"""[.?!"'”’)]\s*$""")
_END = re.compile(r"""[.!?…]['"’”)\]]*$""")

Decider = Callable[[list[str], list[str]], list[bool]]  # (doc lines, cluster docs) -> drop?


def load_clusters() -> dict[str, list[str]]:
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        rows = (json.loads(line) for line in f)
        return {r["id"]: [d["text"] for d in r["documents"]] for r in rows}


def select_documents() -> list[tuple[str, int, str]]:
    """The labelled documents, chosen by a fixed rule before any labelling: (id, doc, split).

    Clusters in a seeded random order; from each, one random document of 3-40 non-blank lines
    (short enough to label). Two documents in three show visible noise (a line of under five
    words that does not end a sentence), one in three does not. The first 40 alternate between
    dev and heldout; the next 20 form "fresh", labelled only after the cleaner was frozen.
    """
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        rows = sorted((json.loads(line) for line in f), key=lambda r: r["id"])
    rng = random.Random(2019)
    rng.shuffle(rows)

    def noisy(text: str) -> bool:
        lines = (x for x in text.split("\n") if x.strip())
        return any(len(x.split()) < 5 and not _NOISE_END.search(x) for x in lines)

    picks: dict[bool, list[tuple[str, int]]] = {True: [], False: []}
    for row in rows:
        docs = [
            (i, d["text"])
            for i, d in enumerate(row["documents"])
            if 3 <= sum(1 for x in d["text"].split("\n") if x.strip()) <= 40
        ]
        if not docs:
            continue
        i, text = rng.choice(docs)
        kind = noisy(text)
        if len(picks[kind]) < (39 if kind else 21):
            picks[kind].append((row["id"], i))
    out: list[tuple[str, int, str]] = []
    for first, n_noisy, n_clean, splits in (
        (0, 26, 14, ("dev", "heldout")),
        (26, 13, 7, ("fresh",)),
    ):
        chosen = picks[True][first : first + n_noisy]
        clean_first = picks[False][first * 14 // 26 :][:n_clean]
        for j, doc in enumerate(clean_first):
            chosen.insert(j * 3, doc)
        out += [(cid, i, splits[k % len(splits)]) for k, (cid, i) in enumerate(chosen)]
    return out


def load_labels() -> dict[tuple[str, int], dict[int, tuple[bool, str]]]:
    """(cluster id, document) -> {line number: (drop?, split)}."""
    out: dict[tuple[str, int], dict[int, tuple[bool, str]]] = defaultdict(dict)
    with LABELS.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            doc = (row["cluster_id"], int(row["document"]))
            out[doc][int(row["line"])] = (row["label"] == "drop", row["split"])
    return out


def newsdesk_drops(lines: list[str], cluster: list[str]) -> list[bool]:
    """Which lines clean_text drops, with boilerplate found across the cluster's documents."""
    articles = [Article.create(source=f"doc{i}", text=t) for i, t in enumerate(cluster)]
    boilerplate = find_boilerplate(articles)
    kept = clean_text("\n".join(lines), boilerplate=boilerplate).split("\n\n")
    drops, at = [], 0
    for line in lines:
        if at < len(kept) and " ".join(line.split()) == kept[at]:
            drops.append(False)
            at += 1
        else:
            drops.append(True)
    return drops


def baseline(words: int) -> Decider:
    def decide(lines: list[str], _cluster: list[str]) -> list[bool]:
        seen: set[str] = set()
        out = []
        for line in lines:
            text = " ".join(line.split())
            out.append(text in seen or (len(text.split()) < words and not _END.search(text)))
            seen.add(text)
        return out

    return decide


def score(pairs: Sequence[tuple[bool, bool]]) -> tuple[float, float, float, int]:
    tp = sum(1 for gold, pred in pairs if gold and pred)
    fp = sum(1 for gold, pred in pairs if not gold and pred)
    fn = sum(1 for gold, pred in pairs if gold and not pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, len(pairs)


def evaluate(show_errors: str | None) -> None:
    clusters = load_clusters()
    labels = load_labels()
    methods: dict[str, Decider] = {"newsdesk": newsdesk_drops}
    for n in (5, 10, 15):
        methods[f"peer: <{n} words, no sentence end"] = baseline(n)
    results: dict[str, dict[str, list[tuple[bool, bool]]]] = {m: defaultdict(list) for m in methods}
    for (cid, doc), gold in labels.items():
        cluster = clusters[cid]
        all_lines = cluster[doc].split("\n")
        numbers = [i for i, x in enumerate(all_lines, 1) if x.strip()]
        lines = [all_lines[i - 1] for i in numbers]
        for name, decide in methods.items():
            preds = decide(lines, cluster)
            for number, line, pred in zip(numbers, lines, preds, strict=True):
                drop, split = gold[number]
                results[name][split].append((drop, pred))
                results[name]["all"].append((drop, pred))
                if name == "newsdesk" and show_errors == split and drop != pred:
                    kind = "missed drop" if drop else "wrong drop"
                    print(f"{kind:11} {cid} doc {doc} line {number}: {line.strip()[:110]}")
    splits = ("dev", "heldout", "fresh", "all")
    n_drop = {s: sum(g for g, _ in results["newsdesk"][s]) for s in splits}
    docs = {s: sum(1 for d in labels.values() if next(iter(d.values()))[1] == s) for s in n_drop}
    docs["all"] = len(labels)
    print("positive class: drop this line; P/R/F1 of drop")
    for split in splits:
        total = len(results["newsdesk"][split])
        print(f"\n{split}: {docs[split]} documents, {total} lines, {n_drop[split]} labelled drop")
        for name in methods:
            p, r, f, _ = score(results[name][split])
            print(f"  {name:34} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")


def speed() -> None:
    """Median ms per 1,000 words over every document of test-fulltext200, and the peer's."""
    clusters = load_clusters()
    docs = [t for texts in clusters.values() for t in texts if len(t.split()) >= 200]
    peer = baseline(10)
    ours, theirs = [], []
    for text in docs:
        per_k = 1000 / len(text.split())
        t0 = time.perf_counter()
        clean_text(text)
        t1 = time.perf_counter()
        peer(text.split("\n"), [])
        t2 = time.perf_counter()
        ours.append((t1 - t0) * 1000 * per_k)
        theirs.append((t2 - t1) * 1000 * per_k)
    m_ours, m_theirs = statistics.median(ours), statistics.median(theirs)
    print(f"{len(docs)} documents of >= 200 words; median ms per 1,000 words")
    print(f"  newsdesk clean_text  {m_ours:.3f} ms  (max {max(ours):.3f})")
    print(f"  peer (<10 words)     {m_theirs:.3f} ms")
    print(f"  ratio newsdesk/peer  {m_ours / m_theirs:.1f}x")


def language() -> None:
    """is_english (stop words, model only when unsure) against py3langid on every document."""
    from newsdesk import clean as module

    clusters = load_clusters()
    docs = [t for texts in clusters.values() for t in texts if t.strip()]
    agree = fast = 0
    disagreements = []
    for text in docs:
        model = language_of(text) == "en"
        ours = is_english(text)
        agree += model == ours
        words = module._TOKEN.findall(text)
        share = module._stopword_share(words)
        fast += (
            len(words) < module.SHORT_TEXT_WORDS
            or share >= module.ENGLISH_SURE
            or share < module.NOT_ENGLISH_SURE
        )
        if model != ours:
            disagreements.append((model, ours, len(text.split())))
    print(f"{len(docs)} documents: is_english agrees with py3langid on {agree}")
    print(f"  decided by the stop-word share alone (no model load): {fast}")
    for model, ours, n_words in disagreements:
        print(f"  py3langid en={model} is_english={ours} ({n_words} words)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--errors",
        choices=["dev", "heldout", "fresh"],
        help="list mistakes on one split (tune on dev only)",
    )
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--language", action="store_true")
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"missing {DATA}", file=sys.stderr)
        return 1
    if args.speed:
        speed()
    elif args.language:
        language()
    else:
        evaluate(args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
