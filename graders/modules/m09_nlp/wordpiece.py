"""wordpiece_tokenize: greedy longest-match-first, as HF tokenizers' WordPiece behind WhitespaceSplit."""
from __future__ import annotations

import numpy as np

from graders.engine.judges import returns
from graders.engine.spec import Case, Exercise, checks_with, seed_for

from .common import MODULE_ID, mistake, str_list, uses_library, with_libraries
from .corpus import excerpt
from .helpers import call_each

EX = "wordpiece_tokenize"
LIBRARIES = ("tokenizers", "transformers")


def wordpiece_ref(text, vocab, unk_token="[UNK]", max_input_chars_per_word=100):
    """The oracle: HF tokenizers (the unk token is added to its vocabulary, which it requires)."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    table = {token: i for i, token in enumerate(sorted(set(vocab) | {unk_token}))}
    tok = Tokenizer(models.WordPiece(vocab=table, unk_token=unk_token,
                                     max_input_chars_per_word=max_input_chars_per_word))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    return tok.encode(text).tokens


def _wordpiece(text, vocab, unk_token="[UNK]", max_input_chars_per_word=100, *, shortest=False, lookup_prefix=True,
               output_prefix=True, unk_piece=None, too_long=lambda n, m: n > m):
    """A Python WordPiece with switches for the classic slips (the reference when all are off)."""
    out = []
    for word in text.split():
        if too_long(len(word), max_input_chars_per_word):
            out.append(unk_token)
            continue
        pieces, start, bad = [], 0, False
        while start < len(word):
            ends = range(start + 1, len(word) + 1) if shortest else range(len(word), start, -1)
            found = None
            for end in ends:
                sub = word[start:end]
                key = "##" + sub if start > 0 and lookup_prefix else sub
                if key in vocab:
                    found = ("##" + sub if start > 0 and output_prefix else sub), end
                    break
            if found is None:
                if unk_piece == "rest":          # the unmatched rest of the word becomes one [UNK] piece
                    pieces.append(unk_token)
                    start = len(word)
                    continue
                if unk_piece == "char":          # one [UNK] for the unmatched character, then go on
                    pieces.append(unk_token)
                    start += 1
                    continue
                bad = True
                break
            pieces.append(found[0])
            start = found[1]
        out.extend([unk_token] if bad else pieces)
    return out


def _shortest(*a, **k):
    return _wordpiece(*a, **k, shortest=True)


def _no_prefix_lookup(*a, **k):
    return _wordpiece(*a, **k, lookup_prefix=False)


def _no_prefix_at_all(*a, **k):
    return _wordpiece(*a, **k, lookup_prefix=False, output_prefix=False)


def _unk_piece_rest(*a, **k):
    return _wordpiece(*a, **k, unk_piece="rest")


def _unk_piece_char(*a, **k):
    return _wordpiece(*a, **k, unk_piece="char")


def _ge_limit(*a, **k):
    return _wordpiece(*a, **k, too_long=lambda n, m: n >= m)


def _no_limit(*a, **k):
    return _wordpiece(*a, **k, too_long=lambda n, m: False)


CMP = str_list("tokens")
MISTAKES = (
    mistake("unk-piece", "when some position of a word has no match, the *whole word* becomes one unk_token; "
            "you kept the pieces found so far and added an [UNK] piece", _unk_piece_rest, _unk_piece_char,
            compare=CMP),
    mistake("shortest-match", "WordPiece is greedy *longest*-match-first: at each position try the longest "
            "substring first and shrink it until it is in the vocabulary", _shortest, compare=CMP),
    mistake("missing-##", "pieces after the first must be looked up (and returned) with the '##' continuation "
            "prefix: 'playing' -> ['play', '##ing'] looks up '##ing', not 'ing'", _no_prefix_lookup,
            _no_prefix_at_all, compare=CMP),
    mistake("length-limit-ge", "the length limit is strict: a word is replaced by unk_token only when it has "
            "*more* than max_input_chars_per_word characters (`>`, not `>=`)", _ge_limit, compare=CMP),
    mistake("length-limit-ignored", "a word longer than max_input_chars_per_word must become one unk_token "
            "without being split", _no_limit, compare=CMP),
)


# ------------------------------------------------------------------ vocabularies and texts
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def make_vocab(rng, text: str) -> set[str]:
    """A vocabulary for the words of ``text``: frequent words, random word-initial and '##' pieces,
    single letters (some continuation letters left out, so that some words cannot be matched)."""
    words = text.split()
    vocab = set(LETTERS) | set("ABCDEFGHIJKLMNOPRSTUW") | set("0123456789(\"*")
    missing = set(rng.choice(list("bcdfgkmpuvwy"), size=5, replace=False))
    vocab |= {"##" + c for c in LETTERS if c not in missing} | {"##" + c for c in ".,:;)\"*"}
    uniq = sorted(set(words))
    for w in rng.choice(uniq, size=len(uniq) // 4, replace=False):
        vocab.add(str(w))
    for w in rng.choice(uniq, size=len(uniq) // 2, replace=False):
        w = str(w)
        cuts = sorted(set(rng.integers(1, len(w), size=min(2, len(w) - 1)).tolist())) if len(w) > 1 else []
        bounds = [0, *cuts, len(w)]
        for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
            piece = w[a:b]
            # a piece in only one of its two forms makes the '##' rule matter
            vocab.add(piece if k == 0 else "##" + piece)
    return {v for v in vocab if v and v != "##"}


def _container(vocab: set[str], kind: str):
    ordered = sorted(vocab)
    if kind == "dict":
        return {tok: i for i, tok in enumerate(ordered)}
    if kind == "list":
        return ordered
    return set(ordered)


def _greedy_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "greedy"))
    cases = []
    for kind, n in (("set", 500), ("dict", 400), ("list", 300)):
        text = excerpt(rng, n)
        vocab = make_vocab(rng, text)
        cases.append(Case((text, _container(vocab, kind)), {}, f"{n} characters of pydoc text, vocab a {kind} of "
                                                               f"{len(vocab)} pieces"))
    return cases


def _limit_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "limits"))
    text = excerpt(rng, 400)
    vocab = make_vocab(rng, text)
    vocab |= {"token", "##izer", "##s", "un", "##believ", "##able", "<unk>", "caf", "##é"}
    exact = "tokenizers unbelievable tokenizer tokens café cafè"
    return [Case((exact, vocab), {"max_input_chars_per_word": 10},
                 "words of exactly 10 and of 11 characters, max_input_chars_per_word=10"),
            Case((exact, vocab), {"max_input_chars_per_word": 9},
                 "the same words with max_input_chars_per_word=9"),
            Case((text, vocab), {"unk_token": "<unk>", "max_input_chars_per_word": 8},
                 "400 characters of pydoc text, unk_token='<unk>', max_input_chars_per_word=8"),
            Case(("  token\tizer\n\nunbelievable   xqzj ", vocab), {}, "tabs, newlines and repeated spaces"),
            Case(("", vocab), {}, "the empty text")]


def _example():
    vocab = {"un", "##aff", "##able", "play", "##ing", "##ed", "[UNK]"}
    return Case(("unaffable playing played plays", vocab), {},
                "text='unaffable playing played plays' with the notebook's vocabulary")


JUDGE = returns(wordpiece_ref, CMP, MISTAKES, "the tokens of HF tokenizers' WordPiece")
_check = checks_with(judge=uses_library(JUDGE, LIBRARIES), probe=call_each, probe_args=with_libraries(LIBRARIES))

wordpiece_tokenize = Exercise(
    EX,
    blocked=("tokenizers", "transformers"),
    skill="tokenisation",
    hints=(
        "Split on whitespace (`text.split()`). For each word, start at position 0 and take the longest prefix that "
        "is in the vocabulary; then continue from where it ended, looking up '##' + piece. If some position "
        "matches nothing, the whole word becomes one unk_token.",
        "Before matching, replace a word with more than max_input_chars_per_word characters by unk_token. Inside a "
        "word: `end = len(word)`; shrink `end` until `word[start:end]` (with '##' in front when start > 0) is in "
        "vocab; no end left means the word is unknown.",
        "`while start < len(word): end = len(word); while end > start and ('##' * (start > 0) + word[start:end]) "
        "not in vocab: end -= 1`; `if end == start: pieces = [unk_token]; break`",
    ),
    checks=(
        _check("the example in the notebook", 1, [_example()]),
        _check("greedy longest match with '##' pieces on pydoc text (set, dict and list vocabularies)", 5,
               _greedy_cases),
        _check("unknown words, the length limit, unk_token and whitespace", 4, _limit_cases),
    ),
)
