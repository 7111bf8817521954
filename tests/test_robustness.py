"""Bad and messy input, as users feed it, through the command line.

The standard: bad input gets one line naming the problem, a non-zero exit (1 bad data, 2 bad
usage), no traceback, and nothing already stored is lost; a bad file among good ones is a
one-line warning and the good ones are still read. Every fixture is invented here.
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from newsdesk.cli import main
from newsdesk.desk import Desk
from newsdesk.errors import ReadError
from newsdesk.ingest.clusters import read_clusters
from newsdesk.ingest.feeds import is_url, parse_feed
from newsdesk.ingest.reader import walk_folder
from newsdesk.store import StoreError, open_store

from .conftest import one_line_error as _one_line
from .conftest import run

ARTICLE = (
    "Ferry Service Halted After Pier Fire\n\n"
    "The ferry between Oldham Quay and Brisk Island was halted on Sunday after a fire damaged "
    "the main pier, the harbour authority said. Nobody was hurt. Crews worked through the "
    "night to cool the timbers, and an engineer will inspect the pier on Monday."
)
OTHER = (
    "Island Ferry Suspended\n\n"
    "Ferries to Brisk Island were suspended on Sunday when fire broke out on the main pier at "
    "Oldham Quay, harbour officials said. No injuries were reported. An engineer is due to "
    "inspect the damaged pier on Monday before any decision on reopening."
)


def one_line_error(err: str) -> str:
    return _one_line(err, "newsdesk: error: ")


def clusters_line(cluster_id: str = "c1") -> str:
    documents = [{"text": ARTICLE.split("\n\n", 1)[1]}, {"text": OTHER.split("\n\n", 1)[1]}]
    return json.dumps({"id": cluster_id, "documents": documents, "summary": "A pier burned."})


# -- batch and eval: cluster files ------------------------------------------------------------


def test_batch_output_onto_its_own_input_is_refused_and_the_input_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clusters = tmp_path / "clusters.jsonl"
    clusters.write_text(clusters_line() + "\n", encoding="utf-8")
    before = clusters.read_bytes()
    code, _, err = run(capsys, "batch", "-q", str(clusters), "-o", str(clusters))
    assert code == 2
    assert "clusters.jsonl" in one_line_error(err)
    assert clusters.read_bytes() == before


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[" * 50_000 + "]" * 50_000 + "\n", "line 1"),  # nested too deeply for the parser
        ('{"id": ' + "7" * 5000 + ', "documents": []}\n', "line 1"),  # an integer too long
        ("", "no clusters"),
        ("\n\n", "no clusters"),
    ],
    ids=["deep", "long-integer", "empty", "blank"],
)
def test_batch_bad_cluster_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, expected: str
) -> None:
    clusters = tmp_path / "clusters.jsonl"
    clusters.write_text(body, encoding="utf-8")
    code, _, err = run(capsys, "batch", "-q", str(clusters))
    assert code == 1
    message = one_line_error(err)
    assert "clusters.jsonl" in message and expected in message
    assert "set_int_max_str_digits" not in message  # Python's advice is not the user's


def test_batch_reads_a_byte_order_mark_crlf_and_a_cp1252_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clusters = tmp_path / "clusters.jsonl"
    second = json.loads(clusters_line("c2"))
    second["documents"][0]["text"] += " The caf\u00e9 on the quay stayed shut."
    clusters.write_bytes(
        b"\xef\xbb\xbf"
        + clusters_line("c1").encode("utf-8")
        + b"\r\n"
        + json.dumps(second, ensure_ascii=False).encode("cp1252")
        + b"\r\n"
    )
    code, out, err = run(capsys, "batch", "-q", str(clusters), "--no-analysis")
    assert code == 0, err
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["c1", "c2"]


def test_batch_utf16_cluster_file_names_the_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clusters = tmp_path / "clusters.jsonl"
    clusters.write_bytes((clusters_line() + "\n").encode("utf-16"))
    code, _, err = run(capsys, "batch", "-q", str(clusters))
    assert code == 1
    message = one_line_error(err)
    assert "clusters.jsonl" in message and "UTF-16" in message


def test_read_clusters_names_the_line_of_undecodable_bytes(tmp_path: Path) -> None:
    clusters = tmp_path / "clusters.jsonl"
    clusters.write_bytes(clusters_line().encode() + b"\n" + b'{"id": "\x00\x01\x02\xff\xfe"}\n')
    with pytest.raises(ReadError, match="line 2"):
        list(read_clusters(clusters))


def test_eval_with_no_cluster_to_score_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clusters = tmp_path / "clusters.jsonl"
    record = json.loads(clusters_line())
    del record["summary"]  # nothing to score against
    clusters.write_text(json.dumps(record) + "\n", encoding="utf-8")
    code, out, err = run(
        capsys, "eval", str(clusters), "--systems", "lead", "--workers", "1", "--bootstrap", "5"
    )
    assert code == 1 and out == ""
    assert "reference summary" in one_line_error(err)


# -- brief: files, folders, pipes ---------------------------------------------------------------


def test_a_fifo_in_a_folder_is_passed_over_not_waited_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    files, passed_over = walk_folder(tmp_path)
    assert [f.name for f in files] == ["a.txt"]
    assert passed_over == 1


def test_a_pipe_given_as_a_path_is_read_once(capsys: pytest.CaptureFixture[str]) -> None:
    """``newsdesk brief <(curl ...)``: the shell passes /dev/fd/N, a pipe that reads once."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, ARTICLE.encode("utf-8"))
        os.close(write_end)
        code, out, err = run(capsys, "brief", f"/dev/fd/{read_end}", "--no-analysis")
    finally:
        os.close(read_end)
    assert code == 0, err
    assert "Ferry Service Halted" in out


def test_good_files_next_to_bad_ones_are_still_briefed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mixed news"  # a space in the name, too
    (folder / "sub" / "deeper").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "sub" / "deeper" / "b\u00e9.txt").write_text(OTHER, encoding="utf-16")
    (folder / "empty.html").write_bytes(b"")
    (folder / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "packed.txt").write_bytes(gzip.compress(b"\x00\x01\x02" * 50))
    (folder / "cut.jsonl").write_text('{"text": "The pier', encoding="utf-8")
    (folder / "cookies.html").write_text(
        "<html><body><div>We use cookies. Accept all. Manage preferences.</div></body></html>",
        encoding="utf-8",
    )
    (folder / "loop").symlink_to(folder / "loop")
    os.mkfifo(folder / "pipe.txt")
    code, out, err = run(capsys, "brief", str(folder), "-f", "json", "--no-analysis")
    assert code == 0, err
    assert len(json.loads(out)["articles"]) == 2
    warnings = err.strip().splitlines()
    assert warnings and all(w.startswith("newsdesk: warning: skipped ") for w in warnings)
    assert "Traceback" not in err


def test_an_unreadable_file_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text(OTHER, encoding="utf-8")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root: permissions do not stop reading")
        code, out, err = run(capsys, "brief", str(tmp_path), "-f", "json", "--no-analysis")
    finally:
        locked.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert code == 0
    assert "locked.txt" in err and len(json.loads(out)["articles"]) == 1


def test_text_without_common_english_words_is_not_said_to_look_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "tags.txt"
    words = "pier fire ferry harbour quay island engineer timbers crews inspection".split()
    listing.write_text(" ".join(words[i % 10] for i in range(3000)) + ".", encoding="utf-8")
    code, _, err = run(capsys, "brief", str(listing))
    assert code == 1
    assert "looks like 'en'" not in err and "Traceback" not in err


def test_a_huge_integer_in_jsonl_is_named_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text(
        json.dumps({"text": ARTICLE}) + "\n" + '{"text": "x", "id": ' + "9" * 5000 + "}\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "brief", str(dump), "--no-analysis")
    assert code == 0
    (warning,) = err.strip().splitlines()
    assert "line 2" in warning and "set_int_max_str_digits" not in warning


def test_nul_and_control_characters_in_jsonl_text_are_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PostgreSQL refuses NUL in text: one such record would fail a whole batch there.
    dump = tmp_path / "dump.jsonl"
    dump.write_text(
        json.dumps(
            {"text": "The pier\u0000 burned on Sunday\u0007, officials said.", "title": "P\u0000"}
        )
        + "\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "brief", str(dump), "-f", "json", "--no-analysis")
    assert code == 0
    data = json.loads(out)
    assert data["summary"][0]["text"] == "The pier burned on Sunday, officials said."
    assert data["articles"][0]["title"] == "P"


# -- feeds and URLs ---------------------------------------------------------------------------


def test_a_malformed_url_is_a_url_not_a_traceback() -> None:
    assert is_url("http://[::1")
    assert not is_url("notes/[draft.txt")


def test_broken_feed_with_nothing_usable_is_an_error() -> None:
    broken = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>Pier fire<description>The pier burned.</item></channel>"
    )
    with pytest.raises(ReadError, match="broken XML"):
        parse_feed(broken, "feed.xml")


def test_ingest_bad_sources_each_warn_once_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "desk.db")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    code, _, err = run(
        capsys,
        "ingest",
        "--db",
        db,
        str(tmp_path / "empty.txt"),
        str(tmp_path / "photo.txt"),
        "http://[::1",
    )
    assert code == 1 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 4, err  # one warning per source, then the summary
    assert lines[-1].endswith("3 unreadable, skipped")


@pytest.mark.parametrize("every", ["inf", "1e309", "1e12"])
def test_watch_every_must_be_a_usable_interval(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], every: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["watch", "--db", str(tmp_path / "w.db"), "--every", every, "feed.xml"])
    assert exit_.value.code == 2
    assert "--every" in capsys.readouterr().err


# -- the store ----------------------------------------------------------------------------------


def test_show_an_empty_story_id_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "desk.db")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert run(capsys, "ingest", "--db", db, str(tmp_path / "a.txt"))[0] == 0
    code, out, err = run(capsys, "show", "", "--db", db)
    assert code == 2 and out == ""
    assert "story" in one_line_error(err)


def test_another_programs_sqlite_file_is_refused_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "places.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE places (url TEXT)")
        connection.execute("INSERT INTO places VALUES ('https://example.org/')")
    connection.close()
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    for command in (["ingest", str(tmp_path / "a.txt")], ["stories"]):
        code, _, err = run(capsys, *command, "--db", str(other))
        assert code == 1
        assert "places.sqlite" in one_line_error(err)
    with sqlite3.connect(other) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    connection.close()
    assert tables == {"places"}


def test_another_programs_sqlite_file_is_refused_by_the_library(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE articles (x)")
    connection.close()
    with pytest.raises(StoreError, match="not a newsdesk database"):
        open_store(str(other))


def test_two_desks_writing_one_store_find_each_others_copies(tmp_path: Path) -> None:
    """Two ``newsdesk ingest`` at once: the second sees what the first stored meanwhile."""
    from newsdesk.models import Article

    db = str(tmp_path / "desk.db")
    original = Article.create(source="wire.txt", text=ARTICLE.split("\n\n", 1)[1])
    copy = Article.create(
        source="copy.txt", text=ARTICLE.split("\n\n", 1)[1] + " Reporting by the wire."
    )
    with open_store(db) as first_store, open_store(db) as second_store:
        first, second = Desk(first_store), Desk(second_store)
        first.add([Article.create(source="x.txt", text=OTHER)])
        second.add([Article.create(source="y.txt", text="Unrelated: the choir sang at noon.")])
        first.add([original])  # the second desk has loaded its state already
        report = second.add([copy])
        assert report.duplicates == 1
        arrivals = [r[0] for r in second_store._execute("SELECT arrival FROM articles")]
    assert len(arrivals) == len(set(arrivals)) == 4


@pytest.mark.parametrize("command", [["stories"], ["show", "s1"]])
def test_reading_a_database_that_does_not_exist_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    typo = tmp_path / "dsek.db"
    code, out, err = run(capsys, *command, "--db", str(typo))
    assert code == 2 and out == ""
    assert "dsek.db" in one_line_error(err)
    assert not typo.exists()


def test_a_feed_given_to_brief_is_named_not_briefed_as_markup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = tmp_path / "wire.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item>'
        "<title>Pier fire</title><description>The pier burned on Sunday, officials said, "
        "and the ferry stopped.</description></item></channel></rss>",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    code, out, err = run(capsys, "brief", str(feed), str(tmp_path / "a.txt"), "--no-analysis")
    assert code == 0 and "<item>" not in out
    (warning,) = err.strip().splitlines()
    assert "wire.xml" in warning and "RSS feed" in warning and "newsdesk ingest" in warning


def test_brief_output_onto_an_input_file_is_refused_and_the_input_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    code, _, err = run(capsys, "brief", str(article), "-o", str(article))
    assert code == 2 and "a.txt" in one_line_error(err)
    assert article.read_text(encoding="utf-8") == ARTICLE


def test_one_bad_item_of_a_json_array_does_not_lose_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.json"
    export.write_text(json.dumps([{"text": ARTICLE}, {"text": None}, 5]), encoding="utf-8")
    code, out, err = run(capsys, "brief", str(export), "-f", "json", "--no-analysis")
    assert code == 0
    assert len(json.loads(out)["articles"]) == 1
    assert [line.split(": ", 3)[-1] for line in err.strip().splitlines()] == [
        "item 2: field 'text' must be a string, got null",
        "item 3 is not a JSON object but int",
    ]


def test_an_id_with_a_line_break_stays_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps({"text": ARTICLE, "id": "wire\n42"}) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "brief", str(dump), "-f", "json", "--no-analysis")
    assert code == 0
    assert json.loads(out)["articles"][0]["source"].endswith("dump.jsonl#wire 42")


def test_urls_of_other_schemes_are_named_not_taken_for_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = tmp_path / "list.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline text="a" xmlUrl="ftp://files.example/news.rss"/></body></opml>',
        encoding="utf-8",
    )
    db = str(tmp_path / "desk.db")
    code, _, err = run(capsys, "ingest", "--db", db, str(opml), "ftp://files.example/b.rss")
    assert code == 1
    warnings = err.strip().splitlines()[:-1]
    assert len(warnings) == 2, err
    assert all("unsupported URL scheme 'ftp'" in w for w in warnings)
    assert "ftp://files.example/news.rss" in warnings[0]


def test_a_page_with_a_cookie_banner_and_an_article_is_still_read(tmp_path: Path) -> None:
    from newsdesk.ingest import read_articles

    body = ARTICLE.split("\n\n", 1)[1]
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Ferry halted</title></head><body>"
        "<div>We and our partners use cookies to personalise content. Accept all cookies.</div>"
        f"<article><p>{body}</p><p>{body.replace('Sunday', 'Monday')}</p></article>"
        "</body></html>",
        encoding="utf-8",
    )
    (article,) = read_articles([page])
    assert "harbour authority" in article.text


def test_gzip_damaged_midway_on_standard_input_is_a_warning(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    lines = "".join(
        json.dumps({"text": f"{ARTICLE} Update {i} came at noon.", "id": i}) + "\n"
        for i in range(400)
    )
    packed = bytearray(gzip.compress(lines.encode("utf-8")))
    packed[-8:-4] = bytes(4)  # the CRC: noticed only once everything has been read
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(bytes(packed))))
    code, out, err = run(capsys, "brief", "-", "--no-analysis")
    assert "Traceback" not in err
    assert "damaged gzip data" in err
    assert code == 0 and out


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_is_one_line_for_every_writer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    clusters = tmp_path / "clusters.jsonl"
    clusters.write_text(clusters_line() + "\n", encoding="utf-8")
    code, _, err = run(capsys, "batch", "-q", str(clusters), "-o", "/dev/full", "--no-analysis")
    assert code == 2 and "No space left" in one_line_error(err)
    for command in (["brief", str(tmp_path / "a.txt")], ["batch", "-q", str(clusters)]):
        # a new handle each time: after a failure the CLI points the old one at /dev/null
        with open("/dev/full", "w", encoding="utf-8") as full:
            monkeypatch.setattr(sys, "stdout", full)
            code, _, err = run(capsys, *command, "--no-analysis")
            monkeypatch.undo()
        assert code == 2 and "cannot write standard output" in one_line_error(err)


def test_a_source_failing_midway_keeps_its_stored_articles_in_the_counts(tmp_path: Path) -> None:
    lines = "".join(
        json.dumps({"text": f"Report {i}: the {i}th ferry of the week sailed late.", "id": i})
        + "\n"
        for i in range(3000)  # past the first 64 KB the reader sniffs: read line by line
    )
    packed = bytearray(gzip.compress(lines.encode("utf-8")))
    packed[-8:-4] = bytes(4)  # a wrong CRC, noticed after the last line
    dump = tmp_path / "dump.jsonl.gz"
    dump.write_bytes(bytes(packed))
    warnings: list[str] = []
    with open_store(str(tmp_path / "desk.db")) as store:
        report = Desk(store, batch_size=500).ingest([str(dump)], on_warning=warnings.append)
        stored = store.count_articles()
        (run_row,) = store.runs()
    assert stored == 3000 and report.added == 3000
    assert run_row["added"] == 3000 and run_row["errors"] == 1
    assert len(warnings) == 1 and "damaged gzip data" in warnings[0]


# -- options ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["brief", "examples/bridge-collapse", "--words", "0"],
        ["brief"],
        ["no-such-command"],
        ["brief", "examples/bridge-collapse", "--format", "pdf"],
    ],
)
def test_a_usage_error_is_one_line_not_a_usage_block(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and ": error: " in lines[0] and "--help" in lines[0], lines


def test_evaluate_as_a_library_refuses_a_file_with_nothing_to_score(tmp_path: Path) -> None:
    from newsdesk.errors import DataError
    from newsdesk.evaluate import evaluate

    clusters = tmp_path / "clusters.jsonl"
    record = json.loads(clusters_line())
    del record["summary"]
    clusters.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="reference summary"):
        evaluate(clusters, systems=["lead"], workers=1, bootstrap=5)
