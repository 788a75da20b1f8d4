"""TfidfVectorizer: fit / transform / fit_transform, vocabulary_ and idf_, as scikit-learn's."""
from __future__ import annotations

import math
import re

import numpy as np

from graders.engine.compare import close, describe
from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Exercise, checks_with, seed_for

from .common import MODULE_ID, mistake, raised, run_steps, scenario, steps_compare
from .corpus import paragraphs, pick
from .helpers import scenario_probe

EX = "TfidfVectorizer"
TOKEN = re.compile(r"(?u)\b\w\w+\b")


def _dense(value):
    return value.toarray() if hasattr(value, "toarray") else np.asarray(value)


def tfidf_ref(init_args, init_kwargs, steps):
    """The oracle: scikit-learn's TfidfVectorizer with the same three arguments."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(*init_args, **init_kwargs)
    return run_steps(vec, steps, lambda v: {k: int(i) for k, i in v.items()} if isinstance(v, dict) else _dense(v))


class _Variant:
    """A hand-written TF-IDF with switches for the classic slips."""

    def __init__(self, smooth_idf=True, sublinear_tf=False, norm="l2", *, plus_one=True, df_tokens=False,
                 normalise=True, honour_sublinear=True, idf_on_transform=False, tokens=TOKEN.findall):
        self.smooth_idf, self.sublinear_tf, self.norm = smooth_idf, sublinear_tf, norm
        self.plus_one, self.df_tokens, self.normalise = plus_one, df_tokens, normalise
        self.honour_sublinear, self.idf_on_transform, self.tokens = honour_sublinear, idf_on_transform, tokens

    def _counts(self, docs):
        rows = []
        for doc in docs:
            row: dict[str, int] = {}
            for t in self.tokens(doc.lower()):
                row[t] = row.get(t, 0) + 1
            rows.append(row)
        return rows

    def _idf(self, rows):
        n = len(rows)
        idf = []
        for term in self.vocabulary_:
            df = sum(r.get(term, 0) if self.df_tokens else (term in r) for r in rows)
            ratio = (1 + n) / (1 + df) if self.smooth_idf else n / df if df else math.inf
            idf.append(math.log(ratio) + (1 if self.plus_one else 0))
        return np.array(idf)

    def fit(self, docs):
        rows = self._counts(docs)
        self.vocabulary_ = {t: i for i, t in enumerate(sorted({t for r in rows for t in r}))}
        self.idf_ = self._idf(rows)
        return self

    def transform(self, docs):
        rows = self._counts(docs)
        idf = self._idf(rows) if self.idf_on_transform else self.idf_
        if self.idf_on_transform == "overwrite":
            self.idf_ = idf
        X = np.zeros((len(rows), len(self.vocabulary_)))
        for i, row in enumerate(rows):
            for t, c in row.items():
                if t in self.vocabulary_:
                    X[i, self.vocabulary_[t]] = c
        if self.sublinear_tf and self.honour_sublinear:
            X = np.where(X > 0, 1 + np.log(np.where(X > 0, X, 1)), 0)
        X = X * idf
        if self.norm == "l2" and self.normalise:
            norms = np.linalg.norm(X, axis=1, keepdims=True)
            X = X / np.where(norms > 0, norms, 1)
        return X

    def fit_transform(self, docs):
        return self.fit(docs).transform(docs)


def _variant(**switches):
    def run(init_args, init_kwargs, steps):
        return run_steps(_Variant(*init_args, **init_kwargs, **switches), steps)
    return run


def vocab_compare(got, expected):
    if not isinstance(got, dict):
        return f"expected a dict {{term: column}}, got {describe(got)}"
    if set(got) != set(expected):
        extra, missing = len(set(got) - set(expected)), len(set(expected) - set(got))
        return f"your vocabulary has {extra} term(s) too many and misses {missing}: tokenise like scikit-learn " \
               "(`doc.lower()`, then the tokens of `(?u)\\b\\w\\w+\\b`: two or more word characters)"
    wrong = sum(1 for k, v in got.items() if not isinstance(v, (int, np.integer)) or int(v) != expected[k])
    if wrong:
        return f"{wrong} term(s) have the wrong column: columns follow the sorted order of the terms"
    return None


def _item_compare(name):
    return vocab_compare if name == "vocabulary_" else close()


CMP = steps_compare(_item_compare)


MISTAKES = (
    mistake("idf-without-plus-one", "your idf lacks scikit-learn's `+ 1`: idf = ln((1 + n) / (1 + df)) + 1 "
            "(smooth_idf=True) or ln(n / df) + 1, so that a term in every document still counts",
            _variant(plus_one=False), compare=CMP),
    mistake("df-counts-tokens", "document frequency counts *documents* containing the term, not its occurrences: "
            "a term used 5 times in one document has df = 1", _variant(df_tokens=True), compare=CMP),
    mistake("no-l2-normalisation", "with norm='l2' every row is divided by its Euclidean length (all-zero rows stay "
            "zero); yours are not normalised", _variant(normalise=False), compare=CMP),
    mistake("sublinear-ignored", "with sublinear_tf=True the term count tf is replaced by 1 + ln(tf) (for tf > 0) "
            "before multiplying by idf", _variant(honour_sublinear=False), compare=CMP),
    mistake("idf-from-transform-docs", "transform must reuse the idf_ learnt in fit: recomputing document "
            "frequencies on the documents being transformed leaks them into the features (and changes every "
            "column)", _variant(idf_on_transform=True), _variant(idf_on_transform="overwrite"), compare=CMP),
    mistake("crash-unseen-or-empty", "transform must skip words that were not seen in fit, and an empty document "
            "(or one without any token) gives an all-zero row; your code raised an error on such input",
            detect=raised(tag="unseen", stages=("transform", "fit_transform"))),
    mistake("tokenised-by-split", "tokenise like scikit-learn: `doc.lower()` then `re.findall(r\"(?u)\\b\\w\\w+\\b\", "
            "...)` (punctuation dropped, one-character tokens dropped)",
            _variant(tokens=str.split), compare=CMP),
)


# ------------------------------------------------------------------ scenarios
def _docs(rng, k):
    return pick(rng, paragraphs(), k)


ODD = ["", "a I x 1 2", "Unseen zyzzyva quokka words!", "The THE the: case folding"]


def _fit_case(init_kwargs, docs, label):
    steps = [("fit(docs)", "fit", (docs,), {}, False), ("vocabulary_", "@vocabulary_", (), {}, True),
             ("idf_", "@idf_", (), {}, True)]
    return scenario((), init_kwargs, steps, label)


def _fit_transform_case(init_kwargs, docs, label):
    steps = [("fit_transform(docs)", "fit_transform", (docs,), {}, True), ("vocabulary_", "@vocabulary_", (), {}, True)]
    return scenario((), init_kwargs, steps, label, tags=("unseen",))


def _transform_case(init_kwargs, docs, new_docs, label):
    steps = [("fit(docs)", "fit", (docs,), {}, False), ("transform(new docs)", "transform", (new_docs,), {}, True),
             ("idf_ after transform", "@idf_", (), {}, True)]
    return scenario((), init_kwargs, steps, label, tags=("unseen",))


def _example():
    docs = ["the cat sat on the mat", "the dog sat", "a cat and a dog"]
    steps = [("fit_transform(docs)", "fit_transform", (docs,), {}, True), ("vocabulary_", "@vocabulary_", (), {}, True),
             ("idf_", "@idf_", (), {}, True), ("transform(['the bird sat'])", "transform", (["the bird sat"],), {},
                                                True)]
    return scenario((), {}, steps, "the notebook's three documents", tags=("unseen",))


def _fit_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "fit"))
    return [_fit_case({}, _docs(rng, 15), "15 pydoc paragraphs, default arguments"),
            _fit_case({"smooth_idf": False}, _docs(rng, 12) + ["print print print print"],
                      "13 documents (one repeats a word), smooth_idf=False"),
            _fit_case({"sublinear_tf": True, "norm": None}, _docs(rng, 8), "8 paragraphs, sublinear_tf=True, "
                                                                           "norm=None")]


def _fit_transform_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "fit_transform"))
    return [_fit_transform_case({}, _docs(rng, 12) + ODD[:2], "12 paragraphs plus an empty document and one "
                                                              "without any two-letter token"),
            _fit_transform_case({"norm": None}, _docs(rng, 10), "10 paragraphs, norm=None"),
            _fit_transform_case({"sublinear_tf": True}, _docs(rng, 10) + ["error error error error error"],
                                "11 documents with repeated words, sublinear_tf=True"),
            _fit_transform_case({"smooth_idf": False, "sublinear_tf": True, "norm": "l2"}, _docs(rng, 9),
                                "9 paragraphs, smooth_idf=False, sublinear_tf=True")]


def _transform_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "transform"))
    return [_transform_case({}, _docs(rng, 12), _docs(rng, 5) + ODD, "12 training paragraphs, then 9 other "
                            "documents to transform (unseen words, an empty one)"),
            _transform_case({"sublinear_tf": True, "norm": None}, _docs(rng, 10), _docs(rng, 4),
                            "10 training paragraphs, then 4 others to transform, sublinear_tf=True, norm=None"),
            _transform_case({"smooth_idf": False}, _docs(rng, 10), _docs(rng, 3) + ODD[2:],
                            "10 training paragraphs, then 5 others to transform, smooth_idf=False")]


# kept between grading runs (engine/kept_values.py): a grade imports scikit-learn only for new cases
ORACLE = kept_oracle(tfidf_ref, f"{MODULE_ID}-tfidf", ("scikit-learn",))
JUDGE = returns(ORACLE, CMP, MISTAKES, "the values of scikit-learn's TfidfVectorizer")
_check = checks_with(judge=JUDGE, probe=scenario_probe)

TfidfVectorizer = Exercise(
    EX,
    blocked=("sklearn.feature_extraction.text.TfidfVectorizer", "sklearn.feature_extraction.text.TfidfTransformer"),
    skill="retrieval",
    hints=(
        "fit learns two things from the training documents: the vocabulary (sorted terms -> columns) and one idf "
        "per term. transform counts each document's terms, multiplies by idf_ and normalises each row; it never "
        "re-learns anything.",
        "Tokens: `re.findall(r\"(?u)\\b\\w\\w+\\b\", doc.lower())`. df = number of documents containing the term. "
        "idf = ln((1 + n) / (1 + df)) + 1 with smooth_idf, else ln(n / df) + 1. tf is the raw count, or 1 + ln(tf) "
        "with sublinear_tf. Rows: tf * idf, divided by their L2 norm when norm='l2' (zero rows stay zero).",
        "`X = np.zeros((len(docs), len(self.vocabulary_)))`; fill counts for known terms only; "
        "`X = X * self.idf_`; `norms = np.linalg.norm(X, axis=1, keepdims=True)`; "
        "`X / np.where(norms > 0, norms, 1)`",
    ),
    checks=(
        _check("the example in the notebook", 1, [_example()]),
        _check("vocabulary_ and idf_ after fit", 3, _fit_cases),
        _check("fit_transform: tf-idf rows, norms, sublinear tf, empty documents", 3, _fit_transform_cases),
        _check("transform reuses what fit learnt (unseen words, empty documents)", 3, _transform_cases),
    ),
)
