"""Selection variants over the trained models, ROUGE on validation clusters 0-999.

    python benchmarks/summ_select.py --concepts src/newsdesk/data/summarizer-concepts.json \\
        --variants '{"shipped": {}, "beta 3": {"beta": 3.0}}'

Each variant overrides keyword arguments of ``summarize.concepts.select_by_concepts``
(``{"mmr": true}`` runs the MMR selection of ``summarize.select`` instead). Same prepared
sentences and scorer as the ROUGE harness (``newsdesk.evaluate.rouge``). Never reads test files.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from summ_cache import load

_W: dict[str, Any] = {}


def _one(g: int) -> dict[str, dict[str, float]] | None:
    from newsdesk.evaluate import rouge
    from newsdesk.summarize.concepts import Concepts, load_concept_model, select_by_concepts
    from newsdesk.summarize.features import StoryView, features
    from newsdesk.summarize.model import load_model
    from newsdesk.summarize.select import order, select

    job = _W["rows"][g]
    if job is None:
        return None
    ids, sentences, reference = job
    view = StoryView.build(ids, sentences)
    if not view.sentences:
        return {name: rouge([], reference) | {"words": 0.0} for name in _W["variants"]}
    model = load_model(_W["sentences"])
    cm = load_concept_model(_W["concepts"])
    assert model is not None and cm is not None, "no model file"
    scores = model.score(features(view))
    concepts = Concepts.build(view)
    weights = cm.weights(view, concepts, scores) if "weights" not in _W else _W["weights"][g]
    out = {}
    for name, overrides in _W["variants"].items():
        kw: dict[str, Any] = dict(overrides)
        words = kw.pop("words", 250)
        if kw.pop("mmr", False):
            picked = select(view, scores, words, **kw)
        else:
            knobs = {
                "beta": cm.beta,
                "cost_power": cm.cost_power,
                "leaning_penalty": cm.leaning_penalty,
            } | kw
            picked = select_by_concepts(view, concepts, weights, scores, words, **knobs)
        chosen = order(view, picked, scores)
        out[name] = rouge([s.text for s in chosen], reference) | {
            "words": float(sum(s.words for s in chosen))
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=Path, default=None)
    parser.add_argument("--concepts", type=Path, default=None)
    parser.add_argument("--variants", default='{"shipped": {}, "mmr": {"mmr": true}}')
    parser.add_argument("--clusters", type=int, default=1000)
    parser.add_argument("--weights", type=Path, default=None, help="pickled weights per cluster")
    args = parser.parse_args()
    if args.weights:
        import pickle

        _W["weights"] = pickle.loads(args.weights.read_bytes())
    _W["rows"] = load("validation", 1000)[: args.clusters]
    _W["variants"] = json.loads(args.variants)
    _W["sentences"] = args.sentences
    _W["concepts"] = args.concepts
    started = time.time()
    with get_context("fork").Pool(2) as pool:
        rows = [r for r in pool.map(_one, range(len(_W["rows"])), chunksize=20) if r]
    print(f"{len(rows)} clusters, {time.time() - started:.0f} s")
    for name in _W["variants"]:
        m = {
            k: np.mean([r[name][k] for r in rows])
            for k in ("rouge1", "rouge2", "rougeLsum", "words")
        }
        print(
            f"  {name:36s} R1 {m['rouge1']:.2f}  R2 {m['rouge2']:.2f}  "
            f"RLsum {m['rougeLsum']:.2f}  words {m['words']:.0f}"
        )


if __name__ == "__main__":
    main()
