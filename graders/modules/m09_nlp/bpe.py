"""bpe_train / bpe_encode / bpe_decode: byte-level BPE as minbpe's BasicTokenizer, with the pinned tie rule."""
from __future__ import annotations

import numpy as np

from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Exercise, checks_with, seed_for

from . import bpe_core as core
from .common import MODULE_ID, int_sequence, merges_compare, mistake, raised, text_compare, uses_library, with_libraries
from .corpus import excerpt
from .helpers import call_each

EX = "bpe_train"
LIBRARIES = ("tokenizers", "tiktoken")
BLOCKED = ("tiktoken", "tokenizers")

# alphabets for random Unicode: ASCII, accented Latin, Greek, CJK, hiragana, emoji (1 to 4 UTF-8 bytes)
ALPHABETS = [(0x61, 0x7A), (0x20, 0x20), (0xC0, 0xFF), (0x3B1, 0x3C9), (0x4E00, 0x4E40), (0x3041, 0x3060),
             (0x1F600, 0x1F620)]


def random_unicode(rng, n: int, width: int = 6) -> str:
    """n characters from a few narrow slices of each alphabet, so that byte pairs repeat."""
    points = []
    for lo, hi in ALPHABETS:
        start = int(rng.integers(lo, max(hi - width, lo) + 1))
        points += list(range(start, min(start + width, hi + 1)))
    return "".join(chr(points[i]) for i in rng.integers(0, len(points), size=n))


def bpe_train_ref(text, vocab_size):
    return core.train([(list(text.encode("utf-8")), 1)], vocab_size - 256)


# kept between grading runs (engine/kept_values.py): the reference's pure-Python training on the cases' texts
# (the judge's and the merges the encode and decode cases are made with) was a third of a cold grade
TRAIN_ORACLE = kept_oracle(bpe_train_ref, f"{MODULE_ID}-bpe-train")


def bpe_encode_ref(text, merges):
    return core.encode_ids(list(text.encode("utf-8")), merges)


def bpe_decode_ref(ids, merges):
    return core.decode(ids, merges)


# ------------------------------------------------------------------ wrong variants
def _train_first_seen(text, vocab_size):
    return core.train([(list(text.encode("utf-8")), 1)], vocab_size - 256, pick=core.first_seen)


def _train_collapsing(text, vocab_size):
    return core.train([(list(text.encode("utf-8")), 1)], vocab_size - 256, merge_fn=core.merge_collapsing)


def _train_skip_singletons(text, vocab_size):
    return core.train([(list(text.encode("utf-8")), 1)], vocab_size - 256, min_count=2)


def _train_off_by_one(text, vocab_size):
    return core.train([(list(text.encode("utf-8")), 1)], vocab_size - 255)


def _encode_by_frequency(text, merges):
    return core.encode_ids(list(text.encode("utf-8")), merges, order="frequency")


def _encode_collapsing(text, merges):
    return core.encode_ids(list(text.encode("utf-8")), merges, merge_fn=core.merge_collapsing)


def _decode_per_token(ids, merges):
    return core.decode(ids, merges, per_token=True)


TIE = "ties between pairs with the same count must go to the smallest pair `(a, b)` compared as a tuple of " \
      "ints (`min(stats, key=lambda p: (-stats[p], p))`); yours go to the pair seen first, as minbpe's " \
      "`max(stats, key=stats.get)` does"
OVERLAP = "overlapping occurrences were merged twice: in \"aaa\" the pair (a, a) is replaced once, left to right, " \
          "giving [X, a]; replacing every match (and dropping every following id) swallows characters"
TRAIN_MISTAKES = (
    mistake("tie-first-occurrence", TIE, _train_first_seen, compare=merges_compare),
    mistake("overlap-merged-twice", OVERLAP, _train_collapsing, compare=merges_compare),
    mistake("singletons-not-merged", "you stopped when the best pair occurs only once; the pinned rule merges "
            "pairs seen once too and stops only when no pair is left", _train_skip_singletons,
            compare=merges_compare),
    mistake("vocab-size-off-by-one", "vocab_size counts the 256 byte tokens too: train vocab_size - 256 merges",
            _train_off_by_one, compare=merges_compare),
)
ENCODE_MISTAKES = (
    mistake("encode-by-frequency", "encoding must apply the merges in rank order (the lowest merge index present "
            "first, as in training), not the most frequent pair of the text being encoded", _encode_by_frequency,
            compare=int_sequence()),
    mistake("overlap-merged-twice", OVERLAP, _encode_collapsing, compare=int_sequence()),
)
DECODE_MISTAKES = (
    mistake("decode-per-token", "you decoded token by token: a character whose UTF-8 bytes are split across two "
            "tokens turns into U+FFFD; join all the tokens' bytes first, then decode once", _decode_per_token,
            compare=text_compare),
    mistake("decode-strict", "decode the joined bytes with `errors=\"replace\"`: ids may spell an invalid UTF-8 "
            "sequence, and decoding must not fail", detect=raised("UnicodeDecodeError")),
)


# ------------------------------------------------------------------ cases
def _train_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "train"))
    return [Case((excerpt(rng, 1500), 256 + 60), {}, "1500 characters of pydoc text, vocab_size=316"),
            Case((excerpt(rng, 2500), 256 + 40), {}, "2500 characters of pydoc text, vocab_size=296"),
            Case(("cdab", 300), {}, "text='cdab', vocab_size=300 (every pair occurs once)"),
            Case(("aaaaaaa bbbbb aaaa  aaa", 256 + 12), {}, "runs of one letter ('aaaaaaa bbbbb aaaa  aaa'), "
                                                            "vocab_size=268"),
            Case((random_unicode(rng, 120), 256 + 30), {}, "120 random characters (accents, CJK, emoji), "
                                                           "vocab_size=286"),
            Case(("no merges wanted here", 256), {}, "vocab_size=256 (no merge)"),
            Case(("", 300), {}, "the empty text")]


def _encode_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "encode"))
    train_text = excerpt(rng, 2000)
    merges = TRAIN_ORACLE(train_text, 256 + 50)
    uni = random_unicode(rng, 300)
    uni_merges = TRAIN_ORACLE(uni, 256 + 30)
    return [Case((excerpt(rng, 800), merges), {}, "800 characters of other pydoc text, 50 merges learnt on pydoc"),
            Case((train_text[:600], merges), {}, "the start of the training text, its 50 merges"),
            Case(("abcbcbc", [(97, 98), (98, 99)]), {}, "text='abcbcbc', merges=[(97, 98), (98, 99)]"),
            Case(("aaaaaaa", [(97, 97), (256, 97)]), {}, "text='aaaaaaa', merges=[(97, 97), (256, 97)]"),
            Case((random_unicode(rng, 80), uni_merges), {}, "80 random characters (accents, CJK, emoji) with "
                                                            "merges learnt on such text"),
            Case(("", merges), {}, "the empty text")]


def _decode_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "decode"))
    uni_merges = TRAIN_ORACLE(random_unicode(rng, 400), 256 + 40)
    cases = []
    for n in (60, 150):
        text = random_unicode(rng, n)
        cases.append(Case((bpe_encode_ref(text, uni_merges), uni_merges), {}, f"the ids of {n} random characters "
                          "(accents, CJK, emoji; merges that split characters across tokens)"))
    text_merges = TRAIN_ORACLE(excerpt(rng, 1500), 256 + 40)
    cases.append(Case((bpe_encode_ref(excerpt(rng, 500), text_merges), text_merges), {}, "the ids of 500 "
                      "characters of pydoc text"))
    broken = bpe_encode_ref("日本", uni_merges) + [0xE6, 0x97] + list(b"ok ") + [0xFF]
    cases.append(Case((broken, uni_merges), {}, "ids whose bytes are not valid UTF-8 (a cut character, a 0xFF "
                      "byte)"))
    cases.append(Case(([], uni_merges), {}, "no ids"))
    return cases


_check = checks_with(probe=call_each, probe_args=with_libraries(LIBRARIES))   # judges: uses_library(...)


TRAIN = uses_library(returns(TRAIN_ORACLE, merges_compare, TRAIN_MISTAKES,
                             "the merges of the pinned BPE"), LIBRARIES)
ENCODE = uses_library(returns(bpe_encode_ref, int_sequence(), ENCODE_MISTAKES,
                              "the ids of the merges applied in rank order"), LIBRARIES)
DECODE = uses_library(returns(bpe_decode_ref, text_compare, DECODE_MISTAKES,
                              "the joined bytes decoded with errors='replace'"), LIBRARIES)

bpe_train = Exercise(
    EX,
    blocked=BLOCKED,
    skill="tokenisation",
    hints=(
        "Work on `list(text.encode('utf-8'))`. Each round: count every adjacent pair, take the most frequent "
        "(ties: the smallest pair), replace it everywhere by the next id (256, 257, ...), remember the pair. "
        "Encoding replays the merges in the same order; decoding joins the bytes of the tokens.",
        "Counting: `Counter(zip(ids, ids[1:]))`. Choosing: `min(stats, key=lambda p: (-stats[p], p))`. "
        "Replacing: walk left to right, emit the new id and skip two when the pair matches. "
        "Encoding: while some adjacent pair is a merge, merge the one with the lowest rank. Decoding: build "
        "`vocab = {i: bytes([i])}` and `vocab[256 + i] = vocab[a] + vocab[b]`.",
        "`for i in range(vocab_size - 256): stats = Counter(zip(ids, ids[1:])); if not stats: break; "
        "pair = min(stats, key=lambda p: (-stats[p], p)); ids = merge(ids, pair, 256 + i); merges.append(pair)`; "
        "decode: `b''.join(vocab[i] for i in ids).decode('utf-8', errors='replace')`",
    ),
    checks=(
        _check("the example in the notebook", 1,
               [Case(("aaabdaaabac", 259), {}, "text='aaabdaaabac', vocab_size=259")], TRAIN, target="bpe_train"),
        _check("bpe_train: merges on pydoc text, Unicode, ties and runs of one letter", 3, _train_cases, TRAIN,
               target="bpe_train"),
        _check("bpe_encode: merges applied in rank order", 3, _encode_cases, ENCODE, target="bpe_encode"),
        _check("bpe_decode: joined bytes, random Unicode and broken UTF-8", 3, _decode_cases, DECODE,
               target="bpe_decode"),
    ),
)
