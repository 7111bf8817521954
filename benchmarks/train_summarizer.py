"""Train newsdesk's sentence scorer on Multi-News train-sample10k; select on validation.

    python benchmarks/train_summarizer.py         # writes src/newsdesk/data/summarizer.json
    python benchmarks/train_summarizer.py --drop a,b -o m.json  # ablation: features held at 0
    python benchmarks/train_summarizer.py --target precision    # or rank; default oracle
    python benchmarks/train_summarizer.py --concept-drop prior --concepts-output c.json

Every cluster goes through ``pipeline.prepare`` (the same cleaning, segmenting and
de-duplication as ``newsdesk brief``); each sentence gets ``summarize.features`` and a label:
1 if the greedy ROUGE-1 + ROUGE-2 oracle at 250 words picks it (``--target oracle``), or its
ROUGE-1 + ROUGE-2 precision against the reference (``precision``). LightGBM (fixed seed,
deterministic) fits it; the number of trees is chosen by early stopping on validation
clusters 2,000-3,999; the trees are written as JSON that ``summarize.model`` evaluates with
numpy alone. ROUGE for model selection: validation clusters 0-999 (docs/summarizer.md).

Then the concept model of ``summarize.concepts`` (unless ``--no-concepts``): every concept
(stemmed word or word pair) of every cluster, labelled 1 if the reference uses it; a corpus
prior per concept, cross-fitted over 5 folds of the training clusters; a logistic
regression over ``CONCEPT_FEATURES``; written with the prior table and the selection knobs
to ``src/newsdesk/data/summarizer-concepts.json``. Test files are never read.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Iterator
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "multinews"
OUT = ROOT / "src" / "newsdesk" / "data" / "summarizer.json"
CONCEPTS_OUT = ROOT / "src" / "newsdesk" / "data" / "summarizer-concepts.json"
CACHE = Path("/tmp/newsdesk-train-cache")
SEED = 0


def _view(job: tuple[Any, str | None]) -> Any:
    """The prepared story of a training cluster as ``brief`` sees it, or None when it has
    nothing usable or no reference."""
    from newsdesk.config import Settings
    from newsdesk.errors import DataError
    from newsdesk.pipeline import prepare
    from newsdesk.summarize.features import StoryView

    articles, summary = job
    try:
        story = prepare(articles, Settings(require_english=False), on_skip=lambda e: None)
    except DataError:
        return None
    view = StoryView.build([a.id for a in story.originals], story.sentences)
    return view if view.sentences and summary else None


def _cluster_rows(job: tuple[Any, str | None]) -> tuple[np.ndarray, np.ndarray] | None:
    from newsdesk.evaluate import _reference, ngram_counts, oracle
    from newsdesk.summarize.features import features

    summary = job[1]
    view = _view(job)
    if view is None or summary is None:
        return None
    reference = _reference(summary)
    ref1, ref2 = ngram_counts(reference)
    targets = np.zeros((len(view.sentences), 3), dtype=np.float32)
    in_oracle = {id(s) for s in oracle(view.sentences, reference, 250)}
    for i, sentence in enumerate(view.sentences):
        c1, c2 = ngram_counts(sentence.text)
        n1, n2 = sum(c1.values()), sum(c2.values())
        o1 = sum(min(k, ref1[t]) for t, k in c1.items())
        o2 = sum(min(k, ref2[t]) for t, k in c2.items())
        targets[i] = (o1 / n1 if n1 else 0.0, o2 / n2 if n2 else 0.0, id(sentence) in in_oracle)
    return features(view), targets


def matrices(name: str, limit: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, targets and cluster number of every sentence of a split (cached in /tmp)."""
    import hashlib
    import importlib

    from newsdesk.ingest.clusters import read_clusters
    from newsdesk.summarize.features import FEATURES

    # the cache is keyed by the feature code, so a changed feature is never read stale
    modules = [importlib.import_module(f"newsdesk.summarize.{m}") for m in ("features", "text")]
    source = "".join(Path(m.__file__ or "").read_text() for m in modules)
    key = hashlib.sha256(source.encode()).hexdigest()[:12]
    cache = CACHE / f"{name}-{limit}-{len(FEATURES)}-{key}.npz"
    if cache.exists():
        z = np.load(cache)
        return z["x"], z["y"], z["group"]
    xs, ys, groups = [], [], []
    clusters: Iterator[Any] = (
        (c.articles, c.summary) for c in read_clusters(DATA / f"{name}.jsonl.gz", limit=limit)
    )
    with get_context("fork").Pool(2) as pool:
        for g, rows in enumerate(pool.imap(_cluster_rows, clusters, chunksize=16)):
            if rows is None:
                continue
            xs.append(rows[0])
            ys.append(rows[1])
            groups.append(np.full(len(rows[0]), g, dtype=np.int64))
    x, y, group = np.concatenate(xs), np.concatenate(ys), np.concatenate(groups)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(cache, x=x, y=y, group=group)
    return x, y, group


def target(y: np.ndarray, kind: str) -> np.ndarray:
    """``precision``: ROUGE-1 + ROUGE-2 precision of the sentence against the reference;
    ``oracle``: 1 if the greedy extractive oracle picks the sentence."""
    return y[:, 0] + y[:, 1] if kind == "precision" else y[:, 2]


def _groups(group: np.ndarray) -> np.ndarray:
    """Sizes of the runs of equal cluster numbers (sentences of a cluster are contiguous)."""
    _, counts = np.unique(group, return_counts=True)
    return counts


def export(booster: Any, features: tuple[str, ...]) -> dict[str, Any]:
    """LightGBM trees as flat arrays: a leaf points to itself, so walking `depth` steps ends."""
    dump = booster.dump_model()
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []
    roots: list[int] = []
    depth = 0

    def add(node: dict[str, Any], level: int) -> int:
        nonlocal depth
        me = len(feature)
        feature.append(0)
        threshold.append(0.0)
        left.append(me)
        right.append(me)
        value.append(0.0)
        if "leaf_value" in node:
            depth = max(depth, level)
            threshold[me] = 3.0e38
            value[me] = round(float(node["leaf_value"]), 6)
            return me
        assert node["decision_type"] == "<=", node["decision_type"]
        feature[me] = int(node["split_feature"])
        threshold[me] = float(np.float32(node["threshold"]))
        left[me] = add(node["left_child"], level + 1)
        right[me] = add(node["right_child"], level + 1)
        return me

    for tree in dump["tree_info"]:
        roots.append(add(tree["tree_structure"], 0))
    return {
        "features": list(features),
        "init": 0.0,
        "depth": depth,
        "feature": feature,
        "threshold": threshold,
        "left": left,
        "right": right,
        "value": value,
        "roots": roots,
    }


def train(args: argparse.Namespace) -> dict[str, Any]:
    import lightgbm as lgb

    from newsdesk.summarize.features import FEATURES

    started = time.perf_counter()
    x, y, group = matrices("train-sample10k", args.train_limit)
    vx, vy, vgroup = matrices("validation", 4000)
    stop = (vgroup >= 2000) & (vgroup < 4000)
    dropped = [FEATURES.index(name) for name in args.drop]
    x[:, dropped] = 0.0  # an ablation: the trees cannot split on a constant
    vx[:, dropped] = 0.0
    print(f"features: {time.perf_counter() - started:.0f} s; {len(x)} train sentences")
    params = {
        "objective": {"precision": "regression", "oracle": "binary", "rank": "lambdarank"}[
            args.target
        ],
        "learning_rate": args.learning_rate,
        "num_leaves": args.leaves,
        "max_depth": args.depth,  # shallow trees: numpy walks them in `depth` steps at run time
        "min_data_in_leaf": 100,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "seed": SEED,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": 2,
        "verbosity": -1,
    }
    fit_started = time.perf_counter()
    kind = "oracle" if args.target == "rank" else args.target
    ranking = args.target == "rank"
    if ranking:
        params["eval_at"] = [10]
    train_set = lgb.Dataset(
        x, target(y, kind), group=_groups(group) if ranking else None, feature_name=list(FEATURES)
    )
    stop_set = lgb.Dataset(
        vx[stop],
        target(vy[stop], kind),
        group=_groups(vgroup[stop]) if ranking else None,
        feature_name=list(FEATURES),
    )
    booster = lgb.train(
        params,
        train_set,
        num_boost_round=args.trees,
        valid_sets=[stop_set],
        callbacks=[lgb.early_stopping(50, verbose=False)],
    )
    fit_seconds = time.perf_counter() - fit_started
    model = export(booster, FEATURES)
    model["link"] = "identity" if args.target == "precision" else "logistic"
    gain = booster.feature_importance(importance_type="gain")
    shares = (gain / gain.sum()).round(4).tolist()
    importances = sorted(zip(FEATURES, shares, strict=True), key=lambda p: -p[1])
    return {
        "model": model,
        "trees": booster.num_trees(),
        "fit_seconds": round(fit_seconds, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
        "importance": importances,
    }


# --- the concept model (summarize.concepts): which words and word pairs a summary uses ---

FOLDS = 5  # the corpus prior of a training cluster's concepts never counts that cluster
PRIOR_SIZE = 30_000  # concepts in the shipped prior table (most frequent in training)
PRIOR_SMOOTHING = 5.0  # pseudo-clusters at the base rate: a concept seen twice stays humble
# Selection knobs, swept on validation clusters 0-999 (docs/summarizer.md): beta 3-30,
# cost power 0.5-1.0, leaning penalty 0-3 (in units of concept weight).
SELECTION = {"beta": 10.0, "cost_power": 0.7, "leaning_penalty": 1.0}
_SENTENCE_MODEL: Any = None


def _concept_rows(job: tuple[Any, str | None]) -> tuple[tuple[str, ...], Any, Any] | None:
    from newsdesk.evaluate import _reference
    from newsdesk.summarize.concepts import Concepts, PriorTable, concept_features, concept_keys
    from newsdesk.summarize.features import features
    from newsdesk.summarize.text import words

    summary = job[1]
    view = _view(job)
    if view is None or summary is None:
        return None
    concepts = Concepts.build(view)
    scores = _SENTENCE_MODEL.score(features(view))
    in_reference = set(concept_keys(words(_reference(summary))))
    x = concept_features(view, concepts, scores, PriorTable.of({}))
    y = np.asarray([k in in_reference for k in concepts.keys], dtype=np.float32)
    return concepts.keys, x, y


def concept_matrices(
    name: str, limit: int | None, sentence_model: dict[str, Any]
) -> dict[str, Any]:
    """Concepts of every cluster of a split: keys, features (prior not filled in), labels."""
    import hashlib
    import importlib
    import pickle

    from newsdesk.ingest.clusters import read_clusters
    from newsdesk.summarize.features import FEATURES
    from newsdesk.summarize.model import trees_from_json

    global _SENTENCE_MODEL
    modules = [
        importlib.import_module(f"newsdesk.summarize.{m}") for m in ("concepts", "features", "text")
    ]
    source = "".join(Path(m.__file__ or "").read_text() for m in modules)
    source += json.dumps(sentence_model)
    key = hashlib.sha256(source.encode()).hexdigest()[:12]
    cache = CACHE / f"concepts-{name}-{limit}-{key}.pkl"
    if cache.exists():
        with cache.open("rb") as f:
            cached: dict[str, Any] = pickle.load(f)
        return cached
    _SENTENCE_MODEL = trees_from_json(sentence_model, FEATURES, "sentence model")
    keys: list[tuple[str, ...]] = []
    xs, ys, groups = [], [], []
    clusters: Iterator[Any] = (
        (c.articles, c.summary) for c in read_clusters(DATA / f"{name}.jsonl.gz", limit=limit)
    )
    with get_context("fork").Pool(2) as pool:
        for g, rows in enumerate(pool.imap(_concept_rows, clusters, chunksize=16)):
            keys.append(rows[0] if rows else ())
            if rows is None:
                continue
            xs.append(rows[1])
            ys.append(rows[2])
            groups.append(np.full(len(rows[1]), g, dtype=np.int64))
    out = {
        "keys": keys,
        "x": np.concatenate(xs),
        "y": np.concatenate(ys),
        "group": np.concatenate(groups),
    }
    CACHE.mkdir(parents=True, exist_ok=True)
    with cache.open("wb") as f:
        pickle.dump(out, f, protocol=5)
    return out


def prior_table(
    data: dict[str, Any], clusters: Any
) -> tuple[dict[str, tuple[float, float]], tuple[float, float]]:
    """P(a summary uses the concept | the documents do), smoothed towards the base rate, as
    a logit, and log1p(training clusters holding it), for the most frequent concepts."""
    from collections import Counter
    from itertools import compress

    starts = np.searchsorted(data["group"], np.arange(len(data["keys"]) + 1))
    docs: Counter[str] = Counter()
    used: Counter[str] = Counter()
    for g in clusters:
        keys = data["keys"][g]
        if keys:
            docs.update(keys)
            used.update(compress(keys, data["y"][starts[g] : starts[g + 1]] > 0))
    base = sum(used.values()) / max(sum(docs.values()), 1)
    table = {}
    for k, d in docs.most_common(PRIOR_SIZE):
        p = (used[k] + PRIOR_SMOOTHING * base) / (d + PRIOR_SMOOTHING)
        table[k] = (round(math.log(p / (1 - p)), 3), round(math.log1p(d), 3))
    return table, (round(math.log(base / (1 - base)), 3), 0.0)


def fill_prior(
    data: dict[str, Any], table: dict[str, tuple[float, float]], default: Any, clusters: Any
) -> None:
    from newsdesk.summarize.concepts import CONCEPT_FEATURES

    starts = np.searchsorted(data["group"], np.arange(len(data["keys"]) + 1))
    cols = [CONCEPT_FEATURES.index("prior"), CONCEPT_FEATURES.index("log_corpus_df")]
    for g in clusters:
        keys = data["keys"][g]
        if keys:
            values = np.asarray([table.get(k, default) for k in keys], dtype=np.float32)
            data["x"][starts[g] : starts[g + 1], cols[0]] = values[:, 0]
            data["x"][starts[g] : starts[g + 1], cols[1]] = values[:, 1]


def train_concepts(sentence_model: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    from newsdesk.summarize.concepts import CONCEPT_FEATURES

    started = time.perf_counter()
    tr = concept_matrices("train-sample10k", args.train_limit, sentence_model)
    va = concept_matrices("validation", 4000, sentence_model)
    n = len(tr["keys"])
    for fold in range(FOLDS):  # cross-fitted: a cluster's prior never saw its own labels
        table, default = prior_table(tr, [g for g in range(n) if g % FOLDS != fold])
        fill_prior(tr, table, default, [g for g in range(n) if g % FOLDS == fold])
    table, default = prior_table(tr, range(n))
    fill_prior(va, table, default, range(len(va["keys"])))
    dropped = [CONCEPT_FEATURES.index(name) for name in args.concept_drop]
    if dropped:  # an ablation: the features are held at 0 (copies: the cache stays intact)
        tr = dict(tr, x=tr["x"].copy())
        va = dict(va, x=va["x"].copy())
        tr["x"][:, dropped] = 0.0
        va["x"][:, dropped] = 0.0
    print(f"concepts: {time.perf_counter() - started:.0f} s; {len(tr['y'])} train concepts")
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    # A linear model, not trees: a story has ~1,000 concepts and trees cost ~1.5 ms more per
    # story at run time; 40 trees of depth 4 scored AUC 0.762 and 46.12 ROUGE-1, this 0.758
    # and the same ROUGE (docs/summarizer.md).
    fit_started = time.perf_counter()
    mean = tr["x"].mean(axis=0)
    scale = tr["x"].std(axis=0) + 1e-6
    model = LogisticRegression(C=1.0, max_iter=500)  # lbfgs: deterministic
    model.fit((tr["x"] - mean) / scale, tr["y"])
    fit_seconds = time.perf_counter() - fit_started
    held = va["group"] < 1000
    auc = roc_auc_score(va["y"][held], model.predict_proba((va["x"][held] - mean) / scale)[:, 1])
    coef = model.coef_[0]

    def rounded(values: Any) -> list[float]:
        return [round(float(v), 6) for v in values]

    return {
        "model": {
            "linear": {
                "features": list(CONCEPT_FEATURES),
                "mean": rounded(mean),
                "scale": rounded(scale),
                "coef": rounded(coef),
                "intercept": round(float(model.intercept_[0]), 6),
            },
            "prior": {k: list(v) for k, v in table.items()},
            "default_prior": list(default),
            **SELECTION,
        },
        "auc": round(float(auc), 4),
        "fit_seconds": round(fit_seconds, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
        # standardized coefficients: what raises or lowers a concept's weight
        "importance": sorted(
            zip(CONCEPT_FEATURES, coef.round(3).tolist(), strict=True), key=lambda p: -abs(p[1])
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trees", type=int, default=600)
    parser.add_argument("--leaves", type=int, default=31)
    parser.add_argument("--depth", type=int, default=6)
    parser.add_argument("--learning-rate", type=float, default=0.05)
    parser.add_argument("--target", choices=("precision", "oracle", "rank"), default="oracle")
    parser.add_argument("--train-limit", type=int, default=None)
    parser.add_argument(
        "--drop", type=lambda v: v.split(","), default=[], help="features to ablate (a,b,...)"
    )
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    parser.add_argument("--concepts-output", type=Path, default=CONCEPTS_OUT)
    parser.add_argument("--no-concepts", action="store_true", help="train the sentence scorer only")
    parser.add_argument(
        "--concept-drop", type=lambda v: v.split(","), default=[], help="concept ablation"
    )
    args = parser.parse_args(argv)
    result = train(args)
    text = json.dumps(result["model"], separators=(",", ":"))
    args.output.write_text(text, encoding="utf-8")
    print(
        f"trees: {result['trees']}, fit {result['fit_seconds']} s, "
        f"total {result['total_seconds']} s, model {len(text) / 1024:.0f} KiB -> {args.output}"
    )
    for name, share in result["importance"]:
        print(f"  {name:20s} {share:.3f}")
    if args.no_concepts:
        return 0
    concepts = train_concepts(result["model"], args)
    text = json.dumps(concepts["model"], separators=(",", ":"))
    args.concepts_output.write_text(text, encoding="utf-8")
    print(
        f"concept model: fit {concepts['fit_seconds']} s, total {concepts['total_seconds']} s, "
        f"AUC {concepts['auc']} on validation 0-999, {len(text) / 1024:.0f} KiB "
        f"-> {args.concepts_output}"
    )
    for name, coef in concepts["importance"]:
        print(f"  {name:24s} {coef:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
