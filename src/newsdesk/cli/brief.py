"""``newsdesk brief`` and ``newsdesk batch``."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import ReadError, UsageError
from . import positive_int

DEFAULTS = Settings()


def _warn(error: ReadError) -> None:
    print(f"newsdesk: warning: skipped {error}", file=sys.stderr)


def write_output(text: str, output: str | None) -> None:
    """Write ``text`` to ``output`` (a path) or standard output."""
    if output is None or output == "-":
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # `| head`: the reader has all it wants; the CLI exits quietly
        except OSError as error:
            raise write_error(None, error) from None
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise write_error(output, error) from None


def write_error(output: str | None, error: OSError) -> UsageError:
    """The one-line error for output that could not be written (a full disk, a bad path).

    For standard output, what is still buffered there is dropped first: Python's own flush
    at exit would fail again and print a traceback-like "Exception ignored" block.
    """
    if output is None or output == "-":
        output = "standard output"
        with contextlib.suppress(OSError, ValueError):  # no real stdout (tests): nothing to do
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return UsageError(f"cannot write {output}: {error.strerror or error}")


def _same_file(a: str, b: str) -> bool:
    """Whether two paths name one existing file (through links and ``..`` too)."""
    try:
        return Path(a).samefile(b)
    except OSError:
        return False


def _settings(args: argparse.Namespace) -> Settings:
    return Settings().replace(
        words=args.words, summarizer=args.summarizer, analyze=not args.no_analysis
    )


def run_brief(args: argparse.Namespace) -> int:
    from ..ingest import read_articles
    from ..pipeline import brief
    from ..render import render

    settings = _settings(args)
    if args.output not in (None, "-"):
        for path in args.paths:
            if _same_file(args.output, path):
                raise UsageError(f"-o {args.output} is an input file; write the brief elsewhere")
    articles = read_articles(args.paths, settings=settings, on_skip=_warn)
    result = brief(articles, settings, on_skip=_warn)
    write_output(render(result, args.format), args.output)
    return 0


def run_batch(args: argparse.Namespace) -> int:
    from ..pipeline import brief_clusters

    settings = _settings(args)
    if args.output not in (None, "-") and _same_file(args.output, args.clusters):
        # opened for writing first, the input would be emptied before its first line is read
        raise UsageError(f"-o {args.output} is the input file; write the briefs elsewhere")
    progress = sys.stderr.isatty() and not args.quiet
    skipped: list[ReadError] = []  # one line at the end, not one per noisy document
    records = brief_clusters(args.clusters, settings, progress=progress, on_skip=skipped.append)
    failed = 0
    try:
        handle = (
            nullcontext(sys.stdout)
            if args.output in (None, "-")
            else open(  # noqa: SIM115
                args.output, "w", encoding="utf-8"
            )
        )
    except OSError as error:
        raise write_error(args.output, error) from None
    try:
        with handle as out:
            for record in records:
                failed += "error" in record
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
    except BrokenPipeError:
        raise
    except OSError as error:  # the disk filled up: the lines written so far stay
        raise write_error(args.output, error) from None
    if skipped:
        print(
            f"newsdesk: warning: skipped {len(skipped)} document(s), e.g. {skipped[0]}",
            file=sys.stderr,
        )
    if failed:
        print(f"newsdesk: warning: {failed} cluster(s) had no usable article", file=sys.stderr)
    return 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--words", type=positive_int, default=DEFAULTS.words, metavar="N",
        help=f"word budget of the summary (default {DEFAULTS.words})",
    )  # fmt: skip
    parser.add_argument(
        "--summarizer", default=DEFAULTS.summarizer, metavar="NAME",
        help="which summarizer picks the sentences (default %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--no-analysis", action="store_true",
        help="summary and sources only: no quotes, claims, conflicts, numbers, timeline",
    )  # fmt: skip
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "brief",
        help="brief one story from articles: a cited, verbatim summary and its sources",
        description="Treat every article given as one story and write its brief.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="file, folder, or - for stdin")
    p.add_argument(
        "-f", "--format", default="markdown", choices=("markdown", "json", "html"),
        help="output format (default markdown)",
    )  # fmt: skip
    _common(p)
    p.set_defaults(func=run_brief)

    b = subparsers.add_parser(
        "batch",
        help="brief every cluster of a JSONL(.gz) cluster file, one JSON line each",
        description="Read one cluster a line ({id, documents: [{text, ...}]}) and write "
        '{"id", "summary", "brief"} a line.',
    )
    b.add_argument("clusters", metavar="CLUSTERS.jsonl[.gz]")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    _common(b)
    b.set_defaults(func=run_batch, words=DEFAULTS.words)
