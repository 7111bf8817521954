"""Syndicated copies and citations across articles."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.dedup import cite, find_duplicates
from newsdesk.models import Article, Sentence

WIRE = (
    "Firefighters contained a warehouse blaze in the Dunmore industrial park early on Sunday, "
    "the county fire service said. Nobody was hurt. The fire broke out shortly after 2 a.m. in a "
    "building used to store paper and cardboard, and crews from four stations fought it for "
    "three hours. Investigators have not said what caused it. The owner, Tessaro Logistics, said "
    "it would cooperate with the inquiry and that deliveries would resume within a week. "
    "Residents were told to keep windows closed because of smoke drifting over the town."
)


def art(text: str, outlet: str, published: str | None = None) -> Article:
    return Article.create(source=f"{outlet}.txt", text=text, outlet=outlet, published=published)


def sentences_of(article: Article) -> tuple[Sentence, ...]:
    out, start = [], 0
    for i, part in enumerate(article.text.split(". ")):
        end = start + len(part) + (1 if not part.endswith(".") else 0)
        end = min(end, len(article.text))
        out.append(Sentence(article.id, i, start, end, article.text[start:end]))
        start = end + 1
    return tuple(out)


def test_exact_copy_under_another_outlet_is_a_duplicate() -> None:
    a, b = art(WIRE, "Dunmore Gazette"), art(WIRE, "County Post")
    assert find_duplicates([a, b]) == {b.id: a.id}


def test_copy_with_changes_is_still_a_duplicate() -> None:
    a = art(WIRE, "Dunmore Gazette")
    edited = WIRE.replace("Sunday", "Sunday morning") + " More updates to follow."
    b = art("DUNMORE (Wire) - " + edited, "County Post")
    assert find_duplicates([a, b]) == {b.id: a.id}


def test_first_published_is_the_original() -> None:
    late = art(WIRE, "County Post", "2024-03-04")
    early = art(WIRE, "Dunmore Gazette", "2024-03-03")
    assert find_duplicates([late, early]) == {late.id: early.id}


def test_same_story_different_words_is_not_a_duplicate() -> None:
    a = art(WIRE, "Dunmore Gazette")
    b = art(
        "A fire tore through a cardboard warehouse in Dunmore overnight. Crews from four "
        "stations spent three hours on the blaze, which started around 2 a.m. Tessaro "
        "Logistics, which owns the site, promised to help investigators. No injuries were "
        "reported, and smoke prompted a warning to nearby residents.",
        "Valley Radio",
    )
    assert find_duplicates([a, b]) == {}


def test_threshold_is_the_knob() -> None:
    a = art(WIRE, "A")
    half = WIRE[: len(WIRE) // 2] + " The rest of this report was written separately by B."
    b = art(half + " It adds many new words of its own about other things entirely.", "B")
    assert find_duplicates([a, b], threshold=0.99) == {}
    assert find_duplicates([a, b], threshold=0.3) == {b.id: a.id}


def test_citations_match_paraphrases_and_not_other_facts() -> None:
    a = art("Twelve people were hurt when the Arden bridge collapsed on Friday.", "A")
    b = art(
        "The collapse of the Arden bridge injured 12 people. The mayor ordered an inquiry.", "B"
    )
    c = art("The mayor of Arden ordered an inquiry into the city's budget.", "C")
    sentences = {x.id: sentences_of(x) for x in (a, b, c)}
    [summary] = cite([sentences[a.id][0]], sentences)
    assert [cit.article for cit in summary.citations] == [a.id, b.id]
    assert summary.citations[1].sentence == 0
    assert summary.text == a.text


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(WIRE.split(". ")), min_size=1, max_size=6), st.integers(0, 2))
def test_every_citation_points_at_a_real_sentence(parts: list[str], pick: int) -> None:
    articles = [art(". ".join(parts), "A"), art(". ".join(reversed(parts)), "B"), art(WIRE, "C")]
    sentences = {x.id: sentences_of(x) for x in articles}
    chosen = sentences[articles[pick].id]
    for summary in cite(list(chosen), sentences):
        first = summary.citations[0]
        assert sentences[first.article][first.sentence].text == summary.text
        for citation in summary.citations:
            assert 0 <= citation.sentence < len(sentences[citation.article])
        assert len({c.article for c in summary.citations}) == len(summary.citations)
