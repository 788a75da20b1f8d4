"""NGramLM: add-k smoothed n-gram language model with <s> padding, </s> predicted, <unk> for unknown words.

No library implements exactly the pinned conventions (nltk's ``lm`` counts differently), so the
oracle is a reference class here, in the grading process.
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np

from graders.engine.compare import close, describe
from graders.engine.judges import returns
from graders.engine.spec import Exercise, checks_with, seed_for

from .common import MODULE_ID, mistake, not_finite, raised, run_steps, scenario, steps_compare
from .corpus import sentences
from .helpers import scenario_probe

EX = "NGramLM"
BOS, EOS, UNK = "<s>", "</s>", "<unk>"


class NGramRef:
    """The pinned model; the keyword switches give the classic wrong variants."""

    def __init__(self, n, k=1.0, *, bos_in_v=False, eos_in_v=True, eos_predicted=True, ppl="corpus",
                 keep_eos=False):
        self.n, self.k, self.keep_eos = n, k, keep_eos
        self.bos_in_v, self.eos_in_v, self.eos_predicted, self.ppl = bos_in_v, eos_in_v, eos_predicted, ppl

    def fit(self, sentences):
        self.vocab = {w for s in sentences for w in s} | {UNK}
        if self.eos_in_v:
            self.vocab.add(EOS)
        if self.bos_in_v:
            self.vocab.add(BOS)
        self.counts, self.context_counts = Counter(), Counter()
        for s in sentences:
            for h, w in self._events(s):
                self.counts[h, w] += 1
                self.context_counts[h] += 1
        return self

    def _map(self, w):
        return w if w in self.vocab or w == BOS or (self.keep_eos and w == EOS) else UNK

    def _events(self, sentence):
        padded = [BOS] * (self.n - 1) + [self._map(w) for w in sentence] + ([EOS] if self.eos_predicted else [])
        for i in range(self.n - 1, len(padded)):
            yield tuple(padded[i - self.n + 1:i]), padded[i]

    def prob(self, word, context):
        h = tuple(self._map(c) for c in list(context)[len(context) - (self.n - 1):]) if self.n > 1 else ()
        w = self._map(word)
        return (self.counts[h, w] + self.k) / (self.context_counts[h] + self.k * len(self.vocab))

    def perplexity(self, sentences):
        per_sentence = [[math.log(self.prob(w, h)) for h, w in self._events(s)] for s in sentences]
        logs = [x for row in per_sentence for x in row]
        if self.ppl == "corpus":
            return math.exp(-sum(logs) / len(logs))
        if self.ppl == "mean-of-sentences":
            return float(np.mean([math.exp(-sum(r) / len(r)) for r in per_sentence]))
        if self.ppl == "mean-log-per-sentence":
            return math.exp(-float(np.mean([sum(r) / len(r) for r in per_sentence])))
        mean = sum(logs) / len(logs)
        return {"exp-log10": math.exp(-mean / math.log(10)), "exp-log2": math.exp(-mean / math.log(2)),
                "2-pow-ln": 2 ** (-mean), "10-pow-ln": 10 ** (-mean)}[self.ppl]


def ngram_ref(init_args, init_kwargs, steps):
    return run_steps(NGramRef(*init_args, **init_kwargs), steps, float)


def _variant(**switches):
    return lambda init_args, init_kwargs, steps: run_steps(NGramRef(*init_args, **init_kwargs, **switches), steps,
                                                           float)


def number(got, expected):
    if isinstance(got, (bool, np.bool_)) or got is None:
        return f"expected a number, got {describe(got)}"
    return close()(got, expected)


CMP = steps_compare(lambda name: number)


def _zero_for_unknown(case, obs, expected):
    if "value" not in obs or "unknown" not in case.tags:
        return False
    return any(isinstance(g, (int, float)) and g == 0 and e > 0 for g, e in zip(obs["value"], expected.values))


_crashed_on_unknown = raised("KeyError", "ValueError", "ZeroDivisionError", "IndexError", "TypeError", tag="unknown",
                             stages=("prob", "perplexity"))

MISTAKES = (
    mistake("unknown-word", "a word never seen in training must be mapped to <unk> (which is in V, with count 0, so "
            "add-k gives it k / (c(h) + k|V|)); your model crashed or gave it probability 0",
            detect=lambda case, obs, exp: _crashed_on_unknown(case, obs, exp) or _zero_for_unknown(case, obs, exp)
            or ("unknown" in case.tags and not_finite(case, obs, exp))),
    mistake("bos-in-vocabulary", "<s> is only padding: it is never predicted, so it is not in V; |V| = training "
            "word types + </s> + <unk>", _variant(bos_in_v=True), compare=CMP),
    mistake("eos-not-in-vocabulary", "</s> is predicted, so it belongs to V: |V| = training word types + </s> + "
            "<unk>", _variant(eos_in_v=False), _variant(eos_in_v=False, keep_eos=True), compare=CMP),
    mistake("eos-not-predicted", "every sentence ends with one </s> that the model predicts: count it in training "
            "(c(h, </s>) and c(h)) and include it in the perplexity", _variant(eos_predicted=False, eos_in_v=False),
            _variant(eos_predicted=False), _variant(eos_predicted=False, eos_in_v=False, keep_eos=True), compare=CMP),
    mistake("perplexity-per-sentence", "perplexity is exp of minus the mean log-probability over *every predicted "
            "token of the corpus* (</s> included), not an average over sentences",
            _variant(ppl="mean-of-sentences"), _variant(ppl="mean-log-per-sentence"), compare=CMP),
    mistake("log-base-mixed", "use one base throughout: exp of the mean *natural* log-probability (np.log with "
            "np.exp, or log2 with 2 **)", _variant(ppl="exp-log10"), _variant(ppl="exp-log2"),
            _variant(ppl="2-pow-ln"), _variant(ppl="10-pow-ln"), compare=CMP),
)


# ------------------------------------------------------------------ scenarios
def _queries(rng, model_n, train, test, k_queries):
    """(word, context) pairs: seen n-grams, </s> after a sentence, unseen contexts, unknown words."""
    out = []
    for s in (train[i] for i in rng.choice(len(train), size=k_queries, replace=False)):
        padded = [BOS] * (model_n - 1) + list(s) + [EOS]
        i = int(rng.integers(model_n - 1, len(padded)))
        out.append((padded[i], padded[max(0, i - model_n + 1 - int(rng.integers(0, 3))):i]))
    last = list(train[0])
    out.append((EOS, ([BOS] * (model_n - 1) + last)[-(model_n - 1) - 2:] if model_n > 1 else last))
    out.append((test[0][0], [BOS] * (model_n - 1)))
    return out


def _lm_case(rng, n, k, n_train, label, unknown=True, probs=True, perplexity=True):
    pool = sentences()
    idx = rng.choice(len(pool), size=n_train + 6, replace=False)
    train, test = [list(pool[i]) for i in idx[:n_train]], [list(pool[i]) for i in idx[n_train:]]
    queries = _queries(rng, n, train, test, 8)
    if unknown:
        queries.append(("quokka", [BOS] * (n - 1)))
        queries.append((train[1][0], ["zyzzyva"] * max(n - 1, 1)))
        test = test + [["the", "quokka", "is", "unknown"]]
    steps = [("fit(sentences)", "fit", (train,), {}, False)]
    if probs:
        steps += [(f"prob({w!r}, {ctx!r})", "prob", (w, ctx), {}, True) for w, ctx in queries]
    if perplexity:
        steps.append(("perplexity(test sentences)", "perplexity", (test,), {}, True))
        steps.append(("perplexity(training sentences)", "perplexity", (train[:5],), {}, True))
    return scenario((n,), {"k": k}, steps, label, tags=("unknown",) if unknown else ())


def _example():
    train = [["the", "cat", "sat"], ["the", "dog", "sat"], ["a", "cat", "ran"]]
    steps = [("fit(sentences)", "fit", (train,), {}, False),
             ("prob('cat', ['<s>', 'the'])", "prob", ("cat", [BOS, "the"]), {}, True),
             ("prob('</s>', ['cat', 'sat'])", "prob", (EOS, ["cat", "sat"]), {}, True),
             ("prob('bird', ['<s>', 'the'])", "prob", ("bird", [BOS, "the"]), {}, True),
             ("perplexity([['the', 'cat', 'ran']])", "perplexity", ([["the", "cat", "ran"]],), {}, True)]
    return scenario((2,), {"k": 1.0}, steps, "the notebook's bigram model on three sentences", tags=("unknown",))


def _prob_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "probs"))
    return [_lm_case(rng, 2, 1.0, 60, "a bigram model (k=1) on 60 pydoc sentences", perplexity=False),
            _lm_case(rng, 3, 0.5, 80, "a trigram model (k=0.5) on 80 pydoc sentences", perplexity=False),
            _lm_case(rng, 4, 0.1, 40, "a 4-gram model (k=0.1) on 40 pydoc sentences", unknown=False,
                     perplexity=False)]


def _perplexity_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "perplexity"))
    return [_lm_case(rng, 2, 1.0, 60, "a bigram model (k=1) on 60 pydoc sentences, test sentences with an unknown "
                     "word", probs=False),
            _lm_case(rng, 3, 0.3, 80, "a trigram model (k=0.3) on 80 pydoc sentences", unknown=False, probs=False)]


def _unigram_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "unigram"))
    return [_lm_case(rng, 1, 1.0, 50, "a unigram model (n=1, k=1) on 50 pydoc sentences"),
            _lm_case(rng, 1, 0.2, 30, "a unigram model (n=1, k=0.2) on 30 pydoc sentences")]


JUDGE_TEXT = "the add-k probabilities and perplexity of the pinned model"


_check = checks_with(judge=returns(ngram_ref, CMP, MISTAKES, JUDGE_TEXT), probe=scenario_probe)


NGramLM = Exercise(
    EX,
    blocked=("nltk",),
    skill="language-models",
    hints=(
        "Pad each training sentence with n-1 <s> in front and one </s> at the end; every position after the padding "
        "is one event (context h = the n-1 items before it, word w). Count c(h, w) and c(h). P(w|h) = (c(h,w) + k) "
        "/ (c(h) + k|V|).",
        "V = the training words plus </s> and <unk> (not <s>). Map any word outside V to <unk>, in the word and in "
        "the context (but keep <s>). perplexity = exp(-(Σ log P) / N) where the sum and N run over every predicted "
        "token of every sentence, </s> included.",
        "`h = tuple(self._map(c) for c in context[len(context) - (self.n - 1):]) if self.n > 1 else ()`; "
        "`(self.counts[h, w] + self.k) / (self.ctx[h] + self.k * len(self.vocab))`",
    ),
    checks=(
        _check("the example in the notebook", 1, [_example()]),
        _check("add-k probabilities with <s> padding, </s> and <unk>", 4, _prob_cases),
        _check("perplexity over every predicted token of the corpus", 3, _perplexity_cases),
        _check("a unigram model (n=1) ignores the context", 2, _unigram_cases),
    ),
)
