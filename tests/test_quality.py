"""A pinned quality floor: ROUGE of ``newsdesk`` on the first 200 validation clusters.

Fails when a change makes the summaries worse than ``tests/data/quality_baseline.json``
by more than its tolerance. Refresh the baseline (on validation only, never test) with:

    python tests/test_quality.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "multinews"
BASELINE = Path(__file__).resolve().parent / "data" / "quality_baseline.json"
CLUSTERS = 200
TOLERANCE = 0.5  # ROUGE points; run-to-run the figures are exact, pipeline tweaks move ~0.2


def measure() -> dict[str, float]:
    from newsdesk.evaluate import evaluate

    result = evaluate(
        DATA / "validation.jsonl.gz",
        systems=["newsdesk"],
        words=250,
        limit=CLUSTERS,
        bootstrap=1,
        workers=2,
    )
    entry = result["systems"]["newsdesk"]
    return {m: round(entry[m]["mean"], 2) for m in ("rouge1", "rouge2", "rougeLsum")}


@pytest.mark.slow
def test_rouge_does_not_drop_below_the_baseline() -> None:
    if not (DATA / "validation.jsonl.gz").is_file():
        pytest.skip("Multi-News validation data not found beside the repository")
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    scores = measure()
    for metric, floor in baseline["newsdesk"].items():
        assert scores[metric] >= floor - TOLERANCE, (
            f"{metric} fell to {scores[metric]:.2f} from the pinned {floor:.2f}"
        )


if __name__ == "__main__":
    figures = {"clusters": CLUSTERS, "words": 250, "newsdesk": measure()}
    BASELINE.parent.mkdir(parents=True, exist_ok=True)
    BASELINE.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures))
    sys.exit(0)
