"""Timeline: absolute and relative dates, the anchor rules, merging, order. Invented stories."""

from __future__ import annotations

from datetime import date

import pytest

from newsdesk.analyze.timeline import extract_timeline, find_dates, reference_dates
from newsdesk.models import Article
from newsdesk.pipeline import Story

FRIDAY = date(2024, 3, 8)  # a Friday


def days(text: str, ref: date | None = FRIDAY) -> list[str]:
    return [m.day.isoformat() for m in find_dates(text, ref)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The dam failed on Thursday.", ["2024-03-07"]),
        ("The dam failed Friday morning.", ["2024-03-08"]),  # on or before: the same day
        ("Crews arrived Sunday night.", ["2024-03-03"]),
        ("The dam failed last Friday.", ["2024-03-01"]),  # "last": strictly before
        ("The hearing will be held Monday.", ["2024-03-11"]),  # future sentence
        ("Talks resume next Tuesday.", ["2024-03-12"]),
        ("Residents were evacuated yesterday.", ["2024-03-07"]),
        ("The mayor spoke last night.", ["2024-03-07"]),
        ("The pumps restart tomorrow.", ["2024-03-09"]),
        ("The survey ended three days ago.", ["2024-03-05"]),
        ("The survey ended two weeks ago.", ["2024-02-23"]),
        ("The fire began on Christmas Eve.", ["2023-12-24"]),
        ("Shops reopen by Christmas Eve, officials will say.", ["2024-12-24"]),
        ("The bridge closed on March 14th.", ["2023-03-14"]),  # past: on or before
        ("The trial is set for March 14th.", ["2024-03-14"]),  # future: after
        ("The bridge closed on March 2.", ["2024-03-02"]),
        ("It opened Nov. 28, 2011.", ["2011-11-28"]),
        ("It opened on 23 December 2013.", ["2013-12-23"]),
        ("The report is dated 2024-02-29.", ["2024-02-29"]),
        ("Thanksgiving was quiet.", ["2023-11-23"]),
        ("Work stopped last week.", ["2024-02-26"]),  # Monday of the week before
        ("Work stopped last month.", ["2024-02-01"]),
        ("The plant opened in March 2012.", ["2012-03-01"]),
    ],
)
def test_relative_and_absolute_dates(text: str, expected: list[str]) -> None:
    assert days(text) == expected


def test_years_alone_and_may_the_verb_are_not_dates() -> None:
    assert days("The dam was built in 1957 and may fail.") == []


def test_without_an_anchor_only_dates_with_a_year_are_kept() -> None:
    assert days("It opened Nov. 28, 2011, and closed on Sunday.", None) == ["2011-11-28"]


def test_precision_of_weeks_and_months() -> None:
    (m,) = find_dates("Work stopped last month.", FRIDAY)
    assert m.precision == "month"


def article(text: str, published: str | None, source: str) -> Article:
    return Article.create(source=source, text=text, published=published)


def test_article_without_date_uses_the_median_of_the_others() -> None:
    a = article("Levee work began.", "2024-03-01", "a")
    b = article("More levee work.", "2024-03-08", "b")
    c = article("Even more levee work.", "2024-03-10", "c")
    d = article("The levee broke on Sunday.", None, "d")
    s = Story((a, b, c, d), {})
    assert reference_dates(s)[d.id] == date(2024, 3, 8)
    (event,) = extract_timeline(s)
    assert event["date"] == "2024-03-03"  # the Sunday before the median date


def test_events_are_ordered_merged_across_articles_and_point_at_sentences() -> None:
    a = article(
        "Engineers inspected the levee on Tuesday. The levee broke on Thursday night.",
        "2024-03-08",
        "a",
    )
    b = article("The levee broke late on Thursday, flooding the lower town.", "2024-03-09", "b")
    s = Story((a, b), {})
    events = extract_timeline(s)
    assert [e["date"] for e in events] == ["2024-03-05", "2024-03-07"]
    broke = events[1]
    assert broke["articles"] == [a.id, b.id]
    for off in broke["offsets"]:
        text = next(x.text for x in s.articles if x.id == off["article"])
        assert "broke" in text[off["start"] : off["end"]]
    assert broke["expression"] == "Thursday"


def test_different_events_on_one_day_stay_apart() -> None:
    a = article("The levee broke on Thursday.", "2024-03-08", "a")
    b = article("On Thursday the governor signed an unrelated budget bill.", "2024-03-08", "b")
    assert len(extract_timeline(Story((a, b), {}))) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He died in December.", ["2023-12-01"]),
        ("He appealed last March.", ["2023-03-01"]),  # "last" + this month: a year back
        ("The plant will reopen in June.", ["2024-06-01"]),
        ("No decision was expected before Tuesday.", ["2024-03-12"]),
        ("The deadline the mayor had set for the camp passed on Sunday.", ["2024-03-03"]),
    ],
)
def test_months_alone_and_future_cues(text: str, expected: list[str]) -> None:
    assert days(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He was drafted in April of 1942.", ["1942-04-01"]),
        ("This Thanksgiving marks ten years since the flood.", ["2024-11-28"]),
        ("The sale closed in October of 2016.", ["2016-10-01"]),
    ],
)
def test_month_of_year_and_this_holiday(text: str, expected: list[str]) -> None:
    assert days(text) == expected


def test_future_cues_are_lower_case_and_outside_quotations() -> None:
    assert days('The co-star of "Good Will Hunting" spoke on Friday.') == ["2024-03-08"]
    assert days('On Tuesday she said "more people will come forward."') == ["2024-03-05"]
