"""chunk_text and Retriever: word chunks with overlap, and a retriever graded by recall@5 on the pydoc corpus.

``chunk_text`` is compared with the pinned rule (whitespace words, starts at 0, step, 2·step, ..., the
last chunk the first that reaches the end). The Retriever is built on the reference chunks of the whole
corpus (80 words, overlap 20: about 1,100 chunks) and answers 150 queries generated from it: 12
consecutive words of a chunk, words of three characters or fewer dropped, shuffled, 70% kept. A query
is found when a chunk containing its 12-word span is among the 5 results (the permissive reading of
recall@5); 85% must be found, building and answering within the time limit.
"""
from __future__ import annotations

import functools
import re

import numpy as np

from graders.engine.compare import describe
from graders.engine.judges import returns
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from .common import MODULE_ID, error_failure, incorrect, mistake
from .sandbox_loops import retriever_probe

EX = "chunk_text"
SPAN, KEEP, MIN_LEN, N_QUERIES, K = 12, 0.7, 4, 150, 5


def chunk_ref(text, chunk_size, overlap, *, ignore_overlap=False, no_stop=False, empty_gives_blank=False):
    if not 0 <= overlap < chunk_size:
        raise ValueError("need 0 <= overlap < chunk_size")
    words = text.split()
    if not words:
        return [""] if empty_gives_blank else []
    step = chunk_size if ignore_overlap else chunk_size - overlap
    out = []
    for start in range(0, len(words), step):
        out.append(" ".join(words[start:start + chunk_size]))
        if start + chunk_size >= len(words) and not no_stop:
            break
    return out


def chunk_text_ref(text, chunk_size, overlap):
    return chunk_ref(text, chunk_size, overlap)


def _str_list(got, expected):
    if not isinstance(got, (list, tuple)) or not all(isinstance(c, str) for c in got):
        return f"expected a list of str chunks, got {describe(got)}"
    got = list(got)
    if got == expected:
        return None
    if len(got) != len(expected):
        return f"you returned {len(got)} chunks instead of {len(expected)}"
    i = next(i for i, (a, b) in enumerate(zip(got, expected)) if a != b)
    return f"chunk {i} differs (the chunks before it are right)"


CHUNK_MISTAKES = (
    mistake("overlap-ignored", "consecutive chunks must share `overlap` words: the next chunk starts chunk_size - "
            "overlap words later", lambda t, c, o: chunk_ref(t, c, o, ignore_overlap=True), compare=_str_list),
    mistake("tail-inside-previous", "stop after the first chunk that reaches the end of the text: the chunks you added "
            "after it lie inside it", lambda t, c, o: chunk_ref(t, c, o, no_stop=True), compare=_str_list),
    mistake("empty-text-blank-chunk", "an empty (or all-whitespace) text has no chunks: return [], not [\"\"]",
            lambda t, c, o: chunk_ref(t, c, o, empty_gives_blank=True), compare=_str_list),
)


def _words(rng, n):
    from .corpus import pydoc_text

    words = pydoc_text().split()
    start = int(rng.integers(0, len(words) - n))
    return words[start:start + n]


def _text(rng, n, seps=(" ",)):
    words = _words(rng, n)
    return "".join(w + seps[int(rng.integers(len(seps)))] for w in words).rstrip()


def _chunk_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "chunks"))
    messy = ("  " + _text(rng, 57, (" ", "\n", "\t", "   ", " \n\n ")) + "\n")
    return [Case((_text(rng, 100), 30, 10), {}, "100 words, chunk_size=30, overlap=10"),
            Case((messy, 12, 3), {}, "57 words separated by newlines, tabs and runs of spaces, chunk_size=12, "
                 "overlap=3"),
            Case((_text(rng, 40), 40, 5), {}, "40 words, chunk_size=40 (one chunk), overlap=5"),
            Case((_text(rng, 41), 40, 5), {}, "41 words, chunk_size=40, overlap=5"),
            Case((_text(rng, 7), 20, 0), {}, "7 words, chunk_size=20, overlap=0"),
            Case((_text(rng, 25), 5, 0), {}, "25 words, chunk_size=5, overlap=0 (an exact fit)"),
            Case((_text(rng, 33), 8, 7), {}, "33 words, chunk_size=8, overlap=7 (step 1)"),
            Case((_text(rng, 50), 10, 4), {}, "50 words, chunk_size=10, overlap=4")]


def _edge_cases():
    return [Case(("alpha beta gamma delta epsilon", 2, 1), {}, "text='alpha beta gamma delta epsilon', chunk_size=2, "
                 "overlap=1"),
            Case(("", 10, 2), {}, "the empty text"), Case((" \n\t  ", 5, 1), {}, "a text of whitespace only")]


def _raises_value_error(cases, observations):
    """The first case is a valid call (no points for raising everywhere); the others must raise ValueError."""
    failure = CHUNKS(cases[:1], observations[:1])
    if failure:
        return failure
    for case, obs in zip(cases[1:], observations[1:]):
        err = obs.get("error")
        if err and err.get("not_implemented"):
            return error_failure(case, err)
        if not err or err.get("type") != "ValueError":
            got = f"raised {err['type']}" if err else "returned a value"
            return incorrect(case, f"expected a ValueError (0 <= overlap < chunk_size is required), but your code "
                                   f"{got}.",
                             "no-value-error")
    return None


def _bad_cases():
    return [Case(("one two three four five six seven", 3, 2), {}, "text='one two three four five six seven', "
                 "chunk_size=3, overlap=2"),
            Case(("one two three four five six", 4, 4), {}, "overlap == chunk_size"),
            Case(("one two three four five six", 3, 5), {}, "overlap > chunk_size"),
            Case(("one two three", 3, -1), {}, "overlap=-1"),
            Case(("one two three", 0, 0), {}, "chunk_size=0")]


NAMED = tuple(m.id for m in CHUNK_MISTAKES) + ("no-value-error", "overlap-loops-forever", "ascending-scores")
CHUNKS = returns(chunk_text_ref, _str_list, CHUNK_MISTAKES, "the pinned word chunks")
LOOP = Mistake("overlap-loops-forever", "with overlap >= chunk_size the step is 0 or negative and your loop never "
               "ends: raise ValueError unless 0 <= overlap < chunk_size")


# ------------------------------------------------------------------ the retriever
@functools.lru_cache(maxsize=1)
def retrieval_data():
    """(chunks, queries, relevant chunk sets): the whole corpus chunked, queries from seeded 12-word spans."""
    from .corpus import pydoc_text

    chunks = chunk_ref(pydoc_text(), 80, 20)
    words = [c.split() for c in chunks]
    index: dict = {}
    for j, w in enumerate(words):
        for i in range(len(w) - SPAN + 1):
            index.setdefault(tuple(w[i:i + SPAN]), set()).add(j)
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "retriever"))
    queries, relevant = [], []
    while len(queries) < N_QUERIES:
        w = words[int(rng.integers(len(words)))]
        start = int(rng.integers(0, len(w) - SPAN + 1))
        span = w[start:start + SPAN]
        kept = [t for t in span if len(t) >= MIN_LEN]
        if len(kept) < 3:
            continue
        rng.shuffle(kept)
        queries.append(" ".join(kept[:max(1, round(KEEP * len(kept)))]))
        relevant.append(frozenset(index[tuple(span)]))
    return tuple(chunks), tuple(queries), tuple(relevant)


def _tokens(text):
    return set(re.findall(r"[a-z0-9_]+", text.lower()))


def _retriever_judge(cases, observations):
    (case,) = cases
    obs = observations
    if isinstance(obs, dict) and "error" in obs:
        return error_failure(case, obs["error"])
    chunks, queries, relevant = retrieval_data()
    n = len(chunks)
    for label, got, k in [("search(query)", r, K) for r in obs["results"]] + \
                         [(f"search(query, k={k})", r, k) for (_, k), r in zip(EXTRA, obs["extras"])]:
        if not isinstance(got, list):
            return incorrect(case, f"{label} must return a list of chunk indices (ints), got {describe(got)}.")
        if len(got) != k or len(set(got)) != k or not all(0 <= i < n for i in got):
            return incorrect(case, f"{label} must return {k} distinct chunk indices in 0..{n - 1}; one of your results "
                             f"has {len(got)} items ({len(set(got))} distinct).")
    found = np.mean([bool(rel & set(got)) for rel, got in zip(relevant, obs["results"])])
    if found >= 0.85:
        return None
    overlap = lambda q, ids: np.mean([len(_tokens(q) & _tokens(chunks[i])) for i in ids])
    rng = np.random.default_rng(0)
    theirs = np.mean([overlap(q, got) for q, got in zip(queries, obs["results"])])
    chance = np.mean([overlap(q, rng.choice(n, K, replace=False)) for q in queries])
    if theirs < 0.25 * chance:        # sorted ascending: chunks that share (almost) no query word
        return incorrect(case, f"recall@5 is {found:.0%} (85% needed), and your results share fewer words with the "
                         "query than random chunks do: you sorted the scores ascending (the least similar first); "
                         "sort by descending score.", "ascending-scores")
    return incorrect(case, f"recall@5 is {found:.0%} on the generated queries; at least 85% is needed (a TF-IDF "
                     "retriever with cosine similarity reaches about 95%).")


EXTRA = (("comparison operators", 3), ("the try statement", 1), ("decorators for functions", 10))


def _retriever_args(target, cases):
    chunks, queries, _ = retrieval_data()
    return (target, chunks, queries, EXTRA)


RETRIEVER_CASE = [Case((), {}, f"the ~1,100 chunks of the whole corpus (80 words, overlap 20) and {N_QUERIES} "
                       "queries made of words from one chunk's 12-word span")]

chunk_text = Exercise(
    EX,
    skill="retrieval",
    hints=(
        ("Chunking cuts a document into overlapping windows of words, so that a passage cut at a chunk boundary "
        "still appears whole in the next chunk. A retriever scores every chunk against the query and returns "
        "the best ones: TF-IDF vectors and cosine similarity are a strong baseline for keyword-like queries."),
        ("words = text.split(); step = chunk_size - overlap; for start in range(0, len(words), step): append "
        "' '.join(words[start:start + chunk_size]) and break once start + chunk_size >= len(words). Retriever: "
        "fit sklearn's TfidfVectorizer on the chunks; search: scores = X @ q.T; the k largest, best first."),
        ("`self.vec = TfidfVectorizer(sublinear_tf=True); self.X = self.vec.fit_transform(chunks)`; "
        "`scores = (self.X @ self.vec.transform([query]).T).toarray().ravel(); "
        "return [int(i) for i in np.argsort(-scores, kind='stable')[:k]]`"),
    ),
    checks=(
        Check("the example in the notebook", 1,
              [Case(("a b c d e f g h i j", 4, 1), {}, "text='a b c d e f g h i j', chunk_size=4, overlap=1")], CHUNKS),
        Check("chunks of words with overlap; the last one is the first to reach the end", 3, _chunk_cases, CHUNKS),
        Check("an empty text gives []", 1, _edge_cases, CHUNKS),
        Check("ValueError unless 0 <= overlap < chunk_size", 1, _bad_cases, _raises_value_error, timeout=5.0,
              timeout_mistake=LOOP),
        Check("Retriever: recall@5 >= 0.85 on 150 generated queries, k distinct indices best first", 4,
              RETRIEVER_CASE, _retriever_judge, probe=retriever_probe, probe_args=_retriever_args,
              target="Retriever", timeout=20.0),
    ),
)
