"""Claims: statements aligned across articles, counted per independent outlet (invented stories)."""

from __future__ import annotations

from typing import Any

import pytest

from newsdesk.analyze.claims import claim_terms, extract_claims, outlet_key
from newsdesk.models import Article
from newsdesk.pipeline import Story

from .conftest import sentence_story


def make_story(*outlets: tuple[str, list[str]], copy_of: dict[int, int] | None = None) -> Story:
    """A story of articles made of the given sentences; ``copy_of`` marks syndicated copies."""
    articles, sentences = sentence_story(*(p for _, p in outlets), outlets=[o for o, _ in outlets])
    for n, m in (copy_of or {}).items():
        articles[n] = Article(**{**vars_of(articles[n]), "duplicate_of": articles[m].id})
    return Story(tuple(articles), sentences)


def vars_of(article: Article) -> dict[str, Any]:
    import dataclasses

    return {f.name: getattr(article, f.name) for f in dataclasses.fields(article)}


COASTAL = [
    "A passenger ferry ran aground off Pellin Point early Sunday, and all 212 people on board "
    "were brought ashore safely.",
    "The Marisol left Dunmore harbor at 6:10 a.m. in thick fog.",
    "Coast Guard Capt. Ilse Varga said the crew reported a loss of steering shortly before the "
    "grounding.",
    "Varga said the ferry would be towed to a repair yard in Kestrel Bay.",
    "Were the passengers warned before the ship left port?",
    "Nobody was hurt.",
]
DAILY = [
    "All 212 passengers and crew were rescued after the ferry Marisol struck rocks near Pellin "
    "Point on Sunday morning.",
    "The crew told the Coast Guard that steering failed minutes before the ship hit the rocks, "
    "Capt. Ilse Varga said.",
    "Varga said investigators would interview the captain on Monday.",
    "The ferry company, Northline, said service would resume on Wednesday.",
]


def texts(claim: dict[str, Any], story: Story) -> set[str]:
    return {story.sentences[s["article"]][s["sentence"]].text for s in claim["sentences"]}


def find(claims: list[dict[str, Any]], story: Story, start: str) -> dict[str, Any]:
    return next(c for c in claims if any(t.startswith(start) for t in texts(c, story)))


def test_a_paraphrase_is_corroborated_by_two_outlets() -> None:
    story = make_story(("Coastal Times", COASTAL), ("Dunmore Daily", DAILY))
    claims = extract_claims(story)
    lead = find(claims, story, "A passenger ferry ran aground")
    assert texts(lead, story) == {COASTAL[0], DAILY[0]}
    assert lead["status"] == "corroborated" and lead["outlets"] == 2
    assert lead["text"] == COASTAL[0]  # told in the words of the first article
    assert claims[0]["status"] == "corroborated"  # most widely reported first


def test_what_was_said_must_be_shared_not_only_the_speaker() -> None:
    # The same fact, but beyond Capt. Ilse Varga (who said it) the two share only "crew" and
    # "steering": the attribution no longer carries the pair. The price of the rule, paid on
    # purpose (a false corroboration misleads more than a missed one; docs/claims.md).
    story = make_story(("Coastal Times", COASTAL), ("Dunmore Daily", DAILY))
    steering = find(extract_claims(story), story, "Coast Guard Capt. Ilse Varga said the crew")
    assert texts(steering, story) == {COASTAL[2]}


def test_a_shared_speaker_alone_is_not_the_same_fact() -> None:
    story = make_story(("Coastal Times", COASTAL), ("Dunmore Daily", DAILY))
    claims = extract_claims(story)
    towed = find(claims, story, "Varga said the ferry would be towed")
    assert texts(towed, story) == {COASTAL[3]}
    assert towed["status"] == "single-source" and towed["outlets"] == 1


def test_questions_and_short_sentences_are_not_claims() -> None:
    story = make_story(("Coastal Times", COASTAL), ("Dunmore Daily", DAILY))
    said = {t for c in extract_claims(story) for t in texts(c, story)}
    assert COASTAL[4] not in said and COASTAL[5] not in said
    assert len(said) == len(COASTAL) - 2 + len(DAILY)  # every statement is in one claim


def test_a_syndicated_copy_or_a_second_article_of_one_outlet_counts_once() -> None:
    story = make_story(
        ("Coastal Times", COASTAL), ("Harbor Post", COASTAL), copy_of={1: 0}
    )  # fmt: skip
    lead = find(extract_claims(story), story, "A passenger ferry")
    assert lead["outlets"] == 1 and lead["status"] == "single-source"
    assert lead["articles"] == [a.id for a in story.articles]  # the copy listed after
    twice = make_story(("Dunmore Daily", DAILY), ("The Dunmore  daily", COASTAL))
    lead = find(extract_claims(twice), twice, "All 212")
    assert len(lead["sentences"]) == 2 and lead["outlets"] == 1
    assert outlet_key(twice.articles[0]) == outlet_key(twice.articles[1]) == "dunmore daily"


def test_a_claim_holds_one_sentence_per_article_the_closest() -> None:
    story = make_story(
        ("Coastal Times", [*COASTAL, "The ferry Marisol ran aground near Pellin Point."]),
        ("Dunmore Daily", DAILY),
    )
    claims = extract_claims(story)
    lead = find(claims, story, "All 212")
    assert texts(lead, story) == {COASTAL[0], DAILY[0]}
    assert find(claims, story, "The ferry Marisol ran")["status"] == "single-source"


def test_a_chain_of_loose_links_does_not_join_two_facts() -> None:
    # B's sentence tells A's fact and C's fact at once; A's and C's are different facts and
    # must not end up corroborating each other through it.
    story = make_story(
        ("A", ["The ferry Marisol ran aground off Pellin Point early Sunday in thick fog."]),
        ("B", ["The Marisol ran aground off Pellin Point on Sunday, and Northline said its "
               "ferry service to Kestrel Bay would resume on Wednesday."]),
        ("C", ["Northline said its ferry service to Kestrel Bay would resume on Wednesday."]),
    )  # fmt: skip
    for claim in extract_claims(story):
        joined = texts(claim, story)
        assert not (
            any(t.startswith("The ferry Marisol") for t in joined)
            and any(t.startswith("Northline") for t in joined)
        ), joined


def test_numbers_and_word_forms_meet() -> None:
    from newsdesk.analyze.claims import claim_terms

    assert set(claim_terms("Four protesters were arrested")) == set(
        claim_terms("the arrest of 4 protester")
    )
    assert claim_terms("Investigators") == claim_terms("investigation")


def test_matcher_on_an_empty_or_one_article_story() -> None:
    from newsdesk.analyze.claims import ClaimMatcher

    assert ClaimMatcher({}).links() == []
    one = make_story(("A", COASTAL))
    assert ClaimMatcher(one.sentences).links() == []
    assert all(c["status"] == "single-source" for c in extract_claims(one))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (  # same count, different facts
            "Two firefighters were treated for smoke inhalation at the scene on Main Street.",
            "Two engines from the Main Street station arrived within minutes of the call.",
        ),
        (  # same place and day, different events
            "The city council met on Tuesday at the Kestrel Bay library to debate the budget.",
            "A water main broke on Tuesday near the Kestrel Bay library, flooding the street.",
        ),
    ],
)
def test_shared_details_without_the_fact_are_not_linked(a: str, b: str) -> None:
    story = make_story(("A", [a]), ("B", [b]))
    assert all(c["status"] == "single-source" for c in extract_claims(story))


def test_a_short_sentence_supports_a_claim_but_makes_none() -> None:
    short = "The Marisol left at 6:10."  # five words: too short to be a claim of its own
    story = make_story(("Coastal Times", COASTAL), ("Dunmore Daily", [*DAILY, short]))
    claims = extract_claims(story)
    fog = find(claims, story, "The Marisol left Dunmore harbor")
    assert texts(fog, story) == {COASTAL[1], short}
    assert fog["text"] == COASTAL[1] and fog["outlets"] == 2
    assert not any(c["text"] == short for c in claims)
    alone = make_story(("Coastal Times", COASTAL), ("Dunmore Daily", [short]))
    assert not any(c["text"] == short for c in extract_claims(alone))


# One speaker, two different statements: the name and title are all the two sentences share.
MARROW_A = (
    "Dr. Ines Marrow, a professor of marine engineering at Pellin Coast University who "
    "examined the hull at the Times' request, said the damage did not by itself explain the "
    "grounding."
)
MARROW_B = (
    "Dr. Ines Marrow, a professor of marine engineering at Pellin Coast University, said a "
    "certified pilot means the crew passed every required drill."
)
HOLT_A = "Arne Holt, Northline's operations director, said Monday that the radar was fixed."
HOLT_B = 'Arne Holt, Northline\'s operations director, said crews "never touched the steering."'


# ... and two different statements about one thing ("the Marisol's ferry"): two shared terms
MARROW_C = (
    "Dr. Ines Marrow, a professor of marine engineering at Pellin Coast University, said the "
    "Marisol ferry's hull was sound."
)
MARROW_D = (
    "Dr. Ines Marrow, a professor of marine engineering at Pellin Coast University, said the "
    "Marisol ferry's radar had failed twice this year."
)


@pytest.mark.parametrize(("a", "b"), [(MARROW_A, MARROW_B), (HOLT_A, HOLT_B), (MARROW_C, MARROW_D)])
@pytest.mark.parametrize("case", [str, str.lower], ids=["cased", "lower-cased"])
def test_one_speaker_saying_two_things_is_not_one_fact(a: str, b: str, case: Any) -> None:
    story = make_story(("Coastal Times", [case(a)]), ("Dunmore Daily", [case(b)]))
    assert all(c["status"] == "single-source" for c in extract_claims(story))


@pytest.mark.parametrize("case", [str, str.lower], ids=["cased", "lower-cased"])
def test_one_fact_under_two_attributions_is_still_linked(case: Any) -> None:
    a = "The Marisol will be towed to a repair yard in Kestrel Bay on Monday, Northline said."
    b = (
        "Coast Guard Capt. Ilse Varga, who led the rescue, said the Marisol would be towed to "
        "the Kestrel Bay repair yard on Monday."
    )
    story = make_story(("Coastal Times", [case(a)]), ("Dunmore Daily", [case(b)]))
    claims = extract_claims(story)
    assert len(claims) == 1 and claims[0]["outlets"] == 2


@pytest.mark.parametrize("case", [str, str.lower], ids=["cased", "lower-cased"])
def test_a_speaker_named_in_what_one_sentence_says_still_counts(case: Any) -> None:
    # Lind is who said it in b, but part of what a says (she called it a hard day)
    a = 'Northline chief Mara Lind, speaking in Dunmore, called the grounding "a hard day for us."'
    b = '"This is a hard day for us," Northline chief Mara Lind said at a news conference.'
    story = make_story(
        ("Coastal Times", [case(t) for t in [*COASTAL, a]]),
        ("Dunmore Daily", [case(t) for t in [*DAILY, b]]),
    )
    assert find(extract_claims(story), story, case(a))["outlets"] == 2


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("Capt. Ilse Varga said the crew lost steering.", "Capt. Ilse Varga said"),
        (
            "Arne Holt, Northline's operations director, said Monday that the radar was fixed.",
            "Arne Holt, Northline's operations director, said Monday that",
        ),
        (
            '"We lost steering," said Capt. Ilse Varga, the harbor master.',
            "said Capt. Ilse Varga, the",
        ),
        ("The ferry hit the rocks at 6:40 a.m., the Coast Guard told reporters.", ", the Coast"),
        ("The ferry left at 6:10, according to Northline.", "according to Northline."),
        ("the ferry left at 6:10, northline said friday.", ", northline said friday."),
        ("The crew told the Coast Guard that steering failed.", "The crew told the Coast Guard"),
        ("Crews cleaned the hull in 2019, she said, and painted it.", ", she said"),
    ],
)
def test_the_attribution_is_told_apart(text: str, who: str) -> None:
    from newsdesk.analyze.claims import split_attribution

    _, attribution = split_attribution(text)
    assert who.strip() in attribution
    assert not set(claim_terms(attribution)) - set(claim_terms(text))


@pytest.mark.parametrize(
    "text",
    [
        "82% of voters said the bridge should be rebuilt.",  # who said it is the fact
        "The gunmen are said to have trained in Kestrel Bay for a year.",
        "Among the 1,885 people who said they were in monogamous relationships, 82% agreed.",
        "Police arrested the driver and said he had been drinking.",
        "The company apologized, said it would refund every passenger on board.",
        "On Friday, officials said 14, not 12, passengers were hurt.",
    ],
)
def test_a_statement_about_who_said_what_keeps_its_terms(text: str) -> None:
    from newsdesk.analyze.claims import split_attribution

    said, _ = split_attribution(text)
    numbers = {t for t in claim_terms(text) if t[0].isdigit()}
    assert numbers <= set(claim_terms(said))
    assert len(claim_terms(said)) >= len(claim_terms(text)) - 2
