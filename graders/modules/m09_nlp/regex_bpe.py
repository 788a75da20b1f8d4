"""regex_bpe_train / regex_bpe_encode / mergeable_ranks: GPT-4 style BPE, checked against tiktoken.

The oracle of the encoder is ``tiktoken.Encoding(pat_str=..., mergeable_ranks=...)`` built from the
reference ranks (never ``tiktoken.get_encoding``, which downloads). tiktoken merges by the rank of
the concatenated bytes, which equals merging by pair rank only when every token's bytes are
unique; the case generators keep only training texts whose reference vocabulary has unique byte
strings and texts on which the reference and tiktoken agree (a module test re-checks both).
"""
from __future__ import annotations

import functools

import numpy as np

from graders.engine.compare import describe
from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Exercise, checks_with, seed_for

from . import bpe_core as core
from .bpe import bpe_train_ref, random_unicode
from .common import MODULE_ID, int_sequence, merges_compare, mistake, raised, uses_library, with_libraries
from .corpus import excerpt
from .helpers import call_each

EX = "regex_bpe_train"
LIBRARIES = ("tokenizers", "tiktoken")
BLOCKED = ("tiktoken", "tokenizers")

# tiktoken 0.14's cl100k_base split pattern (tiktoken_ext/openai_public.py), for the `regex` package
GPT4_SPLIT_PATTERN = r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""  # noqa: E501
# GPT-2's (r50k_base) pattern: the `pattern` argument must be honoured
GPT2_SPLIT_PATTERN = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"""


@functools.lru_cache(maxsize=8)
def _compiled(pattern):
    import regex

    return regex.compile(pattern)


def chunks(text, pattern=GPT4_SPLIT_PATTERN):
    return _compiled(pattern).findall(text)


def _pooled(text, pattern):
    counts: dict[str, int] = {}
    for chunk in chunks(text, pattern):
        counts[chunk] = counts.get(chunk, 0) + 1
    return [(list(c.encode("utf-8")), n) for c, n in counts.items()]


def regex_bpe_train_ref(text, vocab_size, pattern=GPT4_SPLIT_PATTERN):
    return core.train(_pooled(text, pattern), vocab_size - 256)


# kept between grading runs (engine/kept_values.py), as bpe.TRAIN_ORACLE: the judge's and the case makers'
TRAIN_ORACLE = kept_oracle(regex_bpe_train_ref, f"{MODULE_ID}-regex-bpe-train")


def regex_bpe_encode_ref(text, merges, pattern=GPT4_SPLIT_PATTERN):
    out = []
    for chunk in chunks(text, pattern):
        out += core.encode_ids(list(chunk.encode("utf-8")), merges)
    return out


def mergeable_ranks_ref(merges):
    return {token: rank for rank, token in core.vocab_bytes(merges).items()}


@functools.lru_cache(maxsize=16)
def _encoding(merges: tuple, pattern: str):
    import tiktoken

    return tiktoken.Encoding(f"mlkata-{len(merges)}", pat_str=pattern, mergeable_ranks=mergeable_ranks_ref(merges),
                             special_tokens={})


def tiktoken_encode(text, merges, pattern=GPT4_SPLIT_PATTERN):
    """The oracle: tiktoken's encode_ordinary with the reference ranks."""
    return _encoding(tuple(map(tuple, merges)), pattern).encode_ordinary(text)


def unique_vocab(merges) -> bool:
    return len(set(core.vocab_bytes(merges).values())) == 256 + len(merges)


# ------------------------------------------------------------------ wrong variants
def _train_across_chunks(text, vocab_size, pattern=GPT4_SPLIT_PATTERN):
    return bpe_train_ref(text, vocab_size)


def _train_first_seen(text, vocab_size, pattern=GPT4_SPLIT_PATTERN):
    return core.train(_pooled(text, pattern), vocab_size - 256, pick=core.first_seen)


def _train_other_pattern(text, vocab_size, pattern=GPT4_SPLIT_PATTERN):
    other = GPT4_SPLIT_PATTERN if pattern != GPT4_SPLIT_PATTERN else GPT2_SPLIT_PATTERN
    return regex_bpe_train_ref(text, vocab_size, other)


def _encode_across_chunks(text, merges, pattern=GPT4_SPLIT_PATTERN):
    return core.encode_ids(list(text.encode("utf-8")), merges)


def _encode_by_frequency(text, merges, pattern=GPT4_SPLIT_PATTERN):
    out = []
    for chunk in chunks(text, pattern):
        out += core.encode_ids(list(chunk.encode("utf-8")), merges, order="frequency")
    return out


def _encode_other_pattern(text, merges, pattern=GPT4_SPLIT_PATTERN):
    other = GPT4_SPLIT_PATTERN if pattern != GPT4_SPLIT_PATTERN else GPT2_SPLIT_PATTERN
    return regex_bpe_encode_ref(text, merges, other)


RE_MODULE = "Python's `re` does not know `\\p{L}` and `\\p{N}` (Unicode letters and digits): split with the " \
            "`regex` package (`import regex`; `regex.findall(pattern, text)`), as tiktoken's pattern requires"
RE_MISTAKE = mistake("re-instead-of-regex", RE_MODULE, detect=raised("error", "PatternError", text="bad escape"))
PATTERN = "the `pattern` argument was ignored: split the text with the pattern you are given (the grader also " \
          "uses GPT-2's pattern), not always GPT4_SPLIT_PATTERN"
TRAIN_MISTAKES = (
    RE_MISTAKE,
    mistake("pairs-across-chunks", "you counted pairs across chunk boundaries: split the text with the pattern "
            "first and count pairs only inside each chunk (e.g. a word and the space before the next one never "
            "merge)", _train_across_chunks, compare=merges_compare),
    mistake("tie-first-occurrence", "ties between pairs with the same count must go to the smallest pair (a, b) "
            "as a tuple of ints; yours go to the pair seen first", _train_first_seen, compare=merges_compare),
    mistake("pattern-ignored", PATTERN, _train_other_pattern, compare=merges_compare),
)
ENCODE_MISTAKES = (
    RE_MISTAKE,
    mistake("encode-across-chunks", "you encoded the whole text as one byte sequence: split it with the pattern "
            "and encode each chunk on its own, as tiktoken does (merges never cross a chunk)", _encode_across_chunks,
            compare=int_sequence()),
    mistake("encode-by-frequency", "within a chunk, apply merges by rank (lowest merge index first), not by how "
            "often a pair occurs", _encode_by_frequency, compare=int_sequence()),
    mistake("pattern-ignored", PATTERN, _encode_other_pattern, compare=int_sequence()),
)


# ------------------------------------------------------------------ mergeable_ranks
def _keyed_by_pairs(got) -> bool:
    return isinstance(got, dict) and any(isinstance(k, (tuple, list)) for k in got)


def _missing_singles(got) -> bool:
    return isinstance(got, dict) and not _keyed_by_pairs(got) and \
        sum(1 for k in got if isinstance(k, bytes) and len(k) == 1) < 256


def ranks_compare(got, expected):
    if not isinstance(got, dict):
        return f"expected a dict {{bytes: rank}}, got {describe(got)}"
    if any(not isinstance(k, bytes) for k in got):
        kinds = sorted({type(k).__name__ for k in got if not isinstance(k, bytes)})
        return f"the keys must be each token's bytes, but some are of type {', '.join(kinds)}"
    if _missing_singles(got):
        return "some of the 256 single bytes are missing"
    values = list(got.values())
    if any(isinstance(v, bool) or not isinstance(v, (int, np.integer)) for v in values):
        return "the ranks must be ints"
    if len({int(v) for v in values}) != len(values):
        return "two tokens share a rank: every token needs its own id (tiktoken decodes by rank)"
    if len(got) != len(expected):
        return f"your dict has {len(got)} tokens; it needs the 256 single bytes plus one per merge"
    wrong = sum(1 for k, v in got.items() if expected.get(k) != int(v))
    if wrong:
        return f"{wrong} of the {len(got)} tokens have the wrong bytes or rank (token 256 + i is the bytes of the " \
               "two tokens of merge i, joined)"
    return None


RANK_MISTAKES = (
    mistake("ranks-keyed-by-pairs", "your keys are token pairs; tiktoken wants each token's *bytes* as the key "
            "(b'th' -> 256), so build the bytes of every token: vocab[256 + i] = vocab[a] + vocab[b]",
            detect=lambda case, obs, exp: _keyed_by_pairs(obs.get("value"))),
    mistake("ranks-without-single-bytes", "the 256 single bytes are missing: every byte b is a token of rank b "
            "(bytes([b]) -> b), and tiktoken cannot encode without them (it panics on a missing byte)",
            detect=lambda case, obs, exp: _missing_singles(obs.get("value"))),
)


# ------------------------------------------------------------------ cases
def _training_text(rng, n_chars, vocab_size, pattern=GPT4_SPLIT_PATTERN):
    """An excerpt whose reference vocabulary has unique byte strings (tiktoken needs them)."""
    for _ in range(50):
        text = excerpt(rng, n_chars)
        merges = TRAIN_ORACLE(text, vocab_size, pattern)
        if unique_vocab(merges):
            return text, merges
    raise RuntimeError("no training text with a unique vocabulary")


SPECIAL = "It's 2024: don't   panic!\n\n    x = 12345678 + 9\r\n  café’s “quotes” 😀😀 ok  \n"


def _train_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "train"))
    return [Case((excerpt(rng, 3000), 256 + 60), {}, "3000 characters of pydoc text, vocab_size=316"),
            Case((excerpt(rng, 5000), 256 + 40), {}, "5000 characters of pydoc text, vocab_size=296"),
            Case((SPECIAL * 3, 256 + 25), {}, "contractions, numbers, blank lines, quotes and emoji, vocab_size=281"),
            Case(("cd ab", 300), {}, "text='cd ab', vocab_size=300 (two chunks, every pair once)"),
            Case((random_unicode(rng, 150), 256 + 20), {}, "150 random characters (accents, CJK, emoji), "
                                                           "vocab_size=276")]


def _pattern_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "pattern"))
    return [Case((excerpt(rng, 2500), 256 + 40), {"pattern": GPT2_SPLIT_PATTERN},
                 "2500 characters of pydoc text with pattern=GPT-2's split pattern, vocab_size=296"),
            Case((SPECIAL * 2, 256 + 20), {"pattern": GPT2_SPLIT_PATTERN},
                 "contractions, numbers and blank lines with pattern=GPT-2's split pattern, vocab_size=276")]


def _ranks_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "ranks"))
    _, merges = _training_text(rng, 2000, 256 + 50)
    return [Case((merges,), {}, "the 50 merges learnt on 2000 characters of pydoc text"),
            Case(([(104, 101), (256, 108), (257, 108), (258, 111)],), {}, "merges=[(104, 101), (256, 108), "
                 "(257, 108), (258, 111)]"),
            Case(([],), {}, "no merges")]


def _encode_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "encode"))
    _, merges = _training_text(rng, 3000, 256 + 60)
    texts = [(excerpt(rng, 1200), "1200 characters of other pydoc text"),
             (excerpt(rng, 600), "600 characters of other pydoc text"),
             (SPECIAL, "contractions, numbers, blank lines, quotes and emoji"),
             (random_unicode(rng, 60), "60 random characters (accents, CJK, emoji)"),
             ("", "the empty text")]
    cases = [Case((t, merges), {}, f"{label}, 60 merges learnt on pydoc text") for t, label in texts]
    return [c for c in cases if regex_bpe_encode_ref(*c.args) == tiktoken_encode(*c.args)]


def _encode_pattern_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "encode-pattern"))
    _, merges = _training_text(rng, 2500, 256 + 40, GPT2_SPLIT_PATTERN)
    cases = [Case((text, merges), {"pattern": GPT2_SPLIT_PATTERN}, f"{label} with pattern=GPT-2's split pattern "
                  "(40 merges learnt with it)")
             for text, label in [(excerpt(rng, 800), "800 characters of pydoc text"),
                                 (SPECIAL, "contractions, numbers and blank lines")]]
    return [c for c in cases if regex_bpe_encode_ref(*c.args, **c.kwargs) ==
            tiktoken_encode(*c.args, **c.kwargs)]


_check = checks_with(probe=call_each, probe_args=with_libraries(LIBRARIES))   # judges: uses_library(...)


TRAIN = uses_library(returns(TRAIN_ORACLE, merges_compare, TRAIN_MISTAKES,
                             "the merges of BPE within the regex chunks"), LIBRARIES)
RANKS = uses_library(returns(mergeable_ranks_ref, ranks_compare, RANK_MISTAKES,
                             "every token's bytes mapped to its id"), LIBRARIES)
ENCODE = uses_library(returns(tiktoken_encode, int_sequence(), ENCODE_MISTAKES,
                              "tiktoken's encode_ordinary with these ranks"), LIBRARIES)

regex_bpe_train = Exercise(
    EX,
    blocked=BLOCKED,
    skill="tokenisation",
    hints=(
        "Split first, merge second: `regex.findall(pattern, text)` cuts the text into chunks (words with their "
        "leading space, numbers of up to 3 digits, punctuation runs, whitespace); BPE then runs inside each chunk, "
        "so no token ever spans two chunks. The ranks dict maps every token's bytes to its id.",
        "Count chunks once (`Counter(chunks)`), keep one id list per distinct chunk, and add each chunk's pair "
        "counts times its frequency. Same tie rule and stop rule as bpe_train. Encode each chunk with the rank-order "
        "merging of bpe_encode and concatenate. Ranks: bytes([i]) -> i, then vocab[a] + vocab[b] -> 256 + i.",
        "`stats[pair] += freq` over `for ids, freq in seqs: for pair in zip(ids, ids[1:])`; "
        "`mergeable_ranks = {vocab[i]: i for i in vocab}` with `vocab = {i: bytes([i]) for i in range(256)}` "
        "extended by `vocab[256 + i] = vocab[a] + vocab[b]`",
    ),
    checks=(
        _check("the example in the notebook", 1,
               [Case(("hello hello world", 259), {}, "text='hello hello world', vocab_size=259")], TRAIN,
               target="regex_bpe_train"),
        _check("regex_bpe_train: pairs counted within chunks only", 2, _train_cases, TRAIN, target="regex_bpe_train"),
        _check("regex_bpe_train uses the pattern argument", 1, _pattern_cases, TRAIN, target="regex_bpe_train"),
        _check("mergeable_ranks: all 256 single bytes plus one bytes token per merge", 2, _ranks_cases, RANKS,
               target="mergeable_ranks"),
        _check("regex_bpe_encode equals tiktoken's encode_ordinary", 3, _encode_cases, ENCODE,
               target="regex_bpe_encode"),
        _check("regex_bpe_encode uses the pattern argument", 1, _encode_pattern_cases, ENCODE,
               target="regex_bpe_encode"),
    ),
)
