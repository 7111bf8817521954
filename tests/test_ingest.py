"""ingest: every format, encodings, bad input, standard input, folders, header metadata."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.config import Settings
from newsdesk.errors import DataError, NoArticlesError, ReadError, UsageError
from newsdesk.ingest import (
    Format,
    RecordError,
    article_from_record,
    detect_format,
    read_articles,
    read_path,
    walk_folder,
)
from newsdesk.ingest.dates import normalize_date, parse_date
from newsdesk.ingest.decode import decode
from newsdesk.ingest.text import HEADER_LINES, normalize_text, parse_meta_line, split_header
from newsdesk.models import Article

DATA = Path(__file__).parent / "data" / "ingest"
LABELS = json.loads((DATA / "labels.json").read_text(encoding="utf-8"))
BODY = "The bridge closed on Monday after a barge hit it.\n\nDivers will inspect the pier."


def read_all(*paths: str | Path, **options: Any) -> list[Article]:
    return list(read_articles(list(paths), **options))


# --- format detection -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.txt", b"Flood warning lifted", Format.TEXT),
        ("a.md", b"# Flood warning", Format.TEXT),
        ("a.html", b"Flood warning", Format.HTML),
        ("a.htm", b"<p>x</p>", Format.HTML),
        ("a.xhtml", b"<?xml version='1.0'?><html>", Format.HTML),
        ("a.txt", b"\n  <!DOCTYPE html>\n<html><head>", Format.HTML),
        ("notes", b"<html lang=en><body>", Format.HTML),
        ("a.jsonl", b'{"text": "x"}\n', Format.JSONL),
        ("a.ndjson", b'{"text": "x"}\n', Format.JSONL),
        ("a.jsonl.gz", b'{"text": "x"}\n', Format.JSONL),
        ("a.json", b'{"text": "x"}\n{"text": "y"}\n', Format.JSONL),
        ("a.json", b'{\n  "text": "x"\n}\n', Format.JSON),
        ("a.json", b'[{"text": "x"}]', Format.JSON),
        ("-", b'{"text": "x"}\n', Format.JSONL),
        ("-", b"Flood warning lifted on Monday", Format.TEXT),
        ("-", b"<!doctype html><title>x</title>", Format.HTML),
        ("a.md", b'{"not": "json lines, a text file"}', Format.TEXT),
        ("a.txt", b"Flood <b>warning</b> in the text", Format.TEXT),
    ],
)
def test_detect_format(name: str, head: bytes, expected: Format) -> None:
    assert detect_format(name, head) is expected


def test_read_path_says_what_it_detected(tmp_path: Path) -> None:
    page = tmp_path / "saved.txt"
    page.write_bytes((DATA / "planet.html").read_bytes())
    articles, fmt = read_path(page)
    assert fmt is Format.HTML
    assert articles[0].title == "Barge strike shuts Marlow Falls bridge for weeks"
    assert read_path(DATA / "story.txt")[1] is Format.TEXT
    assert read_path(DATA / "articles.jsonl")[1] is Format.JSONL


def test_read_path_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a folder"):
        read_path(tmp_path)


# --- plain text and Markdown ----------------------------------------------------------------


def test_plain_text_fixture_header_becomes_metadata() -> None:
    [article] = read_all(DATA / "story.txt")
    assert article.title == (
        "Towboat Crew Praised After Night-Time Barge Strike on Marlow Falls Bridge"
    )
    assert article.outlet == "Riverside Courier"
    assert article.published == "2021-06-14T10:41:00-04:00"
    assert article.text.startswith("MARLOW FALLS - The six crew members")
    assert "By Dana" not in article.text and "10:41 AM" not in article.text
    assert "\n\n" in article.text  # paragraph breaks kept
    assert article.source == str(DATA / "story.txt")


def test_markdown_fixture() -> None:
    [article] = read_all(DATA / "story.md")
    assert article.title == "Marlow Falls Schools Adjust Bus Times During Bridge Closure"
    assert article.published == "2021-06-14"
    assert article.outlet == "The Marlow Falls Herald"
    assert article.text.startswith("Buses serving the east side")
    assert "#" not in article.text and "Published" not in article.text


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("date 2021-06-14", "2021-06-14"),
        ("Date: 2021-06-14", "2021-06-14"),
        ("Published: 14 June, 2021", "2021-06-14"),
        ("14 June, 2021", "2021-06-14"),
        ("14 June 2021", "2021-06-14"),
        ("June 14, 2021", "2021-06-14"),
        ("Monday, June 14, 2021", "2021-06-14"),
        ("Jun. 14, 2021", "2021-06-14"),
        ("June 14, 2021 10:41 AM ET", "2021-06-14T10:41:00-04:00"),
        ("Dec. 14, 2021 10:41 AM ET", "2021-12-14T10:41:00-05:00"),  # ET follows daylight saving
        ("June 14, 2021 at 4:05 p.m. EDT", "2021-06-14T16:05:00-04:00"),
        ("14 June 2021 - 10:41 BST", "2021-06-14T10:41:00+01:00"),
        ("Mon 14 Jun 2021 10:41 GMT", "2021-06-14T10:41:00+00:00"),
        ("June 14, 2021 10:41 PM PT", "2021-06-14T22:41:00-07:00"),
        ("Updated: 06/14/2021", "2021-06-14"),
        ("Posted on June 14, 2021 by Ann Lee", "2021-06-14"),
        ("*June 14, 2021*", "2021-06-14"),
        ("2021-06-14T10:41:00Z", "2021-06-14T10:41:00+00:00"),
    ],
)
def test_date_lines_become_published(tmp_path: Path, line: str, published: str) -> None:
    text = f"Barge Strike Closes Marlow Falls Bridge\n{line}\n\n{BODY}"
    [article] = read_all(_write_text(text, tmp_path / "a.txt"))
    assert article.published == published
    assert article.title == "Barge Strike Closes Marlow Falls Bridge"
    assert article.text == BODY


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("By Jane Doe", None),
        ("By Jane Doe, Reuters", "Reuters"),
        ("By JANE DOE and JOHN ROE, The Associated Press", "The Associated Press"),
        ("By Jane Doe | The Daily Planet", "The Daily Planet"),
        ("By Jane Doe, Staff Writer", None),
        ("By Ann O'Brien-Smith for The Marlow Gazette", "The Marlow Gazette"),
        ("Source: The Daily Planet", "The Daily Planet"),
        ("**By Jane Doe**", None),
        ("June 14, 2021 | Marlow Gazette", "Marlow Gazette"),
    ],
)
def test_byline_and_source_lines(tmp_path: Path, line: str, outlet: str | None) -> None:
    [article] = read_all(
        _write_text(
            f"Barge Strike Closes Marlow Falls Bridge\n{line}\n\n{BODY}", tmp_path / "a.txt"
        )
    )
    assert article.outlet == outlet
    assert article.text == BODY


@pytest.mark.parametrize(
    "line",
    [
        "By Monday the river had crested at the east landing",
        "By the end of the week, water had fallen",
        "The flood came on June 14, 2021.",
        "Source close to the mayor said the bridge would reopen",
        "June 14, 2021 · 5 min read",  # not all metadata: left for the clean stage
        "Reporting by Jane Doe; Editing by John Roe",
        "June 14, 2021 10:41 AM XYZ",  # a zone we do not know is not vouched for
    ],
)
def test_prose_that_looks_like_a_header_stays(tmp_path: Path, line: str) -> None:
    assert parse_meta_line(line) is None
    [article] = read_all(
        _write_text(
            f"Barge Strike Closes Marlow Falls Bridge\n\n{line}\n\n{BODY}", tmp_path / "a.txt"
        )
    )
    assert article.text.startswith(line)
    assert article.published is None


def test_only_the_top_is_a_header(tmp_path: Path) -> None:
    late = "\n\n".join(f"Paragraph {n} of the story goes on here." for n in range(8))
    text = f"Barge Strike Closes Marlow Falls Bridge\n\n{late}\n\nJune 14, 2021\n\nBy Ann Lee"
    [article] = read_all(_write_text(text, tmp_path / "a.txt"))
    assert article.published is None
    assert article.text.endswith("June 14, 2021\n\nBy Ann Lee")


@pytest.mark.parametrize(
    "text",
    [
        # hard-wrapped paragraph: the first line goes on in the second
        "The city council voted on Tuesday to approve a new budget\nthat pays for the bridge.",
        # ends with a period: a sentence, not a headline
        "The bridge closed on Monday.\n\nDivers will inspect it.",
        # too short to be a headline
        "Advertisement\n\nThe bridge closed on Monday.",
        # one line only: it is the text
        "Barge Strike Closes Marlow Falls Bridge",
    ],
)
def test_first_lines_that_are_not_titles(tmp_path: Path, text: str) -> None:
    [article] = read_all(_write_text(text, tmp_path / "a.txt"))
    assert article.title is None
    assert article.text == normalize_text(text)


def test_markdown_title_forms() -> None:
    header, body = split_header(
        "Barge Strike Closes The Bridge\n=============================\n\nIt shut."
    )
    assert header.title == "Barge Strike Closes The Bridge" and body == "It shut."
    header, body = split_header("## Barge strike closes the bridge ##\n\nIt shut.")
    assert header.title == "Barge strike closes the bridge" and body == "It shut."


def test_line_endings_and_trailing_space_normalized(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(
        b"Barge Strike Closes The Bridge  \r\n\r\nOne.   \r\nTwo.\r\n\r\n\r\n\r\nThree.\r\n"
    )
    [article] = read_all(path)
    assert article.text == "One.\nTwo.\n\nThree."


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["June 31, 2021", "2021-13-01", "Jun 14", "14/06/2021", "June 14, 2021 25:00", ""]
)
def test_parse_date_is_strict(value: str) -> None:
    assert parse_date(value) is None


def test_normalize_date_accepts_metadata_forms() -> None:
    assert normalize_date("2021-06-14T10:41:00-04:00") == "2021-06-14T10:41:00-04:00"
    assert normalize_date("Mon, 14 Jun 2021 14:41:00 +0000") == "2021-06-14T14:41:00+00:00"
    assert normalize_date("06/14/2021") == "2021-06-14"
    assert normalize_date("last Tuesday") is None


# --- encodings -----------------------------------------------------------------------------

QUOTED = "The mayor’s “plan” for the café costs €3 million — naïve, critics said."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-be"])
def test_text_encodings(tmp_path: Path, encoding: str) -> None:
    text = f"Barge Strike Closes The Bridge\n\n{QUOTED}\n"
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    [article] = read_all(path)
    assert article.text == QUOTED
    assert article.title == "Barge Strike Closes The Bridge"


def test_latin1_and_utf16_without_bom(tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Le maire a dit que la rivière était très haute.".encode("latin-1"))
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(QUOTED.encode("utf-16-le"))
    texts = [a.text for a in read_all(latin, utf16)]
    assert texts == ["Le maire a dit que la rivière était très haute.", QUOTED]


def test_non_western_text_is_guessed_by_charset_normalizer() -> None:
    text = "Мост закрыт на три недели после удара баржи, сообщили власти округа."
    assert decode(text.encode("cp1251")) == text


@pytest.mark.parametrize("label", ["windows-1252", "iso-8859-1"])
def test_html_meta_charset_respected(tmp_path: Path, label: str) -> None:
    page = (
        f'<html><head><meta charset="{label}"><title>Bridge shut</title></head><body><article>'
        f"<p>{QUOTED} The county engineer said divers would inspect the struck pier.</p>"
        f"<p>{QUOTED} Buses will leave fifteen minutes early from Tuesday.</p>"
        "</article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("cp1252"))
    [article] = read_all(path)
    assert article.text.startswith(QUOTED)


# --- HTML ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "title", "outlet", "published", "url"),
    [
        (
            "planet.html",
            "Barge strike shuts Marlow Falls bridge for weeks",
            "The Daily Planet",
            "2021-06-14T10:41:00-04:00",
            "https://dailyplanet.example/news/2021/06/14/marlow-falls-bridge-barge",
        ),
        (
            "gazette.html",
            "Marlow Falls bridge closed after barge collision",
            "Marlow Gazette",
            "2021-06-14T15:02:00+00:00",  # JSON-LD datePublished
            None,
        ),
        (
            "courier.htm",
            "Divers begin inspecting struck bridge pier",
            "Riverside Courier",  # the <title> suffix, not the bare host name
            "2021-06-15T08:00:00-04:00",
            "https://riversidecourier.example/2021/06/15/divers-bridge-pier",
        ),
    ],
)
def test_html_metadata(page: str, title: str, outlet: str, published: str, url: str | None) -> None:
    [article] = read_all(DATA / page)
    assert (article.title, article.outlet, article.published, article.url) == (
        title,
        outlet,
        published,
        url,
    )


@pytest.mark.parametrize("page", ["planet.html", "gazette.html", "courier.htm"])
def test_html_keeps_story_paragraphs_and_drops_page_furniture(page: str) -> None:
    [article] = read_all(DATA / page)
    paragraphs = article.text.split("\n\n")
    for start in LABELS[page]["article"]:
        assert sum(p.startswith(start) for p in paragraphs) == 1, start
    assert paragraphs[0] != article.title  # the <h1> is the title, not the first paragraph
    for furniture in ("cookies", "Accept all", "Related stories", "All rights reserved"):
        assert furniture not in article.text
    noise_kept = sum(any(p.startswith(n) for p in paragraphs) for n in LABELS[page]["noise"])
    assert noise_kept <= 2  # the rest (captions printed twice, teasers) is the clean stage's


def test_html_fallbacks_from_page_tags(tmp_path: Path) -> None:
    words = " ".join(["The river bridge stays shut while divers inspect the struck pier."] * 4)
    page = (
        "<html><head><title>Bridge stays shut | Valley Times</title>"
        '<meta property="og:site_name" content="Valley Times">'
        '<meta property="og:url" content="https://valleytimes.example/bridge">'
        f"</head><body><div><p>{words}</p><p>{words}</p></div></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    [article] = read_all(path)
    assert article.title == "Bridge stays shut"
    assert article.outlet == "Valley Times"
    assert article.url == "https://valleytimes.example/bridge"
    assert article.published is None  # no date anywhere: none is invented


def test_html_without_text_is_a_read_error(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><head><title>x</title></head><body><script>go()</script></body></html>")
    with pytest.raises(ReadError, match="no article text"):
        read_all(path)


def test_trafilatura_is_imported_only_for_web_pages() -> None:
    code = (
        "import sys; from newsdesk.ingest import read_articles; "
        f"list(read_articles([{str(DATA / 'story.txt')!r}, {str(DATA / 'articles.jsonl')!r}])); "
        "print('trafilatura' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- JSON lines and JSON -------------------------------------------------------------------


def test_jsonl_fixture_fields_and_sources() -> None:
    first, second = read_all(DATA / "articles.jsonl")
    path = str(DATA / "articles.jsonl")
    assert first.source == f"{path}#wire-1"
    assert (first.title, first.outlet, first.url) == (
        "Barge hits Marlow Falls bridge",
        "Valley Wire",
        "https://valleywire.example/a/1",
    )
    assert first.published == "2021-06-14T09:05:00-04:00"
    assert first.text.endswith("\n\nThe bridge is closed.")
    assert second.source == f"{path}#L3"  # line 2 is blank; numbering counts it
    assert second.published == "2021-06-15"  # from "date"
    assert second.outlet == "Dunmore Daily"


def test_jsonl_gz(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write('{"text": "One."}\n{"text": "Two.", "id": 7}\n')
    articles, fmt = read_path(path)
    assert fmt is Format.JSONL
    assert [a.source for a in articles] == [f"{path}#L1", f"{path}#7"]


def test_gzipped_text_file(tmp_path: Path) -> None:
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress(f"Barge Strike Closes The Bridge\n\n{BODY}".encode()))
    [article] = read_all(path)
    assert article.title == "Barge Strike Closes The Bridge" and article.text == BODY


def test_json_document_forms(tmp_path: Path) -> None:
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"text": "One.", "title": "A"}, indent=2))
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": "One."}, {"text": "Two.", "id": "b"}]))
    assert [a.source for a in read_all(single, many)] == [
        str(single),
        f"{many}#1",
        f"{many}#b",
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": 5}', "line 2: field 'text' must be a string, got int"),
        ('{"text": "x", "title": ["a"]}', "line 2: field 'title' must be a string, got array"),
        ('{"text": "x", "published": 20210614}', "line 2: field 'published' must be a string"),
        ('{"text": "x", "id": {"a": 1}}', "line 2: field 'id' must be a string or integer"),
        ('{"title": "no text"}', "line 2 has no 'text' field"),
        ('{"text": "   "}', "line 2: field 'text' is empty"),
        ('["text"]', "line 2 is not a JSON object but array"),
        ('{"text": "x", "oops"}', "invalid JSON on line 2"),
        ('{"id": "c1", "documents": []}', "line 2 is a cluster (has 'documents')"),
    ],
)
def test_jsonl_bad_line_is_named(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "Good."}\n' + line + '\n{"text": "Also good."}\n')
    with pytest.raises(ReadError) as caught:
        read_all(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    skipped: list[ReadError] = []
    articles = read_all(path, on_skip=skipped.append)
    assert [a.text for a in articles] == ["Good.", "Also good."]
    assert len(skipped) == 1 and message in str(skipped[0])


def test_not_json_at_all_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_text("these are\nnot JSON\nlines\n")
    skipped: list[ReadError] = []
    with pytest.raises(NoArticlesError):
        read_all(path, on_skip=skipped.append)
    assert len(skipped) == 1 and "invalid JSON on line 1" in str(skipped[0])


def test_article_from_record_for_other_readers() -> None:
    article = article_from_record({"text": "x", "date": "14 June 2021"}, source="c.jsonl", line=4)
    assert (article.source, article.published) == ("c.jsonl#L4", "2021-06-14")
    with pytest.raises(RecordError, match="'outlet' must be a string"):
        article_from_record({"text": "x", "outlet": 3}, source="c.jsonl", line=1)


# --- bad input -----------------------------------------------------------------------------


def test_missing_path_is_a_usage_error_before_anything_is_read(tmp_path: Path) -> None:
    good = _write_text(BODY, tmp_path / "good.txt")
    with pytest.raises(UsageError, match=f"no such file or directory: {tmp_path / 'nope'}"):
        read_articles([good, tmp_path / "nope"])  # raised by the call, not by iterating


def test_no_paths_and_stdin_twice_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="no paths"):
        read_articles([])
    with pytest.raises(UsageError, match="only once"):
        read_articles(["-", "-"])


def test_empty_folder(tmp_path: Path) -> None:
    (tmp_path / ".hidden").write_text("not counted")
    with pytest.raises(NoArticlesError, match=f"^{tmp_path} is empty$"):
        read_all(tmp_path)


def test_folder_with_nothing_readable(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n")
    skipped: list[ReadError] = []
    with pytest.raises(NoArticlesError, match=f"no readable articles in {tmp_path}"):
        read_all(tmp_path, on_skip=skipped.append)
    assert sorted(e.reason for e in skipped) == ["binary file", "empty file"]
    with pytest.raises(ReadError, match="binary file"):  # without on_skip: the first error
        read_all(tmp_path)


def test_empty_folder_beside_articles_is_only_reported(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    good = _write_text(BODY, tmp_path / "good.txt")
    skipped: list[ReadError] = []
    assert len(read_all(empty, good, on_skip=skipped.append)) == 1
    assert [str(e) for e in skipped] == [f"{empty}: folder is empty"]
    assert len(read_all(empty, good)) == 1


@pytest.mark.parametrize("content", [b"", b"  \n\n\t \r\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError, match="empty file"):
        read_all(path)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"some text\x00\x01\x02\x03 more \x00\x00\xff\xfe\x00", "binary file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (PDF)"),
        (bytes(range(1, 32)) * 50, "binary file"),
    ],
)
def test_binary_file(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError) as caught:
        read_all(path)
    assert caught.value.reason == reason


def test_fifty_megabyte_file_is_refused_by_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: were it read, it would be a "binary file"
    with pytest.raises(ReadError, match="file too big: 52,428,800 bytes; the limit is 20,000,000"):
        read_all(path)


def test_size_limit_comes_from_settings(tmp_path: Path) -> None:
    path = _write_text(BODY, tmp_path / "a.txt")
    small = Settings().replace(max_file_bytes=20)
    with pytest.raises(ReadError, match="too big"):
        read_all(path, settings=small)
    lines = tmp_path / "a.jsonl"  # JSON lines are streamed: the limit is per line
    lines.write_text('{"text": "short"}\n{"text": "' + "long " * 10 + '"}\n')
    skipped: list[ReadError] = []
    assert [a.text for a in read_all(lines, settings=small, on_skip=skipped.append)] == ["short"]
    assert [e.reason for e in skipped] == ["line 2 is longer than 20 bytes"]


def test_one_bad_file_among_good_ones_is_skipped(tmp_path: Path) -> None:
    _write_text(f"Barge Strike Closes The Bridge\n\n{BODY}", tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.html").write_bytes((DATA / "planet.html").read_bytes())
    skipped: list[ReadError] = []
    articles = read_all(tmp_path, on_skip=skipped.append)
    assert [Path(a.source).name for a in articles] == ["a.txt", "c.html"]
    assert [str(e) for e in skipped] == [f"{tmp_path / 'b.txt'}: empty file"]


def test_errors_are_data_errors_with_one_line() -> None:
    assert issubclass(ReadError, DataError) and issubclass(NoArticlesError, DataError)
    assert UsageError("x").exit_code == 2 and ReadError("a", "b").exit_code == 1


# --- standard input and folders ------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "title"),
    [
        (
            f"Barge Strike Closes The Bridge\nJune 14, 2021\n\n{BODY}".encode(),
            "Barge Strike Closes The Bridge",
        ),
        ((DATA / "planet.html").read_bytes(), "Barge strike shuts Marlow Falls bridge for weeks"),
        (b'{"text": "From a pipe.", "title": "Piped"}\n', "Piped"),
        (gzip.compress(b'{"text": "From a pipe.", "title": "Zipped"}\n'), "Zipped"),
    ],
)
def test_stdin(content: bytes, title: str) -> None:
    [article] = read_all("-", stdin=io.BytesIO(content))
    assert article.title == title
    assert article.source.startswith("<stdin>")


def test_read_path_from_stdin_says_the_format() -> None:
    articles, fmt = read_path("-", stdin=io.BytesIO(b"<!doctype html><p>" + BODY.encode()))
    assert fmt is Format.HTML and articles[0].source == "<stdin>"


def test_stdin_jsonl_source_names() -> None:
    articles = read_all("-", stdin=io.BytesIO(b'{"text": "a"}\n{"text": "b", "id": "x"}\n'))
    assert [a.source for a in articles] == ["<stdin>#L1", "<stdin>#x"]


def test_stdin_too_big() -> None:
    small = Settings().replace(max_file_bytes=10)
    with pytest.raises(ReadError, match="<stdin>: file too big"):
        read_all("-", stdin=io.BytesIO(b"A long enough text for the limit."), settings=small)


def test_folder_recursion_sorted_and_hidden_skipped(tmp_path: Path) -> None:
    for relative in [
        "b.txt",
        "a/z.md",
        "a/b/c.txt",
        "a.jsonl",
        "notes",
        ".secret.txt",
        ".git/config.txt",
        "a/.cache/x.txt",
        "page_files/style.css",
    ]:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = '{"text": "x"}\n' if relative.endswith(".jsonl") else f"Text of {relative}."
        path.write_text(text)
    files, passed_over = walk_folder(tmp_path)
    assert [f.relative_to(tmp_path).as_posix() for f in files] == [
        "a/b/c.txt",
        "a/z.md",
        "a.jsonl",
        "b.txt",
        "notes",
    ]
    assert passed_over == 1  # the style sheet
    sources = [a.source for a in read_all(tmp_path)]
    assert sources == [
        str(tmp_path / "a/b/c.txt"),
        str(tmp_path / "a/z.md"),
        f"{tmp_path / 'a.jsonl'}#L1",
        str(tmp_path / "b.txt"),
        str(tmp_path / "notes"),
    ]


def test_reading_is_lazy(tmp_path: Path) -> None:
    _write_text(BODY, tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(b"")
    articles = read_articles([tmp_path])
    assert next(articles).text == BODY  # b.txt not read yet, so no error yet
    with pytest.raises(ReadError, match="empty file"):
        next(articles)


def test_same_input_same_id(tmp_path: Path) -> None:
    first = read_all(DATA / "story.txt")[0]
    copy = tmp_path / "copy.txt"
    copy.write_bytes((DATA / "story.txt").read_bytes().replace(b"\n", b"\r\n"))
    assert read_all(copy)[0].id == first.id


# --- properties ----------------------------------------------------------------------------

HEADERISH = st.sampled_from(
    [
        "Barge Strike Closes The Bridge",
        "# Barge strike closes the bridge",
        "By Ann Lee",
        "By Ann Lee, Reuters",
        "June 14, 2021",
        "Published: 14 June, 2021",
        "Source: The Daily Planet",
        "By Monday the water had gone.",
        "=====",
        "",
    ]
)
LINE = st.one_of(
    HEADERISH,
    st.text(
        alphabet=st.characters(
            blacklist_categories=["Cs"],
            blacklist_characters="\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
        ),
        max_size=80,
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=12))
def test_plain_text_reader_loses_only_the_header_lines_it_consumed(lines: list[str]) -> None:
    text = normalize_text("\n".join(lines))
    header, body = split_header(text)
    assert Counter(body.split()) + Counter(" ".join(header.consumed).split()) == Counter(
        text.split()
    )
    nonblank = [line.strip() for line in text.split("\n") if line.strip()]
    top = nonblank[: HEADER_LINES + 1]  # the header zone, and a Markdown title's underline
    assert all(line.strip() in top for line in header.consumed)
    assert normalize_text(body) == body


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


def _write_text(text: str, path: Path) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_cluster_file_is_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / "clusters.jsonl"
    cluster = {"id": "c1", "documents": [{"text": "One."}, {"text": "Two."}]}
    path.write_text("\n".join(json.dumps(cluster) for _ in range(50)) + "\n")
    skipped: list[ReadError] = []
    with pytest.raises(NoArticlesError):
        read_all(path, on_skip=skipped.append)
    assert [e.reason for e in skipped] == [
        "line 1 is a cluster (has 'documents'), not an article; use `newsdesk batch`"
    ]


SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "multinews"


@pytest.mark.slow
def test_real_documents_read_back_whole(tmp_path: Path) -> None:
    """Documents of the first validation clusters, written as JSON lines and as text files
    (in tmp only), read back with every word of their text."""
    source = SHARED / "validation.jsonl.gz"
    if not source.exists():
        pytest.skip("../shared/data/multinews is not here")
    documents = []
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        for _, line in zip(range(30), handle, strict=False):
            documents += [d["text"] for d in json.loads(line)["documents"] if d["text"].strip()]
    lines = tmp_path / "docs.jsonl"
    lines.write_text("".join(json.dumps({"text": t}) + "\n" for t in documents))
    articles = read_all(lines)
    assert [a.text.split() for a in articles] == [t.split() for t in documents]
    for number, text in enumerate(documents[:40]):
        path = tmp_path / f"doc{number}.txt"
        path.write_text(text, encoding="utf-8")
        header, body = split_header(normalize_text(text))
        [article] = read_all(path)
        assert article.text == body
        assert Counter(body.split()) + Counter(" ".join(header.consumed).split()) == Counter(
            text.split()
        )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_date_parser_returns_iso_or_none(value: str) -> None:
    from datetime import datetime

    for found in (parse_date(value), normalize_date(value)):
        assert found is None or datetime.fromisoformat(found)
    assert parse_meta_line(value) is None or isinstance(parse_meta_line(value), dict)


# -- review: hostile JSON ------------------------------------------------------------------


DEEP = b"[" * 100_000 + b"]" * 100_000  # json.loads raises RecursionError, not ValueError


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl", "deep"])
def test_deeply_nested_json_is_a_read_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(DEEP if name != "deep.jsonl" else b'{"text": "x", "a": ' + DEEP + b"}\n")
    with pytest.raises(ReadError, match="nested too deeply"):
        list(read_articles([path]))


def test_deeply_nested_jsonl_line_is_skipped_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(
        b'{"text": "Water rose."}\n{"text": "x", "a": ' + DEEP + b'}\n{"text": "It fell."}\n'
    )
    skipped: list[ReadError] = []
    texts = [a.text for a in read_articles([path], on_skip=skipped.append)]
    assert texts == ["Water rose.", "It fell."]
    assert [str(e) for e in skipped] == [f"{path}: invalid JSON on line 2: JSON nested too deeply"]


def test_deeply_nested_json_ld_does_not_stop_the_page(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_bytes(
        b"<html><head><title>Dam holds</title><script type='application/ld+json'>"
        + DEEP
        + b"</script></head><body><article><p>"
        + b"The dam held on Monday after a week of rain. " * 6
        + b"</p></article></body></html>"
    )
    (article,) = read_articles([page])
    assert article.text.startswith("The dam held")


@pytest.mark.parametrize(
    "line",
    [
        '{"text": "Water rose \\ud800 overnight."}',  # an escaped lone surrogate
        '{"text": "Water rose overnight.", "title": "Dam \\udfff"}',
    ],
)
def test_lone_surrogates_in_json_are_replaced_not_a_crash(tmp_path: Path, line: str) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    (article,) = read_articles([path])
    assert "\ufffd" in article.text + (article.title or "")
    article.id.encode("utf-8")  # storable: the store encodes every field as UTF-8
    (article.text + (article.title or "")).encode("utf-8")


# -- review: UTF-8 that is almost right -----------------------------------------------------

CAFE = "Café owners said the résumé was naïve, and the rivière était haute. " * 3


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # cut inside its last character (head -c, a capped download): the cut character goes
        (CAFE.encode("utf-8") + "é".encode()[:1], CAFE),
        # one cp1252 quote pasted into UTF-8 text: that byte is read as cp1252
        (CAFE.encode("utf-8") + b"\x93Open\x94", CAFE + "“Open”"),
    ],
)
def test_utf8_with_a_few_bad_bytes_is_not_read_as_cp1252(data: bytes, expected: str) -> None:
    # Read as cp1252 whole, every accented letter came out as mojibake ("CafÃ©").
    assert decode(data) == expected


@pytest.mark.parametrize(
    "text", ["Le maire a dit: \x93la rivière était très haute\x94, à Thônes.", "Le café"]
)
def test_cp1252_text_is_still_cp1252(text: str) -> None:
    assert decode(text.encode("latin-1")) == text.replace("\x93", "“").replace("\x94", "”")
