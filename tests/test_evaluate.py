"""The evaluation harness on a tiny invented cluster file."""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import pytest

from newsdesk.cli import evaluate as cli_evaluate
from newsdesk.errors import UsageError
from newsdesk.evaluate import bootstrap_ci, evaluate, oracle, rouge
from newsdesk.models import Sentence

CLUSTERS = [
    {
        "id": "flood",
        "documents": [
            {
                "text": "Floods closed the main bridge in Riverton on Monday. The mayor said "
                "crews would inspect it on Tuesday. A local bakery gave out free bread."
            },
            {
                "text": "Heavy rain flooded Riverton and closed its bridge. Officials expect the "
                "water to fall by Wednesday. The school band played on Sunday."
            },
        ],
        "summary": "– Floods closed the Riverton bridge on Monday. Crews will inspect the bridge "
        "on Tuesday, and the water should fall by Wednesday.",
    },
    {
        "id": "fire",
        "documents": [
            {
                "text": "A fire destroyed a warehouse in Lakeside overnight. No one was hurt, "
                "the fire chief said. Investigators are looking for the cause."
            }
        ],
        "summary": "A fire destroyed a Lakeside warehouse overnight; no one was hurt.",
    },
    {"id": "no-summary", "documents": [{"text": "Nothing to compare with here at all."}]},
]


@pytest.fixture
def cluster_file(tmp_path: Path) -> Path:
    path = tmp_path / "clusters.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for row in CLUSTERS:
            handle.write(json.dumps(row) + "\n")
    return path


def test_harness_scores_every_system_on_every_cluster(cluster_file: Path) -> None:
    result = evaluate(
        cluster_file, systems=["lead", "centroid", "oracle"], words=20, bootstrap=50, workers=1
    )
    assert result["clusters"] == 2  # the cluster without a reference is not scored
    systems = result["systems"]
    assert set(systems) == {"lead", "centroid", "oracle"}
    for entry in systems.values():
        for metric in ("rouge1", "rouge2", "rougeLsum"):
            m = entry[metric]
            assert 0.0 < m["mean"] <= 100.0
            assert m["low"] <= m["mean"] <= m["high"]
    assert systems["oracle"]["rouge1"]["mean"] >= systems["lead"]["rouge1"]["mean"]


def test_two_workers_give_the_same_figures(cluster_file: Path) -> None:
    one = evaluate(cluster_file, systems=["lead"], words=20, bootstrap=20, workers=1)
    two = evaluate(cluster_file, systems=["lead"], words=20, bootstrap=20, workers=2)
    assert one["systems"]["lead"]["rouge1"] == two["systems"]["lead"]["rouge1"]


def test_unknown_system_names_the_choices(cluster_file: Path) -> None:
    with pytest.raises(UsageError, match=r"Unknown system 'lexrnk'; available: .*oracle"):
        evaluate(cluster_file, systems=["lexrnk"], workers=1)


def test_rouge_and_bootstrap() -> None:
    assert rouge(["The cat sat on the mat."], "The cat sat on the mat.")["rouge2"] == 100.0
    assert rouge([], "The cat sat.")["rouge1"] == 0.0
    low, high = bootstrap_ci([0.0, 10.0, 20.0, 30.0], samples=500)
    assert 0.0 <= low < 15.0 < high <= 30.0


def test_oracle_respects_the_budget_and_prefers_matching_sentences() -> None:
    texts = ["Floods closed the bridge on Monday.", "A bakery gave out bread.", "Crews came."]
    sentences = [Sentence("a", i, 0, len(t), t) for i, t in enumerate(texts)]
    picked = oracle(sentences, "Floods closed the bridge on Monday. Crews came.", words=8)
    assert [s.index for s in picked] == [0, 2]
    assert sum(s.words for s in picked) <= 8


def test_cli_prints_a_table_and_writes_json(
    cluster_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    cli_evaluate.register(parser.add_subparsers())
    out = tmp_path / "results.json"
    args = parser.parse_args(
        ["eval", str(cluster_file), "--systems", "lead,oracle", "--words", "20",
         "--bootstrap", "20", "--workers", "1", "-o", str(out)]
    )  # fmt: skip
    assert args.func(args) == 0
    table = capsys.readouterr().out
    assert "lead" in table and "oracle" in table and "ROUGE-Lsum" in table
    assert json.loads(out.read_text())["clusters"] == 2


def test_cli_refuses_a_missing_file(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    cli_evaluate.register(parser.add_subparsers())
    args = parser.parse_args(["eval", str(tmp_path / "nope.jsonl.gz")])
    with pytest.raises(UsageError, match="no such file"):
        args.func(args)
