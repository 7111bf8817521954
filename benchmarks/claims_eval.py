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

``--gold validation`` scores the tuning set instead: benchmarks/data/analysis_gold/
claims_validation.jsonl ("split": "claims-val", same rows, labelled with the same protocol),
whose ``line`` numbers and offsets index ../shared/data/multinews/validation.jsonl.gz
(tokenized, lower-cased text). Tune on it; the test set is for the one final measurement.
``--matcher baseline`` runs the peer instead of ``extract_claims``: the first matcher (each
sentence in reading order takes, in every other article, the best ``dedup.SentenceIndex``
match at cosine 0.42 or more not yet taken), kept here to measure against.

Usage:
    .venv/bin/python benchmarks/claims_eval.py [--lines 1-12] [--errors] [--by-line]
    .venv/bin/python benchmarks/claims_eval.py --gold validation --errors
    .venv/bin/python benchmarks/claims_eval.py --gold validation --matcher baseline
    .venv/bin/python benchmarks/claims_eval.py --gold validation --sweep
    .venv/bin/python benchmarks/claims_eval.py --speed 30
    .venv/bin/python benchmarks/claims_eval.py --self-test

``--sweep`` (validation only) scores the tuning set with one of ``analyze.claims``' settings
changed at a time, as docs/claims.md's calibration lists them.
``--speed N`` times ``extract_claims`` against the baseline matcher, alternately in one
process, on the first N clusters of test-fulltext200 (up to five documents of each as a
story, each its own outlet; noise pages included, as in a feed): the median time per story of
each, and their ratio; ``--min-docs 5`` keeps five-article stories only (13 clusters).
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

VALIDATION = GOLD.parents[2].parent / "shared" / "data" / "multinews" / "validation.jsonl.gz"
GOLD_FILES = {"test": "claims.jsonl", "validation": "claims_validation.jsonl"}

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


def load_gold(lines: set[int] | None, name: str = "test") -> dict[int, dict[str, Any]]:
    """Gold rows by data line: the test set's (``lines`` of test-fulltext200) or, with
    ``name="validation"``, the tuning set's (every labelled line when ``lines`` is None)."""
    gold: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"groups": [], "conflict": [], "considered": []}
    )
    with open(GOLD / GOLD_FILES[name], encoding="utf-8") as fh:
        for row in map(json.loads, filter(str.strip, fh)):
            if lines is not None and row["line"] not in lines:
                continue
            g = gold[row["line"]]
            g["cluster"] = row["cluster"]
            if "considered" in row:
                g["considered"] = [(s["doc"], s["start"], s["end"]) for s in row["considered"]]
            else:
                g["groups"].append([(s["doc"], s["start"], s["end"]) for s in row["sentences"]])
                g["conflict"].append(bool(row["conflict"]))
    return dict(gold)


def read_validation(lines: set[int]) -> dict[int, dict[str, Any]]:
    """Clusters of validation.jsonl.gz by line number (1-based)."""
    return read_clusters(lines, VALIDATION)


class System:
    """The cluster's claims through the real pipeline, as raw spans.

    ``claims`` is ``[(status, [span, ...]), ...]``; ``unmapped`` counts claim sentences whose
    cleaned offsets could not be mapped back to the raw text; ``why_missed`` tells why a gold
    link is not a system link.
    """

    def __init__(self, cluster: dict[str, Any], matcher: str = "claims") -> None:
        found = _system(cluster, matcher)
        self.claims, self.unmapped, self.sentences, self.index, held, story = found
        self.held: set[tuple[str, int]] = held
        self.matcher: Any = None
        if matcher == "claims":
            from newsdesk.analyze.claims import ClaimMatcher, _is_statement

            self.matcher = ClaimMatcher(
                {
                    a.id: [s for s in story.sentences[a.id] if _is_statement(s)]
                    for a in story.originals
                }
            )
            self.position = {(s.article, s.index): i for i, s in enumerate(self.matcher.sentences)}

    def why_missed(self, link: Link) -> str:
        """Why a gold link is not a system link: with the baseline matcher, see
        ``why_missed_baseline``; with ``extract_claims``, "not held" (an end is in no claim),
        "linked, kept apart" (``ClaimMatcher`` links the two sentences, but grouping put them
        in different claims: one sentence per article, or a group they did not all link to),
        or "not linked" with the pair's cosine (under 0.2, or 0.2 and more)."""
        if self.matcher is None:
            return self.why_missed_baseline(link)
        keys = []
        for span in sorted(link):
            seg = best_match(span, self.sentences)
            if seg is None or self.sentences[seg] not in self.held:
                return "not held"
            keys.append(self.position[self.sentences[seg]])
        i, j = keys
        if self.matcher.linked()[i, j]:
            return "linked, kept apart"
        cosine = self.matcher.cosine[i, j]
        return "not linked, cosine < 0.2" if cosine < 0.2 else "not linked, cosine 0.2+"

    def scores(self, link: Link) -> str:
        """The pair's ``ClaimMatcher`` cosine and cover, for reading errors."""
        keys = []
        for span in sorted(link):
            seg = best_match(span, self.sentences)
            if self.matcher is None or seg is None or self.sentences[seg] not in self.position:
                return ""
            keys.append(self.position[self.sentences[seg]])
        i, j = keys
        return f" cos {self.matcher.cosine[i, j]:.2f} cover {self.matcher.cover[i, j]:.2f}"

    def why_missed_baseline(self, link: Link) -> str:
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


def baseline_claims(story: Any) -> list[dict[str, Any]]:
    """The first claims matcher, the peer: every statement in reading order (articles in
    story order) takes, in each other article, its best ``SentenceIndex`` match (cosine 0.42+,
    2+ shared terms) unless a claim holds it already; one sentence per article per claim."""
    from newsdesk.analyze.claims import _is_statement, claim_records
    from newsdesk.dedup import SentenceIndex

    originals = story.originals
    support = {a.id: story.sentences.get(a.id, ()) for a in originals}
    index = SentenceIndex(support)
    record = claim_records(story)
    used: set[tuple[str, int]] = set()
    claims: list[tuple[tuple[int, int, int], dict[str, Any]]] = []
    for rank, article in enumerate(originals):
        for sentence in support[article.id]:
            if (article.id, sentence.index) in used or not _is_statement(sentence):
                continue
            group = [sentence]
            for _, citation in index.matches(sentence):
                if (citation.article, citation.sentence) not in used:
                    group.append(support[citation.article][citation.sentence])
            used.update((s.article, s.index) for s in group)
            claim = record(sentence.text, group)
            claims.append(((-claim["outlets"], sentence.index, rank), claim))
    claims.sort(key=lambda item: item[0])
    return [claim for _, claim in claims]


def _system(cluster: dict[str, Any], matcher: str = "claims") -> tuple[Any, ...]:
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
    for claim in (baseline_claims if matcher == "baseline" else extract_claims)(story):
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
    return out, unmapped, sentences, index, held, story


def speed(stories: int, min_docs: int = 1, runs: int = 7) -> None:
    """Median milliseconds per five-article story: extract_claims and the baseline peer."""
    import gzip
    import statistics
    import time

    from _gold import DATA

    from newsdesk.analyze.claims import extract_claims
    from newsdesk.errors import ReadError
    from newsdesk.models import Article
    from newsdesk.pipeline import prepare

    prepared = []
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        for line in fh:
            cluster = json.loads(line)
            docs = cluster["documents"]
            if len(docs) < min_docs:
                continue
            articles = [
                Article.create(source=f"{cluster['id']}#{i}", text=d["text"], outlet=f"o{i}")
                for i, d in enumerate(docs[:5])
            ]
            skipped: list[ReadError] = []
            prepared.append(prepare(articles, on_skip=skipped.append))
            if len(prepared) == stories:
                break
    new: list[float] = []
    old: list[float] = []
    for story in prepared:
        times: dict[str, list[float]] = {"new": [], "old": []}
        for _ in range(runs):
            for name, fn in (("new", extract_claims), ("old", baseline_claims)):
                start = time.perf_counter()
                fn(story)
                times[name].append(time.perf_counter() - start)
        new.append(statistics.median(times["new"]) * 1000)
        old.append(statistics.median(times["old"]) * 1000)
    sentences = statistics.median(sum(len(v) for v in s.sentences.values()) for s in prepared)
    a, b = statistics.median(new), statistics.median(old)
    print(f"{len(prepared)} stories of {min_docs}+ documents, up to five articles "
          f"(median {sentences:.0f} sentences), {runs} runs")  # fmt: skip
    print(f"extract_claims {a:.1f} ms, baseline matcher {b:.1f} ms (median per story), "
          f"ratio {a / b:.2f}; slowest story {max(new):.1f} ms vs {max(old):.1f} ms")  # fmt: skip


SWEEP: list[dict[str, float]] = [
    {}, {"COSINE": 0.30}, {"COSINE": 0.33}, {"COSINE": 0.39}, {"COSINE": 0.42}, {"COSINE": 0.5},
    {"COVER": 9.0}, {"COVER": 0.45}, {"COVER": 0.55}, {"COVER": 0.6},
    {"COVER_COSINE": 0.2}, {"COVER_COSINE": 0.25}, {"COVER_COSINE": 0.36},
    {"PREFIX": 5}, {"PREFIX": 6}, {"PREFIX": 99},
    {"NUMBER_WEIGHT": 1.0}, {"NUMBER_WEIGHT": 1.5}, {"NUMBER_WEIGHT": 3.0},
    {"JOIN_SHARE": 0.5}, {"MIN_SHARED": 3},
    {"ATTRIBUTION_WEIGHT": 0.0}, {"ATTRIBUTION_WEIGHT": 0.25}, {"ATTRIBUTION_WEIGHT": 0.5},
    {"ATTRIBUTION_WEIGHT": 0.75}, {"ATTRIBUTION_WEIGHT": 0.9}, {"ATTRIBUTION_WEIGHT": 1.0},
]  # fmt: skip
"""One change at a time to ``analyze.claims``' settings ({} = as shipped; COVER 9 = rule off)."""


def sweep(gold: dict[int, dict[str, Any]], clusters: dict[int, dict[str, Any]]) -> None:
    """Link precision, recall and status accuracy for each setting of ``SWEEP``."""
    import newsdesk.analyze.claims as claims

    shipped = {k: getattr(claims, k) for change in SWEEP for k in change}
    for change in SWEEP:
        for key, value in {**shipped, **change}.items():
            setattr(claims, key, value)
        claims._term.cache_clear()
        total: Counter[str] = Counter()
        table: Counter[tuple[str, str]] = Counter()
        for line in sorted(gold):
            g = gold[line]
            s = score(g["groups"], g["considered"], System(clusters[line]).claims, g["conflict"])
            total.update({k: s[k] for k in ("gold_links", "system_links", "right_links")})
            table.update(s["status"])
        found = sum(n for (_, x), n in table.items() if x != "not found")
        right = table[("corroborated", "corroborated")] + table[("single-source", "single-source")]
        print(
            f"{change or 'as shipped'}: precision "
            f"{ratio(total['right_links'], total['system_links'])}, recall "
            f"{ratio(total['right_links'], total['gold_links'])}, status {ratio(right, found)}"
        )
    for key, value in shipped.items():
        setattr(claims, key, value)
    claims._term.cache_clear()


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
    parser.add_argument(
        "--gold", choices=("test", "validation"), default="test",
        help="test: the blind test set (report once); validation: the tuning set",
    )  # fmt: skip
    parser.add_argument(
        "--lines", help="data lines to score, e.g. 1-6,9 (default: test 1-12, validation all)"
    )
    parser.add_argument(
        "--matcher", choices=("claims", "baseline"), default="claims",
        help="claims: analyze.claims.extract_claims; baseline: the first matcher, the peer",
    )  # fmt: skip
    parser.add_argument("--errors", action="store_true", help="print missed and false links")
    parser.add_argument("--by-line", action="store_true", help="a row of counts per line")
    parser.add_argument("--self-test", action="store_true", help="run the doctests and exit")
    parser.add_argument(
        "--sweep", action="store_true", help="validation only: one setting changed at a time"
    )
    parser.add_argument("--speed", type=int, metavar="N", help="time N stories of up to 5 articles")
    parser.add_argument("--min-docs", type=int, default=1, help="--speed: clusters of K+ documents")
    args = parser.parse_args()
    if args.self_test:
        import doctest

        failed, tried = doctest.testmod(verbose=False)
        print(f"self-test: {tried - failed}/{tried} examples passed")
        return 1 if failed else 0
    if args.speed:
        speed(args.speed, args.min_docs)
        return 0
    if args.gold == "test":
        args.lines = args.lines or "1-12"
        gold = load_gold(parse_lines(args.lines))
        clusters = read_clusters(set(gold))
    else:
        gold = load_gold(parse_lines(args.lines) if args.lines else None, "validation")
        if not gold:
            print("no validation gold lines found", file=sys.stderr)
            return 1
        clusters = read_validation(set(gold))
        args.lines = args.lines or f"validation {min(gold)}-{max(gold)}"
        if args.sweep:
            sweep(gold, clusters)
            return 0
    total: Counter[str] = Counter()
    table: Counter[tuple[str, str]] = Counter()
    why: Counter[str] = Counter()
    for line in sorted(gold):
        g, cluster = gold[line], clusters[line]
        assert cluster["id"] == g["cluster"], (line, cluster["id"])
        system = System(cluster, args.matcher)
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
                why_ = system.why_missed(link) + system.scores(link)
                print(f"  L{line} MISSED ({why_})\n      {show(texts, link)}")
            for d, a, b in s["not_found"]:
                print(f"  L{line} NOT FOUND d{d}@{a}: {texts[d][a:b][:110]}")
            for link in sorted(s["false"], key=sorted):
                print(f"  L{line} FALSE{system.scores(link)}\n      {show(texts, link)}")
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
