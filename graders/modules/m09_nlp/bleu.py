"""corpus_bleu: corpus-level BLEU with one reference per hypothesis, as sacrebleu without tokenisation or smoothing."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np

from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Check, Exercise, seed_for

from .common import MODULE_ID, mistake, scalar
from .corpus import sentences

EX = "corpus_bleu"


def sacrebleu_score(hypotheses, references, max_n=4):
    """The oracle: sacrebleu's BLEU, tokenize='none', smooth_method='none'; 0.0 for an empty corpus (pinned)."""
    if not hypotheses:
        return 0.0
    from sacrebleu.metrics import BLEU

    metric = BLEU(tokenize="none", smooth_method="none", force=True, max_ngram_order=max_n)
    return metric.corpus_score(list(hypotheses), [list(references)]).score / 100


def _ngrams(tokens, n):
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def _stats(hyp, ref, max_n, clip=True):
    h, r = hyp.split(), ref.split()
    matches, totals = [], []
    for n in range(1, max_n + 1):
        hc, rc = _ngrams(h, n), _ngrams(r, n)
        matches.append(sum(min(c, rc[g]) if clip else c * (g in rc) for g, c in hc.items()))
        totals.append(max(len(h) - n + 1, 0))
    return matches, totals, len(h), len(r)


def _bleu(hypotheses, references, max_n=4, *, clip=True, bp="corpus", mean="geometric", per_sentence=False):
    if not hypotheses:
        return 0.0
    if per_sentence:
        return float(np.mean([_bleu([h], [r], max_n, clip=clip) for h, r in zip(hypotheses, references)]))
    rows = [_stats(h, r, max_n, clip) for h, r in zip(hypotheses, references)]
    matches = np.sum([m for m, *_ in rows], axis=0)
    totals = np.sum([t for _, t, *_ in rows], axis=0)
    c, r = sum(row[2] for row in rows), sum(row[3] for row in rows)
    if np.any(matches == 0):
        return 0.0
    precisions = matches / totals
    if bp == "corpus":
        penalty = 1.0 if c > r else math.exp(1 - r / c)
    elif bp == "swapped":
        penalty = 1.0 if r > c else math.exp(1 - c / r)
    else:                                            # the mean of per-sentence penalties
        penalty = float(np.mean([1.0 if hc > rc else math.exp(1 - rc / hc) if hc else 0.0
                                 for _, _, hc, rc in rows]))
    if mean == "geometric":
        return penalty * math.exp(np.mean(np.log(precisions)))
    return penalty * float(np.mean(precisions))


def bleu_ref(hypotheses, references, max_n=4):
    return _bleu(hypotheses, references, max_n)


def _variant(**switches):
    return lambda hypotheses, references, max_n=4: _bleu(hypotheses, references, max_n, **switches)


CMP = scalar()
MISTAKES = (
    mistake("mean-of-sentence-bleu", "corpus BLEU is not the mean of sentence BLEUs: pool the clipped n-gram matches "
            "and the n-gram totals over the whole corpus first, then take the ratios", _variant(per_sentence=True),
            compare=CMP),
    mistake("unclipped-counts", "n-gram matches must be clipped: a hypothesis n-gram counts at most as many times as "
            "it appears in the reference (min(count_hyp, count_ref))", _variant(clip=False), compare=CMP),
    mistake("bp-per-sentence", "the brevity penalty uses the corpus totals c (hypothesis tokens) and r (reference "
            "tokens), once: BP = exp(1 - r/c) when c <= r; not a penalty per sentence", _variant(bp="sentence"),
            compare=CMP),
    mistake("bp-lengths-swapped", "the brevity penalty has c and r swapped: it punishes *short* hypotheses, BP = 1 "
            "if c > r else exp(1 - r/c), with c the hypotheses' total length", _variant(bp="swapped"), compare=CMP),
    mistake("arithmetic-mean", "BLEU combines the n-gram precisions with a *geometric* mean, exp(mean(log p_n)), "
            "not an arithmetic one", _variant(mean="arithmetic"), compare=CMP),
)


# ------------------------------------------------------------------ cases
def _hypothesis(rng, ref: list[str], vocab: list[str], drop=0.15, swap=0.1, replace=0.1, repeat=0.05):
    out = []
    for w in ref:
        u = rng.random()
        if u < drop:
            continue
        if u < drop + replace:
            out.append(str(rng.choice(vocab)))
        elif u < drop + replace + repeat:
            out += [w, w]
        else:
            out.append(w)
    for i in range(len(out) - 1):
        if rng.random() < swap:
            out[i], out[i + 1] = out[i + 1], out[i]
    return out


def _corpus(rng, n, **noise):
    pool = sentences()
    refs = [list(pool[i]) for i in rng.choice(len(pool), size=n, replace=False)]
    vocab = sorted({w for r in refs for w in r})
    hyps = [_hypothesis(rng, r, vocab, **noise) for r in refs]
    return [" ".join(h) for h in hyps], [" ".join(r) for r in refs]


def _random_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "random"))
    cases = []
    for n, max_n, noise, what in ((40, 4, {}, "40 pydoc sentences, noisy hypotheses"),
                                  (25, 2, {"drop": 0.3}, "25 sentences, hypotheses missing 30% of the words, max_n=2"),
                                  (30, 3, {"drop": 0.02, "repeat": 0.2}, "30 sentences, hypotheses that repeat "
                                                                          "words, max_n=3"),
                                  (20, 4, {"drop": 0.0, "replace": 0.05, "repeat": 0.25}, "20 sentences, hypotheses "
                                                                                          "longer than references")):
        hyps, refs = _corpus(rng, n, **noise)
        cases.append(Case((hyps, refs), {"max_n": max_n} if max_n != 4 else {}, what))
    return cases


def _penalty_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "penalty"))
    hyps, refs = _corpus(rng, 10, drop=0.0, replace=0.05, repeat=0.0, swap=0.0)
    short = [" ".join(h.split()[: max(2, len(h.split()) // 2)]) for h in hyps[:5]] + hyps[5:]
    return [Case((short, refs), {}, "10 sentences, half of the hypotheses cut to half length"),
            Case((["the the the the the the the", "a cat on the mat"], ["the cat is on the mat", "a cat on a mat"]),
                 {"max_n": 2}, "a hypothesis repeating 'the' seven times, max_n=2"),
            Case((["the cat sat on the mat today", "it was a sunny day indeed"],
                  ["the cat sat on the mat", "it was sunny"]), {}, "hypotheses longer than the references")]


def _zero_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "zero"))
    hyps, refs = _corpus(rng, 8)
    return [Case(([], []), {}, "no hypotheses at all"),
            Case((["completely different words here", "nothing matches at all"], ["the cat sat on the mat",
                                                                                   "a dog ran"]), {},
                 "hypotheses sharing no word with their references"),
            Case((["the cat sat", "a dog"], ["the cat sat down", "a big dog"]), {}, "hypotheses with no 4-gram "
                                                                                   "match"),
            Case((hyps, refs), {}, "8 pydoc sentences, noisy hypotheses")]


def _example():
    return Case((["the cat sat on the mat", "there is a cat on the mat"],
                 ["the cat sat on a mat", "a cat is on the mat"]), {"max_n": 2},
                "the notebook's two sentence pairs, max_n=2")


# kept between grading runs (engine/kept_values.py): a grade imports sacrebleu only for new cases
ORACLE = kept_oracle(sacrebleu_score, f"{MODULE_ID}-bleu", ("sacrebleu",))
JUDGE = returns(ORACLE, CMP, MISTAKES, "sacrebleu's corpus BLEU / 100")

corpus_bleu = Exercise(
    EX,
    blocked=("sacrebleu", "nltk"),
    skill="nlp-metrics",
    hints=(
        "For n = 1..max_n: pool over the corpus the clipped n-gram matches (each hypothesis n-gram counted at most as "
        "often as in its reference) and the number of hypothesis n-grams. BLEU = BP * exp(mean_n log(matches_n / "
        "totals_n)), BP from the total lengths.",
        "Tokens are `s.split()`. c = total hypothesis tokens, r = total reference tokens, BP = 1 if c > r else "
        "exp(1 - r/c). If any order has no match (or there are no hypotheses) the score is 0.0.",
        "`hc = Counter(zip(*[h[i:] for i in range(n)]))`, the same for the reference; `matches[n] += sum(min(k, "
        "rc[g]) for g, k in hc.items())`; `totals[n] += max(len(h) - n + 1, 0)`",
    ),
    checks=(
        Check("the example in the notebook", 1, [_example()], JUDGE),
        Check("matches sacrebleu on pydoc sentences (max_n 2 to 4)", 5, _random_cases, JUDGE),
        Check("clipping and the corpus brevity penalty", 2, _penalty_cases, JUDGE),
        Check("zero matches and an empty corpus give 0.0", 2, _zero_cases, JUDGE),
    ),
)
