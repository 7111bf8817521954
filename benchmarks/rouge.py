"""ROUGE of newsdesk and its peers, as the Markdown table docs/benchmarks.md shows.

    python benchmarks/rouge.py ../shared/data/multinews/test-fulltext200.jsonl.gz
    python benchmarks/rouge.py ../shared/data/multinews/test.jsonl.gz -o test.json

The same harness as ``newsdesk eval`` (``newsdesk.evaluate.evaluate``): every system gets the
same prepared sentences and a budget of whole sentences within ``--words`` words.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def markdown(result: dict[str, Any]) -> str:
    rows = [
        "| system | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | median ms |",
        "|---|---|---|---|---|",
    ]
    for system, entry in result["systems"].items():
        cells = [
            f"{entry[m]['mean']:.2f} [{entry[m]['low']:.2f}, {entry[m]['high']:.2f}]"
            for m in ("rouge1", "rouge2", "rougeLsum")
        ]
        rows.append(f"| {system} | " + " | ".join(cells) + f" | {entry['median_ms']:.1f} |")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    from newsdesk.evaluate import DEFAULT_SYSTEMS, evaluate

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("clusters", type=Path)
    parser.add_argument("--systems", default=",".join(DEFAULT_SYSTEMS))
    parser.add_argument("--words", type=int, default=250)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("-o", "--output", type=Path, default=None)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = evaluate(
        args.clusters,
        systems=args.systems.split(","),
        words=args.words,
        limit=args.limit,
        bootstrap=args.bootstrap,
        workers=args.workers,
        progress=sys.stderr.isatty(),
    )
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(
        f"{result['clusters']} clusters of {args.clusters.name}, {args.words} words, "
        f"95% bootstrap CIs ({args.bootstrap} samples), {result['seconds']} s"
    )
    print(markdown(result))
    if args.output:
        args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
