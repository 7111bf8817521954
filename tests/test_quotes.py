"""Quotes: spans, speakers (before, after, across sentences, by pronoun and role), merging.

Every story here is invented for the tests.
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

import pytest

from newsdesk.analyze.quotes import extract_quotes
from newsdesk.models import Article
from newsdesk.pipeline import Story, prepare


def story(*texts: str) -> Story:
    arts = tuple(
        Article.create(source=f"s{i}", text=t, published="2024-03-08") for i, t in enumerate(texts)
    )
    return Story(arts, {})


def by_text(quotes: list[dict[str, Any]], start: str) -> dict[str, Any]:
    found = [q for q in quotes if q["text"].startswith(start)]
    assert len(found) == 1, [q["text"] for q in quotes]
    return found[0]


def test_speaker_after_quote_with_said_first_and_role_appositive() -> None:
    q = extract_quotes(
        story('"The levee will hold through the spring," said Dana Whitlock, the county engineer.')
    )
    assert q[0]["text"] == "The levee will hold through the spring"
    assert q[0]["speaker"] == "Dana Whitlock"
    assert q[0]["role"] == "the county engineer"


def test_speaker_after_quote_name_first_resolves_surname_to_full_name() -> None:
    s = story(
        "Dana Whitlock inspected the levee on Monday.\n"
        '"We found two cracks near the pumping station," Whitlock said.'
    )
    assert extract_quotes(s)[0]["speaker"] == "Dana Whitlock"


def test_speaker_before_quote_with_colon_and_curly_quotes() -> None:
    s = story("Mayor Tobias Renner said: “Nobody will lose their home over this.”")
    q = extract_quotes(s)[0]
    assert q["text"] == "Nobody will lose their home over this."
    assert q["speaker"] == "Tobias Renner"


def test_partial_quote_inside_a_sentence_needs_four_words() -> None:
    s = story(
        'Renner called the report "a serious warning for the whole valley" and left.\n'
        'Critics called it "alarmist" on Tuesday.'
    )
    q = extract_quotes(s)
    assert [x["text"] for x in q] == ["a serious warning for the whole valley"]
    assert q[0]["speaker"] == "Renner"


def test_short_full_utterance_is_kept() -> None:
    q = extract_quotes(story('Maria Olsen was asked about the cracks. "No comment," she said.'))
    assert [x["text"] for x in q] == ["No comment"]
    assert q[0]["speaker"] == "Maria Olsen"


def test_pronoun_goes_to_most_recent_compatible_person() -> None:
    s = story(
        "Maria Olsen, who lives by the river, met engineer Paul Greaves on Tuesday.\n"
        '"I have never seen the water this high," she said.\n'
        '"The pumps are running day and night," he said.'
    )
    q = extract_quotes(s)
    assert by_text(q, "I have never")["speaker"] == "Maria Olsen"
    assert by_text(q, "The pumps")["speaker"] == "Paul Greaves"


def test_quote_paragraph_takes_the_speaker_of_the_paragraph_before() -> None:
    s = story(
        "Paul Greaves, 52, said he had worked on the levee for thirty years.\n"
        '"It was built for a smaller river. Nobody planned for this much rain."'
    )
    assert extract_quotes(s)[0]["speaker"] == "Paul Greaves"


def test_second_quote_of_a_paragraph_keeps_the_first_speaker() -> None:
    s = story('"We are ready," said Maria Olsen. "Sandbags are stacked along the whole street."')
    q = extract_quotes(s)
    assert by_text(q, "Sandbags")["speaker"] == "Maria Olsen"


def test_quote_running_over_two_paragraphs() -> None:
    s = story(
        'Greaves said: "The first wall went at dawn.\n'
        '"The second one held until noon, and then we ran."'
    )
    q = extract_quotes(s)
    assert {x["text"] for x in q} == {
        "The first wall went at dawn.",
        "The second one held until noon, and then we ran.",
    }
    assert {x["speaker"] for x in q} == {"Greaves"}


def test_role_resolves_to_the_person_holding_it() -> None:
    s = story(
        "Foreign Minister Ilse Barankova arrived in the capital on Friday.\n"
        '"The border will stay open to aid convoys," the foreign minister said.'
    )
    q = extract_quotes(s)[0]
    assert q["speaker"] == "Ilse Barankova"
    assert q["role"] == "foreign minister"


def test_role_without_a_named_holder_is_the_speaker() -> None:
    s = story('"The border will stay open to aid convoys," a government spokesman said.')
    q = extract_quotes(s)[0]
    assert q["speaker"] == "government spokesman"
    assert q["role"] == "government spokesman"


def test_organization_speaker() -> None:
    s = story('"All staff are safe and accounted for," the Harbor Authority said in a statement.')
    assert extract_quotes(s)[0]["speaker"] == "Harbor Authority"


def test_same_quote_in_two_articles_is_one_item_with_variants() -> None:
    a = '"We will rebuild the bridge before winter," said Tobias Renner, the mayor.'
    b = 'Renner said: "We will rebuild the bridge before the winter."'
    c = '"We will rebuild the bridge before winter," Tobias Renner said.'
    s = story(a, b, c)
    q = extract_quotes(s)
    assert len(q) == 1
    item = q[0]
    assert item["speaker"] == "Tobias Renner"
    assert item["articles"] == [x.id for x in s.articles]
    assert item["text"] == "We will rebuild the bridge before winter"
    variants = {v["text"]: v["articles"] for v in item["variants"]}
    assert variants["We will rebuild the bridge before the winter."] == [s.articles[1].id]
    assert len(variants["We will rebuild the bridge before winter"]) == 2
    assert len(item["offsets"]) == 3


def test_different_quotes_stay_apart_and_offsets_point_at_the_text() -> None:
    s = story(
        '"The levee will hold," said Dana Whitlock. '
        '"Evacuation orders remain in place for the lower town," said Paul Greaves.'
    )
    q = extract_quotes(s)
    assert len(q) == 2
    for item in q:
        (off,) = item["offsets"]
        art = s.articles[0]
        assert art.text[off["start"] : off["end"]] == item["text"]


def test_titles_in_quotes_are_not_quotations() -> None:
    s = story('She wrote the book "The Long Quiet River" in 2019, Maria Olsen said.')
    assert extract_quotes(s) == []


def test_works_on_a_prepared_story() -> None:
    text = (
        "Dana Whitlock, the county engineer, inspected the levee on Monday morning after "
        "two days of heavy rain across the valley.\n\n"
        '"We found two cracks near the pumping station," Whitlock said. "Both are being '
        'repaired tonight."'
    )
    s = prepare([Article.create(source="a.txt", text=text)])
    q = extract_quotes(s)
    assert [x["speaker"] for x in q] == ["Dana Whitlock", "Dana Whitlock"]


def test_speaker_with_apposition_between_name_and_verb() -> None:
    s = story(
        '"The vote was rigged from the start," Ilse Barankova, a spokeswoman for the '
        "opposition, said on Friday."
    )
    assert extract_quotes(s)[0]["speaker"] == "Ilse Barankova"


def test_role_followed_by_the_name_in_commas_is_the_named_person() -> None:
    s = story(
        "The mayor's press secretary, Leona Varga, told reporters: "
        '"The mayor has no plans to resign over this."'
    )
    q = extract_quotes(s)[0]
    assert q["speaker"] == "Leona Varga"


def test_possessive_role_speaker() -> None:
    s = story('His daughter, Ilka, told the paper: "He never spoke about the war at home."')
    assert extract_quotes(s)[0]["speaker"] == "Ilka"


def test_the_party_is_the_party_named_before() -> None:
    s = story(
        "Leaders of the Green Harvest Party met on Monday. Any deal must include "
        '"a full and public audit of the budget," the party said in a statement.'
    )
    assert extract_quotes(s)[0]["speaker"] == "Green Harvest Party"


def test_quote_after_a_participle_belongs_to_the_subject() -> None:
    s = story(
        "Tobias Renner apologized on Tuesday night, saying, "
        '"When you get it wrong you have to admit it."'
    )
    assert extract_quotes(s)[0]["speaker"] == "Tobias Renner"


def test_title_inside_a_long_capitalized_run_is_not_the_name() -> None:
    s = story(
        '"We cannot wait a block away," said Harbor County Fire Battalion Chief Lena Ostrova.'
    )
    assert extract_quotes(s)[0]["speaker"] == "Lena Ostrova"


def test_mixed_and_mangled_quote_marks() -> None:
    s = story(
        '"The river is still rising,” said Dana Whitlock.\n'
        "“We will open the spillway tonight,\ufffd? Paul Greaves, the engineer, told reporters."
    )
    q = extract_quotes(s)
    assert by_text(q, "The river")["speaker"] == "Dana Whitlock"
    assert by_text(q, "We will open")["speaker"] == "Paul Greaves"


def test_reported_clause_after_said_is_not_the_speaker() -> None:
    s = story(
        "Lena Ostrova, a flood analyst, wrote that the council is capable of "
        '"moving far faster than it has so far."'
    )
    assert extract_quotes(s)[0]["speaker"] == "Lena Ostrova"


def test_pronoun_prefers_the_subject_of_the_sentence_before() -> None:
    s = story(
        "Detective Ivo Marsh said the suspect, Tomas Brandt, had shown no remorse. "
        'He called the attack "a cold and calculated act of cruelty."'
    )
    assert extract_quotes(s)[0]["speaker"] == "Ivo Marsh"


def test_gender_learned_from_a_later_pronoun() -> None:
    s = story(
        "Kiri Vanterpool, who runs the shelter, said she had never seen so many families.\n"
        "Tomas Brandt, a volunteer, arrived later.\n"
        '"We ran out of blankets by midnight," she said.'
    )
    assert extract_quotes(s)[0]["speaker"] == "Kiri Vanterpool"


def test_labelled_quote_paragraphs_take_the_speaker_named_before() -> None:
    s = story(
        "Here are some favourite sayings of Dana Whitlock, the engineer:\n"
        "ON WATER: “Water always finds the weakest point in a wall.”\n"
        "ON WORK: “Check every bolt twice and then once more.”"
    )
    assert {q["speaker"] for q in extract_quotes(s)} == {"Dana Whitlock"}


def test_an_abbreviation_does_not_end_the_sentence() -> None:
    s = story(
        "Ilse Barankova, who chairs the U.S. Senate's Harbor Committee, said the plan "
        'was "a serious warning for the whole valley."'
    )
    assert extract_quotes(s)[0]["speaker"] == "Ilse Barankova"


@pytest.mark.slow
def test_quality_floor_on_the_gold_set() -> None:
    """Pinned floors on the 30 labelled clusters (benchmarks/analysis_eval.py, split "all")."""
    data = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    if not (data / "multinews" / "test-fulltext200.jsonl.gz").exists():
        pytest.skip("../shared/data/multinews is not beside the repository")
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "analysis_eval.py"
    spec = importlib.util.spec_from_file_location("analysis_eval", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    gold = {name: module.load(name) for name in ("quotes", "entities", "timeline")}
    tot = module.evaluate(
        gold["quotes"],
        gold["entities"],
        gold["timeline"],
        argparse.Namespace(errors=False, raw=False),
    )
    # Measured 0.946, 0.850, 0.690 and 0.985 when pinned; the floors leave a little room.
    assert tot["quotes_found"] / tot["quotes_gold"] >= 0.92
    assert tot["speaker_ok"] / tot["quotes_found"] >= 0.82
    assert tot["people_found"] / tot["people_gold"] >= 0.65
    assert tot["dates_ok"] / tot["dates_found"] >= 0.95
