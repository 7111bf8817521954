"""Shared by the gold-set evaluations (analysis_eval.py, conflicts_eval.py): where the gold
labels and the labelled clusters are, and how offsets in cleaned text map back to raw text."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "data" / "analysis_gold"
DATA = ROOT.parent / "shared" / "data" / "multinews" / "test-fulltext200.jsonl.gz"


def read_clusters(lines: set[int], path: Path = DATA) -> dict[int, dict[str, Any]]:
    """Clusters of the JSONL.gz file ``path`` (test-fulltext200 by default) by line (1-based)."""
    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            if i in lines:
                out[i] = json.loads(line)
            if i >= max(lines):
                break
    return out


class OffsetMap:
    """Maps offsets in a cleaned text back to the raw text it was cleaned from."""

    def __init__(self, clean: str, raw: str) -> None:
        self.pieces: list[tuple[int, int, int]] = []  # clean start, raw start, length
        pos = cursor = 0
        for line in clean.split("\n"):
            at = raw.find(line, cursor) if line else -1
            if at < 0 and line:
                at = raw.find(line)
            if at >= 0:
                self.pieces.append((pos, at, len(line)))
                cursor = at + len(line)
            pos += len(line) + 1

    def __call__(self, offset: int) -> int | None:
        for cs, rs, n in self.pieces:
            if cs <= offset <= cs + n:
                return rs + offset - cs
        return None
