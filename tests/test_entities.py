"""Entities: types, partial names, misspellings, people sharing a surname. Invented stories."""

from __future__ import annotations

from typing import Any

import pytest

from newsdesk.analyze._text import find_names
from newsdesk.analyze.entities import extract_entities
from newsdesk.models import Article
from newsdesk.pipeline import Story


def story(*texts: str) -> Story:
    return Story(tuple(Article.create(source=f"s{i}", text=t) for i, t in enumerate(texts)), {})


def entity(items: list[dict[str, Any]], name: str) -> dict[str, Any]:
    found = [e for e in items if e["name"] == name]
    assert len(found) == 1, [(e["name"], e["aliases"]) for e in items]
    return found[0]


def test_surname_alone_joins_the_full_name_and_mentions_are_counted() -> None:
    s = story(
        "Dana Whitlock inspected the levee. Whitlock said it would hold.",
        "County engineer Dana Whitlock was not available.",
    )
    e = entity(extract_entities(s), "Dana Whitlock")
    assert e["type"] == "person"
    assert e["aliases"] == ["Whitlock"]
    assert e["mentions"] == {s.articles[0].id: 2, s.articles[1].id: 1}


def test_misspellings_are_one_person() -> None:
    s = story(
        "Tobias Renner spoke first. Later Tobias Renner took questions.",
        "Tobias Rener, the mayor, spoke.",  # a letter dropped
        "Tobais Renner left early.",  # two letters swapped
        "Tobiah Renner arrived late.",  # first name spelled another way
    )
    people = [e for e in extract_entities(s) if e["type"] == "person"]
    assert len(people) == 1
    assert people[0]["name"] == "Tobias Renner"
    assert set(people[0]["aliases"]) == {"Tobias Rener", "Tobais Renner", "Tobiah Renner"}


def test_people_sharing_a_surname_stay_apart() -> None:
    s = story(
        "Mark Ellis and his sister Sarah Ellis run the bakery.\n"
        "Sarah Ellis said sales were up. Ellis added that flour prices rose.\n"
        "Mark Ellis disagreed. Mr. Ellis said the oven is old."
    )
    items = extract_entities(s)
    sarah, mark = entity(items, "Sarah Ellis"), entity(items, "Mark Ellis")
    # "Ellis added" follows Sarah; "Mr. Ellis" is a man.
    assert sarah["mentions"][s.articles[0].id] == 3
    assert mark["mentions"][s.articles[0].id] == 3


def test_initial_and_short_first_name_join_the_person() -> None:
    s = story("Robert Okafor chairs the board. Bob Okafor voted no. R. Okafor signed.")
    people = [e for e in extract_entities(s) if e["type"] == "person"]
    assert [p["name"] for p in people] == ["Robert Okafor"]


def test_different_first_names_are_different_people() -> None:
    s = story("Mark Lindqvist and Helena Lindqvist testified.")
    names = {e["name"] for e in extract_entities(s) if e["type"] == "person"}
    assert names == {"Mark Lindqvist", "Helena Lindqvist"}


def test_types_of_organizations_and_places() -> None:
    s = story(
        "The Harbor Authority said the Interior Ministry would meet in Cairo. "
        "Officials from the FBI flew from Chicago to Dilworth Plaza."
    )
    types = {e["name"]: e["type"] for e in extract_entities(s)}
    assert types["Harbor Authority"] == "organization"
    assert types["Interior Ministry"] == "organization"
    assert types["FBI"] == "organization"
    assert types["Cairo"] == "place"
    assert types["Chicago"] == "place"
    assert types["Dilworth Plaza"] == "place"


def test_titles_are_not_part_of_the_name() -> None:
    s = story("Foreign Minister Ilse Barankova met Gov. Ray Dunmore. Barankova left.")
    names = {e["name"] for e in extract_entities(s) if e["type"] == "person"}
    assert names == {"Ilse Barankova", "Ray Dunmore"}


def test_sentence_initial_words_are_not_names() -> None:
    s = story("Protesters left the square. However, nobody was hurt. Police stayed.")
    assert [e["name"] for e in extract_entities(s)] == []


def test_arabic_particle_stays_in_the_name() -> None:
    s = story("Gen. Abdel Karim al-Masri met the envoy. Later al-Masri left.")
    names = {e["name"] for e in extract_entities(s) if e["type"] == "person"}
    assert names == {"Abdel Karim al-Masri"}


def test_descriptors_and_capitalized_firms_are_not_people() -> None:
    s = story(
        "Canadian-born Fabian Roulet said the firm would appeal. "
        "Billionaire Petra Lindgren, who owns KL Ross, said nothing. KL Ross said it disagreed."
    )
    people = {e["name"] for e in extract_entities(s) if e["type"] == "person"}
    assert people == {"Fabian Roulet", "Petra Lindgren"}


def test_long_surname_two_letters_off_is_the_same_person() -> None:
    s = story(
        "Fabian Sementelli spoke. Later Sementilli said he was tired. Fabian Sementelli left."
    )
    people = [e for e in extract_entities(s) if e["type"] == "person"]
    assert len(people) == 1


def test_a_possessive_or_a_modifier_name_is_not_who_a_bare_surname_means() -> None:
    s = story(
        "Marty Keller, Brian Keller's lawyer, has accused him of grandstanding. "
        '"He wants press conferences," Keller has said.\n'
        "Celia Rand, the daughter of former Texas Gov. Ann Rand, praised her. Rand said so."
    )
    marty = entity(extract_entities(s), "Marty Keller")
    assert marty["mentions"] and "Keller" in marty["aliases"]
    celia = entity(extract_entities(s), "Celia Rand")
    assert "Rand" in celia["aliases"]


def test_a_capitalized_preposition_ends_a_name() -> None:
    s = story('The medal reads "Tribute To Survivors From Jeff Hermann" on one side. Hermann left.')
    names = [e["name"] for e in extract_entities(s)]
    assert "Jeff Hermann" in names
    assert not any("From" in n for n in names)


def test_a_hotel_is_a_place() -> None:
    s = story("They met at the Beverly Hilton Hotel in Los Angeles in 2002.")
    assert entity(extract_entities(s), "Beverly Hilton Hotel")["type"] == "place"


def test_more_title_forms_are_stripped_from_names() -> None:
    s = story(
        "Producer Patricia Lowell met Detective Constable Tim Byrd. Lowell said so and Byrd "
        "agreed. Goodbye Clarissa, wrote a fan."
    )
    names = [e["name"] for e in extract_entities(s)]
    assert "Patricia Lowell" in names and "Tim Byrd" in names
    assert not any(n.startswith("Goodbye") for n in names)


def test_a_capitalized_question_word_ends_a_name() -> None:
    names = [n.text for n in find_names('The show "Expect When Snooki Polk Dances" aired.')]
    assert names and not any("When" in n for n in names)


def test_dotted_initials_are_a_first_name_and_a_repeated_word_is_two_mentions() -> None:
    names = [n.text for n in find_names("A photo of T.R. Holloway Holloway, pictured in 1974.")]
    assert names == ["T.R. Holloway", "Holloway"]
    s = story(
        "T.R. Holloway left prison on Sunday. Gallery: the life of T.R. Holloway Holloway, "
        "pictured in 1974. Holloway said he would move to Reno."
    )
    e = entity(extract_entities(s), "T.R. Holloway")
    assert e["aliases"] == ["Holloway"]


def test_a_possessive_of_a_minor_namesake_does_not_take_the_surname() -> None:
    s = story(
        "Governor Dale Brandt held a news conference. Brandt said the budget was fine. "
        "Brandt praised the roads. Brandt took questions.\n\n"
        "A reporter asked about first lady Ivy Brandt's charity. \"It's a great charity,\" "
        "Brandt said."
    )
    e = entity(extract_entities(s), "Dale Brandt")
    assert e["mentions"][s.articles[0].id] == 5


def test_an_occupation_before_a_first_name_is_a_title() -> None:
    found = [(n.text, n.title) for n in find_names("Geologist Ines Marr and Night Nurse Tim Osei.")]
    assert ("Ines Marr", "Geologist") in found
    assert ("Tim Osei", "Night Nurse") in found


def test_the_ends_a_name_run_and_a_particle_may_be_dropped() -> None:
    assert [n.text for n in find_names("At 5 p.m. The White House said no.")][-1] == "White House"
    s = story("Hamas spokesman Fawzi al-Rantisi spoke first. The talks had failed, Rantisi said.")
    assert entity(extract_entities(s), "Fawzi al-Rantisi")["aliases"] == ["Rantisi"]


def test_a_title_with_for_and_names_ending_in_a_day_or_an_age() -> None:
    found = [(n.text, n.title) for n in find_names("UN Commissioner for Water Kofi Adda spoke.")]
    assert found == [("Kofi Adda", "UN Commissioner for Water")]
    texts = [n.text for n in find_names("On Super Tuesday, tools of the Middle Stone Age.")]
    assert "Super Tuesday" not in texts and "Middle Stone Age" not in texts


def test_names_after_a_lost_space_an_opening_adverb_or_an_age() -> None:
    found = [
        (n.text, n.title)
        for n in find_names(
            "She grew up in Ohio.Dana Pruitt said so. Sometimes Cruz sang. Nine-year-old Kai Lund "
            "ran. I met Rusty, 71, at the trailhead."
        )
    ]
    assert ("Dana Pruitt", "") in found and ("Cruz", "") in found
    assert ("Kai Lund", "Nine-year-old") in found
    s = story("I met Rusty, 71, at the trailhead. Rusty said the trail was crowded.")
    assert entity(extract_entities(s), "Rusty")["type"] == "person"


def test_numbers_end_a_name_and_plural_possessives_stay_inside_one() -> None:
    texts = [
        n.text
        for n in find_names(
            "Families of MH17 Dutch passengers met at Lakeview Children's Research Hospital."
        )
    ]
    assert "MH17 Dutch" not in texts
    assert "Lakeview Children's Research Hospital" in texts


def test_the_nearer_pronoun_votes_for_the_gender() -> None:
    from newsdesk.analyze.entities import build_index

    s = story("Jordan Blake said her brother called when he landed. Jordan Blake thanked the crew.")
    ent = next(e for e in build_index(s).entities if e.name == "Jordan Blake")
    assert ent.sex == "f"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("He prayed at Christ Church Cathedral on Sunday.", "Christ Church Cathedral"),
        ("Sirhan Sirhan was denied parole on Wednesday.", "Sirhan Sirhan"),
        ("They drove to Walla Walla for the game.", "Walla Walla"),
        ("She joined Never Again Action in May.", "Never Again Action"),
        ("Buy it on Walmart.Com today.", "Walmart.Com"),
        ("UN Secretary for Water Kofi Adda spoke.", "Kofi Adda"),
    ],
)
def test_names_the_session_two_rules_must_leave_whole(text: str, name: str) -> None:
    assert name in [n.text for n in find_names(text)]


def test_a_town_written_about_as_one_is_a_place_and_a_road_number_no_entity() -> None:
    s = story(
        "HARROWGATE (Tri-County Wire) — Flooding closed Route 12 on Sunday. Residents in"
        " Harrowgate were told to boil water. Harrowgate officials met Monday.",
        "The flood reached the town of Harrowgate overnight. Detours run on Route 12, and"
        " Harrowgate schools are closed. Marta Quill, 44, of Harrowgate, said her cellar"
        " filled in an hour.",
    )
    items = extract_entities(s)
    assert entity(items, "Harrowgate")["type"] == "place"
    assert not [e for e in items if e["name"].startswith("Route")]


def test_a_journal_one_publishes_in_stays_an_organization() -> None:
    s = story(
        "The study, published in Lumina, followed 400 owls. Lumina editors asked for more"
        " data. A letter in Lumina disputed it.",
        "Writing in Lumina, the authors said the owls adapted. Lumina declined to comment.",
    )
    assert entity(extract_entities(s), "Lumina")["type"] == "organization"


def test_a_people_is_no_person_and_a_country_no_misspelled_surname() -> None:
    s = story(
        "Indigenous Australians reached the interior early, said Dr. Wren Kalder. Kalder led"
        " the dig in Australia. Many Australians visited the site.",
    )
    items = extract_entities(s)
    assert not [e for e in items if e["name"].endswith("Australians")]
    assert all("Australia" not in e["aliases"] for e in items if e["type"] == "person")


@pytest.mark.parametrize(
    "text",
    ["The crest (Supplementary Fig. 3) is large.", "Traffic moved to Route 9 again.",
     "Under Article 5 the allies must respond."],
)  # fmt: skip
def test_a_thing_named_by_its_number_is_no_name(text: str) -> None:
    # (a capitalized sentence start is "?initial": the entity index decides on it)
    assert [n.text for n in find_names(text) if n.kind != "?initial"] == []


def test_a_surname_before_a_score_stays_a_name() -> None:
    assert [n.text for n in find_names("Lena Ortiz beat Ana Murray 6-3 on Sunday.")] == [
        "Lena Ortiz",
        "Ana Murray",
    ]


# --- issue 5: things, roles and page furniture read as people (tuning lines 1-150) ---------


def people(items: list[dict[str, Any]]) -> set[str]:
    return {e["name"] for e in items if e["type"] == "person"}


def test_an_office_after_a_possessive_stays_one_organization() -> None:
    names = [(n.text, n.kind) for n in find_names("A Dunmore Sheriff's Office report came.")]
    assert ("Dunmore Sheriff's Office", "organization") in names
    assert not [n for n, _k in names if n in ("Office", "Sheriff")]


def test_a_title_without_a_name_is_no_person() -> None:
    s = story(
        "Lena Varga, the Halvard Foods Vice President of Sales, said prices rose. The Vice"
        " President said more. A secretary for Orthodox Patriarch Teodor spoke. The Attorney"
        " General's Office said it would look into it. The Regional High Commissioner said so."
    )
    got = people(extract_entities(s))
    assert "Lena Varga" in got
    assert not got & {
        "Vice President",
        "Orthodox Patriarch",
        "General",
        "Regional High Commissioner",
    }


def test_a_people_named_by_an_adjective_is_no_person() -> None:
    s = story(
        "12. Anonymous British journalist: a claim about the star. A British reporter came."
        " North Korean envoy Ri Sol spoke, and one North Korean was held."
    )
    got = people(extract_entities(s))
    assert not [n for n in got if "British" in n or "Korean" in n], got


def test_a_reference_list_and_a_pronoun_i_are_not_in_names() -> None:
    s = story(
        "Source: Pellow Brandon K, Darrin D, Oyelaran T, et al. Effects of dust. Darrin D said."
    )
    assert people(extract_entities(s)) == set()
    texts = [n.text for n in find_names('"To Lena Brauer I want to say this," she said.')]
    assert texts == ["Lena Brauer"]


def test_a_suffix_or_a_degree_is_not_a_name_word() -> None:
    found = [
        (n.text, n.title)
        for n in find_names(
            "Secretary of Transport Aldous Fenwick Jr. said so, and criminologist Hollis Ian"
            " Marsh Ph.D. says it is old."
        )
    ]
    assert ("Aldous Fenwick Jr.", "Secretary of Transport") in found
    assert "Hollis Ian Marsh" in [t for t, _ in found]
    s = story("Aldous Fenwick spoke. Secretary of Transport Aldous Fenwick Jr. said so.")
    assert len(people(extract_entities(s))) == 1  # one person, "Jr." or not


def test_sports_teams_products_and_firms_are_no_people() -> None:
    s = story(
        "The Lakeside Raiders beat the Harmon Giants 21-7. The Raiders said the win mattered."
        " Fans of the Marlow Vikings wore Google Halo headsets, and Google Halo said sales"
        " doubled. Pemberton Voss Aldrich & Kline, the law firm, said it would appeal."
        " Pemberton Voss said the ruling was wrong."
    )
    got = people(extract_entities(s))
    assert not got, got


def test_a_word_after_in_is_a_place_even_before_said() -> None:
    s = story(
        "A police official in Tarsville said the road was shut. Residents in Gorran and"
        " Tarsville told reporters they were scared. Tarsville is quiet now."
    )
    items = extract_entities(s)
    assert not people(items)


def test_a_genus_is_no_person_or_organization() -> None:
    s = story(
        "Bones of Palorchestes parvus lay in the cave. The Palorchestes remains were old, and"
        " Palorchestes bones were dated. Methicillin-resistant Staphylococcus aureus spread."
    )
    names = {e["name"] for e in extract_entities(s)}
    assert not [n for n in names if "Palorchestes" in n or "Staphylococcus" in n], names


def test_regions_units_and_a_film_series_are_no_people() -> None:
    s = story(
        "Storms hit the Pacific Northwest. The Lost Battalion and the Infantry Battalion"
        " marched. Star Wars fans cheered, and Star Trek fans too. National Centers said so."
    )
    assert not people(extract_entities(s))


def test_lady_before_a_word_that_is_no_first_name_is_part_of_the_name() -> None:
    found = [(n.text, n.title) for n in find_names("Lady Wren Hartley and Lady Sarah Marsh.")]
    assert found == [("Lady Wren Hartley", ""), ("Sarah Marsh", "Lady")]


def test_a_kinship_word_and_a_weekday_are_not_part_of_the_name() -> None:
    found = [
        (n.text, n.title)
        for n in find_names('"Come here," Grandma Lynn said. On Thursday Marlow said no.')
    ]
    assert ("Lynn", "Grandma") in found
    assert ("Marlow", "") in found


def test_page_furniture_is_no_name() -> None:
    texts = [
        n.text
        for n in find_names(
            "Fans cheer. Hide Caption 3 of 9 Photos: The life of Tom Brandt Photos: The life."
        )
    ]
    assert "Tom Brandt" in texts
    assert not [t for t in texts if "Caption" in t or "Photos" in t], texts
    from newsdesk.analyze._text import classify

    assert classify("Hide Caption") == "thing"  # so no speaker is read from it either


def test_a_screen_name_a_button_and_a_century_are_no_people() -> None:
    found = [
        (n.text, n.title)
        for n in find_names(
            "As @Uncle Brisk, he wrote. In the 15th Century Dorvana was rich. Add Ilse Varga"
            " as an interest. The role of J. Paul Hester went to him."
        )
    ]
    assert ("Dorvana", "") in found and ("Ilse Varga", "") in found
    assert ("J. Paul Hester", "") in found
    assert not [t for t, _ in found if "Brisk" in t]


def test_a_bowl_a_community_and_a_tour_firm_are_no_people() -> None:
    s = story(
        "Fans filled the Rose Bowl, and Rose Bowl officials said it was full. The Economic"
        " Community said so. Dearly Departed Tours said bookings rose. Halvard Education"
        " posted a tribute."
    )
    assert not people(extract_entities(s))


def test_groups_by_number_time_zones_and_shows_are_no_one() -> None:
    texts = [
        n.text
        for n in find_names(
            "One of the Twelve Wardens of Ostra came. Not the Dunmore Five, though. It began"
            " at 8 a.m. (0500 GMT) on Friday. Former Winnipeg radio host Ana Ruiz spoke."
        )
    ]
    assert "Ana Ruiz" in texts
    assert not [t for t in texts if t.startswith(("Twelve", "Dunmore", "GMT", "Former"))], texts
    from newsdesk.analyze._text import classify

    assert {classify(x) for x in ("The Late Show", "Middle Stone Age", "Humboldt Five")} == {
        "thing"
    }


def test_a_title_ending_in_capitals_and_a_credit_before_buttons() -> None:
    found = [
        (n.text, n.title)
        for n in find_names(
            "Environment CS Tiva Omondi blamed the road. — Hale Dorrit IV Share Photo\n"
            "Hale Dorrit IV took the picture."
        )
    ]
    assert ("Tiva Omondi", "Environment CS") in found
    assert ("Hale Dorrit IV", "") in found
    assert not [t for t, _ in found if "Share" in t or "Photo" in t]


def test_a_first_name_that_is_a_common_word_and_a_curly_contraction() -> None:
    found = [
        n.text
        for n in find_names(
            "“I’m sorry,” he said, citing historian Per Olof Brink. The actor Will Dunmore"
            " said so. Will Dunmore come? Prices per Kilo rose."
        )
    ]
    assert "Per Olof Brink" in found and "Will Dunmore" in found
    assert "I’m" not in found


def test_a_large_city_is_a_place_even_before_an_appositive() -> None:
    s = story("They met in the capital, Kuala Lumpur, a city of millions, on Monday.")
    assert entity(extract_entities(s), "Kuala Lumpur")["type"] == "place"


def test_an_appositive_role_is_evidence_of_a_person() -> None:
    s = story(
        "The fairy tale ends badly. Gwenda Moorcroft, CEO of Lumora, tells how it went."
        " Present too: Tamsin Welk , assistant district attorney and spokeswoman."
    )
    assert {"Gwenda Moorcroft", "Tamsin Welk"} <= people(extract_entities(s))


def test_a_first_name_before_a_place_name_makes_a_person() -> None:
    s = story("Fans of the singer Mark Denver gathered. Ellen Montana spoke to the crowd.")
    got = people(extract_entities(s))
    assert {"Mark Denver", "Ellen Montana"} <= got


def test_more_given_names_are_known() -> None:
    s = story("Last year Filippo Dunwiddie and Rosa Quill ranked scholars; Karl Oster came first.")
    assert people(extract_entities(s)) == {"Filippo Dunwiddie", "Rosa Quill", "Karl Oster"}


def test_a_middle_initial_or_a_generation_suffix_tells_a_person() -> None:
    s = story(
        "Study co-authors include Denzo P. Marwick, Veterans Affairs; and Tamsin Orrell,"
        " UC San Diego. — Hale Dorrit Jr. Share Photo\n"
        "According to ISS Corporate Solutions, pay rose. World War II ended. Jurassic Park III"
        " opened."
    )
    got = people(extract_entities(s))
    assert {"Denzo P. Marwick", "Hale Dorrit Jr."} <= got, got
    assert not got & {"World War II", "San Diego", "Corporate Solutions", "Jurassic Park III"}


def test_spellings_apart_only_in_dots_hyphens_or_a_short_first_name_are_one_person() -> None:
    s = story(
        "Ri Song-ho arrived. Ri Song Ho said he was tired. Comedian Louis C.K. spoke, and"
        " Louis CK said more. Kenji Ota said so; Ken Ota agreed. Dan Ota and Danielle Ota"
        " left."
    )
    got = people(extract_entities(s))
    assert len(got & {"Ri Song-ho", "Ri Song Ho"}) == 1, got
    assert len(got & {"Louis C.K.", "Louis CK"}) == 1, got
    assert len(got & {"Kenji Ota", "Ken Ota"}) == 1, got
    assert {"Dan Ota", "Danielle Ota"} <= got  # a short form of another sex's name


def test_a_two_word_surname_alone_joins_the_full_name() -> None:
    s = story(
        "Geologist Jean-Luc Le Brevet led the dig, said Dr. Ilse K. Dorrit Vance of Ostra."
        " Le Brevet said the site was old. Dorrit Vance said so too, and Le Brevet agreed."
    )
    got = people(extract_entities(s))
    assert got == {"Jean-Luc Le Brevet", "Ilse K. Dorrit Vance"}, got


def test_a_surname_that_is_a_month_and_a_day_after_a_name() -> None:
    found = [
        (n.text, n.title)
        for n in find_names(
            "Prime Minister Sarah May said no. Asked by TV3's Dunstan Garner Friday, she"
            " smiled. On Super Tuesday, polls opened."
        )
    ]
    assert ("Sarah May", "Prime Minister") in found and ("Dunstan Garner", "") in found
    assert not [t for t, _ in found if "Tuesday" in t]


def test_from_the_institution_and_an_occupation_before_are_evidence() -> None:
    s = story(
        '"Everyone wants an older site," Suvi Okonkwo from the Coastal National University'
        " told reporters. The tools are old, says archaeologist Marlo Lindqvist of the"
        " University of Ostra."
    )
    assert {"Suvi Okonkwo", "Marlo Lindqvist"} <= people(extract_entities(s))


def test_a_name_called_a_newspaper_is_an_organization() -> None:
    s = story(
        '"The talks are a trap," the Dalvik Sanmun newspaper said. Dalvik Sanmun added that'
        " the North would wait. Later the Kestrel Orbis company said so."
    )
    items = extract_entities(s)
    assert entity(items, "Dalvik Sanmun")["type"] == "organization"
    assert entity(items, "Kestrel Orbis")["type"] == "organization"


def test_a_hyphenated_title_and_first_lady_are_titles() -> None:
    found = [
        (n.text, n.title)
        for n in find_names(
            "UN Secretary-General Ban Ki-moon spoke. First Lady Melania Trump waved."
            " Vice-President Joe Biden came."
        )
    ]
    assert ("Ban Ki-moon", "UN Secretary-General") in found
    assert ("Melania Trump", "Lady") in found
    assert ("Joe Biden", "Vice-President") in found


def test_an_organization_named_by_a_list_before_and_is_one_name() -> None:
    texts = [n.text for n in find_names("Ruritania's Weather, Climate and Tides Agency said so.")]
    assert "Weather, Climate and Tides Agency" in texts


def test_an_organization_named_with_to_or_for_is_one_name() -> None:
    texts = [
        n.text
        for n in find_names(
            "They gave to the Committee to Defend Poets. The Institute for Tidal Studies said so."
        )
    ]
    assert "Committee to Defend Poets" in texts and "Institute for Tidal Studies" in texts


def types(items: list[dict[str, Any]]) -> dict[str, str]:
    return {e["name"]: e["type"] for e in items}


def test_state_abbreviations_after_a_town_are_places() -> None:
    got = types(
        extract_entities(
            story(
                "The storm reached Brackley, Qld. on Monday and then Marlow, NSW before dawn.",
                "Jo Penn, who lives in Cedarton, D.C., said the roads closed.",
            )
        )
    )
    assert got.get("Qld") == "place", got
    assert got.get("NSW") == "place", got
    assert got.get("D.C.") == "place", got


def test_an_occupation_word_opening_a_sentence_is_not_part_of_the_name() -> None:
    items = extract_entities(
        story("Forecaster Robin Tesk said the rain would stop. Later Tesk said more.")
    )
    e = entity(items, "Robin Tesk")
    assert e["aliases"] == ["Tesk"]


def test_a_last_word_naming_a_kind_of_firm_makes_an_organization() -> None:
    got = types(
        extract_entities(
            story("The Brambleby Trust said it would help. Marston Foods said prices rose.")
        )
    )
    assert got.get("Brambleby Trust") == "organization", got
    assert got.get("Marston Foods") == "organization", got


def test_a_plural_after_a_place_is_a_body_and_a_town_written_as_one_is_a_place() -> None:
    got = types(
        extract_entities(
            story(
                "The Texas Wardens said they found the car. Police in Fernbrook said the mayor "
                "of Fernbrook was away. Fernbrook is small, and Fernbrook has one school."
            )
        )
    )
    assert got.get("Texas Wardens") == "organization", got
    assert got.get("Fernbrook") == "place", got


def test_a_surname_after_according_to_is_the_person_the_story_goes_on_about() -> None:
    from newsdesk.analyze.entities import build_index

    filler = "The road was closed for most of the day while crews worked on it. "
    text = (
        "Tomas Brevik was hurt in the crash on Friday.\n\n"
        "His father, Anders Brevik, says the car left the road at a bend. "
        + filler * 6
        + "\n\nThe boy is recovering, according to Mr Brevik. "
        + filler * 4
        + '\n\n"We are grateful to the nurses," Brevik said.'
    )
    s = story(text)
    index = build_index(s)
    art = s.articles[0]
    got = index.at(art.id, art.text.rindex("Brevik said"))
    assert got is not None and got.name == "Anders Brevik", got and got.name
    assert {e["name"] for e in extract_entities(s) if e["type"] == "person"} == {
        "Tomas Brevik",
        "Anders Brevik",
    }


def test_a_quoted_nickname_inside_a_name_groups_both_first_names() -> None:
    s = story(
        "Committee chairman Robert “Bobby” Hallworth criticized the banks. Hallworth said no.",
        "Sen. Bobby Hallworth said the bill had failed. Reporters asked Bobby again.",
    )
    people = [e for e in extract_entities(s) if e["type"] == "person"]
    assert [(e["name"], sorted(e["aliases"])) for e in people] == [
        ("Robert Hallworth", ["Bobby", "Bobby Hallworth", "Hallworth"])
    ]


def test_a_rank_in_capitals_before_a_known_surname_is_a_title() -> None:
    s = story(
        "Mara Odongo was hurt on Friday. Her father, ASP Daniel Odongo, said she was safe. "
        '"She is strong," ASP Odongo, an officer at the station, said.'
    )
    items = extract_entities(s)
    assert "ASP Odongo" not in types(items)
    assert entity(items, "Daniel Odongo")["aliases"] == ["Odongo"]


def test_a_relative_named_after_his_or_her_is_not_who_a_bare_surname_means() -> None:
    from newsdesk.analyze.entities import build_index

    text = (
        "Paolo Verdicchi, 49, was a hairdresser. Verdicchi taught for years.\n\n"
        "Among his mentors was his sister Lucia Anna Verdicchi, a stylist.\n\n"
        "Verdicchi was always available to his students."
    )
    s = story(text)
    art = s.articles[0]
    got = build_index(s).at(art.id, art.text.rindex("Verdicchi was"))
    assert got is not None and got.name == "Paolo Verdicchi", got and got.name


def test_a_town_is_not_the_first_word_of_its_fire_department() -> None:
    items = extract_entities(
        story(
            "MILLBROOK — A bridge fell in Millbrook on Thursday, the Millbrook Fire Department"
            " said.",
            "Crews in Millbrook searched the river.",
        )
    )
    assert entity(items, "Millbrook")["type"] == "place"
    assert entity(items, "Millbrook Fire Department")["aliases"] == []


# --- organizations and places (session 5) ----------------------------------------------


def orgs_and_places(items: list[dict[str, Any]]) -> dict[str, tuple[str, list[str]]]:
    return {
        e["name"]: (e["type"], sorted(e["aliases"]))
        for e in items
        if e["type"] in ("organization", "place")
    }


def test_an_acronym_joins_the_name_it_abbreviates() -> None:
    got = orgs_and_places(
        extract_entities(
            story(
                "The Harbor Safety Administration closed the port on Monday. HSA inspectors"
                " said the Kesterly Police Department would help. KPD officers came.",
                "The Nordic Trade Union said the N.T.U. and the NTU board would meet. UC"
                " Fernhill said UCF students left.",
            )
        )
    )
    assert got["Harbor Safety Administration"] == ("organization", ["HSA"]), got
    assert got["Kesterly Police Department"] == ("organization", ["KPD"]), got
    assert got["Nordic Trade Union"] == ("organization", ["N.T.U.", "NTU"]), got
    assert got["UC Fernhill"] == ("organization", ["UCF"]), got


def test_the_first_word_or_the_head_of_one_organization_alone_is_that_organization() -> None:
    got = orgs_and_places(
        extract_entities(
            story(
                "Venture firm Brannock Welles Partners sued. Later, Brannock offered to settle, and"
                " Brannock lawyers agreed.",
                "The Ostravan Orthodox Church said so. The Church supports the soldiers, the"
                " Ostravan Church said. The Church is old.",
                "He joined the U.S. Space Corps in May. The Space Corps said he left.",
            )
        )
    )
    assert got["Brannock Welles Partners"] == ("organization", ["Brannock"]), got
    assert got["Ostravan Orthodox Church"] == (
        "organization",
        ["Church", "Ostravan Church"],
    ), got
    assert got["U.S. Space Corps"] == ("organization", ["Space Corps"]), got


def test_a_first_word_or_a_head_shared_by_two_organizations_joins_neither() -> None:
    got = orgs_and_places(
        extract_entities(
            story(
                "Brannock Welles Partners and Brannock Foods both sued. Later, Brannock offered to"
                " settle. Brannock lawyers agreed. The Mercy Hospital and the Oakvale Hospital"
                " merged; the Hospital said so. The Hospital is old."
            )
        )
    )
    assert got["Brannock Welles Partners"][1] == [], got
    assert got["Brannock Foods"][1] == [], got
    assert got["Mercy Hospital"][1] == [] and got["Oakvale Hospital"][1] == [], got


def test_a_state_abbreviation_joins_the_state() -> None:
    got = orgs_and_places(
        extract_entities(
            story(
                "QUARRYVILLE, Ill. -- A man from Illinois was held. Illinois police said so.",
                "Dee Marr, a Washington, D.C., lawyer, flew to Washington on Monday.",
            )
        )
    )
    assert got["Illinois"] == ("place", ["Ill"]), got
    assert got["Washington"] == ("place", ["D.C."]), got


def test_abbreviations_of_common_nouns_and_other_capitalized_words_are_no_names() -> None:
    got = orgs_and_places(
        extract_entities(
            story(
                "Officers get CPR training and a DNA test. TV news vans came, then more TV"
                ' crews. "A slave of God," he said of God. To serve the Fatherland, the'
                " Fatherland he loved. The AK-47 rifle and the AK-47 are old. Forest hikers"
                ' found it. "Whose street? Our Street," they sang. The Airport said no.'
                ' Millbrook Airport is shut.\n\nON VISION: "Have ideas."\n\nPAYING IT'
                ' FORWARD: "Give."\n\nHEY-O! The sketch ended. HEY-O!'
            )
        )
    )
    assert set(got) == {"Millbrook Airport"}, got


def test_a_common_abbreviation_before_a_name_is_not_part_of_it() -> None:
    items = extract_entities(
        story("Up and coming cast MVP Tarin Kellam played the host. Kellam said it was fun.")
    )
    assert types(items) == {"Tarin Kellam": "person"}


def test_names_listed_after_a_plural_kind_of_firm_are_organizations() -> None:
    got = orgs_and_places(
        extract_entities(
            story(
                "The list includes insurers (Larkmoor, Gessel, Prudent Oak) and restaurants"
                " (Wendle's, Subway). Advertisers such as Quillby, Dornay and Fettle Brothers"
                " left."
            )
        )
    )
    for name in ("Larkmoor", "Gessel", "Prudent Oak", "Wendle's", "Subway", "Quillby", "Dornay"):
        assert got.get(name, ("",))[0] == "organization", (name, got)


def test_a_possessive_plural_a_journal_and_an_ordinal_stay_inside_the_name() -> None:
    got = orgs_and_places(
        extract_entities(
            story(
                "The Halvard Writers' Association condemned it. It was published in the"
                " journal Soil and Water. The case went to Ostrava's Second District Court of"
                " Appeal on Monday. The Second District ruled. It reached the DeKalb County"
                " State's Attorney Ann Moor in"
                " DeKalb County."
            )
        )
    )
    assert "Halvard Writers' Association" in got, got
    assert got.get("Soil and Water", ("",))[0] == "organization", got
    assert got["Second District Court of Appeal"] == ("organization", ["Second District"]), got
    assert "DeKalb County State" not in got and "DeKalb County" in got, got


def test_two_organizations_joined_by_and_stay_two() -> None:
    got = orgs_and_places(
        extract_entities(story("Harvard and Yale said so. Harvard and Yale agreed on Monday."))
    )
    assert "Harvard and Yale" not in got, got


def test_a_descriptor_a_photo_credit_and_an_adjective_are_cut_from_names() -> None:
    got = orgs_and_places(
        extract_entities(
            story(
                "The Marwick Brotherhood won. Brotherhood-backed candidates lost in the Soviet"
                " era, Soviet authorities said.\n\nThe house burned. KNA Photo/Jo Lane\n\nKNA"
                " reported the fire."
            )
        )
    )
    assert got["Marwick Brotherhood"] == ("organization", ["Brotherhood"]), got
    assert "Soviet" not in got and "KNA Photo" not in got, got
    assert got["KNA"] == ("organization", []), got


def test_a_name_after_pro_or_anti_is_found() -> None:
    got = orgs_and_places(
        extract_entities(story("The pro-Beijing paper mocked anti-Wall Street activists."))
    )
    assert got.get("Beijing", ("",))[0] == "place", got
    assert got.get("Wall Street", ("",))[0] == "place", got


def test_a_word_before_a_comma_and_a_state_or_a_country_is_a_town() -> None:
    got = orgs_and_places(
        extract_entities(
            story(
                "Jo Fenn from Brackwater, Montana, told reporters. The lab is in Elstow, Germany.",
                "Brackwater has one road, and Brackwater has one school.",
            )
        )
    )
    assert got.get("Brackwater", ("",))[0] == "place", got
    assert got.get("Elstow", ("",))[0] == "place", got


def test_a_name_before_its_investigators_or_a_student_is_an_organization() -> None:
    got = orgs_and_places(
        extract_entities(
            story(
                "They let Allied Nations investigators in. A Marlowe student, Jo Fenn, spoke.",
            )
        )
    )
    assert got.get("Allied Nations", ("",))[0] == "organization", got
    assert got.get("Marlowe", ("",))[0] == "organization", got


def test_a_university_campus_named_by_its_town_is_one_name() -> None:
    got = orgs_and_places(
        extract_entities(
            story(
                "Researchers at the University of Texas, Austin School of Medicine said so.",
                "Pupils from the University of Ohio, Boston University and Yale came.",
            )
        )
    )
    assert "University of Texas, Austin School of Medicine" in got, got
    assert "University of Ohio" in got and "Boston University" in got, got


def test_a_first_name_met_again_and_again_is_no_organization() -> None:
    # "Maria" recurring mid-sentence is someone known by first name, not a firm like "Wella".
    s = story(
        "The girl, known as Maria, was found on Tuesday. Officers said Maria was seven. Neighbours"
        " said Maria had played outside. Shares of Dovecrest fell, and Dovecrest products"
        " were recalled."
    )
    types = {e["name"]: e["type"] for e in extract_entities(s)}
    assert types.get("Maria") != "organization", types
    assert types.get("Dovecrest") == "organization", types
