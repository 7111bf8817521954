"""Syndicated copies at scale: MinHash LSH (newsdesk.dedup.lsh)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.dedup.lsh import (
    NUM_PERM,
    SIGNATURE_BYTES,
    SyndicationIndex,
    jaccard_estimate,
    lsh_params,
    signature,
)
from newsdesk.errors import DataError, UsageError

# Invented for these tests.
WIRE = (
    "Firefighters contained a warehouse blaze in the Dunmore industrial park early on Sunday, "
    "the county fire service said. Nobody was hurt. The fire broke out shortly after 2 a.m. in "
    "a building used to store paper and cardboard, and crews from four stations fought it for "
    "three hours. Investigators have not said what caused it. The owner, Tessaro Logistics, "
    "said it would cooperate with the inquiry and that deliveries would resume within a week. "
    "Residents were told to keep windows closed because of smoke drifting over the town. The "
    "park's other tenants, a bakery and a print shop, were allowed back in by midday, and the "
    "road past the site reopened in the afternoon after engineers checked the warehouse walls. "
    "A spokeswoman for the fire service thanked neighbours who raised the alarm and asked "
    "anyone with photographs or video from the night to send them to the investigators."
)

SAME_STORY_OWN_WORDS = (
    "A large fire tore through a storage warehouse at Dunmore's industrial estate overnight "
    "into Sunday. Crews battled the flames for about three hours before bringing them under "
    "control, and no injuries were reported. Tessaro Logistics, which runs the depot, promised "
    "to help investigators find the cause. Smoke spread across the area and people living "
    "nearby were advised to shut their windows. Neighbouring businesses reopened later in the "
    "day once the building had been declared safe, officials said."
)

OTHER_STORY = (
    "The city council approved a new budget on Tuesday that raises spending on buses and "
    "libraries while freezing property taxes for a second year. The vote was seven to two. "
    "Opponents said the plan relied on optimistic forecasts of sales tax revenue, and the "
    "finance director warned that reserves would fall below the recommended level by 2027."
)


def test_exact_copy_is_linked_to_the_first_seen() -> None:
    index = SyndicationIndex()
    assert index.add("a", index.signature(WIRE)) is None
    assert index.add("b", index.signature(WIRE)) == "a"
    assert index.add("c", index.signature(WIRE)) == "a"  # copies link to the original
    assert len(index) == 1  # copies are not indexed


def test_near_copies_are_found() -> None:
    index = SyndicationIndex()
    index.add("orig", index.signature(WIRE))
    # Another outlet's headline on top and a credit line at the bottom.
    headed = "Warehouse fire in Dunmore\n\n" + WIRE + "\nReporting by the Wire Service; editing."
    assert index.add("headed", index.signature(headed)) == "orig"
    # Reformatted: other case, punctuation and line breaks.
    reformatted = WIRE.upper().replace(". ", ".\n").replace(",", "")
    assert index.add("reformatted", index.signature(reformatted)) == "orig"


def test_different_articles_on_the_same_story_are_not_copies() -> None:
    index = SyndicationIndex()
    index.add("wire", index.signature(WIRE))
    assert index.add("own", index.signature(SAME_STORY_OWN_WORDS)) is None
    assert index.add("other", index.signature(OTHER_STORY)) is None
    assert list(index.originals()) == ["wire", "own", "other"]


def _edited(text: str, fraction: float, seed: int = 1) -> str:
    """``text`` with ``fraction`` of its words replaced (an edited rewrite of a wire copy)."""
    rng = random.Random(seed)
    words = text.split()
    for i in rng.sample(range(len(words)), int(len(words) * fraction)):
        words[i] = f"edit{i}"
    return " ".join(words)


def test_threshold_is_the_knob() -> None:
    # About one word in 25 changed: shingle Jaccard about 0.65.
    edited = _edited(WIRE, 0.04)
    exact = _jaccard(WIRE, edited)
    assert 0.5 < exact < 0.8
    strict, loose = SyndicationIndex(threshold=0.9), SyndicationIndex(threshold=0.5)
    for index in (strict, loose):
        index.add("wire", index.signature(WIRE))
    assert strict.add("edited", strict.signature(edited)) is None
    assert loose.add("edited", loose.signature(edited)) == "wire"


def test_bands_and_rows_follow_from_the_threshold() -> None:
    for threshold in (0.5, 0.7, 0.8, 0.9):
        bands, rows = lsh_params(threshold)
        assert bands * rows <= NUM_PERM
        # The S-curve's midpoint sits near the threshold.
        assert abs((1 / bands) ** (1 / rows) - threshold) < 0.12
    assert lsh_params(0.9)[1] > lsh_params(0.5)[1]  # stricter: more rows per band
    with pytest.raises(UsageError, match="threshold"):
        SyndicationIndex(threshold=1.5)


def test_signature_round_trips_through_bytes_and_reload() -> None:
    index = SyndicationIndex()
    sig = index.signature(WIRE)
    assert isinstance(sig, bytes) and len(sig) == SIGNATURE_BYTES
    assert sig == SyndicationIndex.signature(WIRE)  # stable: a stored signature stays valid
    assert bytes(bytearray(sig)) == sig
    index.add("orig", sig)
    index.add("own", index.signature(SAME_STORY_OWN_WORDS))
    # A new process reloads the stored originals and finds the same copies.
    reloaded = SyndicationIndex()
    reloaded.insert("orig", sig)
    reloaded.insert("own", index.signature(SAME_STORY_OWN_WORDS))
    copy = index.signature("Fire at Dunmore\n" + WIRE)
    assert reloaded.add("copy", copy) == index.add("copy", copy) == "orig"


def test_same_id_again_is_not_its_own_copy() -> None:
    index = SyndicationIndex()
    sig = index.signature(WIRE)
    assert index.add("a", sig) is None
    assert index.add("a", sig) is None
    assert len(index) == 1


def test_bad_signature_is_a_one_line_data_error() -> None:
    index = SyndicationIndex()
    with pytest.raises(DataError, match="512 bytes, got 3"):
        index.add("x", b"abc")


def test_empty_text_is_never_a_copy() -> None:
    index = SyndicationIndex()
    assert index.add("e1", index.signature("")) is None
    assert index.add("e2", index.signature("  \n ")) is None
    assert len(index) == 0


def _shingles(text: str) -> set[tuple[str, ...]]:
    import re

    toks = re.findall(r"\w+", text.lower())
    return {tuple(toks[i : i + 5]) for i in range(max(1, len(toks) - 4))}


def _jaccard(a: str, b: str) -> float:
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / len(sa | sb)


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=0.0, max_value=0.3), st.integers(0, 1000))
def test_estimate_tracks_exact_jaccard(fraction: float, seed: int) -> None:
    edited = _edited(WIRE, fraction, seed)
    estimate = jaccard_estimate(signature(WIRE), signature(edited))
    # 128 permutations: standard error at most 0.045; 4.5 of them is never seen by chance.
    assert abs(estimate - _jaccard(WIRE, edited)) < 0.2
