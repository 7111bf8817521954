"""Summary-level reranking experiment (issue 3): candidates, their oracle, a learned ranker.

    python benchmarks/summ_rerank.py oracle validation 0 4000 ['{"noise": 20}']
        # candidates of validation clusters 0-3,999 (``rerank.candidates`` with these
        # overrides), the ROUGE of the ``concepts`` pick, the MMR pick and the best of K
    python benchmarks/summ_rerank.py fit [--plan JSON] [--specs regression:15:0.1,...]
        # LightGBM rankers on train-sample10k candidates, chosen on validation 1,000-3,999,
        # reported on validation 0-999 (ROUGE of the candidate each picks)
    python benchmarks/summ_rerank.py consensus
        # session 4: consensus (MBR) features of each candidate against the other candidates,
        # the article leads, concepts several articles share and score-weighted
        # pseudo-references; MBR selection alone, and the shipped ranker's features plus each
        # group, trained and chosen like train_rerank.py (same cached candidates)
    python benchmarks/summ_rerank.py smooth
        # session 4: MBR over the ranker's own scores (softmax weights) and a sentence vote
    python benchmarks/summ_rerank.py variants
        # session 4: other LightGBM settings, targets, bagged seeds, a margin over the
        # ``concepts`` pick, fewer training clusters
    python benchmarks/summ_rerank.py wide
        # session 4: six more candidates from other scores (``more_candidates``): oracle,
        # and the ranker trained over the wider set against the shipped one
    python benchmarks/summ_rerank.py errors
        # session 4: the ranker's choice against the best candidate (feature means) and the
        # within-story rank correlation of its scores with the true ROUGE
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

CONCEPTS_FILE = "summarizer-concepts.json"

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


# --- session 4: consensus (minimum-Bayes-risk) features and other attempts -----------------

CONSENSUS = (
    # expected ROUGE-1 / ROUGE-2 proxy (F1 of stemmed content words / concept pairs, counts
    # summed over sentences) against the other candidates: mean, max, weighted by the
    # candidates' covered concept weight, and against the 5 candidates closest to the
    # score-weighted centroid
    "mbr1",
    "mbr2",
    "mbr1_max",
    "mbr2_max",
    "mbr1_w",
    "mbr2_w",
    "mbr12_top5",
    # the articles' leads: recall / precision of the words of the first kept sentence of each
    # article (first two: lead2), recall of their pairs
    "lead1_rec",
    "lead1_prec",
    "lead2_rec",
    "lead_pairs_rec",
    # concepts that two or more articles (or half of them) carry
    "multi_pairs_share",
    "multi_pairs_rec",
    "multi_words_share",
    "multi_words_rec",
    "maj_words_rec",
    "maj_pairs_rec",
    # pseudo-references: sentence bags weighted by score^p (scaled to 224 words), F1 of the
    # candidate's concepts against them; cosines to score^p-weighted TF-IDF centroids, to the
    # concept weights, to the best-scored article
    "pr1_p1",
    "pr2_p1",
    "pr1_p2",
    "pr2_p2",
    "pr1_p4",
    "pr2_p4",
    "cos_p2",
    "cos_p4",
    "cos_w",
    "pr1_w",
    "cos_top",
    "cos_pairs_p1",
    "cos_pairs_p2",
)
GROUPS = {
    "others": CONSENSUS[:7],
    "leads+shared": CONSENSUS[7:17],
    "pseudo-reference": CONSENSUS[17:23],
    "cosines": CONSENSUS[23:],
    "all": CONSENSUS,
}


def _incidence(story: Any, picks: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Candidate x sentence and sentence x concept 0/1 matrices."""
    c = story.concepts
    n, m = len(story.view.sentences), len(c.keys)
    a = np.zeros((len(picks), n))
    for r, p in enumerate(picks):
        a[r, list(p)] = 1.0
    s = np.zeros((n, m))
    s[c.sentence, c.concept] = 1.0
    return a, s


def _f1(counts: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Pairwise F1 of clipped count overlap between the rows of two count matrices."""
    overlap = np.minimum(counts[:, None, :], other[None, :, :]).sum(-1)
    size = counts.sum(1)[:, None] + other.sum(1)[None, :]
    out: np.ndarray = 2.0 * overlap / np.maximum(size, 1.0)
    return out


def _unit_rows(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    out: np.ndarray = v / np.maximum(norm, 1e-12)
    return out


def consensus_features(story: Any, picks: list[list[int]], x: np.ndarray) -> np.ndarray:
    """One row of ``CONSENSUS`` per candidate (``x``: its ``CANDIDATE_FEATURES`` rows)."""
    from newsdesk.summarize.rerank import CANDIDATE_FEATURES

    view, c = story.view, story.concepts
    k, m = len(picks), len(c.keys)
    out = np.zeros((k, len(CONSENSUS)), dtype=np.float32)
    if k == 0 or m == 0:
        return out
    col = {name: i for i, name in enumerate(CONSENSUS)}
    a, s = _incidence(story, picks)
    counts = a @ s
    pair = c.is_pair
    cover = x[:, CANDIDATE_FEATURES.index("cover")].astype(np.float64)
    cos_scored = x[:, CANDIDATE_FEATURES.index("cos_scored")]
    top5 = np.argsort(-cos_scored, kind="stable")[:5]
    both = np.zeros(k)
    for name, mask in (("1", ~pair), ("2", pair)):
        f = _f1(counts[:, mask], counts[:, mask])
        both += f[:, top5].mean(axis=1)
        if k < 2:
            continue
        others = ~np.eye(k, dtype=bool)
        out[:, col["mbr" + name]] = (f * others).sum(1) / (k - 1)
        out[:, col["mbr" + name + "_max"]] = np.where(others, f, -1.0).max(1)
        weight = np.exp(10.0 * (cover - cover.max()) / max(float(cover.max()), 1e-6))
        ww = np.where(others, weight[None, :], 0.0)
        out[:, col["mbr" + name + "_w"]] = (f * ww).sum(1) / np.maximum(ww.sum(1), 1e-12)
    out[:, col["mbr12_top5"]] = both
    position = np.zeros(len(view.sentences), dtype=np.int64)
    seen: dict[int, int] = {}
    for i, art in enumerate(view.article_of.tolist()):
        position[i] = seen.get(art, 0)
        seen[art] = position[i] + 1
    for name, first in (("lead1", 1), ("lead2", 2)):
        lead = (position < first).astype(np.float64) @ s
        hit = np.minimum(counts[:, ~pair], lead[None, ~pair]).sum(1)
        out[:, col[name + "_rec"]] = hit / max(float(lead[~pair].sum()), 1.0)
        if name == "lead1":
            out[:, col["lead1_prec"]] = hit / np.maximum(counts[:, ~pair].sum(1), 1.0)
            hit2 = np.minimum(counts[:, pair], lead[None, pair]).sum(1)
            out[:, col["lead_pairs_rec"]] = hit2 / max(float(lead[pair].sum()), 1.0)
    n_art = max(view.n_articles, 1)
    per_article = np.zeros((n_art, len(view.sentences)))
    per_article[view.article_of, np.arange(len(view.sentences))] = 1.0
    articles_with = ((per_article @ s) > 0).sum(0)
    held = counts > 0
    for name, mask in (("pairs", pair), ("words", ~pair)):
        multi = mask & (articles_with >= 2)
        out[:, col[f"multi_{name}_share"]] = held[:, multi].sum(1) / np.maximum(
            held[:, mask].sum(1), 1
        )
        spread = (articles_with - 1.0) * multi
        out[:, col[f"multi_{name}_rec"]] = (held * spread).sum(1) / max(float(spread.sum()), 1.0)
        major = mask & (articles_with >= max(2, (n_art + 1) // 2))
        out[:, col[f"maj_{name}_rec"]] = held[:, major].sum(1) / max(int(major.sum()), 1)
    scores = story.scores.astype(np.float64)
    lengths = story.lengths.astype(np.float64)
    summary = _unit_rows(a @ view.vectors)
    for p in (1, 2, 4):
        weight = scores**p
        expected = weight * 224.0 / max(float(weight @ lengths), 1e-9) @ s
        for name, mask in (("1", ~pair), ("2", pair)):
            hit = np.minimum(counts[:, mask], expected[None, mask]).sum(1)
            size = counts[:, mask].sum(1) + expected[mask].sum()
            out[:, col[f"pr{name}_p{p}"]] = 2.0 * hit / np.maximum(size, 1e-9)
        if p > 1:
            out[:, col[f"cos_p{p}"]] = summary @ _unit_rows(weight @ view.vectors)
        if p < 4:
            centre = _unit_rows(weight @ s[:, pair])
            out[:, col[f"cos_pairs_p{p}"]] = _unit_rows(counts[:, pair]) @ centre
    w = story.weights.astype(np.float64)[~pair]
    out[:, col["cos_w"]] = _unit_rows(counts[:, ~pair]) @ _unit_rows(w)
    hit = np.minimum(counts[:, ~pair], w[None, :]).sum(1)
    out[:, col["pr1_w"]] = 2.0 * hit / np.maximum(counts[:, ~pair].sum(1) + w.sum(), 1e-9)
    art = view.article_of
    best = int(np.argmax(np.bincount(art, weights=scores, minlength=view.n_articles)))
    out[:, col["cos_top"]] = summary @ _unit_rows(view.vectors[art == best].sum(0))
    return out


def cache_key() -> str:
    """The candidate cache key of ``train_rerank.py``: the code and model files candidates
    come from, so a change in any of them is never read stale."""
    import hashlib

    import newsdesk.summarize.rerank as rr

    summarize = Path(rr.__file__).parent
    names = ("rerank", "select", "concepts", "features", "model", "text")
    sources = [summarize / f"{m}.py" for m in names]
    sources += [summarize.parent / "data" / f for f in ("summarizer.json", CONCEPTS_FILE)]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()
    return "rr" + digest[:10]


def _consensus_job(job: tuple[int, list[list[int]], np.ndarray]) -> np.ndarray:
    built = _story(job[0])
    assert built is not None
    return consensus_features(built[0], job[1], job[2])


def _source_key(*functions: Any) -> str:
    """A cache key from the source of the functions that compute the cached values."""
    import hashlib
    import inspect

    text = "".join(inspect.getsource(f) for f in functions)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def consensus_table(name: str, limit: int, key: str) -> list[dict[str, Any]]:
    """``feature_table`` of the shipped candidates plus ``r["e"]``: their ``CONSENSUS``."""

    rows = feature_table(name, limit, 0, limit, key)
    path = CACHE / f"cons-{name}-{key}-{_source_key(consensus_features, _incidence, _f1)}.npy"
    if path.exists():
        es = list(np.load(path, allow_pickle=True))
    else:
        _W["rows"] = prepared(name, limit)
        with get_context("fork").Pool(2) as pool:
            jobs = [(r["g"], r["picks"], r["x"]) for r in rows]
            es = pool.map(_consensus_job, jobs, chunksize=8)
        arr = np.empty(len(es), dtype=object)
        arr[:] = es
        np.save(path, arr, allow_pickle=True)
    for r, e in zip(rows, es, strict=True):
        r["e"] = e
    return rows


def _relative(e: np.ndarray) -> np.ndarray:
    """Each column, its gap to the story's best and its rank (as ``candidate_features``)."""
    k = len(e)
    rank = np.zeros_like(e)
    for j in range(e.shape[1]):
        rank[np.argsort(-e[:, j], kind="stable"), j] = np.arange(k) / max(k - 1, 1)
    return np.hstack([e, e - e.max(axis=0), rank])


def _picked(pred: np.ndarray, y: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """(R1, R2) of the candidate with the highest prediction, one row per story."""
    starts = np.cumsum(sizes) - sizes
    out: np.ndarray = y[
        [a + int(np.argmax(pred[a : a + k])) for a, k in zip(starts, sizes, strict=True)]
    ]
    return out


def _interval(diff: np.ndarray) -> str:
    from train_rerank import paired_interval

    low, high = paired_interval(diff)
    return f"[{low:+.2f}, {high:+.2f}]"


def _splits(key: str, extra: bool) -> tuple[list[Any], list[Any], list[Any]]:
    table = consensus_table if extra else (lambda n, lim, k: feature_table(n, lim, 0, lim, k))
    train = table("train-sample10k", 10000, key)
    valid = table("validation", 4000, key)
    return (
        train,
        [r for r in valid if 1000 <= r["g"] < 4000],
        [r for r in valid if r["g"] < 1000],
    )


def _train(
    xt: Any, yt: Any, st: Any, xs: Any, ys: Any, ss: Any, names: list[str], **over: Any
) -> Any:
    """``train_rerank.py``'s LightGBM regression with ``over`` (``target``: another one)."""
    import lightgbm as lgb
    from train_rerank import PARAMS

    target = over.pop("target", gaps)
    dt = lgb.Dataset(xt, target(yt, st), group=st, feature_name=names)
    ds = lgb.Dataset(xs, target(ys, ss), group=ss, reference=dt)
    stop = [lgb.early_stopping(50, verbose=False)]
    return lgb.train(PARAMS | over, dt, 2000, valid_sets=[ds], callbacks=stop)


def consensus() -> None:
    """MBR selection alone, then the ranker with each group of ``CONSENSUS`` added."""
    from newsdesk.summarize.rerank import CANDIDATE_FEATURES

    train, sel, rep = _splits(cache_key(), True)
    first = {n: np.asarray([r["y"][0] for r in rows]) for n, rows in (("s", sel), ("r", rep))}
    print(
        f"concepts pick: 1000-3999 R1 {first['s'][:, 0].mean():.2f}; 0-999 R1 "
        f"{first['r'][:, 0].mean():.2f} R2 {first['r'][:, 1].mean():.2f}"
    )
    for name in (*CONSENSUS[:7], "mbr1+mbr2", "lead1_rec", "multi_pairs_rec", "pr1_p1"):

        def value(e: np.ndarray, name: str = name) -> np.ndarray:
            if name == "mbr1+mbr2":
                return e[:, 0] + e[:, 1]
            out: np.ndarray = e[:, CONSENSUS.index(name)]
            return out

        ys = np.asarray([r["y"][int(np.argmax(value(r["e"])))] for r in sel])
        yr = np.asarray([r["y"][int(np.argmax(value(r["e"])))] for r in rep])
        print(
            f"  pick the highest {name:16s} 1000-3999 R1 {ys[:, 0].mean():.2f}; 0-999 R1 "
            f"{yr[:, 0].mean():.2f} R2 {yr[:, 1].mean():.2f}, vs concepts "
            f"{_interval(yr[:, 0] - first['r'][:, 0])}"
        )
    names = list(CANDIDATE_FEATURES)
    full = names + [f"{e}{t}" for t in ("", "_gap", "_rank") for e in CONSENSUS]
    base: tuple[np.ndarray, np.ndarray] | None = None
    for group, extra in {"shipped features": (), **GROUPS}.items():
        cols = names + [f"{e}{t}" for e in extra for t in ("", "_gap", "_rank")]
        take = [full.index(c) for c in cols]

        def stacked(rows: list[Any], take: list[int] = take) -> tuple[Any, Any, Any]:
            x = np.concatenate([np.hstack([r["x"], _relative(r["e"])])[:, take] for r in rows])
            return (
                x,
                np.concatenate([r["y"] for r in rows]),
                np.asarray([len(r["y"]) for r in rows]),
            )

        xt, yt, st = stacked(train)
        xs, ys, ss = stacked(sel)
        xr, yr, sr = stacked(rep)
        booster = _train(xt, yt, st, xs, ys, ss, cols)
        ps, pr = _picked(booster.predict(xs), ys, ss), _picked(booster.predict(xr), yr, sr)
        line = (
            f"  ranker + {group:18s} {booster.best_iteration:3d} trees; 1000-3999 R1 "
            f"{ps[:, 0].mean():.2f}; 0-999 R1 {pr[:, 0].mean():.2f} R2 {pr[:, 1].mean():.2f}"
        )
        if base is None:
            base = (ps, pr)
        else:
            line += (
                f"; R1 vs shipped features: 1000-3999 {_interval(ps[:, 0] - base[0][:, 0])},"
                f" 0-999 {_interval(pr[:, 0] - base[1][:, 0])}"
            )
        print(line, flush=True)


TEMPERATURES = (0.25, 1.0, 4.0)


def _smooth_job(r: dict[str, Any]) -> tuple[list[np.ndarray], list[tuple[float, float]]]:
    """For each temperature: the candidate closest to the others under softmax(ranker / T)
    weights, and the ROUGE of a summary starting from the sentences holding half the weight."""
    from collections import Counter
    from itertools import pairwise

    from newsdesk.summarize.rerank import cover_greedy, load_rerank_model
    from newsdesk.summarize.select import order

    built = _story(r["g"])
    model = load_rerank_model()
    assert built is not None and model is not None
    story, reference = built
    pred = model.score(r["x"].astype(np.float32)).astype(np.float64)
    a, s = _incidence(story, r["picks"])
    counts = a @ s
    pair = story.concepts.is_pair
    f = _f1(counts[:, ~pair], counts[:, ~pair]) + _f1(counts[:, pair], counts[:, pair])
    rtoks = _tokens(reference)
    ref1, ref2 = Counter(rtoks), Counter(pairwise(rtoks))
    stoks = [_tokens(x.text) for x in story.view.sentences]
    position = {id(x): i for i, x in enumerate(story.view.sentences)}
    mbr, vote = [], []
    for t in TEMPERATURES:
        w = np.exp((pred - pred.max()) / t)
        w /= w.sum()
        mbr.append(r["y"][int(np.argmax(f @ w - np.diag(f) * w))])
        share = w @ a
        start = [int(i) for i in np.argsort(-share, kind="stable") if share[i] >= 0.5]
        seq = [
            position[id(x)]
            for x in order(story.view, cover_greedy(story, start=start), story.scores)
        ]
        tokens = [tok for i in seq for tok in stoks[i]]
        vote.append(_r12(tokens, ref1, ref2, len(rtoks), max(len(rtoks) - 1, 0)))
    return mbr, vote


def smooth() -> None:
    """The shipped ranker's argmax against MBR and a sentence vote over its soft choice."""
    from newsdesk.summarize.rerank import load_rerank_model

    model = load_rerank_model()
    assert model is not None
    _, sel, rep = _splits(cache_key(), False)
    _W["rows"] = prepared("validation", 4000)
    for name, rows in (("1000-3999", sel), ("0-999", rep)):
        with get_context("fork").Pool(2) as pool:
            out = pool.map(_smooth_job, rows, chunksize=8)
        argmax = np.asarray([r["y"][int(np.argmax(model.score(r["x"])))] for r in rows])
        print(f"{name}: ranker's argmax R1 {argmax[:, 0].mean():.2f} R2 {argmax[:, 1].mean():.2f}")
        for j, t in enumerate(TEMPERATURES):
            for kind, part in (("MBR", 0), ("vote", 1)):
                y = np.asarray([o[part][j] for o in out], dtype=np.float64)
                print(
                    f"  {kind:4s} T={t}: R1 {y[:, 0].mean():.2f} R2 {y[:, 1].mean():.2f}, "
                    f"R1 vs argmax {_interval(y[:, 0] - argmax[:, 0])}",
                    flush=True,
                )


def _scaled(y: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """R1 + R2 minus the story's mean, over the story's standard deviation (at least 1)."""
    t = y.sum(axis=1)
    out = np.zeros(len(t), dtype=np.float32)
    at = 0
    for k in sizes:
        g = t[at : at + k]
        out[at : at + k] = (g - g.mean()) / max(float(g.std()), 1.0)
        at += k
    return out


def _over_first(y: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """R1 + R2 minus that of the story's first candidate (the ``concepts`` pick)."""
    t = y.sum(axis=1)
    out = np.zeros(len(t), dtype=np.float32)
    at = 0
    for k in sizes:
        out[at : at + k] = t[at : at + k] - t[at]
        at += k
    return out


def variants() -> None:
    """``train_rerank.py``'s ranker against other settings, targets, seeds and data sizes."""
    from newsdesk.summarize.rerank import CANDIDATE_FEATURES

    names = list(CANDIDATE_FEATURES)
    train, sel, rep = _splits(cache_key(), False)
    xt, yt, st = stack(train)
    xs, ys, ss = stack(sel)
    xr, yr, sr = stack(rep)
    shipped = _train(xt, yt, st, xs, ys, ss, names)
    ps0, pr0 = shipped.predict(xs), shipped.predict(xr)
    bs, br = _picked(ps0, ys, ss), _picked(pr0, yr, sr)
    print(
        f"shipped settings: 1000-3999 R1 {bs[:, 0].mean():.2f}; 0-999 R1 {br[:, 0].mean():.2f}"
        f" R2 {br[:, 1].mean():.2f}"
    )

    def show(label: str, ps: np.ndarray, pr: np.ndarray) -> None:
        a, b = _picked(ps, ys, ss), _picked(pr, yr, sr)
        print(
            f"  {label:34s} 1000-3999 R1 {a[:, 0].mean():.2f} "
            f"{_interval(a[:, 0] - bs[:, 0])}; 0-999 R1 {b[:, 0].mean():.2f} R2 "
            f"{b[:, 1].mean():.2f} {_interval(b[:, 0] - br[:, 0])}",
            flush=True,
        )

    settings: dict[str, dict[str, Any]] = {
        "7 leaves": {"num_leaves": 7},
        "min 200 per leaf": {"min_data_in_leaf": 200},
        "rate 0.03": {"learning_rate": 0.03},
        "31 leaves, rate 0.05, L2 10, min 200": {
            "num_leaves": 31,
            "learning_rate": 0.05,
            "lambda_l2": 10.0,
            "min_data_in_leaf": 200,
        },
        "target scaled by the story's spread": {"target": _scaled},
        "target over the concepts pick": {"target": _over_first},
    }
    for label, over in settings.items():
        booster = _train(xt, yt, st, xs, ys, ss, names, **over)
        show(label, booster.predict(xs), booster.predict(xr))
    ms, mr = np.zeros(len(xs)), np.zeros(len(xr))
    for seed in range(1, 6):
        booster = _train(xt, yt, st, xs, ys, ss, names, seed=seed)
        ms, mr = ms + booster.predict(xs), mr + booster.predict(xr)
    show("mean of 5 seeds (1-5)", ms, mr)
    for margin in (0.5, 1.0, 2.0):

        def keep(pred: np.ndarray, sizes: np.ndarray, margin: float = margin) -> np.ndarray:
            # the ranker's pick only if it beats the ``concepts`` pick by ``margin``
            out = np.full(len(pred), -np.inf)
            for a, k in zip(np.cumsum(sizes) - sizes, sizes, strict=True):
                j = a + int(np.argmax(pred[a : a + k]))
                out[j if pred[j] - pred[a] > margin else a] = 0.0
            return out

        show(f"margin {margin} over the concepts pick", keep(ps0, ss), keep(pr0, sr))
    for clusters in (2500, 5000):
        part = [r for r in train if r["g"] < clusters]
        xp, yp, sp = stack(part)
        booster = _train(xp, yp, sp, xs, ys, ss, names)
        show(f"training clusters 0-{clusters - 1}", booster.predict(xs), booster.predict(xr))


# Idea 2 of session 4: candidates from other sentence scores, appended to the shipped ones.
MORE = (
    "centroid MMR 0.3",
    "centroid MMR 1.0",
    "centroid coverage",
    "lead round robin",
    "two best articles",
    "newsdesk scores squared",
)


def more_candidates(story: Any) -> list[list[int]]:
    """Extra candidates: MMR and coverage greedy over the untrained ``centroid`` score, the
    leads of the articles in turn, coverage within the two best-scored articles, and
    coverage with the sentence scores squared (sharper)."""
    from newsdesk.summarize import untrained_scores
    from newsdesk.summarize.features import features
    from newsdesk.summarize.rerank import cover_greedy
    from newsdesk.summarize.select import select

    view, words = story.view, story.words
    hand = untrained_scores(features(view))
    out = [select(view, hand, words, redundancy=r) for r in (0.3, 1.0)]
    saved = story.scores
    story.scores = (hand - hand.min()) / max(float(hand.max() - hand.min()), 1e-6)
    out.append(cover_greedy(story))
    story.scores = saved
    position = np.zeros(len(view.sentences), dtype=np.int64)
    seen: dict[int, int] = {}
    for i, art in enumerate(view.article_of.tolist()):
        position[i] = seen.get(art, 0)
        seen[art] = position[i] + 1
    fits = (story.lengths >= 4) & ~story.reading.leaning
    lead, used = [], 0
    for i in np.lexsort((view.article_of, position)).tolist():
        if fits[i] and used + int(story.lengths[i]) <= words:
            lead.append(i)
            used += int(story.lengths[i])
    out.append(lead)
    mass = np.bincount(view.article_of, weights=story.scores, minlength=view.n_articles)
    keep = set(np.argsort(-mass, kind="stable")[:2].tolist())
    banned = [i for i, art in enumerate(view.article_of.tolist()) if art not in keep]
    out.append(cover_greedy(story, banned=banned))
    story.scores = (saved**2).astype(np.float32)
    out.append(cover_greedy(story))
    story.scores = saved
    return out


def _wide_job(r: dict[str, Any]) -> dict[str, Any]:
    from collections import Counter
    from itertools import pairwise

    from newsdesk.summarize.rerank import candidate_features
    from newsdesk.summarize.select import order

    built = _story(r["g"])
    assert built is not None
    story, reference = built
    view = story.view
    seen = {frozenset(p) for p in r["picks"]}
    rtoks = _tokens(reference)
    ref1, ref2 = Counter(rtoks), Counter(pairwise(rtoks))
    stoks = [_tokens(x.text) for x in view.sentences]
    position = {id(x): i for i, x in enumerate(view.sentences)}
    picks, ys, source = list(r["picks"]), [*r["y"]], [-1] * len(r["picks"])
    for j, extra in enumerate(more_candidates(story)):
        if extra and frozenset(extra) not in seen:
            seen.add(frozenset(extra))
            seq = [position[id(x)] for x in order(view, extra, story.scores)]
            tokens = [t for i in seq for t in stoks[i]]
            picks.append(seq)
            ys.append(np.asarray(_r12(tokens, ref1, ref2, len(rtoks), max(len(rtoks) - 1, 0))))
            source.append(j)
    x = candidate_features(story, picks)
    return {
        "g": r["g"],
        "y": np.asarray(ys, dtype=np.float32),
        "picks": picks,
        "x": x,
        "source": source,
    }


def wide_table(name: str, limit: int, key: str) -> list[dict[str, Any]]:
    """The shipped candidates plus ``more_candidates``, with ROUGE and features (cached)."""

    rows = feature_table(name, limit, 0, limit, key)
    path = CACHE / f"wide-{name}-{key}-{_source_key(more_candidates, _wide_job)}.pkl"
    if path.exists():
        with path.open("rb") as f:
            out: list[dict[str, Any]] = pickle.load(f)
        return out
    _W["rows"] = prepared(name, limit)
    with get_context("fork").Pool(2) as pool:
        out = pool.map(_wide_job, rows, chunksize=8)
    with path.open("wb") as f:
        pickle.dump(out, f)
    return out


def wide() -> None:
    """Oracle and trained ranker with ``more_candidates`` against the shipped candidates."""
    from newsdesk.summarize.rerank import CANDIDATE_FEATURES

    key = cache_key()
    names = list(CANDIDATE_FEATURES)
    train, sel, rep = _splits(key, False)
    shipped = _train(*stack(train), *stack(sel), names)
    base = {
        n: _picked(shipped.predict(stack(rows)[0]), stack(rows)[1], stack(rows)[2])
        for n, rows in (("s", sel), ("r", rep))
    }
    wtrain = wide_table("train-sample10k", 10000, key)
    wvalid = wide_table("validation", 4000, key)
    wsel = [r for r in wvalid if 1000 <= r["g"] < 4000]
    wrep = [r for r in wvalid if r["g"] < 1000]
    oracle_report(wsel)
    best = [r["source"][int(np.argmax(r["y"].sum(axis=1)))] for r in wsel]
    print("  best candidate is a new one in", {m: best.count(j) for j, m in enumerate(MORE)})
    booster = _train(*stack(wtrain), *stack(wsel), names)
    for label, rows, b in (("1000-3999", wsel, base["s"]), ("0-999", wrep, base["r"])):
        x, y, s = stack(rows)
        picked = _picked(booster.predict(x), y, s)
        print(
            f"  ranker over the wider set, {label}: R1 {picked[:, 0].mean():.2f} R2 "
            f"{picked[:, 1].mean():.2f} (shipped {b[:, 0].mean():.2f}); R1 vs shipped "
            f"{_interval(picked[:, 0] - b[:, 0])}",
            flush=True,
        )


def errors() -> None:
    """How the shipped ranker's choice, the best candidate by true ROUGE and the ``concepts``
    pick differ on validation 1000-3999 (feature means), and how well the ranker orders the
    candidates within a story."""
    from newsdesk.summarize.rerank import CANDIDATE_FEATURES, load_rerank_model

    model = load_rerank_model()
    assert model is not None
    _, sel, _ = _splits(cache_key(), False)
    rho, spread, best, chosen = [], [], [], []
    for r in sel:
        truth = r["y"].sum(axis=1)
        pred = model.score(r["x"])
        spread.append(truth.max() - truth.min())
        if len(truth) > 2 and truth.std() > 0 and pred.std() > 0:
            a = np.argsort(np.argsort(pred)).astype(float)
            b = np.argsort(np.argsort(truth)).astype(float)
            rho.append(float(np.corrcoef(a, b)[0, 1]))  # Spearman (ties broken by order)
        best.append(r["x"][int(np.argmax(truth))])
        chosen.append(r["x"][int(np.argmax(pred))])
    print(
        f"{len(sel)} stories: candidates' R1 + R2 spread median {np.median(spread):.1f}, "
        f"mean {np.mean(spread):.1f}; mean within-story Spearman (ranker, truth) "
        f"{np.mean(rho):.2f}"
    )
    first = np.asarray([r["x"][0] for r in sel])
    b, c = np.asarray(best), np.asarray(chosen)
    for j, name in enumerate(CANDIDATE_FEATURES[:25]):
        print(
            f"  {name:16s} best {b[:, j].mean():8.3f}  ranker's {c[:, j].mean():8.3f}  "
            f"concepts {first[:, j].mean():8.3f}"
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
    elif sys.argv[1] == "consensus":
        consensus()
    elif sys.argv[1] == "smooth":
        smooth()
    elif sys.argv[1] == "variants":
        variants()
    elif sys.argv[1] == "wide":
        wide()
    elif sys.argv[1] == "errors":
        errors()
    elif sys.argv[1] == "oracle":
        if len(sys.argv) > 5:
            _W["plan"] = json.loads(sys.argv[5])
        lo, hi = int(sys.argv[3]), int(sys.argv[4])
        limit = 4000 if "valid" in sys.argv[2] else 10000
        oracle_report(candidate_table(sys.argv[2], limit, lo, hi))
