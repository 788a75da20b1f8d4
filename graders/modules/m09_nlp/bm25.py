"""bm25_scores: Okapi BM25 with Lucene's idf, as bm25s 0.3's method="lucene" (float64 reference).

bm25s computes in float32; the grader compares with this float64 reference at the default
tolerance, and a module test checks on every hidden case that bm25s agrees with it at rtol=1e-5.
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np

from graders.engine.compare import close
from graders.engine.judges import returns
from graders.engine.spec import Case, Check, Exercise, seed_for

from .common import MODULE_ID, mistake
from .corpus import paragraphs, pick, words_of

EX = "bm25_scores"


def _bm25(query, docs, k1=1.5, b=0.75, *, idf="lucene", repeats=True, length="tokens", avgdl="all",
          numerator=False):
    docs = [list(d) for d in docs]
    lengths = [len(d) if length == "tokens" else len(set(d)) for d in docs]
    df = Counter(t for d in docs for t in set(d))
    n = len(docs)
    terms = list(query) if repeats else list(dict.fromkeys(query))
    if avgdl == "all":
        mean_len = sum(lengths) / n
    else:                               # the slip: averaged over the documents that contain a query term
        hits = [length for d, length in zip(docs, lengths) if set(d) & set(query)]
        mean_len = sum(hits) / len(hits) if hits else 1.0
    counts = [Counter(d) for d in docs]
    scores = np.zeros(n)
    for t in terms:
        n_t = df.get(t, 0)
        if n_t == 0:
            continue
        ratio = (n - n_t + 0.5) / (n_t + 0.5)
        w = math.log(1 + ratio) if idf == "lucene" else math.log(ratio)
        for i, (c, dl) in enumerate(zip(counts, lengths)):
            tf = c.get(t, 0)
            if tf:
                denom = tf + k1 * (1 - b + b * dl / mean_len)
                scores[i] += w * tf * ((k1 + 1) if numerator else 1) / denom
    return scores


def bm25_ref(query, docs, k1=1.5, b=0.75):
    return _bm25(query, docs, k1, b)


def bm25s_scores(query, docs, k1=1.5, b=0.75):
    """The library oracle (float32 inside); used by the module's tests to vouch for the reference."""
    import bm25s

    retriever = bm25s.BM25(method="lucene", k1=k1, b=b)
    retriever.index([list(d) for d in docs], show_progress=False)
    known = [t for t in query if t in retriever.vocab_dict]
    return retriever.get_scores(known) if known else np.zeros(len(docs))


def _variant(**switches):
    return lambda query, docs, k1=1.5, b=0.75: _bm25(query, docs, k1, b, **switches)


CMP = close()
MISTAKES = (
    mistake("robertson-idf", "your idf is Robertson's ln((N - n + 0.5) / (n + 0.5)), which is negative for terms in "
            "more than half of the documents; Lucene's (and bm25s') is ln(1 + (N - n + 0.5) / (n + 0.5))",
            _variant(idf="robertson"), compare=CMP),
    mistake("query-repeats-once", "a term repeated in the query counts each time it appears (the score sums over "
            "the query *list*); you counted it once", _variant(repeats=False), compare=CMP),
    mistake("length-in-distinct-terms", "|d| is the number of tokens of the document (repeats included), not the "
            "number of distinct terms", _variant(length="distinct"), compare=CMP),
    mistake("avgdl-over-matching-docs", "avgdl is the mean length over *all* documents of the collection, not only "
            "over those containing a query term", _variant(avgdl="matching"), compare=CMP),
    mistake("classic-numerator", "the pinned (Lucene) formula has no (k1 + 1) factor in the numerator: "
            "idf * tf / (tf + k1 * (1 - b + b * |d| / avgdl))", _variant(numerator=True), compare=CMP),
)


# ------------------------------------------------------------------ cases
def _collection(rng, k):
    docs = [words_of(p) for p in pick(rng, paragraphs(), k)]
    return [d for d in docs if d]


def _query(rng, docs, n_terms, repeat=True, unseen=True):
    vocab = sorted({t for d in docs for t in d})
    common = Counter(t for d in docs for t in set(d)).most_common(3)
    terms = [str(t) for t in rng.choice(vocab, size=n_terms, replace=False)] + [common[0][0]]
    if repeat:
        terms.append(terms[0])
    if unseen:
        terms.append("zyzzyva")
    return [terms[i] for i in rng.permutation(len(terms))]


def _random_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "random"))
    cases = []
    for k, n_terms, params in ((40, 3, {}), (25, 4, {"k1": 1.2, "b": 0.5}), (60, 2, {"k1": 2.0, "b": 0.9})):
        docs = _collection(rng, k)
        args = ", ".join(f"{key}={v}" for key, v in params.items()) or "default k1 and b"
        cases.append(Case((_query(rng, docs, n_terms), docs), params, f"{len(docs)} tokenised pydoc paragraphs, a "
                          f"query with a repeated term, a common term and an unseen one, {args}"))
    return cases


def _edge_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "edge"))
    docs = _collection(rng, 20)
    small = [["the", "cat", "sat"], ["the", "the", "the", "dog"], ["a", "cat", "and", "a", "dog", "and", "a", "cat"],
             ["bird"]]
    return [Case((["the", "the", "cat"], small), {}, "four short documents, query ['the', 'the', 'cat'] ('the' is "
                 "in half of them)"),
            Case((_query(rng, docs, 2, unseen=False), docs), {"b": 0.0}, "20 paragraphs, b=0 (no length "
                                                                         "normalisation)"),
            Case((_query(rng, docs, 2), docs), {"k1": 0.3}, "20 paragraphs, k1=0.3 (quick saturation)"),
            Case((["cat", "dog"], [["cat", "cat", "dog"]]), {}, "a collection of one document"),
            Case((["nothing", "here"], small), {}, "a query none of whose terms occurs"),
            Case(([], small), {}, "an empty query")]


def _example():
    docs = [["the", "cat", "sat", "on", "the", "mat"], ["the", "dog", "sat"], ["a", "cat", "and", "a", "dog"]]
    return Case((["cat", "sat"], docs), {}, "query ['cat', 'sat'] on the notebook's three documents")


JUDGE = returns(bm25_ref, CMP, MISTAKES, "the Lucene BM25 scores (as bm25s)")

bm25_scores = Exercise(
    EX,
    blocked=("bm25s", "rank_bm25"),
    skill="retrieval",
    hints=(
        "For each query term t (repeats included) and document d: idf(t) * tf / (tf + k1 * (1 - b + b * |d| / "
        "avgdl)), summed over the query. idf(t) = ln(1 + (N - n_t + 0.5) / (n_t + 0.5)) with n_t the number of "
        "documents containing t; a term in no document adds nothing.",
        "Precompute once: |d| = len(d) (tokens), avgdl = the mean of |d| over all documents, df from "
        "`Counter(t for d in docs for t in set(d))`, and one `Counter(d)` per document for tf.",
        "`scores = np.zeros(len(docs))`; `for t in query: if df[t] == 0: continue; idf = np.log(1 + (N - df[t] + "
        "0.5) / (df[t] + 0.5)); tf = np.array([c[t] for c in counts]); scores += idf * tf / (tf + k1 * (1 - b + b "
        "* lengths / avgdl))`",
    ),
    checks=(
        Check("the example in the notebook", 1, [_example()], JUDGE),
        Check("matches bm25s (lucene) on pydoc paragraphs", 5, _random_cases, JUDGE),
        Check("k1 and b, repeated and unknown terms, tiny collections", 4, _edge_cases, JUDGE),
    ),
)
