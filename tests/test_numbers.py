"""Numbers: quantities with what they count, on invented sentences."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.analyze.numbers import counts_key, extract_numbers, number_values
from newsdesk.models import Article
from newsdesk.pipeline import Story
from newsdesk.segment import segment


def story_of(*texts: str) -> Story:
    articles = tuple(
        Article.create(source=f"doc{i}.txt", text=t, outlet=f"Outlet {i}")
        for i, t in enumerate(texts)
    )
    return Story(articles, {a.id: segment(a) for a in articles})


def numbers(*texts: str) -> list[dict[str, Any]]:
    return extract_numbers(story_of(*texts))


def one(text: str) -> dict[str, Any]:
    found = numbers(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "unit", "counts"),
    [
        ("Officials said 1,200 troops stationed in the region would leave.", 1200, None, "troops"),
        (
            "The council approved $2.1 million for rehabilitation of the pier.",
            2.1e6,
            "USD",
            "rehabilitation",
        ),
        ("About 40 protesters gathered outside the hall.", 40, None, "protesters"),
        ("Police said 14 people were injured in the blast.", 14, None, "people injured"),
        ("The storm injured at least 12 people on Tuesday.", 12, None, "people injured"),
        ("Twelve firefighters fought the blaze.", 12, None, "firefighters"),
        ("A dozen volunteers cleaned the beach.", 12, None, "volunteers"),
        ("Two-thirds of voters backed the plan.", 2 / 3, None, "voters"),
        ("Turnout rose to 64 percent of voters.", 64, "%", "voters"),
        ("Turnout fell to 58% in the county.", 58, "%", ""),
        ("The mill employs 350 workers in the valley.", 350, None, "workers"),
        ("The county spent €3 million on a new ferry.", 3e6, "EUR", "new ferry"),
        ("The barge sank in 30 feet of water.", 30, "feet", ""),
        ("The tower carries about 21,000 vehicles a day.", 21000, None, "vehicles a day"),
        ("The app now has half a billion users.", 5e8, None, "users"),
        ("The guard was struck at least four times.", 4, None, "times struck"),
        ("She repeated it three times.", 3, None, "times"),
    ],
)
def test_quantity_value_unit_and_counts(
    text: str, value: float, unit: str | None, counts: str
) -> None:
    got = one(text)
    assert got["value"] == pytest.approx(value)
    assert got["unit"] == unit
    assert got["counts"] == counts


def test_age_after_a_name_counts_the_age_of_that_person() -> None:
    got = one("The examiner identified the driver as Raymond Koval, 58, of Millbrook.")
    assert (got["value"], got["unit"], got["counts"]) == (58, "years", "age of Raymond Koval")
    assert got["text"] == "Raymond Koval, 58"


def test_age_written_as_year_old() -> None:
    got = one("Jonah Pike, a 19-year-old student, swam to the car.")
    assert (got["value"], got["counts"]) == (19, "age of Jonah Pike")
    got = one("Police arrested 23-year-old Dario Venn at the terminal.")
    assert (got["value"], got["counts"]) == (23, "age of Dario Venn")


@pytest.mark.parametrize(
    "text",
    [
        "The bridge was built in 1958 and rebuilt in 2004.",
        "The council met on June 10, 2021, and again on 14 March.",
        "The span fell at 4:40 p.m. and the sirens started at 5 p.m.",
        "Buses on Route 9 and the No. 14 line were rerouted.",
        "WKBR 7 News reported it first.",
        "The home team won 3-2 in the 10th inning.",
        "One of the most renowned chefs in the city opened a shop.",
        "Homes built in the 1960s line the 1300 block of Elm Street.",
        "The AK-47 rifle and Covid-19 were discussed.",
    ],
)
def test_years_dates_times_ordinals_and_names_are_not_quantities(text: str) -> None:
    assert numbers(text) == []


def test_part_of_a_count_is_not_the_count() -> None:
    found = numbers("Of the 14 people injured, two remained in critical condition on Friday.")
    by_value = {n["value"]: n["counts"] for n in found}
    assert by_value == {14: "people injured", 2: "people in critical condition"}


def test_same_quantity_in_several_articles_is_one_item_with_every_article() -> None:
    s = story_of(
        "The crash injured 14 people near the depot.",
        "Fourteen people were injured, police said.",
        "Police said 15 people were injured.",
    )
    found = extract_numbers(s)
    fourteen = [n for n in found if n["value"] == 14]
    assert len(fourteen) == 1
    assert fourteen[0]["articles"] == [s.articles[0].id, s.articles[1].id]
    assert [n["value"] for n in found] == [14, 15]


def test_offsets_point_at_the_phrase_in_each_article() -> None:
    s = story_of("Rescuers pulled five people from the river.", "Crews said 40 protesters left.")
    for item in extract_numbers(s):
        texts = {a.id: a.text for a in s.articles}
        for o in item["offsets"]:
            assert texts[o["article"]][o["start"] : o["end"]].strip()
        first = item["offsets"][0]
        assert texts[first["article"]][first["start"] : first["end"]] == item["text"]


def test_counts_key_merges_synonyms_and_plurals() -> None:
    assert counts_key("cars") == counts_key("vehicles")
    assert counts_key("people injured") != counts_key("people killed")


def test_number_values_sees_figures_without_a_counted_noun() -> None:
    assert number_values("Namibia has 1,750 of a global population of 4,800.") == {1750, 4800}


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("0123456789 ,.$%-abcdefmnoprstuy:AJT\n")), max_size=120)
)
def test_any_text_gives_well_formed_items(text: str) -> None:
    s = story_of(text)
    for item in extract_numbers(s):
        assert isinstance(item["value"], float)
        for o in item["offsets"]:
            assert 0 <= o["start"] <= o["end"] <= len(s.articles[0].text)


def test_a_currency_word_ending_the_sentence() -> None:
    # "dollars" alone was taken for the two-word "pounds sterling" case: IndexError, and with
    # it a traceback out of `newsdesk brief` (train-sample10k line 888).
    a = Article.create(source="a", text="The militants had looted nearly half a billion dollars")
    (found,) = extract_numbers(SimpleNamespace(articles=(a,), sentences={}))
    assert (found["value"], found["unit"]) == (5e8, "USD")
    assert found["text"] == "nearly half a billion dollars"


def test_others_are_people_and_custody_is_a_count() -> None:
    assert one("Police fired, injuring five others on Friday.")["counts"] == "people injured"
    assert one("Five others were hurt in the crush.")["counts"] == "people injured"
    assert one("Four people are in custody after the raid.")["counts"] == ("people in custody")
    assert counts_key("people wounded") == counts_key("people injured")


def test_a_compound_measure_counts_the_noun_after_it() -> None:
    item = one("He gave a 77-minute press conference on Thursday.")
    assert (item["unit"], item["counts"]) == ("minutes", "press conference")


# --- session 4: readings that kept number conflicts apart ---------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "counts"),
    [
        # a weekday after a measure is a date, not what it counts
        ("The mayor spoke to reporters for 80 minutes Thursday, then left.", 80, "minutes", ""),
        # "versus" compares two figures; it is no counted noun
        ("Survival was higher in younger patients, 53 percent versus older ones.", 53, "%", ""),
        # money "in" a noun counts that noun: damages, costs, fees
        (
            "The jury ordered him to pay $25 million in punitive damages.",
            25e6,
            "USD",
            "punitive damages",
        ),
        # a coordinated count takes the subject of the clause before it
        (
            "Three ferry crew members were killed and 12 wounded at the pier.",
            12,
            None,
            "members wounded",
        ),
        # maimed people are injured people
        (
            "The blasts killed three and injured and maimed more than 200 others.",
            200,
            None,
            "people injured",
        ),
    ],
)
def test_session4_counts(text: str, value: float, unit: str | None, counts: str) -> None:
    found = [n for n in numbers(text) if n["value"] == value]
    assert len(found) == 1, numbers(text)
    assert (found[0]["unit"], found[0]["counts"]) == (unit, counts)


def test_money_in_a_place_or_a_period_counts_no_noun() -> None:
    assert one("The county spent $5 million in Millbrook last year.")["counts"] == ""
    assert one("Sales reached $3 million in the first quarter.")["counts"] == ""


def test_an_age_after_a_sentence_opening_a_is_read() -> None:
    got = one("A 2-year-old toddler was taken from the lodge.")
    assert (got["value"], got["unit"], got["counts"]) == (2, "years", "age of toddler")


def test_a_day_after_an_abbreviated_month_is_no_quantity() -> None:
    assert number_values("A guard was hurt in a garage on Feb. 6, and again on Dec. 14.") == set()
