"""``newsdesk eval``: ROUGE of newsdesk and its peers on a Multi-News-style cluster file."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path
from typing import Any

from ..errors import DataError, UsageError
from . import positive_int
from .brief import write_output


def _table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['clusters']} clusters of {result['file']}, {result['words']} words",
        f"{'system':<10} {'ROUGE-1':>22} {'ROUGE-2':>22} {'ROUGE-Lsum':>22} {'ms':>8}",
    ]
    for system, entry in result["systems"].items():
        cells = [
            f"{entry[m]['mean']:6.2f} [{entry[m]['low']:5.2f}, {entry[m]['high']:5.2f}]"
            for m in ("rouge1", "rouge2", "rougeLsum")
        ]
        lines.append(
            f"{system:<10} " + " ".join(f"{c:>22}" for c in cells) + f" {entry['median_ms']:8.1f}"
        )
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from ..evaluate import evaluate

    path = Path(args.clusters)
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    if not systems:
        raise UsageError("--systems needs at least one system")
    # numpy warns about the mean of nothing when no cluster could be scored; that case is
    # said below in one line, any other warning is passed on as it came
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = evaluate(
            path,
            systems=systems,
            words=args.words,
            limit=args.limit,
            bootstrap=args.bootstrap,
            workers=args.workers,
            progress=sys.stderr.isatty(),
        )
    if not result["clusters"]:
        raise DataError(f"{path}: no cluster with a reference summary ('summary') to score")
    for warning in caught:
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    write_output(_table(result), None)
    if args.output:
        write_output(json.dumps(result, indent=2) + "\n", args.output)
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="ROUGE of newsdesk and peer summarizers on a cluster file",
        description=(
            "Score summarizers with ROUGE-1/2/Lsum F1 (rouge-score, stemmed) against the "
            "reference summaries of a Multi-News-style JSONL(.gz) cluster file; every system "
            "returns whole sentences within the same word budget. Prints means with 95% "
            "bootstrap confidence intervals."
        ),
    )
    parser.add_argument("clusters", metavar="CLUSTERS", help="JSONL(.gz) file of clusters")
    parser.add_argument(
        "--systems",
        default="newsdesk,lead,lexrank,textrank,oracle",
        help="comma-separated summarizers, plus 'oracle' (default: %(default)s)",
    )
    parser.add_argument("--words", type=positive_int, default=250, help="word budget (250)")
    parser.add_argument("--limit", type=positive_int, default=None, help="first N clusters only")
    parser.add_argument(
        "--bootstrap", type=positive_int, default=1000, help="bootstrap samples for the 95%% CIs"
    )
    parser.add_argument("--workers", type=positive_int, default=2, help="processes (2)")
    parser.add_argument("-o", "--output", metavar="FILE", help="also write the results as JSON")
    parser.set_defaults(func=run)
