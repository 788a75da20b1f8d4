"""09_nlp graders: reference, stub, banks, trivial answers, and the oracles vouching for the references."""
from __future__ import annotations

import ast

import numpy as np
import pytest
from banks import ModuleGraderSuite, bank, graded_in_fresh_processes, solution_notebook, submission

from graders.engine.registry import load

MODULE = "09_nlp"
SPEC = load(MODULE)


class TestGrader(ModuleGraderSuite):
    MODULE = MODULE


SYLLABUS_CATCHES = {
    # the "catch" lists of the syllabus, each must be in the mistake bank
    "bpe_train": {"tie-first-occurrence", "decode-per-token", "encode-by-frequency", "overlap-merged-twice"},
    "regex_bpe_train": {"pairs-across-chunks", "re-instead-of-regex", "ranks-without-single-bytes",
                        "ranks-keyed-by-pairs"},
    "wordpiece_tokenize": {"unk-piece", "shortest-match", "missing-##", "length-limit-ge"},
    "TfidfVectorizer": {"idf-without-plus-one", "df-counts-tokens", "no-l2-normalisation", "sublinear-ignored",
                        "idf-from-transform-docs", "crash-unseen-or-empty"},
    "bm25_scores": {"robertson-idf", "query-repeats-once", "length-in-distinct-terms", "avgdl-over-matching-docs",
                    "classic-numerator"},
    "neg_sampling_loss_and_grad": {"repeats-not-accumulated", "negative-sign", "overflow-log-sigmoid",
                                   "wrong-rows"},
    "NGramLM": {"bos-in-vocabulary", "eos-not-in-vocabulary", "eos-not-predicted", "perplexity-per-sentence",
                "log-base-mixed", "unknown-word"},
    "bio_spans": {"token-level-f1", "strict-iob2", "type-blind-continuation", "last-span-lost",
                  "sentences-merged"},
    "corpus_bleu": {"mean-of-sentence-bleu", "unclipped-counts", "bp-per-sentence", "bp-lengths-swapped",
                    "arithmetic-mean"},
}


def declared_mistakes() -> dict[str, set[str]]:
    from graders.modules.m09_nlp import bio, bleu, bm25, bpe, ngram, regex_bpe, tfidf, word2vec, wordpiece

    groups = {
        "bpe_train": bpe.TRAIN_MISTAKES + bpe.ENCODE_MISTAKES + bpe.DECODE_MISTAKES,
        "regex_bpe_train": regex_bpe.TRAIN_MISTAKES + regex_bpe.ENCODE_MISTAKES + regex_bpe.RANK_MISTAKES,
        "wordpiece_tokenize": wordpiece.MISTAKES, "TfidfVectorizer": tfidf.MISTAKES, "bm25_scores": bm25.MISTAKES,
        "neg_sampling_loss_and_grad": word2vec.MISTAKES, "NGramLM": ngram.MISTAKES,
        "bio_spans": bio.SPAN_MISTAKES + bio.F1_MISTAKES, "corpus_bleu": bleu.MISTAKES,
    }
    return {ex: {m.id for m in ms} for ex, ms in groups.items()}


@pytest.mark.parametrize("exercise", sorted(SYLLABUS_CATCHES))
def test_every_listed_and_declared_mistake_is_in_the_bank(exercise):
    named = {e.mistake for e in bank(MODULE, "mistakes") if e.exercise == exercise}
    assert SYLLABUS_CATCHES[exercise] <= named, SYLLABUS_CATCHES[exercise] - named
    assert declared_mistakes()[exercise] <= named, declared_mistakes()[exercise] - named


def test_every_exercise_blocks_its_library_in_the_bank():
    """Each exercise has a bank answer that calls the library it re-implements and is refused."""
    blocked = {e.exercise for e in bank(MODULE, "mistakes") if e.mistake == "blocked-call"}
    assert blocked >= {ex.id for ex in SPEC.exercises} - {"NGramLM"}     # no installed library does NGramLM


# ------------------------------------------------------------------ signatures
def _reference_namespace():
    ns: dict = {}
    for cell in solution_notebook(MODULE).cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("solution") or "setup" in cell.metadata.get("tags", [])):
            exec(cell.source, ns)
    return ns


def test_every_syllabus_name_has_its_signature():
    import inspect

    ns = _reference_namespace()
    wanted = {
        "bpe_train": "(text, vocab_size)", "bpe_encode": "(text, merges)", "bpe_decode": "(ids, merges)",
        "regex_bpe_train": "(text, vocab_size, pattern=" + repr(ns["GPT4_SPLIT_PATTERN"]) + ")",
        "regex_bpe_encode": "(text, merges, pattern=" + repr(ns["GPT4_SPLIT_PATTERN"]) + ")",
        "mergeable_ranks": "(merges)",
        "wordpiece_tokenize": "(text, vocab, unk_token='[UNK]', max_input_chars_per_word=100)",
        "TfidfVectorizer": "(smooth_idf=True, sublinear_tf=False, norm='l2')",
        "bm25_scores": "(query, docs, k1=1.5, b=0.75)",
        "neg_sampling_loss_and_grad": "(center_vec, outside_idx, outside_vectors, neg_indices)",
        "NGramLM": "(n, k=1.0)", "bio_spans": "(tags)", "span_f1": "(y_true, y_pred)",
        "corpus_bleu": "(hypotheses, references, max_n=4)",
    }
    for name, signature in wanted.items():
        assert str(inspect.signature(ns[name])) == signature, name


def test_the_notebook_pattern_is_the_graders():
    from graders.modules.m09_nlp.regex_bpe import GPT4_SPLIT_PATTERN

    assert _reference_namespace()["GPT4_SPLIT_PATTERN"] == GPT4_SPLIT_PATTERN


# ------------------------------------------------------------------ trivial answers score nothing
def _trivial_cell(source: str, body: str) -> str:
    """Every function and method of an answer cell replaced by ``body`` (signatures kept)."""
    tree = ast.parse(source)
    stub = ast.parse(body).body
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            node.body = stub if node.name != "__init__" else ast.parse("pass").body
    return ast.unparse(tree)


TRIVIAL = {
    "None (an answer that only prints)": "print('working on it')",
    "the first argument": "return locals()[next(iter(locals()))] if locals() else None",
    "zero": "return 0.0",
    "an empty list": "return []",
    "zeros of a plausible shape": "import numpy as _np\nreturn _np.zeros(3)",
    "a constant triple": "return (0.0, 0.0, 0.0)",
    "self": "return self if 'self' in dir() else None",
}


@pytest.mark.parametrize("what", sorted(TRIVIAL))
def test_trivial_answers_score_zero_on_every_exercise(grader, what):
    answers = {}
    for cell in solution_notebook(MODULE).cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            answers[meta["grade_id"]] = _trivial_cell(cell.source, TRIVIAL[what])
    result = grader.grade(submission(MODULE, answers))
    assert result.error is None, result.error
    scored = {ex.id: ex.points for ex in result.exercises if ex.points > 0}
    assert not scored, f"{what}: {scored}"


# ------------------------------------------------------------------ the oracles vouch for the references
def _cases(exercise, title_part):
    ex = SPEC.exercise(exercise)
    return [c for check in ex.checks if title_part in check.title for c in check.materialize()]


def test_bm25_reference_agrees_with_bm25s_on_every_hidden_case():
    from graders.modules.m09_nlp.bm25 import bm25_ref, bm25s_scores

    for check in SPEC.exercise("bm25_scores").checks:
        for case in check.materialize():
            ours, lib = bm25_ref(*case.args, **case.kwargs), bm25s_scores(*case.args, **case.kwargs)
            assert np.allclose(ours, lib, rtol=1e-5, atol=1e-6), case.label


def test_regex_bpe_reference_equals_tiktoken_and_vocabularies_are_unique():
    from graders.modules.m09_nlp.regex_bpe import regex_bpe_encode_ref, tiktoken_encode, unique_vocab

    cases = _cases("regex_bpe_train", "regex_bpe_encode")
    assert len(cases) >= 6                     # the generators did not drop a case on this Python's corpus
    for case in cases:
        assert unique_vocab(case.args[1])
        assert regex_bpe_encode_ref(*case.args, **case.kwargs) == tiktoken_encode(*case.args, **case.kwargs)


def test_bleu_reference_equals_sacrebleu():
    from graders.modules.m09_nlp.bleu import bleu_ref, sacrebleu_score

    for check in SPEC.exercise("corpus_bleu").checks:
        for case in check.materialize():
            assert np.isclose(bleu_ref(*case.args, **case.kwargs), sacrebleu_score(*case.args, **case.kwargs),
                              rtol=1e-9, atol=1e-12), case.label


def test_python_wordpiece_equals_hf_tokenizers():
    from graders.modules.m09_nlp.wordpiece import _wordpiece, wordpiece_ref

    for check in SPEC.exercise("wordpiece_tokenize").checks:
        for case in check.materialize():
            assert _wordpiece(*case.args, **case.kwargs) == wordpiece_ref(*case.args, **case.kwargs), case.label


def test_hand_written_tfidf_bio_and_word2vec_equal_their_libraries():
    from graders.modules.m09_nlp import bio, tfidf, word2vec

    for check in SPEC.exercise("TfidfVectorizer").checks:
        for case in check.materialize():
            assert tfidf.CMP(tfidf._variant()(*case.args), tfidf.tfidf_ref(*case.args)) is None, case.label
    for case in _cases("bio_spans", "bio_spans"):
        assert bio._spans(*case.args) == bio.bio_spans_ref(*case.args), case.label
    for case in _cases("bio_spans", "span_f1"):
        assert np.allclose(bio._f1_with(bio.bio_spans_ref)(*case.args), bio.span_f1_ref(*case.args)), case.label
    for check in SPEC.exercise("neg_sampling_loss_and_grad").checks:
        for case in check.materialize():
            assert word2vec.CMP(word2vec._manual(*case.args), word2vec.neg_sampling_ref(*case.args)) is None


def test_bpe_cases_separate_the_tie_rules():
    """Every training check has a case where minbpe's first-occurrence tie rule gives other merges."""
    from graders.modules.m09_nlp.bpe import _train_first_seen, bpe_train_ref

    for check in SPEC.exercise("bpe_train").checks[:2]:
        assert any(_train_first_seen(*c.args) != bpe_train_ref(*c.args) for c in check.materialize())


# ------------------------------------------------------------------ sandbox helpers
def test_library_uses_finds_compiled_classes_and_helpers():
    from graders.modules.m09_nlp.helpers import library_uses

    ns: dict = {}
    exec(compile("from tokenizers import Tokenizer\nimport numpy as np\n"
                 "def helper():\n    return Tokenizer\n"
                 "def f(x):\n    return helper(), np.zeros(1)\n"
                 "def g(x):\n    return np.zeros(1)\n", "<cell answer 'x'>", "exec"), ns)
    exec(compile("def h(x):\n    import torch.autograd as ag\n    return ag\n", "<cell answer 'y'>", "exec"), ns)
    assert library_uses(ns["f"], ("tokenizers",)) == ["tokenizers"]
    assert library_uses(ns["g"], ("tokenizers",)) == []
    assert library_uses(ns["h"], ("torch",)) == ["torch"]


def test_a_later_grading_process_or_one_after_warm_imports_none_of_the_oracles_libraries(tmp_path):
    """The oracles written with torch, scikit-learn, seqeval and sacrebleu keep their outputs per case
    (engine/kept_values.py): the first grade imports the libraries, a later one finds every output kept, imports
    none of them, and gives the same points and the same named mistakes (the variants that name them use no
    library); after `mlkata warm` (09's warm_up) even the first grade imports none. The pure-Python BPE
    references are kept the same way, for their judges and for the merges the encode and decode cases are made
    with: a later grade, or one after `mlkata warm`, trains none."""
    from graders.modules.m09_nlp import spec

    counting = ("import graders.modules.m09_nlp.bpe_core as core\nTRAINED = []\n_train = core.train\n"
                "core.train = lambda *a, **k: TRAINED.append(1) or _train(*a, **k)")
    runs = graded_in_fresh_processes(
        MODULE, ("neg_sampling_loss_and_grad__negative_sign", "bio_spans__sentences_merged",
                 "TfidfVectorizer__idf_without_plus_one", "corpus_bleu__unclipped"),
        tmp_path, ("torch", "sklearn", "seqeval", "sacrebleu"), also="len(TRAINED)", before=counting)
    assert runs.grades[0] == runs.grades[1] == runs.grades[2]
    mistakes = {ex_id: named for ex_id, points, named in runs.grades[0] if points < 10}
    assert mistakes == {"neg_sampling_loss_and_grad": ["negative-sign"], "bio_spans": ["sentences-merged"],
                        "TfidfVectorizer": ["idf-without-plus-one"], "corpus_bleu": ["unclipped-counts"]}
    assert runs.imported == (["torch", "sklearn", "seqeval", "sacrebleu"], [], [])
    assert runs.also[0] > 0 and runs.also[1:] == (0, 0)
    assert "of the BPE references kept" in runs.warmed and SPEC.warm_up is spec.keep_oracle_outputs
    tables = {"tfidf", "neg-sampling", "bio-spans", "span-f1", "bleu", "bpe-train", "regex-bpe-train"}
    assert runs.tables(MODULE) == sorted(tables)
