"""Shared text helpers for the analysis sections: names, roles, paragraphs, sentences.

Rule-based on purpose: ``newsdesk brief`` may spend at most 200 ms on the whole analysis of a
five-article story, start-up included, and a spaCy model costs about a second just to load.
The rules here find capitalized name sequences, strip honorifics and titles (keeping them as
roles), and guess a type from small gazetteers; ``entities.py`` then merges the spellings.
What is no person's name is dropped or typed apart: a title alone ("the Vice President"), a
people ("North Korean"), a reference list ("Hwang J"), a sports team ("Buffalo Bills"), a
firm's product ("Google Glass"), a group by number ("the Twelve Apostles"), a gallery's
buttons ("Hide Caption", classified "thing"), a day or a button run into a name.

>>> [(n.text, n.kind, n.title) for n in find_names("Mayor Michael Nutter said on Sunday.")]
[('Michael Nutter', 'person', 'Mayor')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from ..dates import MONTHS, WEEKDAYS, iso_day
from ..models import Article, Sentence


class StoryLike(Protocol):
    """What the analysis needs from ``newsdesk.pipeline.Story``."""

    @property
    def articles(self) -> tuple[Article, ...]: ...

    @property
    def sentences(self) -> Mapping[str, tuple[Sentence, ...]]: ...


# --- word lists -------------------------------------------------------------------------
# Kept small and generic (news English), never strings of one site or one story.

COMMON = frozenset(
    """a an the and or but if then so yet nor for of in on at to by from with without
        into onto upon about after before during while when where why how what which who
        whom whose this that these those there here it its it's he she they we you i me
        him her them us our your their his my mine is are was were be been being has
        have had do does did not no yes as than also even just still only all any some
        many most more much few each every both either neither other another such one
        two three four five six seven eight nine ten first second third last next new
        old now today tonight yesterday tomorrow meanwhile however although though
        because since until unless despite instead already later earlier once again
        according asked says said say told tells added like unlike among amid between
        against through throughout over under above below around near across inside
        outside behind beyond within per via can could will would shall should may might
        must let let's please thanks thank well oh ok okay hey dear sorry yes no not
        update updated editor note photo video watch read click share follow subscribe
        advertisement breaking exclusive related story stories more see also via source
        sources here's there's that's what's who's we're they're i'm i've don't can't
        won't didn't isn't mr mrs ms dr st courtesy goodbye hello bye welcome""".split()
)

# Honorifics say "person" and carry a gender; they are never part of the name.
HONORIFICS = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "mister": "m", "sir": "m",
              "madam": "f", "dame": "f", "lord": "m", "lady": "f", "dr": "",
              "prof": "", "grandma": "f", "grandpa": "m", "granny": "f", "aunt": "f",
              "auntie": "f", "uncle": "m"}  # fmt: skip

# Titles written before a name ("Foreign Minister Sergei Lavrov", "Gov. Jerry Brown"): kept as
# the person's role. Multi-word titles are matched as word sequences ending in one of these.
TITLE_WORDS = frozenset(
    """president vice prime minister secretary senator sen rep representative gov
        governor mayor judge justice gen general col colonel lt lieutenant sgt sergeant
        capt captain maj major officer detective det chief sheriff deputy professor prof
        rev reverend father pope king queen prince princess chancellor ambassador
        attorney commissioner director speaker leader chairman chairwoman coach agent
        councilman councilwoman archbishop bishop cardinal rabbi imam sheikh pastor
        assemblyman assemblywoman superintendent inspector trooper spokesman spokeswoman
        spokesperson congressman congresswoman premier emperor president-elect foreign
        interior defense defence finance health justice state supreme district county
        city police fire army navy former acting interim lawyer dr mr mrs ms miss sir
        dame lord lady actor actress singer rapper star designer author sen. rep. gov.
        founder ceo executive analyst patriarch commander battalion cmdr unionist
        nationalist loyalist producer constable con principal dean manager""".split()
)

# Head nouns of role phrases: "the foreign minister said", "a police spokesman said".
ROLE_HEADS = frozenset(
    """president minister secretary senator governor mayor judge spokesman spokeswoman
        spokesperson official officer chief sheriff director prosecutor attorney lawyer
        ambassador chancellor commissioner chairman chairwoman chair ceo executive
        founder leader coach manager general commander analyst professor researcher
        scientist author expert economist representative congressman congresswoman
        lawmaker councilman councilwoman superintendent inspector detective captain
        lieutenant sergeant agent head adviser advisor aide deputy king queen prince
        pope premier candidate activist organizer witness neighbor neighbour friend
        father mother wife husband son daughter brother sister owner resident student
        teacher doctor nurse editor reporter columnist strategist pastor priest bishop
        trooper investigator spokeswoman actor actress singer star victim suspect
        defendant plaintiff woman man girl boy official administrator physician surgeon
        curator historian psychologist engineer pilot lawyer dean principal patriarch
        journalist photographer mogul writer stepdaughter stepson granddaughter grandson
        cousin niece nephew uncle aunt organiser commentator host anchor correspondent
        colleague employee contemporary billionaire tycoon investor comedian businessman
        businesswoman entrepreneur chemist physicist biologist neurologist pulmonologist
        epidemiologist mom dad republican democrat democratic kid child insider
        source worker relative valet tipster narrator deejay dj signer person
        passenger bystander survivor volunteer soldier veteran customer shopper
        diplomat lifeguard native""".split()
)

# Documents that "say" things ("the study stated", "the report said").
DOCUMENT_SPEAKERS = frozenset(
    """study report statement filing memo letter lawsuit complaint survey ruling policy
        email e-mail tweet message editorial flyer website post sign notice blog""".split()
)
# Kinds of organization a text refers back to ("the party said", "the ministry said").
ORG_NOUNS = frozenset(
    """party ministry company agency department council committee commission court
        government embassy union association foundation university hospital firm group
        board campaign network newspaper paper church""".split()
)
# Plural group speakers ("police said", "officials said"): the role is the speaker.
GROUP_SPEAKERS = frozenset(
    """police officials authorities investigators prosecutors witnesses residents
        protesters organizers researchers scientists experts analysts officers doctors
        lawyers sources aides critics supporters neighbors neighbours friends relatives
        family onlookers demonstrators crowd activists students workers voters
        campaigners parents someone somebody""".split()
)

ORG_WORDS = frozenset(
    """ministry department police university college school institute institution
        agency association committee commission council court congress senate parliament
        party company corp corporation inc ltd llc co group bank fund foundation society
        union league network times post news journal press tribune herald gazette
        magazine reuters associated administration office service services force forces
        army navy guard church hospital center centre organization organisation board
        bureau authority airlines airways club team federation coalition alliance
        campaign movement museum library studios records brotherhood oil gas petroleum
        motors airlines pharmaceuticals energy systems technologies industries holdings
        partners ventures entertainment media broadcasting television radio tv cnn nbc
        abc cbs fox bbc pbs npr house assembly cabinet government embassy consulate
        commission reserve exchange laboratory labs lab clinic project initiative
        council council's centers centres institutes battalion regiment brigade infantry
        corps squadron platoon community tours education trust foods brands
        securities investments insurance logistics solutions enterprises
        communications""".split()
)

PLACE_WORDS = frozenset(
    """street st avenue ave road boulevard blvd square plaza park hall county city
        state province river mountain mountains island islands airport bridge lake beach
        valley bay harbor harbour coast gulf sea ocean desert forest canyon heights
        village town district region peninsula strait station stadium arena hotel motel
        inn resort casino theater theatre mall northwest northeast southwest southeast
    midwest site bowl""".split()
)

# Countries, US states and large cities; enough to type most places named in news.
PLACES = frozenset(
    s.strip()
    for s in """afghanistan, africa, alabama, alaska, albania, aleppo, algeria, america, amsterdam,
    angola, ankara, argentina, arizona, arkansas, armenia, asia, athens, atlanta, austin,
    australia, austria, azerbaijan, baghdad, bahrain, baltimore, bangkok, bangladesh,
    beijing, beirut, belarus, belgium, benghazi, berlin, bogota, bolivia, bosnia, boston,
    brazil, britain, bronx, brooklyn, brussels, budapest, buenos aires, bulgaria, cairo,
    california, cambodia, cameroon, canada, capitol hill, caracas, chad, chechnya, chicago,
    chile, china, cleveland, colombia, colorado, congo, connecticut, copenhagen, costa rica,
    crimea, croatia, cuba, cyprus, czech republic, dallas, damascus, delaware, delhi,
    denmark, denver, detroit, doha, downing street, dubai, dublin, ecuador, edinburgh,
    egypt, el salvador, england, eritrea, estonia, ethiopia, europe, finland, florida,
    france, gaza, gaza city, geneva, georgia, germany, ghana, greece, grozny, guatemala,
    haiti, hanoi, havana, hawaii, hollywood, homs, honduras, hong kong, honolulu, houston,
    hungary, iceland, idaho, illinois, india, indiana, indonesia, iowa, iran, iraq, ireland,
    islamabad, israel, istanbul, italy, jakarta, jamaica, japan, jerusalem, johannesburg,
    jordan, kabul, kansas, kazakhstan, kentucky, kenya, kiev, korea, kosovo, kremlin,
    kuwait, kyiv, lagos, laos, las vegas, latvia, lebanon, libya, lima, lithuania, london,
    long island, los angeles, louisiana, luxembourg, madrid, maine, malaysia, mali,
    manhattan, manila, maryland, massachusetts, melbourne, memphis, mexico, mexico city,
    miami, michigan, middle east, minneapolis, minnesota, mississippi, missouri, moldova,
    mongolia, montana, montreal, morocco, moscow, mozambique, mumbai, myanmar, nairobi,
    nashville, nebraska, nepal, netherlands, nevada, new delhi, new hampshire, new jersey,
    new mexico, new orleans, new york, new zealand, nicaragua, niger, nigeria,
    north carolina, north dakota, north korea, norway, oakland, ohio, oklahoma, oman,
    oregon, oslo, ottawa, pakistan, palestine, panama, paraguay, paris, pennsylvania,
    pentagon, peru, philadelphia, philippines, phoenix, pittsburgh, poland, portland,
    portugal, prague, pyongyang, qatar, queens, rhode island, rio de janeiro, riyadh,
    romania, rome, russia, rwanda, sacramento, san diego, san francisco, san jose, santiago,
    sao paulo, saudi arabia, scotland, seattle, senegal, seoul, serbia, shanghai,
    silicon valley, singapore, slovakia, slovenia, somalia, south africa, south carolina,
    south dakota, south korea, south sudan, spain, sri lanka, st. louis, stockholm, sudan,
    sweden, switzerland, sydney, syria, taiwan, tajikistan, tanzania, tehran, tel aviv,
    tennessee, texas, thailand, tibet, tokyo, toronto, tripoli, tunisia, turkey, u.k., u.s.,
    uganda, uk, ukraine, united arab emirates, united kingdom, united states, uruguay, us,
    usa, utah, uzbekistan, vancouver, vatican, venezuela, vermont, vienna, vietnam,
    virginia, wales, wall street, warsaw, washington, west bank, west virginia, white house,
    wisconsin, wyoming, yemen, zambia, zimbabwe, zurich,
    karachi, lahore, peshawar, quetta, dhaka, kolkata, chennai, bangalore, kuala lumpur,
    guangzhou, shenzhen, chongqing, wuhan, chengdu, tianjin, osaka, kyoto, yokohama, busan,
    taipei, kinshasa, khartoum, addis ababa, dar es salaam, accra, abuja, casablanca, algiers,
    tunis, mosul, basra, kandahar, jeddah, mecca, abu dhabi, amman, sanaa, tashkent, almaty,
    minsk, kharkiv, odessa, donetsk, barcelona, milan, naples, munich, hamburg, frankfurt,
    marseille, lisbon, manchester, liverpool, glasgow, belfast, auckland, brisbane, adelaide,
    calgary, edmonton, winnipeg, guadalajara, monterrey, tijuana, medellin, quito, montevideo,
    san antonio, fort worth, jacksonville, indianapolis, milwaukee, kansas city, omaha, tucson,
    albuquerque, el paso, oklahoma city, louisville, tampa, cincinnati, salt lake city""".split(",")
)  # (large cities; those that are also given names or surnames, like Charlotte, Orlando or
#    Lincoln, are left out)
# One-word organizations (a one-word "Police" or "Court" is a common noun at a sentence start).
SINGLE_ORGS = frozenset(
    """congress senate parliament reuters pentagon kremlin nato interpol hamas
        hezbollah taliban google apple microsoft amazon facebook twitter youtube reddit
        netflix uber walmart boeing toyota ford gm cnn nbc abc cbs bbc npr pbs msnbc fox
        izvestia""".split()
)
# Plural nicknames of sports teams ("Buffalo Bills", "the Raiders"): a team is no person.
# Common nouns only, and not those that are also surnames ("Browns", "Reds").
TEAM_NOUNS = frozenset(
    """bills jets raiders giants bears packers cowboys eagles patriots steelers ravens
    bengals buccaneers bucs saints falcons panthers chargers broncos chiefs colts titans
    jaguars dolphins vikings lions seahawks rams cardinals redskins commanders yankees mets
    dodgers cubs braves astros mariners pirates padres phillies orioles royals tigers
    nationals marlins rockies brewers athletics angels lakers celtics bulls knicks nets
    warriors spurs rockets mavericks suns clippers nuggets pistons pacers bucks hawks
    hornets grizzlies pelicans timberwolves blazers wizards raptors cavaliers bruins
    canadiens penguins flyers blackhawks islanders sabres oilers canucks flames predators
    sharks ducks coyotes""".split()
)
# "New York", "Los Angeles": a place may start with a common word.
_PLACE_STARTS = frozenset(" ".join(p.split()[:2]) for p in PLACES if " " in p)
# Places that usually stand for an institution when they speak or act.
INSTITUTION_PLACES = frozenset({"white house", "pentagon", "kremlin", "downing street"})

# First names tell a person from a place or a thing, and give a gender for "he"/"she".
_MALE = """aaron adam adrian ahmed alan albert alex alexander alexei ali allen andre andrew
    andy angelo anthony antonio arnold arthur barack ben benjamin bernard bernie bill
    billy bob bobby brad bradley brandon brian bruce bryan carl carlos charles charlie
    chris christopher chuck cody colin craig dan daniel danny darren dave david dennis
    derek dmitry don donald doug douglas dylan earl ed eddie edward eric ernest eugene
    evan frank fred frederick gary george gerald gerardo glenn gordon greg gregory
    harold harry henry howard hugh ian igor isaac ivan jack jacob jake james jason jay
    jeff jeffrey jeremy jerry jesse jim jimmy joe joel john johnny jon jonathan jorge
    jose joseph josh joshua juan julian justin keith ken kenneth kevin kyle larry
    lawrence lee leonard louis luis luke marc marco mario mark martin matt matthew
    michael miguel mike mitch mitt mohamed mohammed muhammad nathan neil nicholas nick
    nicolas oliver omar oscar patrick paul pedro peter phil philip pierre rafael ralph
    randy ray raymond richard rick rob robert roberto rodney roger ron ronald ross roy
    rush russell ryan sam samuel scott sean sergei sergey seth shawn stanley stephen
    steve steven stuart ted terry thomas tim timothy todd tom tommy tony travis trevor
    troy tyler vincent vladimir walter wayne william willie xavier yuri zach mikhail
    vladimir boris dmitri hassan hussein abdul ali fabio giuseppe hans jean francois
    klaus luca marcel""".split()
_FEMALE = """abby alice alicia allison amanda amber amy andrea angela angelina ann anna anne
    annie ashley barbara becky betty beverly brenda brittany carol caroline carolyn
    catherine cathy charlotte cheryl christina christine cindy claire diana diane donna
    doris dorothy elizabeth ellen emily emma erin eva evelyn fiona frances gloria grace
    hannah heather helen hillary holly jacqueline jane janet janice jean jennifer
    jessica jill joan joanne jodi judith judy julia julie karen kate katherine kathleen
    kathryn kathy katie kelly kim kimberly kristen laura lauren linda lisa liz lori
    louise lucy lynn margaret maria marie marilyn martha mary megan melanie melissa
    michelle monica nancy natalie nicole olga pamela patricia paula pauline rachel
    rebecca rita rose ruth sally samantha sandra sara sarah sharon shirley sophie
    stephanie susan suzanne tanya teresa theresa tiffany tina tracy valerie vanessa
    victoria virginia wendy yulia yvonne zoe angela hillary michele sheryl marissa oprah
    beyonce taylor""".split()
# Role words that say "he" or "she" ("his daughter, Elena," is a she).
ROLE_GENDER: dict[str, str] = {
    w: "f"
    for w in """daughter wife mother sister woman girl spokeswoman actress congresswoman
        chairwoman councilwoman assemblywoman stepdaughter granddaughter niece aunt
        grandmother businesswoman queen princess widow""".split()
} | {
    w: "m"
    for w in """son husband father brother man boy spokesman congressman chairman councilman
        assemblyman stepson grandson nephew uncle grandfather businessman king prince
        widower""".split()
}
# More common given names (English and European, a few Arabic), added for issue 5: a known
# first name is what tells "Filippo Menczer" from "Bloodstain Pattern". Left out: names
# that are also places, months or common words ("Georgia", "April", "Grant", "Faith") and
# names given to both sexes ("Leslie", "Robin", "Dana", "Lindsey", "Courtney": a wrong
# "she" costs a speaker), and "Al" ("Al Jazeera") and "Sierra" ("Sierra Nevada").
_MORE_MALE = """alfred allan alvin amir andres angus anders antoine archie arturo barry
    benny bert blake brett brody bruno bryce caleb calvin cameron carlo carlton cecil cesar
    clarence claude clayton clifford clint clinton cole conor connor corey cory curtis
    damian damon dane dante darius darrell darryl declan denis denzel desmond dominic donnie
    drew duane duncan dustin dwayne dwight edgar edwin eli elijah elliot elliott elmer emil
    emmanuel enrique erik ernesto ethan felipe felix fernando filippo floyd francesco francis
    franco franklin gabriel garrett gavin gene geoffrey gerard gilbert giovanni glen graham
    gustavo hamid harvey hector herbert herman horace ignacio ira irving jacques jaime jamal
    jared javier jerome jesus joaquin joey johan jonah jordi josef julio karl kenny kirk kurt
    lars leo leon leroy lester levi lewis lionel lorenzo lucas luciano lyle malcolm manuel
    marcus marvin maurice max maxwell melvin micah milton mohammad moses nathaniel ned
    noah norman olaf otto owen pablo pascal percy pete phillip preston quentin ramon randall
    raul reginald rene reuben ricardo rocco rodrigo rolf rudy rufus saul sebastian sergio
    shane sidney simon stefan terrence theo theodore thierry tobias toby tomas tristan ty
    ulrich vernon victor vince viktor wade wilbur wilfred willard winston wolfgang yosef
    yusuf zachary""".split()
_MORE_FEMALE = """abigail ada adele adriana agnes aisha alexandra alexis alison alyssa amelia
    amina ana anastasia angelica anita annette ariana audrey ava beatrice belinda bella
    bernadette beth bethany bianca bonnie brianna bridget brooke camila candace carla carmen
    carrie cassandra cecilia celia chelsea chloe christa claudia colleen connie constance
    daniela danielle daphne darlene deborah debra delia denise dolores edith eileen
    elaine elena eleanor elisa elise eliza ella eloise elsa esther ethel eunice felicia
    francesca gabriela gabrielle gail genevieve geraldine gina gladys greta gwen harriet
    heidi helena hilary ida ines irene isabel isabella jana janelle jasmine jeanette jenna
    jenny joanna jocelyn josephine joyce juanita judi justine kara karin katrina kayla
    kendra kirsten krista kristin kristina lana latoya leah lena lila lillian lina
    liza lois lorena lorraine luisa lydia mabel madeline madison mae maggie malala
    mandy mara marcia margarita margo mariana marianne marina marisa marjorie marlene
    maureen maxine maya meghan melinda meredith mia mildred millie mindy miranda miriam
    molly mona nadia naomi natasha nina nora norma octavia olivia paige patti peggy
    penelope phyllis priscilla rachael ramona renee rhonda roberta robyn rosa rosalind
    rosemary roxanne sabrina samira sasha selena serena sheila silvia simone
    sofia sonia sophia stacy stella sylvia tamara tara teri terri thelma tracey trisha
    ursula vera veronica viola vivian wanda whitney wilma yolanda yvette""".split()
FIRST_NAME_GENDER: dict[str, str] = {n: "m" for n in _MALE + _MORE_MALE} | {
    n: "f" for n in _FEMALE + _MORE_FEMALE
}

SAID_VERBS = (
    "said|says|say|told|tells|tell|added|adds|explained|explains|wrote|writes|stated|states|"
    "declared|noted|notes|insisted|insists|argued|argues|claimed|claims|continued|recalled|"
    "recalls|asked|asks|shouted|yelled|replied|replies|responded|warned|warns|announced|"
    "admitted|admits|acknowledged|tweeted|posted|remarked|commented|conceded|cautioned|"
    "complained|testified|exclaimed|whispered|joked|laughed|observed|concluded|emphasized|"
    "stressed|predicted|suggested|agreed|answered|boasted|confirmed|described|called|"
    "quipped|sighed|urged|vowed|wondered|mused|countered|charged|alleged|maintained|"
    "reported|pleaded|promised|thundered|chimed in|went on|pointed out|explains|chanted|"
    "sang|shouted|quoted as saying|read|reads|reiterated|repeated|revealed|reveals|recounted|"
    "began"
)

_APOS = "'’"
# Title words that only qualify a title ("Foreign" in "Foreign Minister"): never a title alone.
_TITLE_MODIFIERS = frozenset(
    """vice prime foreign interior defense defence finance health justice state supreme
        district county city police fire army navy former acting interim president-elect""".split()
) - {"justice"}


@dataclass(frozen=True, slots=True)
class Name:
    """A name found in text: ``text`` is the name without title, at ``start:end``.

    ``kind`` is "person", "organization", "place" or "" (unknown); ``title`` the title or
    honorific written before it ("Foreign Minister", "Mr."), ``gender`` "m", "f" or "".
    """

    text: str
    start: int
    end: int
    kind: str
    title: str = ""
    gender: str = ""


# A word: letters, inner apostrophes/hyphens/periods (U.S., O'Brien, al-Assad).
_WORD = re.compile(r"[^\W\d_](?:[\w'’\-.]*[^\W_])?\.?")
_CONNECTORS = frozenset({"de", "van", "von", "bin", "al", "da", "del", "della", "der", "den",
                         "di", "du", "la", "le", "ter", "dos", "das", "ibn", "el"})  # fmt: skip
# "al-Sissi", "bin-Laden": a lower-case particle joined to a capitalized name.
_ARABIC_PARTICLE = re.compile(r"(?:al|el|bin|ibn|abu|ben|ad|as|an)-[A-Z]")
# Title words that are also ordinary words inside names ("Supreme Court Justice" is fine,
# "Star Wars" is not a title).
_NOT_TITLE_HEADS = frozenset({"star", "major", "general", "justice", "king", "queen", "speaker",
                              "leader", "author", "actor", "actress", "singer", "rapper",
                              "designer", "lady", "lord", "father", "unionist",
                              "nationalist", "loyalist"})  # fmt: skip
# Hyphenated descriptors before a name are not part of it.
_DESCRIPTOR = re.compile(r"-(?:born|based|led|backed|owned|run|bred|raised|american|year-old)$")
# "Tennessee.Shannon Trent": a space lost after a full stop (not "Walmart.Com").
_GLUED = re.compile(r"(?<=[a-z]{2})\.(?=[A-Z][a-z])(?!(?:Com|Org|Net|Gov|Edu|Co|Uk|Io)\b)")
# Adverbs that open sentences and are no names (COMMON holds the shorter function words).
_OPENING_ADVERBS = frozenset(
    """sometimes often perhaps maybe afterward afterwards overall nonetheless nevertheless
        moreover furthermore indeed twice several along soon never always recently
        eventually finally initially currently previously ultimately apparently obviously
        clearly unfortunately fortunately luckily sadly hopefully interestingly notably
        specifically separately usually""".split()
)
_ABBREV_OK = frozenset({"mr.", "mrs.", "ms.", "dr.", "st.", "sen.", "rep.", "gov.", "gen.",
                        "col.", "lt.", "sgt.", "capt.", "maj.", "det.", "rev.", "prof.",
                        "jr.", "sr.", "u.s.", "u.k.", "u.n.", "inc.", "corp.", "co.", "ltd.",
                        "mt.", "ft.", "d.c.", "l.a.", "n.y.", "cmdr.", "supt.", "insp.",
                        "adm.", "cpl.", "pvt.", "atty.", "hon."})  # fmt: skip


# Capitalized prepositions inside a run of capitals (a title, an inscription) end a name.
_RUN_BREAKS = frozenset({"To", "From", "For", "With", "By", "Into", "Against", "When", "Where",
                         "Why", "How", "What", "Which", "Who", "If", "Is", "Are", "Was",
                         "Were", "The", "A", "An"})  # fmt: skip


def is_capitalized(word: str) -> bool:
    return word[:1].isupper()


def _sentence_initial(text: str, start: int) -> bool:
    """True when ``start`` begins a sentence (or a paragraph, or a quotation)."""
    i = start - 1
    while i >= 0 and text[i] in " \t\"“”‘'(—–-":
        i -= 1
    return i < 0 or text[i] in ".!?:\n;"


_NICK_OPEN = frozenset({' "', " “", " ‘", ' " '})
_NICK_CLOSE = frozenset({'" ', "” ", "’ ", ' " '})


def find_names(text: str) -> list[Name]:
    """Capitalized name sequences in ``text``, titles stripped, with a type guess.

    A single capitalized word at a sentence start is kept only when it is a known place or
    carries a title; the caller (entities) adds words seen capitalized mid-sentence elsewhere.

    >>> [n.text for n in find_names("But Sarah Ellis told Mr. Ellis that the U.N. had left Paris.")]
    ['Sarah Ellis', 'Ellis', 'U.N.', 'Paris']
    """
    words: list[tuple[int, int, str]] = []
    for m in _WORD.finditer(text):
        glued = _GLUED.search(m.group())
        if glued:  # "Tennessee.Shannon Trent": a space lost after a full stop
            cut = m.start() + glued.start() + 1
            words.append((m.start(), cut, text[m.start() : cut]))
            words.append((cut, m.end(), text[cut : m.end()]))
        else:
            words.append((m.start(), m.end(), m.group()))
    out: list[Name] = []
    i = 0
    n = len(words)
    while i < n:
        w = words[i][2]
        if not is_capitalized(w):
            i += 1
            continue
        if text[words[i][0] - 1 : words[i][0]] == "@":
            # A screen name ("@Uncle Rush"), however many words it is written in.
            i += 1
            while (
                i < n and is_capitalized(words[i][2]) and text[words[i - 1][1] : words[i][0]] == " "
            ):
                i += 1
            continue
        # Grow the run of capitalized words joined by single spaces (and connectors).
        run = [i]
        j = i
        while j + 1 < n:
            _ps, pe, pw = words[j]
            if pw.endswith(".") and pw.lower() not in _ABBREV_OK and not _is_initial(pw):
                break  # a sentence ends here
            ns, ne, nw = words[j + 1]
            gap = text[pe:ns]
            if gap == " & " and is_capitalized(nw):
                run.append(j + 1)  # "Kleiner Perkins Caufield & Byers": one firm
                j += 1
                continue
            if (
                gap in _NICK_OPEN
                and is_capitalized(nw)
                and j + 2 < n
                and text[ne : words[j + 2][0]] in _NICK_CLOSE
                and is_capitalized(words[j + 2][2])
                and pw.lower() in FIRST_NAME_GENDER
            ):
                run.extend([j + 1, j + 2])  # 'John "Jay" Rockefeller': a nickname inside
                j += 2
                continue
            if gap not in (" ", "\u00a0"):
                break
            if nw in _RUN_BREAKS:
                break  # "Tribute To Survivors From Jeff Herman": no name holds "From"
            if (
                nw == "I"
                and j + 2 < n
                and words[j + 2][2][:1].islower()
                and text[ne : words[j + 2][0]] == " "
            ):
                break  # "To Kevin Spacey I want to say": the pronoun, not a regnal number
            if nw == pw and len(run) > 1:
                break  # "... of O.J. Simpson Simpson, pictured in 1974": two mentions
                # (while "Sirhan Sirhan" and "Walla Walla" are one name)
            if any(c.isdigit() for c in pw + nw):
                break  # "MH370 Chinese relatives": no name holds a flight or model number
            if is_capitalized(nw) or _ARABIC_PARTICLE.match(nw):
                run.append(j + 1)
                j += 1
                continue
            low = nw.lower()
            if (
                (
                    low in _CONNECTORS
                    # "Committee to Protect Journalists", "Centers for Disease Control"
                    or (nw in ("of", "to", "for") and _org_head(words[j][2]))
                    # "High Commissioner for Human Rights Navi Pillay"
                    or (nw == "for" and words[j][2].lower().rstrip(".") in TITLE_WORDS)
                )
                and j + 2 < n
                and text[ne : words[j + 2][0]] == " "
                and is_capitalized(words[j + 2][2])
            ):
                run.extend([j + 1, j + 2])
                j += 2
                continue
            break
        i = j + 1
        first = words[run[0]][2].lower()
        if len(run) > 1 and first in _OPENING_ADVERBS and _sentence_initial(text, words[run[0]][0]):
            run = run[1:]  # "Sometimes Cruz would sing": an adverb opening the sentence
        name = _make_name(text, [words[k] for k in run])
        if name is not None:
            out.extend(name)
    return _join_and(text, out)


def _join_and(text: str, names: list[Name]) -> list[Name]:
    """ "Freedom" + "and" + "Justice Party" is one organization named with "and"."""
    out: list[Name] = []
    for name in names:
        prev = out[-1] if out else None
        if (
            prev is not None
            and name.kind == "organization"
            and prev.kind in ("", "?initial")
            and " " not in prev.text
            and not prev.title
            and text[prev.end : name.start] in (" and ", " & ")
        ):
            joined = Name(text[prev.start : name.end], prev.start, name.end, "organization")
            before = out[-2] if len(out) > 1 else None
            if (
                before is not None
                and before.kind in ("", "?initial")
                and " " not in before.text
                and not before.title
                and text[before.end : prev.start] == ", "
            ):
                # "Meteorology, Climatology and Geophysics Agency": a list before "and"
                out[-2:] = [
                    Name(text[before.start : name.end], before.start, name.end, "organization")
                ]
                continue
            out[-1] = joined
            continue
        out.append(name)
    return out


# Possessives inside one organization's name: "St. Jude Children's Research Hospital".
_PLURAL_POSSESSIVES = frozenset(
    w + p for w in ("children", "women", "men", "people") for p in ("'s", "’s")
) | frozenset(w + p for w in ("veterans", "workers", "citizens") for p in ("'", "’"))
_NOT_NAMES = frozenset("age era show".split())
# Title heads that end a role, never a name ("Halvard Foods Vice President"); heads that are
# also surnames (King, Dean, Bishop, Judge, Pope) are left out.
_ROLE_ENDS = frozenset(
    """president minister secretary senator governor mayor commissioner chairman chairwoman
    chairperson spokesman spokeswoman spokesperson ambassador patriarch correspondent
    director premier superintendent congressman congresswoman councilman councilwoman
    prosecutor president-elect ceo""".split()
)
# Adjectives of a people or a faith not ending in "-an" (those are found from PLACES); the
# ones that are also common surnames (English, French, Welsh, Irish, Greek) are left out.
_DEMONYM_ADJECTIVES = frozenset(
    """british scottish dutch spanish swedish danish finnish turkish kurdish jewish chinese
    japanese vietnamese lebanese portuguese taiwanese sudanese congolese senegalese nepalese
    burmese islamic arabic muslim catholic protestant sunni shiite israeli iraqi pakistani
    saudi kuwaiti qatari somali yemeni afghan thai""".split()
)
# Written after a name: a generation suffix stays in it, a degree does not.
_SUFFIXES = frozenset("jr sr ii iii iv".split())
_DEGREES = frozenset("phd md dds esq mba".split())
# Title words that more often start the name of a thing ("Star Trek", "Major League").
_THING_TITLES = frozenset({"star", "major", "lady"})
_FIRST_BEFORE = re.compile(r"first\s$", re.I)  # "First Lady Melania Trump": a title
# Page furniture run into the text of an article: gallery buttons and labels.
_FURNITURE = frozenset(
    """hide show caption captions photo photos gallery video videos slideshow
    replay expand enlarge close click watch share""".split()
)
_LABEL_NEXT = re.compile(r":|\s+\d")  # "Photos: ...", "Caption 14 of 23"
_NOT_NAME_STARTS = frozenset(WEEKDAYS) | {"century", "add"}
# Numbers past ten (COMMON has one to ten) name groups, never a person.
_NUMBER_WORDS = frozenset(
    """eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty
    thirty forty fifty hundred thousand million""".split()
)
_SMALL_NUMBERS = frozenset("two three four five six seven eight nine ten".split())
_LEADING_COMMON = COMMON - {"mr", "mrs", "ms", "dr", "st"}
_THING_ENDS = _NOT_NAMES | _SMALL_NUMBERS | _NUMBER_WORDS
_ACRONYM = re.compile(r"(?![IVXLC]+\b)[A-Z]{2,5}")  # not a numeral: "Hayne Palmour IV"
_TIME_ZONES = frozenset("GMT UTC EST EDT CST CDT MST MDT PST PDT BST CET CEST".split())
# One word after a possessive that makes the run one body: "Broward Sheriff's Office".
_OFFICE_WORDS = frozenset(
    """office department hospital bureau agency ministry commission council court clinic
    school college university foundation""".split()
)
# Things named by a number after them, never people: "Route 9", "Fig. 3", "Season 2".
_NUMBERED = frozenset(
    """fig figs figure figures table tables route highway interstate flight channel terminal
    gate exit pier platform chapter section article amendment phase stage category class
    season episode part volume vol page""".split()
)
_NUMBER_NEXT = re.compile(r"\.?\s+\d")
_OCCUPATION = re.compile(r"[a-z]{3,}(?:ist|ologer|ographer)")
_WORD_BEFORE = re.compile(r"\b([a-z]+) $")


def _title_key(low: str) -> str:
    """ "secretary-general" reads as "secretary", "vice-president" as "president": a
    hyphenated title made of title words."""
    if "-" not in low:
        return low
    parts = low.split("-")
    if not all(p in TITLE_WORDS for p in parts):
        return low
    last = parts[-1]
    return parts[0] if last in _NOT_TITLE_HEADS or last in _TITLE_MODIFIERS else last


def _role_word_before(text: str, start: int) -> bool:
    """ "criminologist Jeffery Ian Ross": a lower-case role or occupation right before."""
    m = _WORD_BEFORE.search(text, max(0, start - 30), start)
    return bool(m and (m.group(1) in ROLE_HEADS or _OCCUPATION.fullmatch(m.group(1))))


# A capitalized common noun of a trade or a role ("Forecaster", "Spokesperson", "Librarian").
_OPENING_OCCUPATION = re.compile(r"[A-Z][a-z]{3,}(?:er|or|ist|ian|man|woman|person|ant)")
_NOT_OCCUPATIONS = frozenset("christ baptist methodist adventist".split())


def _is_initial(w: str) -> bool:
    """ "J." and dotted initials used as a first name ("O.J.", "J.K.")."""
    return bool(_INITIALS.fullmatch(w))


_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")


def _org_head(w: str) -> bool:
    return w.lower().rstrip(".") in ORG_WORDS or w.lower() in {"secretary", "minister"}


def _strip_possessive(w: str) -> str:
    for suffix in ("'s", "’s"):
        if w.endswith(suffix):
            return w[:-2]
    if w.endswith(("'", "’")):
        return w[:-1]
    return w


def _make_name(text: str, run: list[tuple[int, int, str]]) -> list[Name] | None:
    words = list(run)
    initial = _sentence_initial(text, words[0][0])
    # Drop leading function words ("But", "The", "When") and trailing sentence periods.
    while (
        words
        and words[0][2].lower().rstrip(".") in _LEADING_COMMON
        and not (len(words) > 1 and f"{words[0][2]} {words[1][2]}".lower() in _PLACE_STARTS)
        # "actor Will Smith", "historian Per Anders Rudling": a first name, mid-sentence
        and not (len(words) > 1 and words[0][2] in ("Will", "Per") and not initial)
    ):
        words.pop(0)
        # "Later Sementilli": the name follows a word, it does not open the sentence.
        initial = bool(words) and _sentence_initial(text, words[0][0])
    if not words:
        return None
    lows = [w[2].lower() for w in words]
    if len(words) > 1 and (
        lows[0] in _NOT_NAME_STARTS
        or (
            lows[0] in ("former", "acting", "interim")
            and lows[1].rstrip(".") not in TITLE_WORDS
            and lows[1].rstrip(".") not in ROLE_HEADS
        )
    ):
        # "On Thursday Trump said", "15th Century Timbuktu", "Add Harvey Weinstein as an
        # interest", "Former Winnipeg broadcaster": the day, the century, a button, a
        # modifier of no title are not part of the name
        words.pop(0)
        lows.pop(0)
        initial = False
    if (
        not _NUMBER_WORDS.isdisjoint(lows)
        or (len(words) > 1 and lows[-1] in _SMALL_NUMBERS)
        or (len(words) == 1 and words[0][2] in _TIME_ZONES)
    ):
        return None  # "the Twelve Apostles", "the Humboldt Five": a group; "0500 GMT"
    if len(words) > 2 and lows[-1] in WEEKDAYS:
        words.pop()  # "Asked by TV3's Duncan Garner Friday": the day is not in the name
        lows.pop()
    tail = 0
    while tail < len(lows) and lows[-1 - tail] in _FURNITURE:
        tail += 1
    if tail == len(words):
        return None  # "Hide Caption", "Photos:": the page's buttons and labels
    if tail > 1 or (tail and _LABEL_NEXT.match(text, words[-1][1])):
        # "The rise and fall of O.J. Simpson Photos: ...", "— Hayne Palmour IV Share Photo"
        return _make_name(text, words[:-tail])
    if len(words) > 2 and words[-1][2].lower().replace(".", "") in _DEGREES:
        words.pop()  # "Jeffery Ian Ross Ph.D.": a degree after the name
    # Split at a possessive inside the run: "Brotherhood's Freedom Party" is two names.
    for k, (_s, _e, w) in enumerate(words[:-1]):
        if _strip_possessive(w) != w and w.lower() not in _PLURAL_POSSESSIVES:
            if k == len(words) - 2 and words[-1][2].lower().rstrip(".") in _OFFICE_WORDS:
                # "Broward Sheriff's Office", "King Edward VII's Hospital": one body.
                body = text[words[0][0] : words[-1][1]].rstrip(".")
                return [Name(body, words[0][0], words[0][0] + len(body), "organization")]
            first = _make_name(text, words[: k + 1]) or []
            return first + (_make_name(text, words[k + 1 :]) or [])
    # A place run into a name (a caption): "Saudi Arabia Cyril Volkov" is two names.
    for k in (3, 2, 1):
        if len(words) - k >= 2:
            head = " ".join(w[2] for w in words[:k]).lower()
            rest = text[words[k][0] : words[-1][1]]
            if head in PLACES and classify(_strip_possessive(rest).rstrip(".")) in ("", "person"):
                return (_make_name(text, words[:k]) or []) + (_make_name(text, words[k:]) or [])
    # Titles and honorifics in front: "Foreign Minister Sergei Lavrov", "Gov. Brown".
    title_words: list[str] = []
    gender = ""
    # "Secretary of State Hillary Clinton", "Minister of Foreign Affairs Sergei Lavrov": a
    # title word, "of", the capitalized words up to a known first name (else one word).
    # "UN High Commissioner for Human Rights Navi Pillay": the same with "for".
    at = next(
        (
            i
            for i in range(1, min(4, len(words) - 2))
            if words[i][2] in ("of", "for")
            and words[i - 1][2].lower().rstrip(".") in TITLE_WORDS | ROLE_HEADS
        ),
        0,
    )
    if at:
        # "Jr." aside: "Secretary of Commerce Wilbur Ross Jr." is not "Ross Jr."
        core = len(words) - (words[-1][2].lower().rstrip(".") in _SUFFIXES)
        k = next(
            (i for i in range(at + 2, core - 1) if words[i][2].lower() in FIRST_NAME_GENDER),
            max(at + 1, core - 2),  # no known first name: a two-word name
        )
        if k <= at + 4 and classify(text[words[k][0] : words[-1][1]]) in ("", "person"):
            title_words = [w[2] for w in words[:k]]
            words = words[k:]
    full = text[words[0][0] : words[-1][1]]
    full_words = _strip_possessive(full).rstrip(".").lower().split()
    if not (
        " ".join(full_words) in PLACES
        or full_words[-1] in ORG_WORDS | PLACE_WORDS
        or "of" in full_words
    ):
        # The longest prefix of title words that ends in a title head is the title.
        cut = 0
        low_first = words[0][2].lower().rstrip(".")
        for k in range(min(len(words) - 1, 4)):
            low = _title_key(words[k][2].lower().rstrip("."))
            if (
                k == 0
                and (len(words) == 2 or low == "lady")
                and low in _THING_TITLES
                and words[1][2].lower() not in FIRST_NAME_GENDER
                and not _FIRST_BEFORE.search(text, max(0, words[0][0] - 6), words[0][0])
            ):
                # "Star Wars", "Major League": no title before a surname; "Lady Bird
                # Johnson", "Lady Gaga": "Lady" before a word that is no first name
                break
            if low not in TITLE_WORDS and low not in HONORIFICS and low not in ROLE_HEADS:
                if _DESCRIPTOR.search(low):  # "Canadian-born Fabio Sementilli"
                    cut = k + 1
                    continue
                break
            if low not in _TITLE_MODIFIERS:
                cut = k + 1
        if cut == 0 and low_first in _TITLE_MODIFIERS and len(words) > 2:
            cut = 1  # "Police Khalid Abu Bakar" (from "Inspector-General of Police ...")
        if cut < len(words) - 2:
            # A title word inside the run ends a longer title: "Los Angeles County Fire
            # Battalion Chief Larry Collins", "WHCA President Olivier Knox", "Republican
            # National Committee Chairman Reince Priebus".
            for k in range(len(words) - 2, max(cut, 1) - 1, -1):
                low = _title_key(words[k][2].lower().rstrip("."))
                if low in TITLE_WORDS and low not in _TITLE_MODIFIERS | _NOT_TITLE_HEADS:
                    cut = k + 1
                    # "Inspector General Alex Bustamante": the title goes on.
                    while cut < len(words) - 1 and words[cut][2].lower().rstrip(
                        "."
                    ) in TITLE_WORDS | set(HONORIFICS):
                        cut += 1
                    break
        low_last = words[-1][2].lower().rstrip(".")
        if cut == 0 and len(words) >= 3 and not _role_word_before(text, words[0][0]):
            # An occupation or an affiliation written before a first name: "Archaeologist
            # Giles Hamm", "Shift Supervisor Tim Medlin", "Lakeview Tigers coach Ana Ruiz"
            # (not after one: "criminologist Jeffery Ian Ross" is all name).
            cut = next(
                (
                    k
                    for k in range(1, min(4, len(words) - 1 - (low_last in _SUFFIXES)))
                    if words[k][2].lower() in FIRST_NAME_GENDER
                    and not any(w[2].lower() in FIRST_NAME_GENDER for w in words[:k])
                    and not _is_initial(words[k - 1][2])  # "J. Paul Getty" is all name
                ),
                0,
            )
            if (
                cut == 0
                and _OCCUPATION.fullmatch(words[0][2].lower())
                and words[0][2].lower() not in _NOT_OCCUPATIONS
                and classify(text[words[1][0] : words[-1][1]]) in ("", "person")
            ):
                cut = 1  # "Archaeologist Giles Hamm", "Economist Jo Brandt"
            if (
                cut == 0
                and initial
                and _OPENING_OCCUPATION.fullmatch(words[0][2])
                and words[0][2].lower() not in FIRST_NAME_GENDER
                and not _is_initial(words[1][2])
                and classify(text[words[1][0] : words[-1][1]]) in ("", "person")
            ):
                cut = 1  # "Forecaster Robin Tesk said": an occupation opening the sentence
            if (
                cut == 0
                and len(words) >= 4  # (not "ISS Corporate Solutions", "FBI Human Resources")
                and _ACRONYM.fullmatch(words[-3][2])
                and classify(text[words[-2][0] : words[-1][1]].rstrip(".")) in ("", "person")
            ):
                cut = len(words) - 2  # "Environment CS Judi Wakhungu": a title ends in capitals
        for tw in words[:cut]:
            low = tw[2].lower().rstrip(".")
            gender = HONORIFICS.get(low, gender) or gender
            title_words.append(tw[2])
        words = words[cut:]
    first_s = words[0][0]
    last_s, _last_e, last_w = words[-1]
    stripped = _strip_possessive(last_w)
    if last_w.endswith(".") and last_w.lower() not in _ABBREV_OK and not _is_initial(last_w):
        stripped = stripped[:-1]
    end = last_s + len(stripped)
    name_text = text[first_s:end]
    if not name_text or not name_text[0].isupper():
        return None
    low_words = [w[2].lower().rstrip(".") for w in words]
    if len(words) == 1:
        low = stripped.lower().rstrip(".").replace("’", "'")  # "I’m" is "i'm"
        if low in COMMON or low in MONTHS or low in WEEKDAYS:
            return None
        if len(stripped) < 2:
            return None
    if all(w in MONTHS or w in WEEKDAYS for w in low_words):
        return None
    if len(words) > 1 and len(last_w) == 1 and last_w.isupper() and last_w not in "IX":
        return None  # "Crotty Alexander L, Matthew D, Hwang J": a reference list; "Plan B"
    if (title_words and len(words) == 1 and low_words[0] in TITLE_WORDS) or (
        low_words[-1] in _ROLE_ENDS and not any(w in FIRST_NAME_GENDER for w in low_words)
    ):
        return None  # "Attorney General", "the Vice President", "Russian Patriarch": a role
    if (
        low_words[-1] in _DEMONYM_ADJECTIVES
        or (low_words[-1].endswith("an") and _demonym(low_words[-1] + "s"))
    ) and not any(w in FIRST_NAME_GENDER for w in low_words):
        return None  # "North Korean", "Anonymous British": an adjective of a people
    if len(low_words) > 1 and (
        (low_words[-1] in MONTHS and low_words[0] not in FIRST_NAME_GENDER)
        or low_words[-1] in WEEKDAYS
        or low_words[-1] in _NOT_NAMES
    ):
        # "Super Tuesday", "Middle Stone Age", "The Larry Sanders Show" (while "Theresa
        # May" is a person)
        return None
    if low_words[-1] in _NUMBERED and _NUMBER_NEXT.match(text, end):
        return None  # "Route 9", "Supplementary Fig. 3", "Article 5": a thing by its number
    if low_words[-1].endswith("ans") and _demonym(low_words[-1]):
        return None  # "Aboriginal Australians", "Canadians": a people, not a person
    if title_words and words[0][2].lower() in WEEKDAYS:
        return None
    title = " ".join(title_words)
    kind = "organization" if " & " in name_text else classify(name_text, title)
    if not gender and kind == "person":
        gender = FIRST_NAME_GENDER.get(low_words[0], "")
    if (
        len(words) == 1
        and not title
        and kind != "place"
        and _state_after_town(text, last_w, first_s)
    ):
        kind = "place"
    if (
        initial
        and not title
        and len(words) == 1
        and kind not in ("place", "organization")
        and not stripped.isupper()
    ):
        kind = "?initial"  # a capitalized sentence start: the caller decides
    return [Name(name_text, first_s, end, kind, title, gender)]


# "Laurel, Md.", "Marlow, NSW", "Washington, D.C.": a short abbreviation after a town and a
# comma is its state (not after a list: "Google, Apple, IBM").
_TOWN_COMMA_BEFORE = re.compile(
    r"(?:^|[^,\s]\s+)(?:[A-Z][\w'’.-]*\s+){0,2}?[A-Z][\w'’.-]*,\s+$", re.M
)
_LIST_GOES_ON = re.compile(r"\s*,?\s+(?:and|or|&)\b")


def _state_after_town(text: str, word: str, start: int) -> bool:
    letters = word.replace(".", "")
    if not (2 <= len(letters) <= 5 and letters.isalpha() and letters[0].isupper()):
        return False
    if word.endswith("."):
        low = letters.lower()
        if low in _SUFFIXES or low in _DEGREES or low in HONORIFICS or low in ORG_WORDS:
            return False  # "Smith, Jr.", "Ross, Ph.D.", "Acme, Inc."
    elif not (letters.isupper() and len(letters) <= 3):
        return False
    elif _LIST_GOES_ON.match(text, start + len(word)):
        return False  # "Apple, IBM and Google"
    return bool(_TOWN_COMMA_BEFORE.search(text, max(0, start - 40), start))


def _demonym(plural: str) -> bool:
    """Whether a word ending in "-ans" names the people of a place ("Kenyans", "Italians").

    >>> _demonym("australians"), _demonym("canadians"), _demonym("evans")
    (True, True, False)
    """
    stem = plural[:-4]
    return any(
        s in PLACES
        for s in (plural[:-2], plural[:-3], stem, stem + "a", stem + "y", stem + "e", stem + "o")
    )


def classify(name: str, title: str = "") -> str:
    """Guess "person", "organization", "place" or "" for a name (and its title).

    "thing" marks words that are no name at all (a gallery's "Hide Caption").

    >>> classify("Interior Ministry"), classify("Los Angeles"), classify("Jane Smith")
    ('organization', 'place', 'person')
    """
    low = name.lower()
    words = low.replace("-", " ").split()
    if title:
        return "person"
    if words and (
        (len(words) > 1 and words[-1] in _THING_ENDS) or all(w in _FURNITURE for w in words)
    ):
        # "Hide Caption", "The Daily Show", "Middle Stone Age", "the Humboldt Five": no one
        return "thing"
    if low in INSTITUTION_PLACES:
        return "organization"
    if low in PLACES:
        return "place"
    if len(words) == 1:
        if low.rstrip(".") in SINGLE_ORGS:
            return "organization"
    elif any(w.rstrip(".") in ORG_WORDS for w in words):
        return "organization"
    if words and words[-1] in TEAM_NOUNS and words[0] not in FIRST_NAME_GENDER:
        return "organization"  # "Lakeside Raiders", "the Giants": a team
    if (
        len(words) >= 2
        and " ".join(words[:-1]) in PLACES
        and words[-1].endswith("s")
        and not words[-1].endswith(("ss", "'s", "’s"))
        and words[0] not in FIRST_NAME_GENDER
    ):
        return "organization"  # "Texas Rangers", "Oklahoma Sooners": a plural after a place
    if len(words) == 2 and words[0] in SINGLE_ORGS:
        return "organization"  # "Google Glass", "Ford Bronco": a firm's product
    if words and words[-1].rstrip(".") in PLACE_WORDS:
        return "place"
    if len(words) >= 2 and words[-1] in PLACES:
        # "Jimmy Wales", "Denzel Washington": a known first name before it makes a person
        return "person" if len(words) == 2 and words[0] in FIRST_NAME_GENDER else "place"
    if name.replace(".", "").isupper() and 2 <= len(name.replace(".", "")) <= 6:
        return "organization"  # acronyms: FBI, NASA, TSA
    first = name.split()[0]
    if len(words) >= 2 and first.isupper() and first.isalpha() and len(first) > 1:
        return "organization"  # "WL Ross", "ABC News": no first name is written in capitals
    if words and words[0] in FIRST_NAME_GENDER and len(words) >= 2:
        return "person"
    if 2 <= len(words) <= 4:
        return ""  # two or more capitalized words: a person unless evidence says otherwise
    return ""


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank line of ``text``, stripped of surrounding spaces."""
    pos = 0
    for line in text.split("\n"):
        start = pos + (len(line) - len(line.lstrip()))
        end = pos + len(line.rstrip())
        if end > start:
            yield start, end
        pos += len(line) + 1


_SENT_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘(]?[A-Z0-9])")


def split_sentences(text: str, article_id: str = "") -> tuple[Sentence, ...]:
    """A small fallback splitter (paragraphs, then ``.!?`` before a capital), with offsets.

    Used only when the story carries no sentences for an article.

    >>> [s.text for s in split_sentences("Mr. Smith left. He said so.\\nNew one.")]
    ['Mr. Smith left.', 'He said so.', 'New one.']
    """
    out: list[Sentence] = []
    for ps, pe in paragraphs(text):
        start = ps
        for m in _SENT_END.finditer(text, ps, pe):
            word = text[text.rfind(" ", ps, m.start()) + 1 : m.end()].rstrip("\"”’')]")
            if word.lower() in _ABBREV_OK or _is_initial(word):
                continue
            out.append(Sentence(article_id, len(out), start, m.end(), text[start : m.end()]))
            start = m.end()
            while start < pe and text[start].isspace():
                start += 1
        if start < pe:
            out.append(Sentence(article_id, len(out), start, pe, text[start:pe]))
    return tuple(out)


def story_sentences(story: StoryLike, article: Article) -> Sequence[Sentence]:
    """The story's sentences for ``article``, or the fallback split when it has none."""
    got = story.sentences.get(article.id) if story.sentences else None
    if got:
        return got
    return split_sentences(article.text, article.id)


def parse_date(value: str | None) -> date | None:
    """The date part of an ISO 8601 string, or None when absent or unreadable."""
    return iso_day(value)
