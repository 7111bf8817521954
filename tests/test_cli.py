"""The command line: every bad input ends in one line and exit 1 or 2, never a traceback."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.cli import main

from .conftest import EXAMPLE, one_line_error, run

STORY = [
    (
        "Harbour cranes stop as dock workers walk out\n\n"
        "Dock workers at the port of Calder walked off the job on Tuesday, stopping all twelve "
        "container cranes in a dispute over night shifts. The Calder Dockworkers Union said 640 "
        "members joined the strike. Port director Alma Reyes said ships would be diverted to "
        "Westhaven until the dispute is settled. Talks are set to resume on Friday."
    ),
    (
        "Calder port strike halts cranes\n\n"
        "All twelve container cranes at Calder port stood still on Tuesday after dock workers "
        "went on strike over night shifts. About 640 union members joined the walkout, the union "
        "said. Ships are being diverted to Westhaven, port director Alma Reyes said. Local "
        "shops near the docks reported fewer customers as the strike began."
    ),
]


@pytest.fixture
def story(tmp_path: Path) -> Path:
    folder = tmp_path / "story"
    folder.mkdir()
    for i, text in enumerate(STORY):
        (folder / f"a{i}.txt").write_text(text, encoding="utf-8")
    return folder


def test_brief_markdown_cites_sources(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "brief", str(story))
    assert code == 0
    assert out.startswith("# ")
    assert "## Sources" in out
    assert "[1]" in out and "[2]" in out


def test_brief_json_contract(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "brief", str(story), "--format", "json", "--words", "40")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"title", "summary", "articles"}
    assert sum(len(s["text"].split()) for s in data["summary"]) <= 40
    ids = {a["id"] for a in data["articles"]}
    for sentence in data["summary"]:
        assert set(sentence) == {"text", "citations"}
        for citation in sentence["citations"]:
            assert set(citation) == {"article", "sentence"}
            assert citation["article"] in ids
    for article in data["articles"]:
        assert set(article) == {
            "id", "source", "outlet", "title", "published", "words", "duplicate_of"
        }  # fmt: skip


def test_output_file_and_html_escaping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "a.txt"
    page.write_text(
        "Council <b>meets</b> on budget\n\nThe council met on Monday to vote on a budget of "
        "<script>alert(1)</script> $4 million for roads & bridges, officials said.",
        encoding="utf-8",
    )
    target = tmp_path / "brief.html"
    code, out, _ = run(capsys, "brief", str(page), "--format", "html", "-o", str(target))
    assert code == 0 and out == ""
    html = target.read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_missing_path(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "brief", "/no/such/place.txt")
    assert code == 2
    assert "/no/such/place.txt" in one_line_error(err)


def test_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "brief", str(tmp_path))
    assert code in (1, 2)
    assert str(tmp_path) in one_line_error(err)


def test_folder_with_nothing_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "photo.bin").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "empty.txt").write_text("")
    code, _, err = run(capsys, "brief", str(tmp_path))
    assert code == 1
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("newsdesk: error:")


def test_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code, _, err = run(capsys, "brief", str(empty))
    assert code == 1
    assert "empty" in err and "Traceback" not in err


def test_binary_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blob = tmp_path / "photo.txt"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    code, _, err = run(capsys, "brief", str(blob))
    assert code == 1
    assert "binary" in err and "Traceback" not in err


def test_huge_text_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("w") as handle:
        line = "The quick brown fox jumps over the lazy dog near the river bank. " * 100 + "\n"
        while handle.tell() < 50_000_000:
            handle.write(line)
    code, _, err = run(capsys, "brief", str(huge))
    assert code == 1
    assert "huge.txt" in err and "Traceback" not in err


def test_invalid_json_names_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps({"text": STORY[0]}) + "\n" + '{"text": "broken\n', encoding="utf-8")
    code, _, err = run(capsys, "brief", str(dump))
    assert "line 2" in err and "Traceback" not in err
    # the good line is still briefed, the bad one a warning
    assert code == 0


def test_invalid_json_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text('{"text": "fine but short"}\n{oops\n', encoding="utf-8")
    code, _, err = run(capsys, "brief", str(dump))
    assert code == 1
    assert "line 2" in err and "Traceback" not in err


def test_wrong_field_types(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps({"text": 42, "title": ["x"]}) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "brief", str(dump))
    assert code == 1
    assert "text" in err and "Traceback" not in err


def test_not_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    german = tmp_path / "de.txt"
    german.write_text(
        "Hafenarbeiter legen die Arbeit nieder\n\nDie Hafenarbeiter in Calder haben am Dienstag "
        "die Arbeit niedergelegt. Alle zwölf Kräne stehen still, wie die Gewerkschaft mitteilte. "
        "Die Schiffe werden nach Westhaven umgeleitet, sagte die Hafendirektorin.",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "brief", str(german))
    assert code == 1
    assert "English" in err and "Traceback" not in err


def test_single_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = tmp_path / "one.txt"
    one.write_text(STORY[0], encoding="utf-8")
    code, out, _ = run(capsys, "brief", str(one), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["summary"]
    assert {c["article"] for s in data["summary"] for c in s["citations"]} == {
        data["articles"][0]["id"]
    }


def test_one_bad_file_among_good(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (story / "broken.jsonl").write_text("{nope\n", encoding="utf-8")
    code, out, err = run(capsys, "brief", str(story), "--format", "json")
    assert code == 0
    assert "warning" in err and "broken.jsonl" in err
    assert len(json.loads(out)["articles"]) == 2


def test_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    fake = io.TextIOWrapper(io.BytesIO(STORY[1].encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    code, out, _ = run(capsys, "brief", "-")
    assert code == 0 and "Calder" in out


def test_bad_words_is_usage_error(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["brief", str(story), "--words", "zero"])
    assert exit_info.value.code == 2


def test_unknown_summarizer(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "brief", str(story), "--summarizer", "lexrnk")
    assert code == 2
    assert "lexrnk" in one_line_error(err)


def test_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clusters = tmp_path / "clusters.jsonl.gz"
    with gzip.open(clusters, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "c1", "documents": [{"text": t} for t in STORY]}) + "\n")
        handle.write(json.dumps({"id": "c2", "documents": [{"text": ""}]}) + "\n")
    out_file = tmp_path / "out.jsonl"
    code, _, _ = run(capsys, "batch", str(clusters), "--words", "30", "-o", str(out_file))
    assert code == 0
    lines = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["c1", "c2"]
    assert lines[0]["summary"] and len(lines[0]["summary"].split()) <= 30
    assert lines[0]["summary"].split("\n")[0] == lines[0]["brief"]["summary"][0]["text"]
    assert lines[1]["brief"] is None and "error" in lines[1]


def test_batch_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clusters = tmp_path / "clusters.jsonl"
    clusters.write_text('{"id": "c1", "documents": []}\n[1, 2]\n', encoding="utf-8")
    code, _, err = run(capsys, "batch", str(clusters))
    assert code == 1
    assert "line 2" in err


def test_example_story_runs_as_a_user_would() -> None:
    """The README's first command, as a subprocess: no traceback, a cited brief."""
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "brief", str(EXAMPLE)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "## Sources" in result.stdout


def test_no_analysis_leaves_out_the_sections(
    story: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "brief", str(story), "--format", "json")
    assert code == 0 and "quotes" in json.loads(out)
    code, out, _ = run(capsys, "brief", str(story), "--format", "json", "--no-analysis")
    assert code == 0 and set(json.loads(out)) == {"title", "summary", "articles"}
