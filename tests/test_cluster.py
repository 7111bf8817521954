"""Incremental story clustering (newsdesk.cluster)."""

from __future__ import annotations

import dataclasses
import gzip
import json
import random
from pathlib import Path

import pytest

from newsdesk.cluster import ClusterSettings, StoryClusterer, cluster, day_number, names_in
from newsdesk.errors import UsageError
from newsdesk.models import Article

# Invented articles: two stories told by different outlets in their own words.
FLOOD = [
    "The river Aln burst its banks in Elmsworth on Monday, flooding hundreds of homes and "
    "forcing residents to leave by boat. Emergency crews evacuated the town's care home.",
    "Hundreds of Elmsworth residents spent the night in shelters after floodwater from the "
    "Aln swept through the town centre. Crews used boats to evacuate families from homes.",
    "Floodwater in Elmsworth began to recede on Wednesday, and residents returned to homes "
    "damaged by the river. The council said evacuated families could claim emergency grants.",
]
RATES = [
    "The central bank raised its interest rate by half a point to 5.5 percent on Monday, "
    "saying inflation was still too high. Mortgage lenders are expected to follow.",
    "Borrowers face higher mortgage payments after the central bank's rate rise, its "
    "steepest in a decade. The governor said inflation must come down before rates fall.",
    "Economists said the central bank may raise rates again in the spring if inflation stays "
    "above target; mortgage rates rose at three big lenders on Tuesday.",
]


def art(text: str, published: str | None = None, outlet: str = "Desk") -> Article:
    return Article.create(source=f"{outlet}.txt", text=text, outlet=outlet, published=published)


def test_two_interleaved_stories_are_separated() -> None:
    stream = [
        art(FLOOD[0], "2024-03-04"),
        art(RATES[0], "2024-03-04"),
        art(FLOOD[1], "2024-03-05"),
        art(RATES[1], "2024-03-05"),
        art(RATES[2], "2024-03-05"),
        art(FLOOD[2], "2024-03-06"),
    ]
    ids = cluster(stream)
    flood = {ids[0], ids[2], ids[5]}
    rates = {ids[1], ids[3], ids[4]}
    assert flood == {"s" + stream[0].id}  # a story is named after its first article
    assert rates == {"s" + stream[1].id}


def test_a_story_across_the_time_window_starts_again() -> None:
    clusterer = StoryClusterer(ClusterSettings(window_days=5.0))
    first = clusterer.assign(art(FLOOD[0], "2024-03-04"), arrival=0)
    assert clusterer.assign(art(FLOOD[1], "2024-03-08"), arrival=1) == first  # inside
    # Same words, six weeks later: a new story (the old one is out of the window).
    later = clusterer.assign(art(FLOOD[2], "2024-04-20"), arrival=2)
    assert later != first
    assert clusterer.assign(art(FLOOD[2] + " Update.", "2024-04-21"), arrival=3) == later


def test_decay_weakens_old_stories() -> None:
    # Within the window, but the decayed similarity falls below the threshold.
    settings = ClusterSettings(window_days=30.0, half_life_days=1.0)
    clusterer = StoryClusterer(settings)
    first = clusterer.assign(art(FLOOD[0], "2024-03-01"), arrival=0)
    assert clusterer.assign(art(FLOOD[1], "2024-03-20"), arrival=1) != first


def test_undated_articles_use_arrival_order() -> None:
    settings = ClusterSettings(window_arrivals=100)
    clusterer = StoryClusterer(settings)
    first = clusterer.assign(art(FLOOD[0]), arrival=0)
    assert clusterer.assign(art(FLOOD[1]), arrival=5) == first
    # 500 arrivals later the story is out of the window, even though the words match.
    assert clusterer.assign(art(FLOOD[2]), arrival=505) != first


def test_record_replay_gives_the_same_assignments() -> None:
    stream = _synthetic_stream(900, stories=60, seed=3, dated=False)
    settings = ClusterSettings(window_arrivals=150)
    live = StoryClusterer(settings)
    expected = [live.assign(a, arrival=i) for i, a in enumerate(stream)]
    assert 20 < len(set(expected)) < 400  # real stories found, not one per article

    restarted = StoryClusterer(settings)
    half = len(stream) // 2
    for i, (a, sid) in enumerate(zip(stream[:half], expected[:half], strict=True)):
        restarted.record(a, sid, arrival=i)
    replayed = [restarted.assign(a, arrival=i) for i, a in enumerate(stream) if i >= half]
    assert replayed == expected[half:]


def test_eviction_bounds_memory() -> None:
    settings = ClusterSettings(window_arrivals=100)
    clusterer = StoryClusterer(settings)
    sizes = []
    for i, a in enumerate(_synthetic_stream(3000, stories=1500, seed=5, dated=False)):
        clusterer.assign(a, arrival=i)
        sizes.append(len(clusterer))
    # Live stories: at most the window plus one sweep interval, however long the stream.
    assert max(sizes) <= 100 + 256
    assert max(sizes[2000:]) <= max(sizes[:1000]) + 20

    capped = StoryClusterer(ClusterSettings(window_arrivals=10**6, max_stories=10))
    for i, a in enumerate(_synthetic_stream(600, stories=600, seed=7, dated=False)):
        capped.assign(a, arrival=i)
    assert len(capped) <= 10 + 256  # the hard cap holds whatever the window

    dated = StoryClusterer(ClusterSettings(window_days=2.0))
    for i, a in enumerate(_synthetic_stream(3000, stories=1500, seed=6, dated=True)):
        dated.assign(a, arrival=i)
    # 100 articles a day, a two-day window: a few hundred stories live, not 1,500.
    assert len(dated) <= 2 * 100 + 256 + 100


def test_settings_are_checked() -> None:
    with pytest.raises(UsageError, match="threshold"):
        StoryClusterer(ClusterSettings(threshold=1.5))
    with pytest.raises(UsageError, match="entity weight"):
        StoryClusterer(ClusterSettings(entity_weight=1.0))


def test_empty_and_bad_dated_articles_do_not_fail() -> None:
    clusterer = StoryClusterer()
    a = clusterer.assign(art("", "not a date"), arrival=0)
    b = clusterer.assign(art("...", None), arrival=1)
    assert a != b


def test_day_number() -> None:
    assert day_number("1970-01-03") == 2.0
    assert day_number("1970-01-01T06:00:00+00:00") == 0.25
    assert day_number("1970-01-01T02:00:00+02:00") == 0.0
    assert day_number(None) is None
    assert day_number("yesterday") is None


def test_names_skip_sentence_starts() -> None:
    text = "Police in Elm City arrested two men. The Bank of England said Ana Ruiz resigned."
    assert names_in(text) == ["elm city", "bank of england", "ana ruiz"]
    assert names_in("all lower case text. nothing here.") == []


def test_shared_names_pull_articles_together() -> None:
    # Little vocabulary in common but the same people and places.
    a = "Talks between Maria Okafor and Tomas Lindqvist ended in Geneva without a deal."
    b = "In Geneva, Maria Okafor said she would meet Tomas Lindqvist again next week."
    # Cosine of the words alone: 0.45; with a quarter of the weight on names: 0.59.
    with_names = StoryClusterer(ClusterSettings(entity_weight=0.25, threshold=0.55))
    without = StoryClusterer(ClusterSettings(entity_weight=0.0, threshold=0.55))
    for clusterer in (with_names, without):
        clusterer.assign(art(a, "2024-05-01"), arrival=0)
    assert with_names.assign(art(b, "2024-05-01"), arrival=1) == "s" + art(a, "2024-05-01").id
    assert without.assign(art(b, "2024-05-01"), arrival=1) == "s" + art(b, "2024-05-01").id


def _synthetic_stream(n: int, *, stories: int, seed: int, dated: bool) -> list[Article]:
    """Articles of ``stories`` invented stories, each with its own words, in time order."""
    rng = random.Random(seed)
    common = [f"common{i}" for i in range(300)]
    out = []
    for i in range(n):
        k = min(stories - 1, int(i / n * stories + rng.uniform(-1.5, 1.5)) % stories)
        words = [f"story{k}term{rng.randrange(12)}" for _ in range(25)]
        words += rng.sample(common, 25)
        rng.shuffle(words)
        published = f"2024-01-{1 + i // 100:02d}" if dated and i // 100 < 31 else None
        if dated and published is None:
            published = f"2024-02-{1 + i // 100 - 31:02d}"
        out.append(art(" ".join(words) + ".", published, outlet=f"o{i}"))
    return out


DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "multinews"


@pytest.mark.slow
def test_quality_floor_on_a_validation_stream() -> None:
    """A pinned floor: 150 Multi-News validation clusters as a dated stream."""
    if not DATA.is_dir():
        pytest.skip("../shared/data/multinews is not beside the repository")
    rng = random.Random(11)
    with gzip.open(DATA / "validation.jsonl.gz", "rt", encoding="utf-8") as f:
        clusters = [json.loads(line) for _, line in zip(range(600), f, strict=False)]
    rows = []
    for c in rng.sample(clusters, 150):
        base = rng.uniform(0, 10)
        for i, (doc, rel) in enumerate(zip(c["documents"], c["relevant"], strict=True)):
            if rel and len(doc["text"].split()) >= 10:
                t = base + rng.uniform(0, 3)
                when = f"2024-01-{1 + int(t):02d}T{int(t % 1 * 24):02d}:00:00"
                rows.append(
                    (
                        t,
                        Article.create(source=f"{c['id']}#{i}", text=doc["text"], published=when),
                        c["id"],
                    )
                )
    rows.sort(key=lambda r: r[0])
    pred = cluster([r[1] for r in rows])
    gold = [r[2] for r in rows]
    precision = _b3(pred, gold)
    recall = _b3(gold, pred)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.88, (precision, recall)


def _b3(pred: list[str], gold: list[str]) -> float:
    """B-cubed precision of ``pred`` against ``gold`` (swap them for recall)."""
    total = 0.0
    for i in range(len(pred)):
        same = [j for j in range(len(pred)) if pred[j] == pred[i]]
        total += sum(gold[j] == gold[i] for j in same) / len(same)
    return total / len(pred)


def test_settings_replace_keeps_checks() -> None:
    s = dataclasses.replace(ClusterSettings(), threshold=0.3)
    assert StoryClusterer(s).settings.threshold == 0.3
