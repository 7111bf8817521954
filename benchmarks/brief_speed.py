"""How long `newsdesk brief` takes on a five-article story, start-up included, and what the
analysis sections add.

    .venv/bin/python benchmarks/brief_speed.py [--runs 15]

Part 1 runs the command as a user does (a new process each time: interpreter start-up, imports,
reading two saved web pages, two text files and one JSONL line) and reports the median wall
time, with and without `--no-analysis` run alternately (so the analysis's import cost is
counted too; what it adds is the median of the paired differences), next to
a bare `python -c pass` start as the peer measured in the same run.
Part 2 times, in one process, `brief` with and without the analysis (quotes, entities, claims,
numbers, timeline, conflicts) on the same five articles and reports the median difference.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "bridge-collapse"
FILES = ("millbrook-courier.html", "riverside-herald.html", "state-ledger.txt", "wkbr-news.txt")


def five_article_story(folder: Path) -> Path:
    """Four files of the example story plus the first line of its JSONL: five articles."""
    for name in FILES:
        shutil.copy(EXAMPLE / name, folder / name)
    first = (EXAMPLE / "wire-and-trade-press.jsonl").read_text(encoding="utf-8").splitlines()[0]
    (folder / "wire.jsonl").write_text(first + "\n", encoding="utf-8")
    return folder


def wall(command: list[str], runs: int, env: dict[str, str] | None = None) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return times


def in_process(folder: Path, runs: int) -> tuple[list[float], list[float]]:
    from newsdesk import Settings, brief, read_articles

    articles = list(read_articles([folder]))
    assert len(articles) == 5, len(articles)
    with_analysis, without = [], []
    for _ in range(runs):
        for analyze, bucket in ((True, with_analysis), (False, without)):
            start = time.perf_counter()
            brief(articles, Settings(analyze=analyze))
            bucket.append(time.perf_counter() - start)
    return with_analysis, without


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--bytecode",
        action="store_true",
        help="let the interpreter cache compiled modules, as an installed package does (in a "
        "fresh cache folder, PYTHONPYCACHEPREFIX, so no stale cache of the source tree is "
        "read); without it the environment decides: PYTHONDONTWRITEBYTECODE=1 writes no "
        "cache, so a module without one (a fresh clone) is compiled from source at every "
        "start, but caches already in the tree are still read",
    )
    args = parser.parse_args()
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        if args.bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        folder = five_article_story(Path(tmp))
        newsdesk = [sys.executable, "-m", "newsdesk", "brief", str(folder)]
        wall([*newsdesk], 2, env)  # warm the file cache (and the bytecode cache, if allowed)
        # Interleaved, so drift on a shared machine hits both alike; the difference is the
        # median of the paired differences (blocks of runs gave anything from -5 to 206 ms).
        cli, cli_bare = [], []
        for _ in range(args.runs):
            cli.extend(wall(newsdesk, 1, env))
            cli_bare.extend(wall([*newsdesk, "--no-analysis"], 1, env))
        bare = wall([sys.executable, "-c", "pass"], args.runs, env)
        with_analysis, without = in_process(folder, args.runs)
    result = {
        "runs": args.runs,
        "bytecode_cache": "PYTHONDONTWRITEBYTECODE" not in env,
        "cli_wall_median_s": round(statistics.median(cli), 3),
        "cli_wall_max_s": round(max(cli), 3),
        "cli_no_analysis_median_s": round(statistics.median(cli_bare), 3),
        "cli_analysis_adds_median_ms": round(
            1000 * statistics.median(a - b for a, b in zip(cli, cli_bare, strict=True)), 1
        ),
        "python_startup_median_s": round(statistics.median(bare), 3),
        "brief_in_process_median_ms": round(1000 * statistics.median(with_analysis), 1),
        "brief_without_analysis_median_ms": round(1000 * statistics.median(without), 1),
        "analysis_adds_median_ms": round(
            1000 * (statistics.median(with_analysis) - statistics.median(without)), 1
        ),
        "analysis_ratio": round(statistics.median(with_analysis) / statistics.median(without), 2),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
