"""Numbers and conflicts against the hand-labelled gold set, and their speed (issue 5).

The gold set (benchmarks/data/analysis_gold/) labels clusters of
../shared/data/multinews/test-fulltext200.jsonl.gz by offsets into the raw document text
(the lines used are listed in docs/conflicts.md):

- numbers.jsonl    {"cluster", "line", "doc", "start", "end", "value", "unit", "counts",
                   "high"?}: every quantity, the span being the number as written ("$50
                   million", "three-dozen"); a range ("700 to 800") has ``high``;
- conflicts.jsonl  {"cluster", "line", "kind", "about", "sides": [{"doc", "start", "end",
                   "also"?: [{"doc", "start", "end"}]}]}: every disagreement between sources,
                   each side one span (plus ``also``: more places saying the same).

Each cluster goes through the real pipeline (``pipeline.prepare``) and the real analysis
(quotes, entities, timeline; publication days from timeline.jsonl when it has them); system
offsets index the cleaned text and are mapped back to the raw text line by line.

Matching rules:
- a gold number is found when a system occurrence in the same document overlaps its span and
  has its value (either end of a range; fractions to 1e-3); precision counts system
  occurrences that match a gold number; on found numbers, "counts" agrees when the last word of
  the gold label is among the words of the system's ``counts_key`` (or both are empty), and
  "unit" when the units are equal;
- a system side matches a gold side when they share a document and, if the side's text is
  found verbatim in that document, one occurrence overlaps one of the gold side's spans (for a
  name, when the gold spelling is inside the side's text); a
  gold conflict is found when one system conflict of the same kind matches two of its sides
  with two different sides; a system conflict is right when it finds a gold conflict.

Usage:
    .venv/bin/python benchmarks/conflicts_eval.py [--errors] [--split dev|heldout|all]
    .venv/bin/python benchmarks/conflicts_eval.py --speed [--runs 50]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsdesk.analyze.conflicts import find_conflicts
from newsdesk.analyze.numbers import counts_key, extract_numbers
from newsdesk.errors import ReadError
from newsdesk.models import Article
from newsdesk.pipeline import Story, prepare

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "data" / "analysis_gold"
DATA = ROOT.parent / "shared" / "data" / "multinews" / "test-fulltext200.jsonl.gz"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # _gold, beside this script
from _gold import OffsetMap, read_clusters  # noqa: E402

EXAMPLE = ROOT / "examples" / "bridge-collapse"


def load(name: str) -> list[dict[str, Any]]:
    path = GOLD / f"{name}.jsonl"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _safe(
    name: str, fn: Callable[[Story], list[dict[str, Any]]], story: Story
) -> list[dict[str, Any]]:
    """Another section's output; an empty list (reported) if that module fails today."""
    try:
        return fn(story)
    except Exception as error:  # a peer module mid-edit must not stop the eval
        print(f"warning: {name} failed: {error!r}", file=sys.stderr)
        return []


def analyse(story: Story) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The numbers and conflicts sections of ``story``, from the real analysis modules."""
    from newsdesk.analyze.entities import extract_entities
    from newsdesk.analyze.quotes import extract_quotes
    from newsdesk.analyze.timeline import extract_timeline

    numbers = extract_numbers(story)
    conflicts = find_conflicts(
        story,
        quotes=_safe("quotes", extract_quotes, story),
        entities=_safe("entities", extract_entities, story),
        numbers=numbers,
        timeline=_safe("timeline", extract_timeline, story),
    )
    return numbers, conflicts


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def same_value(gold: dict[str, Any], value: float) -> bool:
    targets = [gold["value"], gold.get("high", gold["value"])]
    return any(abs(value - t) <= 1e-3 * max(1.0, abs(t)) for t in targets)


def counts_agree(gold: str, system: str) -> bool:
    g, s = counts_key(gold).split(), counts_key(system).split()
    return (not g and not s) or (bool(g) and g[-1] in s)


def side_matches(
    side: dict[str, Any],
    gold_side: dict[str, Any],
    raw: list[str],
    doc_of: dict[str, int],
    kind: str = "",
) -> bool:
    spans = [gold_side, *gold_side.get("also", [])]
    gold_docs = {sp["doc"] for sp in spans}
    docs_here = {doc_of[a] for a in side["articles"] if a in doc_of} & gold_docs
    if not docs_here:
        return False
    text = side["text"]
    if kind == "name":
        # A spelling is about the word, not one occurrence of it: "Amadou Haya Sanogo" shows
        # the spelling "Sanogo" that the gold marks at another place of the same document.
        written = {
            raw[sp["doc"]][sp["start"] : sp["end"]] for sp in spans if sp["doc"] in docs_here
        }
        return any(w and w in text for w in written)
    verbatim = False
    for d in docs_here:
        start = raw[d].find(text)
        while start >= 0:
            verbatim = True
            for sp in spans:
                if sp["doc"] == d and overlaps(
                    (start, start + len(text)), (sp["start"], sp["end"])
                ):
                    return True
            start = raw[d].find(text, start + 1)
    return not verbatim


def finds(
    conflict: dict[str, Any], gold: dict[str, Any], raw: list[str], doc_of: dict[str, int]
) -> bool:
    if conflict["kind"] != gold["kind"]:
        return False
    pairs = [
        (i, j)
        for i, side in enumerate(conflict["sides"])
        for j, gside in enumerate(gold["sides"])
        if side_matches(side, gside, raw, doc_of, gold["kind"])
    ]
    return any(i1 != i2 and j1 != j2 for i1, j1 in pairs for i2, j2 in pairs)


# Lines labelled for conflicts, by round. "dev": the lines the rules were written on (numbers
# and conflicts labelled); "heldout" (13-50), "heldout2" (51-90), "heldout3" (91-130) and
# "heldout4" (131-170):
# conflicts only, labelled blind, each before the rules were revised on the earlier ones (a
# line with no record had no conflict).
ROUNDS = {
    "dev": [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12],
    "heldout": list(range(13, 51)),
    "heldout2": list(range(51, 91)),
    "heldout3": list(range(91, 131)),
    "heldout4": list(range(131, 171)),
    "heldout5": list(range(171, 201)),
}


def evaluate(show_errors: bool, split: str = "dev") -> int:
    lines = set(ROUNDS[split]) if split in ROUNDS else {n for r in ROUNDS.values() for n in r}
    gold_n = [r for r in load("numbers") if r["line"] in lines]
    gold_c = [r for r in load("conflicts") if r["line"] in lines]
    if not gold_n and not gold_c:
        print("no gold labels found", file=sys.stderr)
        return 1
    published = {
        (r["line"], r["doc"]): r["date"] for r in load("timeline") if r.get("kind") == "published"
    }
    number_lines = {r["line"] for r in gold_n}
    clusters = read_clusters(lines)
    tot: dict[str, float] = defaultdict(float)
    for line in sorted(lines):
        cluster = clusters[line]
        docs = cluster["documents"]
        raw = [d["text"] for d in docs]
        articles = [
            Article.create(
                source=f"{cluster['id']}#{i}", text=d["text"], published=published.get((line, i))
            )
            for i, d in enumerate(docs)
        ]
        skipped: list[ReadError] = []
        story = prepare(articles, on_skip=skipped.append)
        doc_of: dict[str, int] = {}
        to_raw: dict[str, OffsetMap] = {}
        for art in story.articles:
            doc = int(art.source.rsplit("#", 1)[1])
            doc_of[art.id] = doc
            to_raw[art.id] = OffsetMap(art.text, raw[doc])
        numbers, conflicts = analyse(story)

        # --- numbers ------------------------------------------------------------------
        occ = []  # doc, start, end, item
        for item in numbers:
            for o in item["offsets"]:
                s, e = to_raw[o["article"]](o["start"]), to_raw[o["article"]](o["end"])
                if s is not None and e is not None:
                    occ.append((doc_of[o["article"]], s, e, item))
        gn = [r for r in gold_n if r["line"] == line]
        hit = set()
        for r in gn:
            tot["num_gold"] += 1
            cands = [
                k
                for k, (d, s, e, item) in enumerate(occ)
                if d == r["doc"]
                and overlaps((s, e), (r["start"], r["end"]))
                and same_value(r, item["value"])
            ]
            if not cands:
                if show_errors:
                    text = raw[r["doc"]][r["start"] : r["end"]]
                    print(f"[number missed] {line}/{r['doc']}: {text!r} ({r['counts']})")
                continue
            tot["num_found"] += 1
            item = occ[cands[0]][3]
            hit.update(cands)
            tot["num_unit_ok"] += item["unit"] == r["unit"]
            if counts_agree(r["counts"], item["counts"]):
                tot["num_counts_ok"] += 1
            elif show_errors:
                print(f"[counts] {line}/{r['doc']}: gold={r['counts']!r} got={item['counts']!r}")
        if line in number_lines:  # lines labelled for conflicts only have no numbers
            tot["num_sys"] += len(occ)
            tot["num_sys_ok"] += len(hit)
        if show_errors:
            for k, (d, s, e, item) in enumerate(occ):
                if k not in hit:
                    print(
                        f"[number extra] {line}/{d}: {raw[d][s:e]!r} -> "
                        f"{item['value']:g} {item['counts']!r}"
                    )

        # --- conflicts ----------------------------------------------------------------
        gc = [r for r in gold_c if r["line"] == line]
        right = set()
        for r in gc:
            tot["conf_gold"] += 1
            tot[f"conf_gold_{r['kind']}"] += 1
            got = [k for k, c in enumerate(conflicts) if finds(c, r, raw, doc_of)]
            if got:
                tot["conf_found"] += 1
                tot[f"conf_found_{r['kind']}"] += 1
                right.update(got)
            elif show_errors:
                print(f"[conflict missed] {line}: {r['kind']} {r['about']}")
        for k, c in enumerate(conflicts):
            tot["conf_sys"] += 1
            tot[f"conf_sys_{c['kind']}"] += 1
            if k in right:
                tot["conf_sys_ok"] += 1
                tot[f"conf_sys_ok_{c['kind']}"] += 1
            elif show_errors:
                sides = " | ".join(
                    f"{s['text'][:50]!r} {[doc_of.get(a) for a in s['articles']]}"
                    for s in c["sides"]
                )
                print(f"[conflict extra] {line}: {c['kind']} {c['about']!r}: {sides}")

    def ratio(a: str, b: str) -> str:
        return f"{tot[a] / tot[b]:.3f} ({int(tot[a])}/{int(tot[b])})" if tot[b] else "n/a (0/0)"

    print(f"clusters: {len(lines)} (test-fulltext200 lines {', '.join(map(str, sorted(lines)))})")
    print(
        f"numbers:   recall {ratio('num_found', 'num_gold')}, "
        f"precision {ratio('num_sys_ok', 'num_sys')}"
    )
    print(
        f"           on found: counts agree {ratio('num_counts_ok', 'num_found')}, "
        f"unit {ratio('num_unit_ok', 'num_found')}"
    )
    print(
        f"conflicts: recall {ratio('conf_found', 'conf_gold')}, "
        f"precision {ratio('conf_sys_ok', 'conf_sys')}"
    )
    for kind in ("number", "date", "name", "quote"):
        print(
            f"  {kind:7s} recall {ratio(f'conf_found_{kind}', f'conf_gold_{kind}')}, "
            f"precision {ratio(f'conf_sys_ok_{kind}', f'conf_sys_{kind}')}"
        )
    return 0


def speed(runs: int) -> int:
    """Median time of numbers + conflicts on the example story, against ``prepare`` on it."""
    from newsdesk.ingest import read_articles

    articles = list(read_articles([str(EXAMPLE)]))
    story = prepare(articles)
    from newsdesk.analyze.entities import extract_entities
    from newsdesk.analyze.quotes import extract_quotes
    from newsdesk.analyze.timeline import extract_timeline

    quotes = _safe("quotes", extract_quotes, story)
    entities = _safe("entities", extract_entities, story)
    timeline = _safe("timeline", extract_timeline, story)

    def ours() -> None:
        numbers = extract_numbers(story)
        find_conflicts(story, quotes=quotes, entities=entities, numbers=numbers, timeline=timeline)

    def peer() -> None:
        prepare(articles)

    def median_ms(fn: Callable[[], None]) -> float:
        fn()  # warm-up: regex caches, lazy imports
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times)

    a, b = median_ms(ours), median_ms(peer)
    n = len(story.articles)
    print(
        f"example story ({n} articles, {sum(x.words for x in story.articles)} words), {runs} runs"
    )
    print(f"numbers + conflicts: median {a:.1f} ms")
    print(f"pipeline.prepare (clean, dedup, segment) on the same articles: median {b:.1f} ms")
    print(f"ratio numbers+conflicts / prepare: {a / b:.2f}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--errors", action="store_true", help="print every miss and extra")
    parser.add_argument("--speed", action="store_true", help="time numbers + conflicts instead")
    parser.add_argument("--runs", type=int, default=50, help="timed runs for --speed")
    parser.add_argument(
        "--split",
        choices=[*ROUNDS, "all"],
        default="dev",
        help="which labelled lines",
    )
    args = parser.parse_args()
    if args.speed:
        return speed(args.runs)
    if not DATA.exists():
        print(f"missing {DATA}", file=sys.stderr)
        return 1
    return evaluate(args.errors, args.split)


if __name__ == "__main__":
    sys.exit(main())
