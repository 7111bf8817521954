"""Experiment: concept importance as new sentence features (cross-fitted on train).

    python benchmarks/summ_sentfeat.py concepts   # 5 fold concept models -> p for train, val
    python benchmarks/summ_sentfeat.py sentence   # the 7 new sentence features
    python benchmarks/summ_sentfeat.py fit        # sentence model with them; ROUGE 0-999

Measured with the 19-feature tree concept model of the time (docs/summarizer.md); the
sentence cache it reads is train_summarizer's (key below).

Never reads test files.
"""

from __future__ import annotations

import pickle
import sys
import time
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from summ_cache import CACHE, load
from summ_concepts import FOLDS, SEED, build, with_priors

TRAIN_CACHE = Path("/tmp/newsdesk-train-cache")
KEY = "e7f91ab992b7"
SENT_EXTRA = ("c_sum", "c_mean", "c_max", "c_share", "c_uni_mean", "prior_mean", "c_new_rank")
PARAMS = {
    "objective": "binary",
    "learning_rate": 0.1,
    "num_leaves": 31,
    "max_depth": 6,
    "min_data_in_leaf": 200,
    "feature_fraction": 0.9,
    "bagging_fraction": 1.0,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "seed": SEED,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 2,
    "verbosity": -1,
}


def concepts_step() -> None:
    import lightgbm as lgb

    tr = build("train-sample10k", 10000)
    va = build("validation", 4000)
    table = with_priors(tr, va, 30000)
    n = len(tr["keys"])
    fold = tr["group"] % FOLDS
    ptr = np.zeros(len(tr["y"]), dtype=np.float32)
    for f in range(FOLDS):
        t = time.time()
        m = fold != f
        b = lgb.train(PARAMS, lgb.Dataset(tr["x"][m], tr["y"][m]), num_boost_round=120)
        ptr[~m] = b.predict(tr["x"][~m])
        print(f"fold {f} {time.time() - t:.0f}s", flush=True)
    b = lgb.train(PARAMS, lgb.Dataset(tr["x"], tr["y"]), num_boost_round=120)
    pva = np.asarray(b.predict(va["x"]), dtype=np.float32)
    from sklearn.metrics import roc_auc_score

    print("AUC train(cross) ", roc_auc_score(tr["y"], ptr), "val", roc_auc_score(va["y"], pva))
    np.save(CACHE / "p-train.npy", ptr)
    np.save(CACHE / "p-val.npy", pva)
    with (CACHE / "concept-full.pkl").open("wb") as fh:
        pickle.dump({"model": b.model_to_string(), "table": table}, fh)
    del n


_W: dict[str, Any] = {}


def _sent_rows(g: int) -> np.ndarray | None:
    from newsdesk.summarize.concepts import CONCEPT_FEATURES, Concepts
    from newsdesk.summarize.features import StoryView

    job = _W["rows"][g]
    if job is None:
        return None
    view = StoryView.build(job[0], job[1])
    if not view.sentences:
        return None
    c = Concepts.build(view)
    p = _W["p"][g]
    prior = _W["prior"][g]
    return sentence_extra(view, c, p, prior, CONCEPT_FEATURES)


def sentence_extra(view: Any, c: Any, p: np.ndarray, prior: np.ndarray, _f: Any) -> np.ndarray:
    n = len(view.sentences)
    out = np.zeros((n, len(SENT_EXTRA)), dtype=np.float32)
    cc, ss = c.concept, c.sentence
    pair = np.asarray([" " in k for k in c.keys], dtype=bool)
    cnt = np.bincount(ss, minlength=n).astype(np.float32)
    s_sum = np.bincount(ss, weights=p[cc], minlength=n)
    out[:, 0] = s_sum
    out[:, 1] = s_sum / np.maximum(cnt, 1)
    mx = np.zeros(n, dtype=np.float32)
    np.maximum.at(mx, ss, p[cc])
    out[:, 2] = mx
    out[:, 3] = s_sum / max(float(p.sum()), 1e-6)
    uni = ~pair[cc]
    ucnt = np.bincount(ss[uni], minlength=n)
    out[:, 4] = np.bincount(ss[uni], weights=p[cc][uni], minlength=n) / np.maximum(ucnt, 1)
    out[:, 5] = np.bincount(ss[uni], weights=prior[cc][uni], minlength=n) / np.maximum(ucnt, 1)
    order = np.argsort(-s_sum)
    rank = np.empty(n, dtype=np.float32)
    rank[order] = np.arange(n)
    out[:, 6] = np.minimum(rank, 60)
    return out


def extra(name: str, limit: int, p: np.ndarray, data: dict[str, Any]) -> np.ndarray:
    from newsdesk.summarize.concepts import CONCEPT_FEATURES

    rows = load(name, limit)
    starts = np.searchsorted(data["group"], np.arange(len(data["keys"]) + 1))
    pc = CONCEPT_FEATURES.index("prior")
    _W["rows"] = rows
    _W["p"] = [p[starts[g] : starts[g + 1]] for g in range(len(rows))]
    _W["prior"] = [data["x"][starts[g] : starts[g + 1], pc] for g in range(len(rows))]
    with get_context("fork").Pool(2) as pool:
        out = [r for r in pool.map(_sent_rows, range(len(rows)), chunksize=32) if r is not None]
    return np.concatenate(out)


def sentence_step() -> None:
    tr = build("train-sample10k", 10000)
    va = build("validation", 4000)
    with (CACHE / "concept-full.pkl").open("rb") as fh:
        table = pickle.load(fh)["table"]
    from summ_concepts import fill_prior

    # train priors must be the cross-fitted ones, as in concepts_step
    with_priors(tr, va, 30000)
    del table
    t = time.time()
    etr = extra("train-sample10k", 10000, np.load(CACHE / "p-train.npy"), tr)
    eva = extra("validation", 4000, np.load(CACHE / "p-val.npy"), va)
    print(f"extra features {time.time() - t:.0f}s", etr.shape, eva.shape, flush=True)
    np.save(CACHE / "extra-train.npy", etr)
    np.save(CACHE / "extra-val.npy", eva)
    del fill_prior


if __name__ == "__main__" and sys.argv[1] in ("concepts", "sentence"):
    {"concepts": concepts_step, "sentence": sentence_step}[sys.argv[1]]()


def fit_step(drop_extra: bool = False, extra_cols: list[int] | None = None) -> None:

    import lightgbm as lgb
    from summ_concepts import evaluate_variants, fill_prior

    z = np.load(TRAIN_CACHE / f"train-sample10k-None-35-{KEY}.npz")
    x, y = z["x"], z["y"][:, 2]
    v = np.load(TRAIN_CACHE / f"validation-4000-35-{KEY}.npz")
    vx, vy, vgroup = v["x"], v["y"][:, 2], v["group"]
    etr, eva = np.load(CACHE / "extra-train.npy"), np.load(CACHE / "extra-val.npy")
    assert len(etr) == len(x) and len(eva) == len(vx), (etr.shape, x.shape, eva.shape, vx.shape)
    cols = extra_cols if extra_cols is not None else list(range(etr.shape[1]))
    if not drop_extra:
        x = np.hstack([x, etr[:, cols]])
        vx = np.hstack([vx, eva[:, cols]])
    params = dict(
        PARAMS, learning_rate=0.05, min_data_in_leaf=100, feature_fraction=0.8, bagging_fraction=0.8
    )
    stop = (vgroup >= 2000) & (vgroup < 4000)
    t = time.time()
    b = lgb.train(
        params,
        lgb.Dataset(x, y),
        num_boost_round=1000,
        valid_sets=[lgb.Dataset(vx[stop], vy[stop])],
        callbacks=[lgb.early_stopping(50, verbose=False)],
    )
    print(f"sentence fit {time.time() - t:.0f}s trees {b.num_trees()}", flush=True)
    gain = b.feature_importance(importance_type="gain")
    print("  gain of extras:", (gain[35:] / gain.sum()).round(3).tolist())
    sel = vgroup < 1000
    pred = np.asarray(b.predict(vx[sel]), dtype=np.float32)
    g = vgroup[sel]
    sscores = [pred[g == k] for k in range(1000)]
    b.save_model(str(CACHE / "sentence-extra.txt"))
    va = build("validation", 4000)
    with (CACHE / "concept-full.pkl").open("rb") as fh:
        table = pickle.load(fh)["table"]
    fill_prior(va, table, table["__default__"])
    p = np.load(CACHE / "p-val.npy")
    variants: dict[str, dict[str, Any]] = {
        "mmr": {"mmr": True},
        "concept b3": {"beta": 3.0},
        "concept b10 cost0.8": {"beta": 10.0, "cost_power": 0.8},
    }
    evaluate_variants(va, p, variants, 1000, sscores)


if __name__ == "__main__" and sys.argv[1] == "fit":
    fit_step(len(sys.argv) > 2 and sys.argv[2] == "none")
