from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from newsdesk.models import Article, Sentence

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
EXAMPLE = ROOT / "examples" / "bridge-collapse"


@pytest.fixture
def shared_data() -> Path:
    if not (SHARED_DATA / "multinews").is_dir():
        pytest.skip("../shared/data/multinews is not beside the repository")
    return SHARED_DATA


def sentence_story(
    *texts: list[str], outlets: Sequence[str | None] = ()
) -> tuple[list[Article], dict[str, tuple[Sentence, ...]]]:
    """Articles made of the given sentences, with offsets that match (summarizer tests);
    ``outlets`` names the outlet of each article (claims tests)."""
    articles, sentences = [], {}
    for n, parts in enumerate(texts):
        outlet = outlets[n] if n < len(outlets) else None
        article = Article.create(source=f"a{n}.txt", text=" ".join(parts), outlet=outlet)
        rows, start = [], 0
        for i, part in enumerate(parts):
            rows.append(Sentence(article.id, i, start, start + len(part), part))
            start += len(part) + 1
        articles.append(article)
        sentences[article.id] = tuple(rows)
    return articles, sentences


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``newsdesk ARGV...`` in this process: exit code, standard output, standard error."""
    from newsdesk.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str, prefix: str = "") -> str:
    """The one line of ``err`` (no traceback), which starts with ``prefix``."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err and lines[0].startswith(prefix), err
    return lines[0]
