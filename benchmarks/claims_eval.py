"""Claims against the hand-labelled gold set (issue 5, items 3 and 8).

The gold set (benchmarks/data/analysis_gold/claims.jsonl, "split": "claims") labels lines 1-12
of ../shared/data/multinews/test-fulltext200.jsonl.gz (line 5 skipped: one relevant document),
blind (written and hashed before the system's claims were looked at; see docs/claims.md), by
offsets into the raw document text:

- {"cluster", "line", "sentences": [{"doc", "start", "end"}], "conflict"}: a claim group,
  sentences of at least two documents stating the same fact ("conflict": the same fact with a
  detail that differs: a number, a date, a name);
- {"cluster", "line", "considered": [{"doc", "start", "end"}]}: every sentence the labeller
  judged (statements of 6+ words in relevant documents; captions, credits and noise pages
  left out), so the ones in no group are single-source.

Each cluster goes through the real pipeline (``pipeline.prepare``: clean, dedup, segment; every
document is an article of its own outlet, noise pages included, as in a feed), then
``analyze.claims.extract_claims``; system offsets index the cleaned text and are mapped back
to the raw text line by line (``_gold.OffsetMap``).

Matching: a system sentence matches a gold sentence of the same document when they overlap by
at least half of the shorter span (the best-overlapping one when several do).

- links: an unordered pair of sentences of different documents in one gold group / one system
  claim. Both are counted as pairs of gold sentences, so system links with an end outside the
  considered sentences (noise pages, captions) are left out of precision;
- status: each considered gold sentence the system holds in a claim is "corroborated" when it
  is in a gold group, else "single-source", against the status of the system's claim;
- purity: for system claims holding 2+ gold sentences, the share of them that belong to the
  claim's majority gold group (a single-source gold sentence is a group of its own);
  "split" counts gold groups whose found sentences spread over several system claims;
- conflict groups' links are also reported on their own.

Usage:
    .venv/bin/python benchmarks/claims_eval.py [--lines 1-12] [--errors] [--by-line]
    .venv/bin/python benchmarks/claims_eval.py --lines 1-6 --errors
    .venv/bin/python benchmarks/claims_eval.py --self-test
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # _gold, beside this script
from _gold import GOLD, OffsetMap, read_clusters

Span = tuple[int, int, int]  # doc, start, end in the raw text
Link = frozenset[Span]


def links(groups: Iterable[Iterable[Span]]) -> set[Link]:
    """Unordered pairs of spans of different documents that share a group.

    >>> sorted(sorted(x) for x in links([[(0, 0, 5), (0, 6, 9), (1, 0, 4)], [(2, 0, 3)]]))
    [[(0, 0, 5), (1, 0, 4)], [(0, 6, 9), (1, 0, 4)]]
    """
    out: set[Link] = set()
    for group in groups:
        for a, b in combinations(sorted(set(group)), 2):
            if a[0] != b[0]:
                out.add(frozenset((a, b)))
    return out


def overlaps(a: Span, b: Span) -> int:
    """Characters shared by two spans of one document (0 across documents)."""
    if a[0] != b[0]:
        return 0
    return max(0, min(a[2], b[2]) - max(a[1], b[1]))


def best_match(span: Span, gold: Iterable[Span]) -> Span | None:
    """The gold span ``span`` overlaps most, by at least half of the shorter of the two.

    >>> best_match((0, 10, 30), [(0, 0, 12), (0, 12, 40), (1, 10, 30)])
    (0, 12, 40)
    >>> best_match((0, 10, 30), [(0, 0, 14)]) is None
    True
    """
    best, most = None, 0
    for g in gold:
        shared = overlaps(span, g)
        if shared * 2 >= min(span[2] - span[1], g[2] - g[1]) and shared > most:
            best, most = g, shared
    return best


def score(
    gold_groups: list[list[Span]],
    considered: list[Span],
    system: list[tuple[str, list[Span]]],
    conflict: list[bool] | None = None,
) -> dict[str, Any]:
    """Counts for one cluster: gold groups and considered spans against system claims.

    ``system`` is ``[(status, [span, ...]), ...]``, one entry per system claim.

    >>> gold = [[(0, 0, 10), (1, 0, 10)], [(0, 20, 30), (1, 20, 30), (2, 0, 10)]]
    >>> cons = [s for g in gold for s in g] + [(0, 40, 50)]
    >>> sys_claims = [("corroborated", [(0, 0, 9), (1, 1, 10)]),
    ...               ("corroborated", [(0, 20, 30), (1, 20, 30), (0, 40, 50)]),
    ...               ("single-source", [(2, 0, 10)])]
    >>> s = score(gold, cons, sys_claims)
    >>> s["gold_links"], s["system_links"], s["right_links"]
    (4, 3, 2)
    >>> s["status"][("single-source", "corroborated")], s["split_groups"], s["purity"]
    (1, 1, (4, 5))
    >>> s["scattered_groups"], s["missed"] == {frozenset({(0, 20, 30), (2, 0, 10)}),
    ...                                        frozenset({(1, 20, 30), (2, 0, 10)})}
    (0, True)
    """
    conflict = conflict or [False] * len(gold_groups)
    gold_links = links(gold_groups)
    conflict_links = links(g for g, c in zip(gold_groups, conflict, strict=True) if c)
    group_of = {s: i for i, g in enumerate(gold_groups) for s in g}
    claim_of: dict[Span, int] = {}  # gold span -> system claim holding it
    status_of: dict[Span, str] = {}
    mapped: list[list[Span]] = []
    for k, (status, spans) in enumerate(system):
        held = []
        for span in spans:
            g = best_match(span, considered)
            if g is not None and g not in claim_of:
                claim_of[g], status_of[g] = k, status
                held.append(g)
        mapped.append(held)
    system_links = links(mapped)
    right = system_links & gold_links
    table: Counter[tuple[str, str]] = Counter()
    for g in considered:
        truth = "corroborated" if g in group_of else "single-source"
        table[(truth, status_of.get(g, "not found"))] += 1
    pure = held_total = 0
    for held in mapped:
        if len(held) >= 2:
            labels = Counter(group_of.get(g, -1 - i) for i, g in enumerate(held))
            pure += labels.most_common(1)[0][1]
            held_total += len(held)
    spread = [{claim_of[s] for s in g if s in claim_of} for g in gold_groups]
    found = [sum(s in claim_of for s in g) for g in gold_groups]
    split = sum(len(claims) > 1 for claims in spread)
    # no two of the group's sentences share a claim: the system saw nothing of the group
    scattered = sum(len(c) > 1 and len(c) == n for c, n in zip(spread, found, strict=True))
    return {
        "gold_links": len(gold_links),
        "system_links": len(system_links),
        "right_links": len(right),
        "conflict_links": len(conflict_links),
        "conflict_found": len(conflict_links & system_links),
        "status": table,
        "purity": (pure, held_total),
        "split_groups": split,
        "scattered_groups": scattered,
        "groups": len(gold_groups),
        "missed": gold_links - system_links,
        "not_found": [g for g in considered if g not in status_of],
        "false": system_links - gold_links,
    }


def load_gold(lines: set[int]) -> dict[int, dict[str, Any]]:
    gold: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"groups": [], "conflict": [], "considered": []}
    )
    with open(GOLD / "claims.jsonl", encoding="utf-8") as fh:
        for row in map(json.loads, filter(str.strip, fh)):
            if row["line"] not in lines:
                continue
            g = gold[row["line"]]
            g["cluster"] = row["cluster"]
            if "considered" in row:
                g["considered"] = [(s["doc"], s["start"], s["end"]) for s in row["considered"]]
            else:
                g["groups"].append([(s["doc"], s["start"], s["end"]) for s in row["sentences"]])
                g["conflict"].append(bool(row["conflict"]))
    return dict(gold)


class System:
    """The cluster's claims through the real pipeline, as raw spans.

    ``claims`` is ``[(status, [span, ...]), ...]``; ``unmapped`` counts claim sentences whose
    cleaned offsets could not be mapped back to the raw text; ``why_missed`` tells why a gold
    link is not a system link.
    """

    def __init__(self, cluster: dict[str, Any]) -> None:
        self.claims, self.unmapped, self.sentences, self.index, held = _system(cluster)
        self.held: set[tuple[str, int]] = held

    def why_missed(self, link: Link) -> str:
        """ "not held": an end is in no claim (cleaned away, or a short sentence or question);
        "below threshold": the two sentences' cosine (dedup.SentenceIndex) is under the match
        similarity (0.42; split at 0.2, where few words are shared); "taken": similar enough,
        but a claim took another sentence first."""
        from newsdesk.dedup import MATCH_SIMILARITY

        keys = []
        for span in sorted(link):
            seg = best_match(span, self.sentences)
            if seg is None or self.sentences[seg] not in self.held:
                return "not held"
            keys.append(self.sentences[seg])
        mine, theirs = (self.index.vectors[k] for k in keys)
        cosine = sum(w * theirs.get(t, 0.0) for t, w in mine.items())
        if cosine >= MATCH_SIMILARITY:
            return "taken"
        return "below threshold, cosine < 0.2" if cosine < 0.2 else "below threshold, 0.2-0.42"


def _system(cluster: dict[str, Any]) -> tuple[Any, ...]:
    from newsdesk.analyze.claims import extract_claims
    from newsdesk.dedup import SentenceIndex
    from newsdesk.errors import ReadError
    from newsdesk.models import Article
    from newsdesk.pipeline import prepare

    cid = cluster["id"]
    articles = [
        Article.create(source=f"{cid}#{i}", text=d["text"])
        for i, d in enumerate(cluster["documents"])
    ]
    skipped: list[ReadError] = []
    story = prepare(articles, on_skip=skipped.append)
    info = {}
    for art in story.articles:
        doc = int(art.source.rsplit("#", 1)[1])
        info[art.id] = (doc, OffsetMap(art.text, cluster["documents"][doc]["text"]))
    out, unmapped = [], 0
    held: set[tuple[str, int]] = set()
    for claim in extract_claims(story):
        spans = []
        for s in claim["sentences"]:
            doc, offsets = info[s["article"]]
            start, end = offsets(s["start"]), offsets(s["end"])
            if start is None or end is None:
                unmapped += 1
                continue
            spans.append((doc, start, end))
        out.append((claim["status"], spans))
        held.update((s["article"], s["sentence"]) for s in claim["sentences"])
    sentences: dict[Span, tuple[str, int]] = {}
    for art in story.originals:
        doc, offsets = info[art.id]
        for s in story.sentences[art.id]:
            start, end = offsets(s.start), offsets(s.end)
            if start is not None and end is not None:
                sentences[(doc, start, end)] = (s.article, s.index)
    index = SentenceIndex({a.id: story.sentences[a.id] for a in story.originals})
    return out, unmapped, sentences, index, held


def parse_lines(text: str) -> set[int]:
    """ "1-6,9" -> {1, 2, 3, 4, 5, 6, 9}."""
    out: set[int] = set()
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


def show(texts: list[str], link: Link) -> str:
    """The link's two sentences, for reading (printed, never stored)."""
    return "\n      ".join(f"d{d}@{a}: {texts[d][a:b][:110]}" for d, a, b in sorted(link))


def ratio(a: int, b: int) -> str:
    return f"{a / b:.2f} ({a}/{b})" if b else "n/a (0/0)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", default="1-12", help="gold lines to score, e.g. 1-6,9")
    parser.add_argument("--errors", action="store_true", help="print missed and false links")
    parser.add_argument("--by-line", action="store_true", help="a row of counts per line")
    parser.add_argument("--self-test", action="store_true", help="run the doctests and exit")
    args = parser.parse_args()
    if args.self_test:
        import doctest

        failed, tried = doctest.testmod(verbose=False)
        print(f"self-test: {tried - failed}/{tried} examples passed")
        return 1 if failed else 0
    gold = load_gold(parse_lines(args.lines))
    clusters = read_clusters(set(gold))
    total: Counter[str] = Counter()
    table: Counter[tuple[str, str]] = Counter()
    why: Counter[str] = Counter()
    for line in sorted(gold):
        g, cluster = gold[line], clusters[line]
        assert cluster["id"] == g["cluster"], (line, cluster["id"])
        system = System(cluster)
        unmapped = system.unmapped
        s = score(g["groups"], g["considered"], system.claims, g["conflict"])
        why.update(system.why_missed(link) for link in s["missed"])
        for key in (
            "gold_links", "system_links", "right_links", "conflict_links", "conflict_found",
            "split_groups", "scattered_groups", "groups",
        ):  # fmt: skip
            total[key] += s[key]
        total["pure"] += s["purity"][0]
        total["held"] += s["purity"][1]
        total["unmapped"] += unmapped
        total["considered"] += len(g["considered"])
        table.update(s["status"])
        if args.by_line:
            print(
                f"line {line:2d}: groups {s['groups']:2d}  gold links {s['gold_links']:3d}  "
                f"system links {s['system_links']:3d}  right {s['right_links']:3d}  "
                f"split {s['split_groups']}  unmapped {unmapped}"
            )
        if args.errors:
            texts = [d["text"] for d in cluster["documents"]]
            for link in sorted(s["missed"], key=sorted):
                print(f"  L{line} MISSED ({system.why_missed(link)})\n      {show(texts, link)}")
            for d, a, b in s["not_found"]:
                print(f"  L{line} NOT FOUND d{d}@{a}: {texts[d][a:b][:110]}")
            for link in sorted(s["false"], key=sorted):
                print(f"  L{line} FALSE\n      {show(texts, link)}")
    print(f"lines {args.lines}: {len(gold)} clusters, {total['groups']} gold groups, "
          f"{total['considered']} considered sentences")  # fmt: skip
    print(f"link precision  {ratio(total['right_links'], total['system_links'])}")
    print(f"link recall     {ratio(total['right_links'], total['gold_links'])}")
    print(f"conflict-group link recall {ratio(total['conflict_found'], total['conflict_links'])}")
    print(f"claim purity    {ratio(total['pure'], total['held'])}")
    print(f"gold groups split over several claims {ratio(total['split_groups'], total['groups'])}")
    print(f"  of which no two sentences share a claim {total['scattered_groups']}")
    print("missed gold links: " + ", ".join(f"{k} {n}" for k, n in why.most_common()))
    print(f"system sentences not mapped to raw text: {total['unmapped']}")
    print("status (gold -> system):")
    for truth in ("corroborated", "single-source"):
        row = "  ".join(
            f"{sys_:>13} {table[(truth, sys_)]:3d}"
            for sys_ in ("corroborated", "single-source", "not found")
        )
        print(f"  {truth:>13}: {row}")
    found = sum(n for (t, s), n in table.items() if s != "not found")
    right = table[("corroborated", "corroborated")] + table[("single-source", "single-source")]
    print(f"status accuracy {ratio(right, found)} of considered sentences found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
