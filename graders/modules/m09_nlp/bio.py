"""bio_spans / span_f1: entity spans from BIO tags and span-level micro P/R/F1, as seqeval's default mode."""
from __future__ import annotations

import math
import warnings

import numpy as np

from graders.engine.compare import close, describe, each
from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Check, Exercise, checks_with, seed_for

from .common import MODULE_ID, mistake

EX = "bio_spans"
TYPES = ("PER", "LOC", "ORG", "MISC")


def bio_spans_ref(tags):
    """The oracle: seqeval's get_entities on one sequence (end inclusive)."""
    from seqeval.metrics.sequence_labeling import get_entities

    return [(t, int(s), int(e)) for t, s, e in get_entities(list(tags))]


def span_f1_ref(y_true, y_pred):
    from seqeval.metrics import f1_score, precision_score, recall_score

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y_true, y_pred = [list(s) for s in y_true], [list(s) for s in y_pred]
        return (float(precision_score(y_true, y_pred)), float(recall_score(y_true, y_pred)),
                float(f1_score(y_true, y_pred)))


# kept between grading runs (engine/kept_values.py): a grade imports seqeval (and scikit-learn with it) only for
# new cases
SPANS_ORACLE = kept_oracle(bio_spans_ref, f"{MODULE_ID}-bio-spans", ("seqeval", "scikit-learn"))
F1_ORACLE = kept_oracle(span_f1_ref, f"{MODULE_ID}-span-f1", ("seqeval", "scikit-learn"))


# ------------------------------------------------------------------ wrong variants
def _spans(tags, *, strict=False, type_blind=False, drop_last=False, exclusive=False):
    spans, cur = [], None                              # cur = [type, start]
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, typ = (tag[0], tag[2:]) if tag != "O" else ("O", None)
        continues = prefix == "I" and cur is not None and (type_blind or cur[0] == typ)
        if cur is not None and not continues:
            spans.append((cur[0], cur[1], i - 1 + (1 if exclusive else 0)))
            cur = None
        if prefix == "B" or (prefix == "I" and cur is None and not strict):
            cur = [typ, i]
    if drop_last and spans and spans[-1][2] - (1 if exclusive else 0) == len(tags) - 1:
        spans.pop()
    return spans


def _strict(tags):
    return _spans(tags, strict=True)


def _type_blind(tags):
    return _spans(tags, type_blind=True)


def _drop_last(tags):
    return _spans(tags, drop_last=True)


def _exclusive(tags):
    return _spans(tags, exclusive=True)


def _prf(tp, n_pred, n_true):
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_true if n_true else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _span_sets(y_true, y_pred, spans, merge_sentences=False):
    if merge_sentences:
        flat_t = [t for s in y_true for t in s]
        flat_p = [t for s in y_pred for t in s]
        return set(spans(flat_t)), set(spans(flat_p))
    T = {(k, *sp) for k, s in enumerate(y_true) for sp in spans(s)}
    P = {(k, *sp) for k, s in enumerate(y_pred) for sp in spans(s)}
    return T, P


def _f1_with(spans, merge_sentences=False):
    def run(y_true, y_pred):
        T, P = _span_sets(y_true, y_pred, spans, merge_sentences)
        return _prf(len(T & P), len(P), len(T))
    return run


def _token_level(y_true, y_pred):
    """Micro P/R/F1 over tokens whose tag is not O (a tag-classification score, not a span score)."""
    pairs = [(t, p) for st, sp in zip(y_true, y_pred) for t, p in zip(st, sp)]
    tp = sum(1 for t, p in pairs if t == p and t != "O")
    return _prf(tp, sum(1 for _, p in pairs if p != "O"), sum(1 for t, _ in pairs if t != "O"))


def _token_entity_level(y_true, y_pred):
    """Token-level with the B-/I- prefixes ignored (entity type per token)."""
    strip = [[t if t == "O" else t[2:] for t in s] for s in y_true]
    strip_p = [[t if t == "O" else t[2:] for t in s] for s in y_pred]
    return _token_level(strip, strip_p)


def as_spans(value):
    if not isinstance(value, (list, tuple)):
        return None
    out = []
    for item in value:
        if not isinstance(item, (list, tuple)) or len(item) != 3 or not isinstance(item[0], str):
            return None
        if any(isinstance(v, bool) or not isinstance(v, (int, np.integer)) for v in item[1:]):
            return None
        out.append((item[0], int(item[1]), int(item[2])))
    return out


def spans_compare(got, expected):
    spans = as_spans(got)
    if spans is None:
        return f"expected a list of (type, start, end) tuples, got {describe(got)}"
    if sorted(spans) == sorted(expected):
        return None
    missing, extra = len(set(expected) - set(spans)), len(set(spans) - set(expected))
    return f"{missing} span(s) missing and {extra} span(s) that should not be there"


SPAN_MISTAKES = (
    mistake("strict-iob2", "an I- tag that follows O, a different type, or starts the sentence opens a new chunk "
            "(conlleval, seqeval's default); you dropped it", _strict, compare=spans_compare),
    mistake("type-blind-continuation", "an I- tag continues a chunk only if its type matches: 'B-PER I-LOC' is "
            "two chunks, PER then LOC", _type_blind, compare=spans_compare),
    mistake("last-span-lost", "a chunk still open at the end of the sequence must be closed and kept (check after "
            "the loop, or append a sentinel 'O')", _drop_last, compare=spans_compare),
    mistake("end-exclusive", "end is inclusive: the span of 'B-PER I-PER' at positions 3-4 is ('PER', 3, 4)",
            _exclusive, compare=spans_compare),
)
F1_CMP = each(close(), close(), close(), names=("precision", "recall", "f1"))
F1_MISTAKES = (
    mistake("token-level-f1", "span F1 counts whole entity spans: a predicted span is a hit only if its type, "
            "start and end all match a true span; you scored individual tags", _token_level, _token_entity_level,
            compare=F1_CMP),
    mistake("sentences-merged", "spans of different sentences must not merge: a chunk ending one sentence and an "
            "I- tag starting the next are two spans (extract the spans of each sentence separately)",
            _f1_with(_spans, merge_sentences=True), compare=F1_CMP),    # _spans: seqeval's chunks, by hand
    mistake("strict-iob2", "an I- tag that follows O or a different type opens a new chunk (conlleval); you dropped "
            "it", _f1_with(_strict), compare=F1_CMP),
    mistake("type-blind-continuation", "'B-PER I-LOC' is two chunks, PER then LOC: an I- tag continues a chunk only "
            "if its type matches", _f1_with(_type_blind), compare=F1_CMP),
    mistake("last-span-lost", "a chunk still open at the end of a sentence must be kept", _f1_with(_drop_last),
            compare=F1_CMP),
    mistake("nan-on-empty", "when there is no predicted (or no true) span, the ratio is 0/0: return 0.0, not nan",
            detect=lambda case, obs, exp: "value" in obs and isinstance(obs["value"], (list, tuple)) and any(
                isinstance(v, float) and math.isnan(v) for v in obs["value"])),
)


# ------------------------------------------------------------------ cases
def random_tags(rng, length, p_o=0.45):
    tags = []
    for _ in range(length):
        u = rng.random()
        if u < p_o:
            tags.append("O")
        else:
            tags.append(("B-" if u < p_o + (1 - p_o) * 0.45 else "I-") + str(rng.choice(TYPES)))
    return tags


def _perturb(rng, tags):
    out = list(tags)
    for i in range(len(out)):
        if rng.random() < 0.2:
            out[i] = random_tags(rng, 1)[0]
    return out


def _span_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "spans"))
    cases = [Case((random_tags(rng, n),), {}, f"a random sequence of {n} tags") for n in (12, 25, 40)]
    cases += [Case((["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"],), {}, "I- tags at the start, after O and "
                   "after another type"),
              Case((["B-PER", "I-LOC", "I-LOC", "O", "B-ORG", "I-ORG"],), {}, "B-PER followed by I-LOC; a span "
                   "ending the sequence"),
              Case((["O", "O", "O"],), {}, "only O tags"),
              Case(([],), {}, "an empty sequence")]
    return cases


def _f1_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "f1"))
    cases = []
    for n_sent in (5, 12):
        y_true = [random_tags(rng, int(rng.integers(4, 15))) for _ in range(n_sent)]
        y_pred = [_perturb(rng, s) for s in y_true]
        cases.append(Case((y_true, y_pred), {}, f"{n_sent} random sentences, predictions with 20% of the tags "
                                                "changed"))
    # sentence boundaries that a concatenation would merge
    y_true = [["O", "B-PER", "I-PER"], ["I-PER", "O", "B-LOC"], ["B-LOC", "I-LOC"], ["I-ORG", "O"]]
    y_pred = [["O", "B-PER", "I-PER"], ["B-PER", "O", "B-LOC"], ["I-LOC", "I-LOC"], ["I-ORG", "O"]]
    cases.append(Case((y_true, y_pred), {}, "sentences that end inside a span followed by sentences starting with "
                                            "I- of the same type"))
    y_true = [["B-PER", "I-LOC", "O"], ["B-ORG", "I-ORG", "I-ORG"]]
    y_pred = [["B-PER", "B-LOC", "O"], ["B-ORG", "I-ORG", "O"]]
    cases.append(Case((y_true, y_pred), {}, "B-PER I-LOC against B-PER B-LOC; a span cut short"))
    return cases


def _empty_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "empty"))
    y = [random_tags(rng, 10) for _ in range(4)]
    return [Case((y, [["O"] * len(s) for s in y]), {}, "predictions that are all O (no predicted span)"),
            Case(([["O"] * len(s) for s in y], y), {}, "true tags that are all O (no true span)"),
            Case((y, [_perturb(rng, s) for s in y]), {}, "4 random sentences, perturbed predictions")]


F1 = returns(F1_ORACLE, F1_CMP, F1_MISTAKES, "seqeval's (precision, recall, f1)")
_f1_check = checks_with(judge=F1, target="span_f1")


SPANS = returns(SPANS_ORACLE, spans_compare, SPAN_MISTAKES, "seqeval's chunks")

bio_spans = Exercise(
    EX,
    blocked=("seqeval",),
    skill="nlp-metrics",
    hints=(
        "Walk the tags once, keeping the chunk that is open (its type and start). A B- tag always opens a new "
        "chunk; an I- tag continues the open chunk only if it has the same type, otherwise it opens one too; O "
        "closes. Close whatever is still open at the end. span_f1 compares the sets of spans.",
        "Give each span its sentence number: true = {(k, type, start, end)}, pred likewise; TP = |true ∩ pred|, "
        "precision = TP / |pred|, recall = TP / |true|, F1 = 2PR / (P + R), each 0.0 when its denominator is 0.",
        "`for i, tag in enumerate(tags + ['O']):` close the open chunk (end = i - 1) unless `tag == 'I-' + "
        "open_type`; then open one if the tag starts with 'B-', or with 'I-' and nothing is open",
    ),
    checks=(
        Check("the example in the notebook", 1, [Case((["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "I-PER"],), {},
                                                      "tags=['B-PER', 'I-PER', 'O', 'I-LOC', 'B-ORG', 'I-PER']")],
              SPANS),
        Check("bio_spans: chunks as seqeval's default mode", 4, _span_cases, SPANS),
        _f1_check("span_f1: micro P/R/F1 over spans, sentence by sentence", 4, _f1_cases),
        _f1_check("span_f1: no predicted or no true span gives 0.0", 1, _empty_cases),
    ),
)
