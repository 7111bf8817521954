"""Summary-level reranking experiment (issue 3): candidates, their oracle, a learned ranker.

    python benchmarks/summ_rerank.py oracle validation 0 4000 ['{"noise": 20}']
        # candidates of validation clusters 0-3,999 (``rerank.candidates`` with these
        # overrides), the ROUGE of the ``concepts`` pick, the MMR pick and the best of K
    python benchmarks/summ_rerank.py fit [--plan JSON] [--specs regression:15:0.1,...]
        # LightGBM rankers on train-sample10k candidates, chosen on validation 1,000-3,999,
        # reported on validation 0-999 (ROUGE of the candidate each picks)
    python benchmarks/summ_rerank.py rouge ../shared/data/multinews/validation.jsonl.gz \
        --limit 1000 --systems newsdesk,concepts,reranked   # benchmarks/rouge.py + reranked
    python benchmarks/summ_rerank.py speed ../shared/data/multinews/validation.jsonl.gz \
        --limit 300 --systems newsdesk,concepts,reranked,lexrank  # benchmarks/speed.py

Prepared clusters, candidates and features are cached in /tmp/rerank. ROUGE-1/2 of a
candidate are computed from rouge-score's own tokenizer over the candidate in
``select.order``'s order (the same figures as rouge-score, checked). Never run on test files.
"""

from __future__ import annotations

import json
import pickle
import sys
import time
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from summ_cache import load as prepared  # prepared clusters, cached in /tmp/summ

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "multinews"
CACHE = Path("/tmp/rerank")

# Bump when candidate generation in rerank.py changes (the candidate cache is keyed by it).
GENERATION = "2"

_W: dict[str, Any] = {}


def _tokens(text: str) -> list[str]:
    from newsdesk.evaluate import _tokenizer

    out: list[str] = _tokenizer().tokenize(text)
    return out


def _r12(tokens: list[str], ref1: Any, ref2: Any, n1: int, n2: int) -> tuple[float, float]:
    """ROUGE-1 and ROUGE-2 F1 (x100) of a token sequence, as rouge-score computes them."""
    from collections import Counter
    from itertools import pairwise

    c1, c2 = Counter(tokens), Counter(pairwise(tokens))
    o1 = sum(min(k, ref1[t]) for t, k in c1.items() if t in ref1)
    o2 = sum(min(k, ref2[t]) for t, k in c2.items() if t in ref2)
    f1 = 200.0 * o1 / (len(tokens) + n1) if o1 else 0.0
    f2 = 200.0 * o2 / (max(len(tokens) - 1, 0) + n2) if o2 else 0.0
    return f1, f2


def _story(g: int) -> Any:
    """The ``CandidateStory`` and reference of cluster ``g`` of ``_W["rows"]``, or None."""
    from newsdesk.summarize.concepts import Concepts, load_concept_model
    from newsdesk.summarize.features import StoryView, features
    from newsdesk.summarize.model import load_model
    from newsdesk.summarize.rerank import CandidateStory

    row = _W["rows"][g]
    if row is None:
        return None
    ids, sentences, reference = row
    view = StoryView.build(ids, sentences)
    if not view.sentences:
        return None
    model, cm = load_model(), load_concept_model()
    assert model is not None and cm is not None
    scores = model.score(features(view))
    concepts = Concepts.build(view)
    weights = cm.weights(view, concepts, scores)
    return CandidateStory.build(view, scores, weights, concepts, 250), reference


def _features(job: tuple[int, list[list[int]]]) -> np.ndarray:
    from newsdesk.summarize.rerank import candidate_features

    built = _story(job[0])
    assert built is not None
    out: np.ndarray = candidate_features(built[0], job[1])
    return out


def feature_table(
    name: str, limit: int, lo: int, hi: int, key: str | None = None
) -> list[dict[str, Any]]:
    """``candidate_table`` with the features of the current ``rerank.py`` (cached)."""
    import hashlib

    import newsdesk.summarize.rerank as rr

    rows = candidate_table(name, limit, lo, hi, key)
    code = hashlib.sha256(Path(rr.__file__).read_bytes()).hexdigest()[:10]
    path = CACHE / f"feat-{name}-{lo}-{hi}-{key or _plan_key()}-{code}.npy"
    if path.exists():
        xs = list(np.load(path, allow_pickle=True))
    else:
        _W["rows"] = prepared(name, limit)
        with get_context("fork").Pool(2) as pool:
            xs = pool.map(_features, [(r["g"], r["picks"]) for r in rows], chunksize=8)
        arr = np.empty(len(xs), dtype=object)
        arr[:] = xs
        np.save(path, arr, allow_pickle=True)
    for r, x in zip(rows, xs, strict=True):
        r["x"] = x
    return rows


def _plan_key() -> str:
    import hashlib

    plan = json.dumps(_W.get("plan", {}), sort_keys=True) + GENERATION
    return hashlib.sha256(plan.encode()).hexdigest()[:10]


def _cluster(g: int) -> dict[str, Any] | None:
    """Candidates of one cluster: sentence indices (ordered as ``order`` would give them),
    features, ROUGE-1/2 of each."""
    from collections import Counter
    from itertools import pairwise

    from newsdesk.summarize.rerank import candidates
    from newsdesk.summarize.select import order

    built = _story(g)
    if built is None:
        return None
    story, reference = built
    view, scores = story.view, story.scores
    picks = candidates(story, **_W.get("plan", {}))
    rtoks = _tokens(reference)
    ref1, ref2 = Counter(rtoks), Counter(pairwise(rtoks))
    stoks = [_tokens(s.text) for s in view.sentences]
    position = {id(s): i for i, s in enumerate(view.sentences)}
    y = np.zeros((len(picks), 2), dtype=np.float32)
    ordered = []
    for k, picked in enumerate(picks):
        seq = [position[id(s)] for s in order(view, picked, scores)]
        ordered.append(seq)
        tokens = [t for i in seq for t in stoks[i]]
        y[k] = _r12(tokens, ref1, ref2, len(rtoks), max(len(rtoks) - 1, 0))
    return {"g": g, "y": y, "picks": ordered}


def candidate_table(
    name: str, limit: int, lo: int, hi: int, key: str | None = None
) -> list[dict[str, Any]]:
    """Candidates and their ROUGE, clusters lo..hi-1 of a split (cached under ``key``,
    default: the plan and ``GENERATION``)."""
    path = CACHE / f"cand-{name}-{lo}-{hi}-{key or _plan_key()}.pkl"
    if path.exists():
        with path.open("rb") as f:
            out: list[dict[str, Any]] = pickle.load(f)
        return out
    _W["rows"] = prepared(name, limit)
    started = time.time()
    with get_context("fork").Pool(2) as pool:
        out = [r for r in pool.imap(_cluster, range(lo, hi), chunksize=8) if r is not None]
    print(f"candidates of {name} {lo}-{hi}: {time.time() - started:.0f} s", file=sys.stderr)
    with path.open("wb") as f:
        pickle.dump(out, f)
    return out


def oracle_report(rows: list[dict[str, Any]]) -> None:
    """Mean ROUGE of the concepts pick, the MMR pick, the best of K by R1+R2, and by R1."""
    y0 = np.asarray([r["y"][0] for r in rows])
    mmr = np.asarray([r["y"][min(1, len(r["y"]) - 1)] for r in rows])
    best = np.asarray([r["y"][np.argmax(r["y"].sum(axis=1))] for r in rows])
    best1 = np.asarray([r["y"][:, 0].max() for r in rows])
    ks = [len(r["y"]) for r in rows]
    print(f"{len(rows)} clusters, candidates per cluster: mean {np.mean(ks):.1f}, max {max(ks)}")
    print(f"  concepts pick   R1 {y0[:, 0].mean():.2f}  R2 {y0[:, 1].mean():.2f}")
    print(f"  mmr pick        R1 {mmr[:, 0].mean():.2f}  R2 {mmr[:, 1].mean():.2f}")
    print(f"  oracle (R1+R2)  R1 {best[:, 0].mean():.2f}  R2 {best[:, 1].mean():.2f}")
    print(f"  oracle (R1)     R1 {best1.mean():.2f}")
    for k in (2, 5, 10, 15, 20):
        b = np.asarray([r["y"][:k][np.argmax(r["y"][:k].sum(axis=1))] for r in rows])
        print(f"  oracle first {k:2d} R1 {b[:, 0].mean():.2f}  R2 {b[:, 1].mean():.2f}")


def stack(rows: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, targets (R1, R2) and group sizes of candidate tables."""
    x = np.concatenate([r["x"] for r in rows])
    y = np.concatenate([r["y"] for r in rows])
    return x, y, np.asarray([len(r["y"]) for r in rows])


def relevance(y: np.ndarray, sizes: np.ndarray, span: float = 10.0) -> np.ndarray:
    """Integer relevance for LambdaRank: 10 minus the points of R1+R2 below the group's best."""
    t = y.sum(axis=1)
    out = np.zeros(len(t), dtype=np.int64)
    at = 0
    for k in sizes:
        g = t[at : at + k]
        out[at : at + k] = np.clip(np.round(g - g.max() + span), 0, span)
        at += k
    return out


def gaps(y: np.ndarray, sizes: np.ndarray, r2: float = 1.0) -> np.ndarray:
    """R1 + ``r2`` R2 minus the group's mean (regression target)."""
    t = y[:, 0] + r2 * y[:, 1]
    out = np.zeros(len(t), dtype=np.float32)
    at = 0
    for k in sizes:
        out[at : at + k] = t[at : at + k] - t[at : at + k].mean()
        at += k
    return out


def chosen_rouge(pred: np.ndarray, y: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Mean (R1, R2) of the candidate with the highest prediction in each group."""
    out = []
    at = 0
    for k in sizes:
        out.append(y[at + int(np.argmax(pred[at : at + k]))])
        at += k
    mean: np.ndarray = np.asarray(out).mean(axis=0)
    return mean


def fit(args: Any) -> None:
    import lightgbm as lgb

    from newsdesk.summarize.rerank import CANDIDATE_FEATURES

    train = feature_table("train-sample10k", 10000, 0, 10000)
    valid = feature_table("validation", 4000, 0, 4000)
    sel = [r for r in valid if 1000 <= r["g"] < 4000]
    rep = [r for r in valid if r["g"] < 1000]
    if args.train_on == "validation":
        train, sel = sel[: len(sel) // 2], sel[len(sel) // 2 :]
    xt, yt, st = stack(train)
    xs, ys, ss = stack(sel)
    xr, yr, sr = stack(rep)
    print(f"train {len(st)} groups {len(xt)} rows; select {len(ss)}; report {len(sr)}")
    for name, (_x, y, s) in {"select": (xs, ys, ss), "report": (xr, yr, sr)}.items():
        base = np.asarray([y[a] for a in np.cumsum(s) - s]).mean(axis=0)
        print(f"  {name}: concepts pick R1 {base[0]:.2f} R2 {base[1]:.2f}")
    for spec in args.specs.split(","):
        objective, leaves, lr = spec.split(":")
        params = {
            "objective": objective,
            "num_leaves": int(leaves),
            "learning_rate": float(lr),
            "min_data_in_leaf": 50,
            "feature_fraction": 0.8,
            "bagging_fraction": 0.8,
            "bagging_freq": 1,
            "seed": 0,
            "deterministic": True,
            "num_threads": 2,
            "verbose": -1,
        }
        if objective == "lambdarank":
            params |= {"lambdarank_truncation_level": 5, "eval_at": [1], "metric": "ndcg"}
            lt, ls = relevance(yt, st), relevance(ys, ss)
        else:
            params |= {"metric": "l2"}
            lt, ls = gaps(yt, st, args.r2), gaps(ys, ss, args.r2)
        dt = lgb.Dataset(xt, lt, group=st, feature_name=list(CANDIDATE_FEATURES))
        ds = lgb.Dataset(xs, ls, group=ss, reference=dt)
        started = time.time()
        booster = lgb.train(
            params, dt, 2000, valid_sets=[ds], callbacks=[lgb.early_stopping(50, verbose=False)]
        )
        took = time.time() - started
        ps = chosen_rouge(np.asarray(booster.predict(xs)), ys, ss)
        pr = chosen_rouge(np.asarray(booster.predict(xr)), yr, sr)
        print(
            f"  {spec:24s} trees {booster.best_iteration:4d} ({took:.0f} s)  select R1 {ps[0]:.2f} "
            f"R2 {ps[1]:.2f}  report R1 {pr[0]:.2f} R2 {pr[1]:.2f}"
        )
        if args.gains:
            gain = booster.feature_importance("gain")
            top = np.argsort(-gain)[:12]
            print(
                "   ", ", ".join(f"{CANDIDATE_FEATURES[i]} {gain[i] / gain.sum():.3f}" for i in top)
            )


def _register() -> None:
    """``reranked`` in the registry of this process (and of the workers it forks)."""
    from newsdesk.summarize import SUMMARIZERS
    from newsdesk.summarize.rerank import reranked

    SUMMARIZERS.setdefault("reranked", reranked)


def harness(argv: list[str]) -> int:
    """``benchmarks/rouge.py`` with ``reranked`` registered (validation files only)."""
    import rouge

    if any("test" in a for a in argv):
        raise SystemExit("never on test files")
    _register()
    out: int = rouge.main(argv)
    return out


def speed(argv: list[str]) -> int:
    """``benchmarks/speed.py`` with ``reranked`` registered, on validation clusters."""
    import speed as timing

    if any("test" in a for a in argv):
        raise SystemExit("never on test files")
    _register()
    out: int = timing.main(argv)
    return out


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    if sys.argv[1] in ("rouge", "speed"):
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        run = harness if sys.argv[1] == "rouge" else speed
        sys.exit(run(sys.argv[2:]))
    if sys.argv[1] == "prepare":
        print(len(prepared(sys.argv[2], int(sys.argv[3]))))
    elif sys.argv[1] == "fit":
        import argparse

        parser = argparse.ArgumentParser()
        parser.add_argument("stage")
        parser.add_argument("--specs", default="lambdarank:15:0.05,regression:15:0.05")
        parser.add_argument("--train-on", default="train")
        parser.add_argument("--plan", default="{}")
        parser.add_argument("--gains", action="store_true")
        parser.add_argument("--r2", type=float, default=1.0, help="weight of R2 in the target")
        a = parser.parse_args()
        _W["plan"] = json.loads(a.plan)
        fit(a)
    elif sys.argv[1] == "oracle":
        if len(sys.argv) > 5:
            _W["plan"] = json.loads(sys.argv[5])
        lo, hi = int(sys.argv[3]), int(sys.argv[4])
        limit = 4000 if "valid" in sys.argv[2] else 10000
        oracle_report(candidate_table(sys.argv[2], limit, lo, hi))
