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


def test_abbreviated_title_holds_the_role_over_the_last_speaker() -> None:
    s = story(
        '"We will rebuild the pier by spring," Mayor Tomas Quill said on Monday.\n'
        "Gov. Renata Osei visited the harbour on Tuesday and ordered a review of every pier.\n"
        '"Every family deserves to know the piers are safe," the governor said.'
    )
    by_text = {x["text"]: x for x in extract_quotes(s)}
    governor = by_text["Every family deserves to know the piers are safe"]
    assert governor["speaker"] == "Renata Osei"
    assert governor["role"] == "governor"


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
        "Tomas Brandt, a volunteer, arrived later; he brought soup.\n"
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
    """Pinned floors on the 30 dev clusters (benchmarks/analysis_eval.py, split "dev")."""
    data = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    if not (data / "multinews" / "test-fulltext200.jsonl.gz").exists():
        pytest.skip("../shared/data/multinews is not beside the repository")
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "analysis_eval.py"
    spec = importlib.util.spec_from_file_location("analysis_eval", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    dev = ("tuned", "heldout", "fresh")  # the held-out rounds stay out of the tests
    gold = {
        name: [r for r in module.load(name) if r["split"] in dev]
        for name in ("quotes", "entities", "timeline")
    }
    tot = module.evaluate(
        gold["quotes"],
        gold["entities"],
        gold["timeline"],
        argparse.Namespace(errors=False, raw=False),
    )
    # Measured 0.946, 0.908, 0.690 and 0.985 when pinned; the floors leave a little room.
    assert tot["quotes_found"] / tot["quotes_gold"] >= 0.92
    assert tot["speaker_ok"] / tot["quotes_found"] >= 0.88
    assert tot["people_found"] / tot["people_gold"] >= 0.65
    assert tot["dates_ok"] / tot["dates_found"] >= 0.95


# --- speaker rules added after the held-out measurement of clusters 31-45 ------------------


def test_pronoun_is_the_subject_of_the_sentence_before_not_the_last_quoted() -> None:
    s = story(
        '"The count was fair," said Mr. Oren Castellano, the returning officer.\n'
        "Teodor Vilks, 45, lost the vote by six ballots. He conceded the next morning, saying, "
        '"When you lose you have to own it."'
    )
    assert by_text(extract_quotes(s), "When you lose")["speaker"] == "Teodor Vilks"


def test_pronoun_chain_walks_back_over_sentences_opened_by_the_same_pronoun() -> None:
    s = story(
        '"Prices will rise," said Mrs. Ana Ferreira, a trader. '
        "Mrs. Ilse Marvik dismisses most of the auction as junk. Still, she can see why a "
        "hand saw sold for more than it is worth.\n"
        '"Hype increases value," she said.'
    )
    assert by_text(extract_quotes(s), "Hype increases")["speaker"] == "Ilse Marvik"


def test_a_fronted_clause_is_skipped_to_find_the_subject() -> None:
    s = story(
        '"We will not sell data," said Mr. Carl Brenner of Orbis.\n'
        "When the camera first shipped in 2010, Orbis's Mr. Dennis Hallam told investors it "
        'could read faces. "We can tailor what you see," he said.'
    )
    assert by_text(extract_quotes(s), "We can tailor")["speaker"] == "Dennis Hallam"


def test_interview_transcript_labels_give_the_speaker_of_quotes_inside_answers() -> None:
    s = story(
        "Rafe Donnelly, a critic, spoke to the actor Mila Dunmore about the festival.\n"
        'RD: Do you ever just say, "Stop, this is wrong"?\n'
        'MD: Always. I would go, "I don\'t want this out there, not for any money."\n'
        'Now it is different. You say, "Let us meet in a hotel room," and people listen.'
    )
    q = extract_quotes(s)
    assert by_text(q, "I don't want this")["speaker"] == "Mila Dunmore"
    assert by_text(q, "Let us meet")["speaker"] == "Mila Dunmore"
    assert by_text(q, "Stop, this is wrong")["speaker"] == "Rafe Donnelly"


def test_the_actor_is_the_person_the_sentence_before_is_about() -> None:
    s = story(
        "Jonas Birkeland says he saw Piet Vanlo's temper on set long before the lawsuit.\n"
        'The actor told a radio host, "I just remember losing all respect for him."\n'
        '"It was rough on the crew," said the actor.'
    )
    q = extract_quotes(s)
    assert by_text(q, "I just remember")["speaker"] == "Jonas Birkeland"
    assert by_text(q, "It was rough")["speaker"] == "Jonas Birkeland"


def test_an_organization_issuing_a_statement_speaks_the_next_quote() -> None:
    s = story(
        "The Harbor Authority issued a statement denying the sale. "
        '"No asset was transferred in the period before the vote."'
    )
    assert extract_quotes(s)[0]["speaker"] == "Harbor Authority"


def test_an_insider_is_a_role_speaker() -> None:
    s = story('An insider tells us, "The judge ordered both sides back to mediation."')
    q = extract_quotes(s)[0]
    assert q["speaker"] == "insider"


def test_a_connective_before_an_unattributed_quote_keeps_the_sentence_before() -> None:
    s = story(
        "Mr. Justin Brecht said the evening was awkward but not frightening. "
        'Still, "He knew I was in high school. It was pretty clear."'
    )
    assert extract_quotes(s)[0]["speaker"] == "Justin Brecht"


def test_a_parenthetical_attribution_wins_over_the_clause_it_follows() -> None:
    s = story(
        "Norland has agreed to return the drone wreckage, Sen. Mark Tessaro said here on "
        'Monday, part of what he called a "specific series of steps" to ease tensions.'
    )
    assert extract_quotes(s)[0]["speaker"] == "Mark Tessaro"


def test_said_a_descriptor_without_article_then_the_name() -> None:
    s = story(
        '"It changes how we picture the period," said evolutionary biologist Chad Morrow '
        "of the Field Museum.\n"
        '"Deserts are fragile ecosystems," says U.S. Forest Service volunteer Jules Farrand.'
    )
    q = extract_quotes(s)
    assert by_text(q, "It changes")["speaker"] == "Chad Morrow"
    assert by_text(q, "Deserts are")["speaker"] == "Jules Farrand"


def test_where_a_speaker_is_from_is_capitalized_words_only() -> None:
    s = story(
        "Asked about the find, University of Texas paleontologist Julia Marsh said, "
        '"Wow. Not suitable for children."'
    )
    assert extract_quotes(s)[0]["speaker"] == "Julia Marsh"


def test_an_unattributed_quote_belongs_to_who_the_sentence_before_is_about() -> None:
    s = story(
        "Mr. Jeff Harlan, a lawyer, has sued three studios. Harlan shakes his head. "
        '"I am just saying go with your gut."'
    )
    assert extract_quotes(s)[0]["speaker"] == "Jeff Harlan"


def test_a_first_name_alone_opening_a_sentence_is_that_person() -> None:
    s = story(
        "The family of Mary Ollero thanked the hospital, her brother Marcus Ollero said.\n"
        "Police chief Randy Hale said there was no evidence of a hate crime.\n"
        "Marcus, an Air Force sergeant, says his sister is recovering. He is hopeful.\n"
        '"The doctors say it is too early," he says.'
    )
    assert by_text(extract_quotes(s), "The doctors say")["speaker"] == "Marcus Ollero"


def test_the_last_quoted_person_holds_when_nobody_else_is_named_since() -> None:
    s = story(
        "Police chief Randy Hale said the case was open.\n"
        '"She is strong," said Marcus Ollero, her brother.\n'
        "The hospital would not comment.\n"
        "As of now her brother says there is no timeline.\n"
        '"We do not know who did this," he says.'
    )
    assert by_text(extract_quotes(s), "We do not know")["speaker"] == "Marcus Ollero"


def test_sentences_opened_by_they_do_not_stop_the_pronoun_chain() -> None:
    s = story(
        "Mr. Gerard Mulkern said he had gone to the police voluntarily.\n"
        '"It is over," said Mr. Conal Reddy, a neighbour. '
        "Mulkern questioned their timing. They did not need to use "
        '"coercive legislation to deal with a legacy issue," he said.'
    )
    assert by_text(extract_quotes(s), "coercive legislation")["speaker"] == "Gerard Mulkern"


def test_a_party_word_before_a_name_is_a_title() -> None:
    s = story('Democratic Unionist Jeffrey Darnell said: "That would be absurd."')
    assert extract_quotes(s)[0]["speaker"] == "Jeffrey Darnell"


def test_a_title_with_of_and_a_title_inside_a_long_run_are_not_the_name() -> None:
    s = story(
        '"I am very pleased to be doing what I do," Secretary of State Hillary Marwood said.\n'
        '"It won\'t pass the smell test," Republican National Committee Chairman Reince '
        "Pollard said."
    )
    q = extract_quotes(s)
    assert by_text(q, "I am very pleased")["speaker"] == "Hillary Marwood"
    assert by_text(q, "It won't pass")["speaker"] == "Reince Pollard"


def test_reiterated_and_began_are_said_verbs() -> None:
    s = story(
        '"Oh yes, yes," Marwood reiterated, after Mr. Duncan Garvey asked again.\n'
        '"We have concerns about the trade deal," began Mr. John Keel.'
    )
    q = extract_quotes(s)
    assert by_text(q, "Oh yes, yes")["speaker"] == "Marwood"
    assert by_text(q, "We have concerns")["speaker"] == "John Keel"


def test_mixed_case_topic_labels_continue_the_speaker() -> None:
    s = story(
        'On lard: "Just in case you think it is unhealthy," Ms. Clara Dixon said.\n'
        'On bacon: "More vegetarians relapse on bacon than on anything else."\n'
        'On tongue: "It is wonderful stuff, and everybody forgets about it."'
    )
    assert {q["speaker"] for q in extract_quotes(s)} == {"Clara Dixon"}


def test_two_fronted_clauses_are_skipped_to_find_the_subject() -> None:
    s = story(
        "Mrs. Jenna Farr turned 26 on Friday.\n"
        "Speaking on the radio in 1999, following the death of her partner Paula Kent, "
        "Mrs. Clara Dixon was calm. She said:\n"
        '"She died magnificently, she was an example to all of us."'
    )
    assert extract_quotes(s)[0]["speaker"] == "Clara Dixon"


def test_a_sentence_attributed_at_its_end_gives_the_pronoun() -> None:
    s = story(
        '"We were told nothing," said Mrs. Myra Arce, the plaintiff. '
        "Even if she shut the app down at night, it kept running in the background, her lawyer "
        "Gail Gleason said.\n"
        '"She found it very offensive," she added.'
    )
    assert by_text(extract_quotes(s), "She found it")["speaker"] == "Gail Gleason"


def test_releasing_a_statement_does_not_hide_a_later_speaker() -> None:
    s = story(
        "Mr. Kevin Sarto released a statement on Monday and in November a spokesperson for "
        'Sarto said he was "taking the time necessary to seek treatment."'
    )
    assert extract_quotes(s)[0]["speaker"] == "spokesperson for Sarto"


def test_a_short_unattributed_line_after_two_speakers_is_the_other_turn() -> None:
    s = story(
        "Mr. Mike Colby was asked about the polls.\n"
        '"Says who?" Colby fired back.\n'
        '"Polls. Most of them. All of them?" replied anchor Ms. Briana Kell.\n'
        '"Says who?" he asked again.\n'
        '"Polls. I just told you."'
    )
    assert by_text(extract_quotes(s), "Polls. I just told")["speaker"] == "Briana Kell"


def test_to_which_someone_replied_is_an_answer_not_a_report() -> None:
    s = story(
        'Mr. Mike Colby asked again, to which Ms. Briana Kell replied, "Polls. I answered that."'
    )
    assert extract_quotes(s)[0]["speaker"] == "Briana Kell"


def test_a_flyer_or_a_memo_speaks_as_itself() -> None:
    s = story(
        'The organizers printed a thousand copies. "Share this document," the flyer says.\n'
        'A memo says deputies are trained to use "tactical communication to talk them down."'
    )
    q = extract_quotes(s)
    assert by_text(q, "Share this")["speaker"] == "flyer"
    assert by_text(q, "tactical")["speaker"] == "memo"


def test_a_possessed_thing_still_names_the_person_a_surname_means() -> None:
    # "Hal Dorsey's blog" mentions Hal; "Ruth Dorsey's lawyer" is a modifier, not Ruth.
    s = story(
        "Hal Dorsey, 52, runs a bakery. His mother, Ruth Dorsey, founded it in 1970.\n\n"
        "On Hal Dorsey's blog, he posted photos of the ovens.\n\n"
        'Dorsey wrote: "These ovens have outlived three owners."'
    )
    assert by_text(extract_quotes(s), "These ovens")["speaker"] == "Hal Dorsey"


def test_her_partner_named_in_the_sentence_is_not_she() -> None:
    s = story(
        "Margaret Quell presented the cooking show for a decade.\n\n"
        '"It was the best job in television," said producer Paul Varga.\n\n'
        "Speaking in 2001, after the death of her partner Jennifer Brenn, she said:\n\n"
        '"We were a double act and I miss every minute of it."'
    )
    assert by_text(extract_quotes(s), "We were a double act")["speaker"] == "Margaret Quell"


def test_a_school_title_inside_a_name_run_is_a_title() -> None:
    s = story('"He was a fine student," Lakeview High Principal Rosa Ibarra said in a statement.')
    assert extract_quotes(s)[0]["speaker"] == "Rosa Ibarra"


def test_her_right_after_a_name_tells_the_gender_for_she() -> None:
    # "Tovah" is no first name the rules know; "Tovah Ruskin said her brother" says she.
    s = story(
        "Claire Dunn, a nurse, found the first clue.\n\n"
        "Tovah Ruskin said her brother was lured away. The partners told her uncle "
        "that the gate stays shut.\n\n"
        '"Where I live, nobody just vanishes," she says.'
    )
    assert by_text(extract_quotes(s), "Where I live")["speaker"] == "Tovah Ruskin"


def test_a_quote_in_a_paragraph_told_about_he_is_his() -> None:
    s = story(
        'Oren Pike, 52, runs the ferry. "The river is my office," Pike said.\n\n'
        "He remembers the flood of 1997. He was on the last crossing. First he thought the "
        'engine had stalled. "The water was over the rail before I knew it."'
    )
    assert by_text(extract_quotes(s), "The water was over")["speaker"] == "Oren Pike"


def test_said_the_role_then_the_name_in_apposition_is_the_name() -> None:
    s = story(
        "Dr. Imre Kallas studies heart disease at the Lakeview clinic.\n\n"
        '"Keeping weight off matters," said the lead author, Dr. Imre Kallas, an associate '
        "professor of medicine."
    )
    assert extract_quotes(s)[0]["speaker"] == "Imre Kallas"


def test_a_post_on_a_platform_is_the_posters() -> None:
    s = story(
        "Tomas Varela, the ferry captain's brother, expressed grief in a post on Facebook: "
        '"We will miss him every single day."'
    )
    assert extract_quotes(s)[0]["speaker"] == "Tomas Varela"


def test_the_statement_speaks_for_who_released_it() -> None:
    s = story(
        "Harbor Power Company released a statement saying it will help investigators.\n\n"
        '"Our thoughts are with the families of the two workers," the statement says.'
    )
    assert extract_quotes(s)[0]["speaker"] == "Harbor Power Company"


def test_a_company_possessive_opening_a_sentence_is_no_subject() -> None:
    s = story(
        'Detective Paul Graves said the robbers fled. "They took everything," Graves said.\n\n'
        "Liberty-based Pine Ridge Fuels has made a $5,000 donation.\n\n"
        "Pine Ridge Fuels' Oscar Brandt said the company wanted to do more.\n\n"
        '"You see those reports on the news," he said.'
    )
    assert by_text(extract_quotes(s), "You see")["speaker"] == "Oscar Brandt"


def test_said_someones_coach_then_the_name_is_the_name() -> None:
    s = story('"He never gave up," said Milo\'s former football coach, Reuben Tasker.')
    assert extract_quotes(s)[0]["speaker"] == "Reuben Tasker"


def test_the_statement_speaks_for_the_words_before_released() -> None:
    # "Coastline Power" is no organization the name rules know; the words before "released
    # a statement" are who speaks.
    s = story(
        "Coastline Power released a statement saying it will help investigators.\n\n"
        '"Our thoughts are with the families," the statement says.'
    )
    assert extract_quotes(s)[0]["speaker"] == "Coastline Power"


def test_who_is_told_before_a_colon_is_the_listener() -> None:
    s = story(
        "The student who was hurt told the Courier: \"It wasn't the game that upset me, it was "
        'what they shouted."'
    )
    speaker = extract_quotes(s)[0]["speaker"]
    assert speaker is not None and "student" in speaker


def test_a_statement_a_family_released_is_the_familys() -> None:
    s = story(
        "Ana Rook's family released a statement asking for privacy.\n\n"
        '"We are heartbroken by the loss of our beloved Ana," said the statement.'
    )
    assert extract_quotes(s)[0]["speaker"] == "family"


def test_an_oral_history_labels_each_speaker_in_capitals() -> None:
    s = story(
        "An oral history of the night shift, told by Rosa Lind and Ben Okafor.\n\n"
        "ROSA LIND: We started at midnight. I remember thinking, “This will never work.”\n\n"
        "BEN OKAFOR: Nobody believed us. My first thought was “We need more coffee and a plan.”"
    )
    assert by_text(extract_quotes(s), "This will never work")["speaker"] == "Rosa Lind"
    assert by_text(extract_quotes(s), "We need more coffee")["speaker"] == "Ben Okafor"


def test_a_statement_released_by_or_from_someone_is_theirs() -> None:
    s = story(
        "The ferry company said it would cooperate.\n\n"
        '"We are reviewing every crossing," according to a statement released by the '
        "Harbor Authority.\n\n"
        '"Two ferries will stay in port," the statement said.\n\n'
        '"We back the review," according to a statement from several board members.'
    )
    quotes = extract_quotes(s)
    assert by_text(quotes, "We are reviewing")["speaker"] == "Harbor Authority"
    assert by_text(quotes, "Two ferries")["speaker"] == "Harbor Authority"
    assert by_text(quotes, "We back the review")["speaker"] == "board members"


def test_away_from_a_relative_the_surname_is_the_person_introduced_first() -> None:
    s = story(
        "Harold Vance, the former governor, died on Friday at 94.\n\n"
        "His father, Edwin Vance, was a banker who served one term in the Senate and taught "
        "his son to keep accounts. The family moved to the coast when the boy was nine, and "
        "he later studied law at the state university, where he met his wife, a teacher. "
        "After the war the couple settled in the capital and raised four children there. "
        "He ran for the legislature in 1962 and won by fewer than two hundred votes. Four "
        "years later he won a seat on the appeals court, and in 1974 he left the bench to run "
        "for governor against a popular incumbent who had never lost an election in the state. "
        "The campaign was bitter and long, and the count took nine days.\n\n"
        'Vance often recalled that first race. "I knocked on every door in the county," '
        "Vance said."
    )
    assert by_text(extract_quotes(s), "I knocked")["speaker"] == "Harold Vance"


def test_a_sentence_ending_in_to_something_does_not_hide_the_next_name() -> None:
    s = story(
        "After days of pleading, Milo Brandt's parents got the call. The trial is set to "
        "start Wednesday.\n\n"
        "Oskar Brandt, Milo's father, said the company called him first.\n\n"
        '"It was wonderful," Brandt said.'
    )
    assert by_text(extract_quotes(s), "It was wonderful")["speaker"] == "Oskar Brandt"


def test_capitalized_headings_are_no_interview_speakers() -> None:
    s = story(
        "EDITOR'S NOTE: This story was updated.\n\n"
        "Mayor Jane Doe spoke on Monday. She said the town would recover.\n\n"
        '"We will rebuild every single home in this town."\n\n'
        "CORRECTION: An earlier version misspelled a name."
    )
    assert extract_quotes(s)[0]["speaker"] == "Jane Doe"


def test_a_modifier_mention_does_not_come_back_as_the_person_introduced_first() -> None:
    filler = " The hearing went on through the afternoon with many witnesses." * 14
    s = story(
        "Bryan Singer's lawyer, Marty Singer, spoke to reporters outside the court."
        + filler
        + '\n\n"We deny every one of these claims," Singer said.'
    )
    assert by_text(extract_quotes(s), "We deny")["speaker"] == "Marty Singer"


def test_a_statement_of_the_next_sentence_is_not_this_quotes() -> None:
    s = story(
        "Harbor Power Company released a statement on Monday.\n\n"
        '"We will help investigators," the statement said. A statement from the Dockworkers '
        "Union called for calm."
    )
    assert extract_quotes(s)[0]["speaker"] == "Harbor Power Company"


def test_whoever_says_mr_x_is_not_x() -> None:
    text = (
        "Deputy Colm Farrow was fired on Tuesday. Farrow's lawyer released a statement on"
        ' Wednesday. "We believe that Mr. Farrow acted within the law at every moment," the'
        ' statement read.\n\nFarrow spoke briefly outside the courthouse. "I did my job," he said.'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "We believe")["speaker"] != "Colm Farrow"
    assert by_text(q, "I did my job")["speaker"] == "Colm Farrow"


def test_a_quote_naming_the_speaker_by_first_name_alone_is_not_theirs() -> None:
    text = (
        'Daniel Okoro spoke to reporters on Monday. "The vote was fair," Okoro said.\n\n'
        '"I guess Daniel will have to explain that to the voters."\n\n'
        'Okoro later returned to the podium. "I, Daniel Okoro, stand by every word," he said.'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "The vote was fair")["speaker"] == "Daniel Okoro"
    assert by_text(q, "I guess Daniel")["speaker"] != "Daniel Okoro"
    assert by_text(q, "I, Daniel Okoro")["speaker"] == "Daniel Okoro"


def test_a_name_after_by_is_no_modifier_mention() -> None:
    text = (
        "Orla Brandt, a board member, is the sister of the founder. The plan was announced"
        " in a letter by chief executive Tomas Brandt on Monday.\n\nBrandt said the move was"
        ' overdue. "We have outgrown the old market," he wrote.'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "We have outgrown")["speaker"] == "Tomas Brandt"


def test_an_organization_and_a_role_before_the_name_open_a_sentence_about_the_person() -> None:
    text = (
        '"I would expect something to compensate me," said Elim Nabor, the boy\'s father.\n\n'
        "FWA communications manager Basil Hange described the incident as unfortunate. He was"
        " however not specific on whether the parents would be compensated, saying: "
        '"We have an arrangement for our staff."\n\n'
        "He revealed that efforts are underway to track down the leopard.\n\n"
        '"We are working towards relocating it," he said.'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "We have an arrangement")["speaker"] == "Basil Hange"
    assert by_text(q, "We are working")["speaker"] == "Basil Hange"


def test_in_a_statement_the_named_owner_said() -> None:
    text = (
        "In a statement, the station's owner, Harbor Lane Media, said it had ended the show."
        '\n\n"The company will cooperate with any investigation," the statement said.'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "The company will")["speaker"] == "Harbor Lane Media"


def test_he_after_an_unnamed_official_said_is_that_official() -> None:
    text = (
        "Colonel Rask Odel ordered the square cleared on Friday.\n\n"
        "Snipers fired on mourners at the funerals, a hospital official said. He spoke on"
        " condition of anonymity.\n\n"
        '"Many of the dead are relatives of doctors here," he told reporters.'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "Many of the dead")["speaker"] == "hospital official"


def test_titles_with_small_words_are_no_quotes() -> None:
    text = (
        'She starred in "A Walk in the Woods" and "State of the Union" before the tour.'
        ' Later she appeared on "Cooking for the Harbor." "We were all in it together," she'
        " said."
    )
    assert [x["text"] for x in extract_quotes(story(text))] == ["We were all in it together"]


# --- session 4: speaker rules (docs/analysis.md "## Speaker rules (session 4)") -----------


def test_a_place_never_speaks_the_named_scientist_does() -> None:
    text = (
        "The probe will pass closer to the star than any craft before it, said mission"
        " scientist Orla Brennick, of the Marston Applied Physics Laboratory in Laurel,"
        ' Maryland: "It simply should not happen."'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "It simply")["speaker"] != "Maryland"


def test_said_the_paper_after_a_name_is_a_reported_clause() -> None:
    text = (
        'Professor Ilse Varden said the paper, published on Monday in Nature, "overturned'
        ' several old ideas about the valley".'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "overturned")["speaker"] == "Ilse Varden"


def test_a_named_newspaper_speaks_as_the_organization() -> None:
    text = (
        "The talks stalled on Friday.\n\n"
        '"The envoy is miscalculating badly," North Ostrava\'s Kelvar Tribune newspaper said'
        " in a commentary."
    )
    q = extract_quotes(story(text))
    assert by_text(q, "The envoy")["speaker"] == "Kelvar Tribune"


def test_asked_by_a_named_host_the_host_speaks() -> None:
    text = (
        "Senator Mara Quillon spoke to New Zealand television on Friday, saying she is happy"
        " in her job.\n\n"
        "Asked by New Zealand TV3's Dennis Okafor Friday, \"Just looking long term, do you"
        ' still rule out a run for the governorship?"\n\n'
        '"Yes," Quillon said.'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "Just looking")["speaker"] == "Dennis Okafor"


def test_after_a_fronted_when_clause_the_main_subject_speaks() -> None:
    text = (
        "Rick Tallow woke early on Sunday for the interview.\n\n"
        "When radio host Candace Marlow said she was surprised Tallow did not win the"
        ' straw poll, he shot back: "Those polls are bought and sold every single year."'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "Those polls")["speaker"] == "Rick Tallow"


def test_after_a_fronted_clause_a_later_attribution_wins() -> None:
    text = (
        "When she said she had been to the clinic twice, the host, Kyle Brandis, who ran"
        ' the show with Jackie Moor, then asked: "And was that the only time you went?"'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "And was that")["speaker"] == "Kyle Brandis"


def test_the_president_is_the_holder_talked_about_last() -> None:
    text = (
        "President Walter Hemming met the press in 2009. Later, President Dora Lindqvist"
        " took office.\n\n"
        "Five earlier winners did better than Hemming: Lindqvist in 2012 among them.\n\n"
        "When a reporter pointed out that Hemming was overstating his margin, the president"
        ' said: "Well, I was given that information."'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "Well, I was")["speaker"] == "Walter Hemming"


def test_a_first_name_alone_as_speaker_is_the_one_person_with_it() -> None:
    text = (
        "Sergeant Marcus Vantes served two tours with the unit.\n\n"
        '"We never expected to come home to this," Marcus says.'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "We never expected")["speaker"] == "Marcus Vantes"


def test_a_first_name_shared_by_two_people_stays_as_written() -> None:
    text = (
        "Marcus Vantes and Marcus Drummond served two tours with the unit.\n\n"
        '"We never expected to come home to this," Marcus says.'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "We never expected")["speaker"] not in ("Marcus Vantes", "Marcus Drummond")


def test_interview_labels_written_as_names() -> None:
    text = (
        "The forecaster, Robin Tesk, wrote the warning that night.\n\n"
        "Anchor Brian Wills asked him about it this week.\n\n"
        "Brian Wills: Did you want to be wrong?\n\n"
        "Robin Tesk: I would much rather have been wrong. You know, \"Let's gear up for the"
        ' big one, this is going to be the big one."\n\n'
        "Wills: Did you cut anything?\n\n"
        'Tesk: I read each one. And I said, "I cannot find it in myself to take these out."'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "Let's gear up")["speaker"] == "Robin Tesk"
    assert by_text(q, "I cannot find")["speaker"] == "Robin Tesk"


def test_it_said_is_the_organization_the_sentences_before_are_about() -> None:
    text = (
        "The conservation group Wildcare Foundation says on its site that the bears are shy."
        " It notes that they avoid people.\n\n"
        'It cautions: "Although they eat mostly bamboo, a bite can be very nasty."'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "Although they eat")["speaker"] == "Wildcare Foundation"


def test_it_said_after_a_person_opens_the_sentence_before_is_no_one() -> None:
    text = (
        "Mayor Dana Whitlock runs the Wildcare Foundation.\n\n"
        'It cautions: "Although they eat mostly bamboo, a bite can be very nasty."'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "Although they eat")["speaker"] is None


# --- session 5: speaker rules (docs/analysis.md "## Speaker rules (session 5)") -----------


def test_common_person_nouns_are_roles() -> None:
    text = (
        "Dell Farrow runs the packing plant in Ostrey.\n\n"
        '"You cannot let anybody see you do that," the worker says.\n\n'
        '"He was a kind boy, that is all I can say," a relative said.'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "You cannot")["speaker"] == "worker"
    assert by_text(q, "He was a kind")["speaker"] == "relative"


def test_the_city_native_is_who_the_sentence_before_is_about() -> None:
    text = (
        "Nora Falk, who was married to Jon Reddick, was a lifelong dog lover.\n\n"
        '"I was always a dog person," the Ostrey native told a magazine in 2008.'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "I was always")["speaker"] == "Nora Falk"


def test_he_after_a_sentence_opened_by_an_unnamed_role_is_that_role() -> None:
    text = (
        "Chief Oren Maddox was arrested in a sting on Friday.\n\n"
        "At his building on Saturday, a valet driver wondered what had happened.\n\n"
        "When the valet heard the news, he shook his head.\n\n"
        '"That is some bad luck," he said.'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "That is some")["speaker"] == "valet"


def test_an_unnamed_role_with_a_name_in_apposition_is_the_name() -> None:
    text = (
        "A tourist was hurt on the Strip on Saturday.\n\n"
        "A spokesman for the visitors bureau, Jeremy Hollis, said the Strip is safe.\n\n"
        '"These incidents were isolated," he said.'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "These incidents")["speaker"] == "Jeremy Hollis"


def test_said_the_role_after_a_quote_is_who_the_sentence_before_is_about() -> None:
    text = (
        '"It could be a false signal," said ocean scientist Rupert Kale.\n\n'
        "Aviation analyst Dora Whitby was less skeptical."
        ' "This is a pinger," the accident investigator said.'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "This is a pinger")["speaker"] == "Dora Whitby"


def test_said_the_man_after_one_worker_opened_the_sentence_before_is_the_worker() -> None:
    text = (
        "Lena Carr, who filmed the video, said the plant was cruel.\n\n"
        "One worker, discussing the birds, mentioned that it would look bad on tape.\n\n"
        '"You cannot let anybody see you do that," the man said.'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "You cannot")["speaker"] == "worker"


def test_a_lower_case_title_before_a_name_tells_who_holds_the_role() -> None:
    text = (
        "Harbor Party leader Colm Raddy was released on Sunday.\n\n"
        "Inspector Maeve Dunne said the questioning was over.\n\n"
        'The Harbor Party leader said the police had been "fair to him in the end".'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "fair to him")["speaker"] == "Colm Raddy"


def test_the_group_said_is_the_group_named_in_quotes() -> None:
    text = (
        'The group "Drivers for the Charter" hopes to echo the early rhetoric of the Tea'
        " Party.\n\n"
        '"Independent drivers are all paying exorbitant fuel costs," the group said on its'
        " website."
    )
    q = extract_quotes(story(text))
    assert by_text(q, "Independent drivers")["speaker"] == "Drivers for the Charter"


def test_the_group_with_modifiers_said_is_the_group() -> None:
    text = (
        'The group "Drivers for the Charter" will circle the capital on Friday.\n\n'
        '"Our legislators refuse to work for us," the truck driver group said.'
    )
    q = extract_quotes(story(text))
    assert by_text(q, "Our legislators")["speaker"] == "Drivers for the Charter"
