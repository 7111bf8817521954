"""Experiment: learned concept (word / word-pair) importance and summary-level selection.

    python benchmarks/summ_concepts.py build        # concept rows for train + validation
    python benchmarks/summ_concepts.py fit          # concept model, AUC on validation
    python benchmarks/summ_concepts.py eval ...     # ROUGE of selections on validation 0-999

Train: train-sample10k; early stopping: validation 2000-3999; ROUGE: validation 0-999.
Never reads test files.
"""

from __future__ import annotations

import argparse
import math
import pickle
import sys
import time
from collections import Counter
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from summ_cache import CACHE, load

SEED = 0
FOLDS = 5
SMOOTH = 5.0


def _rows(job: Any) -> Any:
    from newsdesk.summarize.concepts import (
        Concepts,
        PriorTable,
        concept_features,
        concept_keys,
    )
    from newsdesk.summarize.features import StoryView, features
    from newsdesk.summarize.model import load_model
    from newsdesk.summarize.text import words

    if job is None:
        return None
    ids, sentences, reference = job
    view = StoryView.build(ids, sentences)
    if not view.sentences:
        return None
    model = load_model()
    assert model is not None
    scores = model.score(features(view))
    concepts = Concepts.build(view)
    ref = set(concept_keys(words(reference)))
    x = concept_features(view, concepts, scores, PriorTable.of({}))
    y = np.asarray([k in ref for k in concepts.keys], dtype=np.float32)
    return concepts.keys, x, y


def build(name: str, limit: int) -> dict[str, Any]:
    from newsdesk.summarize.concepts import CONCEPT_FEATURES

    path = CACHE / f"concepts-{name}-{limit}-{len(CONCEPT_FEATURES)}.pkl"
    if path.exists():
        with path.open("rb") as f:
            return pickle.load(f)  # type: ignore[no-any-return]
    rows = load(name, limit)
    keys: list[tuple[str, ...]] = []
    xs, ys, groups = [], [], []
    with get_context("fork").Pool(2) as pool:
        for g, r in enumerate(pool.imap(_rows, rows, chunksize=16)):
            if r is None:
                keys.append(())
                continue
            keys.append(r[0])
            xs.append(r[1])
            ys.append(r[2])
            groups.append(np.full(len(r[1]), g, dtype=np.int64))
    out = {
        "keys": keys,
        "x": np.concatenate(xs),
        "y": np.concatenate(ys),
        "group": np.concatenate(groups),
    }
    with path.open("wb") as f:
        pickle.dump(out, f, protocol=5)
    return out


def prior_counts(
    data: dict[str, Any], clusters: range | list[int]
) -> tuple[Counter[str], Counter[str]]:
    docs: Counter[str] = Counter()
    refs: Counter[str] = Counter()
    starts = np.searchsorted(data["group"], np.arange(len(data["keys"]) + 1))
    y = data["y"]
    for g in clusters:
        ks = data["keys"][g]
        if not ks:
            continue
        docs.update(ks)
        lab = y[starts[g] : starts[g + 1]]
        refs.update(k for k, v in zip(ks, lab, strict=True) if v)
    return docs, refs


def prior_table(
    docs: Counter[str], refs: Counter[str], base: float, top: int | None, min_df: int = 2
) -> dict[str, tuple[float, float]]:
    items = docs.most_common(top) if top else docs.items()
    out = {}
    for k, d in items:
        if d < min_df:
            continue
        p = (refs[k] + SMOOTH * base) / (d + SMOOTH)
        out[k] = (round(math.log(p / (1 - p)), 3), round(math.log1p(d), 3))
    return out


def fill_prior(
    data: dict[str, Any],
    table: dict[str, tuple[float, float]],
    default: tuple[float, float],
    clusters: Any = None,
) -> None:
    from newsdesk.summarize.concepts import CONCEPT_FEATURES

    pc = CONCEPT_FEATURES.index("prior")
    dc = CONCEPT_FEATURES.index("log_corpus_df")
    starts = np.searchsorted(data["group"], np.arange(len(data["keys"]) + 1))
    x = data["x"]
    for g in clusters if clusters is not None else range(len(data["keys"])):
        ks = data["keys"][g]
        if not ks:
            continue
        vals = np.asarray([table.get(k, default) for k in ks], dtype=np.float32)
        x[starts[g] : starts[g + 1], pc] = vals[:, 0]
        x[starts[g] : starts[g + 1], dc] = vals[:, 1]


def base_rate(docs: Counter[str], refs: Counter[str]) -> float:
    return sum(refs.values()) / max(sum(docs.values()), 1)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("step")
    p.add_argument("--train", type=int, default=10000)
    p.add_argument("--top", type=int, default=0)
    p.add_argument("--drop", default="")
    p.add_argument("--oracle", action="store_true")
    p.add_argument("--variants", default="/tmp/summ/variants.json")
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--trees", type=int, default=300)
    p.add_argument("--leaves", type=int, default=31)
    p.add_argument("--depth", type=int, default=6)
    args = p.parse_args()
    if args.step == "run":
        return run(args)
    if args.step == "eval":
        va = build("validation", 4000)
        if args.oracle:
            pred = va["y"]
        else:
            import lightgbm as lgb

            with (CACHE / "concept-booster.pkl").open("rb") as f:
                saved = pickle.load(f)
            fill_prior(va, saved["table"], saved["table"]["__default__"])
            pred = lgb.Booster(model_str=saved["model"]).predict(va["x"][va["group"] < args.n])
        import json

        return evaluate_variants(va, pred, json.loads(Path(args.variants).read_text()), args.n)
    t = time.time()
    tr = build("train-sample10k", 10000)
    va = build("validation", 4000)
    print(
        f"rows train {len(tr['y'])} val {len(va['y'])} pos {tr['y'].mean():.3f}"
        f" {time.time() - t:.0f}s",
        flush=True,
    )
    if args.step == "build":
        return


def with_priors(
    tr: dict[str, Any], va: dict[str, Any], top: int | None
) -> dict[str, tuple[float, float]]:
    n = len(tr["keys"])
    for f in range(FOLDS):
        others = [g for g in range(n) if g % FOLDS != f]
        docs, refs = prior_counts(tr, others)
        base = base_rate(docs, refs)
        table = prior_table(docs, refs, base, top)
        default = (round(math.log(base / (1 - base)), 3), 0.0)
        fill_prior(tr, table, default, [g for g in range(n) if g % FOLDS == f])
    docs, refs = prior_counts(tr, range(n))
    base = base_rate(docs, refs)
    table = prior_table(docs, refs, base, top)
    default = (round(math.log(base / (1 - base)), 3), 0.0)
    fill_prior(va, table, default)
    table["__default__"] = default
    return table


def fit(
    tr: dict[str, Any],
    va: dict[str, Any],
    drop: list[str],
    trees: int,
    leaves: int,
    depth: int,
    sub: float = 1.0,
) -> Any:
    import lightgbm as lgb
    from sklearn.metrics import roc_auc_score

    from newsdesk.summarize.concepts import CONCEPT_FEATURES

    x, y = tr["x"].copy(), tr["y"]
    vx = va["x"].copy()
    for name in drop:
        x[:, CONCEPT_FEATURES.index(name)] = 0
        vx[:, CONCEPT_FEATURES.index(name)] = 0
    stop = (va["group"] >= 2000) & (va["group"] < 4000)
    params = {
        "objective": "binary",
        "learning_rate": 0.1,
        "num_leaves": leaves,
        "max_depth": depth,
        "min_data_in_leaf": 200,
        "feature_fraction": 0.9,
        "bagging_fraction": sub,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "seed": SEED,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": 2,
        "verbosity": -1,
    }
    t = time.time()
    booster = lgb.train(
        params,
        lgb.Dataset(x, y, feature_name=list(CONCEPT_FEATURES)),
        num_boost_round=trees,
        valid_sets=[lgb.Dataset(vx[stop], va["y"][stop])],
        callbacks=[lgb.early_stopping(30, verbose=False)],
    )
    sel = va["group"] < 1000
    pred = booster.predict(vx[sel])
    print(
        f"fit {time.time() - t:.0f}s trees {booster.num_trees()}"
        f" AUC val0-999 {roc_auc_score(va['y'][sel], pred):.4f}",
        flush=True,
    )
    gain = booster.feature_importance(importance_type="gain")
    print(
        "  ",
        sorted(
            zip(CONCEPT_FEATURES, (gain / gain.sum()).round(3), strict=True), key=lambda p: -p[1]
        )[:10],
    )
    return booster


_EVAL: dict[str, Any] = {}


def _eval_cluster(g: int) -> Any:
    from newsdesk.evaluate import rouge
    from newsdesk.summarize.concepts import Concepts, select_by_concepts
    from newsdesk.summarize.features import StoryView, features
    from newsdesk.summarize.model import load_model
    from newsdesk.summarize.select import order, select

    job = _EVAL["rows"][g]
    if job is None:
        return None
    ids, sentences, reference = job
    view = StoryView.build(ids, sentences)
    if not view.sentences:
        return {k: rouge([], reference) for k in _EVAL["variants"]}
    model = load_model()
    assert model is not None
    scores = _EVAL["sscores"][g] if "sscores" in _EVAL else model.score(features(view))
    concepts = Concepts.build(view)
    p = _EVAL["pred"][g]
    out = {}
    for name, kw in _EVAL["variants"].items():
        kw = dict(kw)
        budget = kw.pop("budget", 250)
        if kw.pop("mmr", False):
            picked = select(view, scores, budget, **kw)
        else:
            tr = kw.pop("w", "p")
            thr = kw.pop("thr", 0.0)
            w = {
                "p": p,
                "p-thr": np.maximum(p - thr, 0),
                "logit": np.maximum(np.log(p / (1 - p)) - thr, 0),
                "p2": p**2,
            }[tr]
            picked = select_by_concepts(view, concepts, w, scores, budget, **kw)
        chosen = order(view, picked, scores)
        out[name] = rouge([s.text for s in chosen], reference) | {
            "words": sum(s.words for s in chosen)
        }
    return out


def evaluate_variants(
    va: dict[str, Any],
    pred_all: np.ndarray,
    variants: dict[str, dict[str, Any]],
    n: int = 1000,
    sscores: list[np.ndarray] | None = None,
) -> None:
    rows = load("validation", 4000)
    if sscores is not None:
        _EVAL["sscores"] = sscores
    starts = np.searchsorted(va["group"], np.arange(len(va["keys"]) + 1))
    _EVAL["rows"] = rows
    _EVAL["pred"] = [pred_all[starts[g] : starts[g + 1]] for g in range(n)]
    _EVAL["variants"] = variants
    t = time.time()
    with get_context("fork").Pool(2) as pool:
        res = [r for r in pool.map(_eval_cluster, range(n), chunksize=20) if r is not None]
    print(f"eval {time.time() - t:.0f}s on {len(res)} clusters", flush=True)
    for name in variants:
        m = {
            k: np.mean([r[name][k] for r in res])
            for k in ("rouge1", "rouge2", "rougeLsum", "words")
        }
        print(
            f"  {name:40s} R1 {m['rouge1']:.2f} R2 {m['rouge2']:.2f}"
            f" RL {m['rougeLsum']:.2f} words {m['words']:.0f}",
            flush=True,
        )


def run(args: argparse.Namespace) -> None:
    tr = build("train-sample10k", 10000)
    va = build("validation", 4000)
    t = time.time()
    table = with_priors(tr, va, args.top or None)
    print(f"priors {time.time() - t:.0f}s table {len(table)}", flush=True)
    booster = fit(
        tr, va, args.drop.split(",") if args.drop else [], args.trees, args.leaves, args.depth
    )
    pred = booster.predict(va["x"])
    with (CACHE / "concept-booster.pkl").open("wb") as f:
        pickle.dump({"model": booster.model_to_string(), "table": table}, f)
    np.save(CACHE / "concept-pred.npy", pred)
    variants: dict[str, dict[str, Any]] = {"mmr (shipped)": {"mmr": True}}
    for beta in (0.0, 1.0, 3.0):
        for cp in (0.5, 1.0):
            variants[f"p beta{beta} cost^{cp}"] = {
                "beta": beta,
                "cost_power": cp,
                "leaning_penalty": 0.0,
            }
    evaluate_variants(va, pred, variants)


if __name__ == "__main__":
    main()
