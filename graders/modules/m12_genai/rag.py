"""rag_answer: contexts within a character budget, refusal without calling the LLM, citations from [n] markers.

The learner's function gets a fake retriever (a ranked list of (chunk_id, text)) and a fake LLM whose
scripted answer carries citation markers; both record their calls. The reference below says which
contexts the LLM must get and which chunk ids the markers cite; wrong recipes are replayed to name the
slip. Chunk ids never equal positions, so returning positions is caught.
"""
from __future__ import annotations

import re

import numpy as np

from graders.engine.compare import describe
from graders.engine.spec import Case, Check, Exercise, seed_for

from .common import MODULE_ID, error_failure, incorrect
from .corpus import pydoc_text
from .sandbox_loops import rag_probe

EX = "rag_answer"
REFUSAL = "I don't know."
MARKER = re.compile(r"\[(\d+)\]")


def contexts_for(results, budget, skip=False, exceed=False):
    taken, total = [], 0
    for chunk_id, text in results:
        if total + len(text) > budget:
            if exceed:
                taken.append((chunk_id, text))
                break
            if skip:
                continue
            break
        taken.append((chunk_id, text))
        total += len(text)
    return taken


def citations_for(answer, ids, base=1, keep_out_of_range=False, positions=False, dedupe=True):
    out = []
    for m in MARKER.finditer(answer):
        n = int(m.group(1)) - base
        if not 0 <= n < len(ids):
            if keep_out_of_range:
                out.append(n + base)
            continue
        cited = n + base if positions else ids[n]
        if not dedupe or cited not in out:
            out.append(cited)
    return out


def rag_ref(question, results, answer, budget):
    """(expected value, expected LLM contexts or None when the LLM must not be called)."""
    taken = contexts_for(results, 2000 if budget is None else budget)
    if not taken:
        return {"answer": REFUSAL, "citations": []}, None
    ids = [cid for cid, _ in taken]
    return {"answer": answer, "citations": citations_for(answer, ids)}, [t for _, t in taken]


CITATION_VARIANTS = (
    ({"base": 0}, "zero-based-markers", ("markers are 1-based: [1] cites the first context, so [n] maps to "
     "contexts[n - 1]")),
    ({"positions": True}, "positions-not-ids", ("return the chunk ids of the cited contexts (the first item of each "
     "retrieved pair), not the marker numbers")),
    ({"keep_out_of_range": True}, "hallucinated-markers-kept", ("ignore markers outside 1..len(contexts): the model "
     "cited a context it was never given")),
    ({"dedupe": False}, "duplicate-citations", "each chunk id once, in order of first appearance"),
)


NAMED = tuple(dict.fromkeys(m for _, m, _ in CITATION_VARIANTS)) + ("llm-without-context", "budget-exceeded",
                                                                    "budget-skips")


def _judge(cases, observations):
    for case, obs in zip(cases, observations):
        _, results, answer, budget = case.args
        expected, contexts = rag_ref(*case.args)
        llm_calls = [c for c in obs.get("calls", []) if c[0] == "llm"]
        if "error" in obs:
            if "hallucinated" in case.tags and obs["error"].get("type") == "IndexError":
                return incorrect(case, "your code failed on a marker with no context behind it ([9] with 3 contexts): "
                                 "ignore markers outside 1..len(contexts).", "hallucinated-markers-kept")
            return error_failure(case, obs["error"])
        failure = _calls_failure(case, llm_calls, contexts, budget)
        if failure:
            return failure
        value = obs["value"]
        if not isinstance(value, dict) or "answer" not in value or "citations" not in value:
            return incorrect(case, f"expected a dict with keys 'answer' and 'citations', got {describe(value)}.")
        if value["answer"] != expected["answer"]:
            if contexts is None:
                return incorrect(case, f"with no context that fits, the answer must be exactly {REFUSAL!r}.")
            return incorrect(case, "return the LLM's answer unchanged as 'answer'.")
        got = value["citations"]
        if not isinstance(got, (list, tuple)) or list(got) != expected["citations"]:
            ids = [cid for cid, _ in contexts_for(results, 2000 if budget is None else budget)]
            for switches, mistake_id, message in CITATION_VARIANTS:
                wrong = citations_for(answer, ids, **switches)
                if wrong != expected["citations"] and isinstance(got, (list, tuple)) and list(got) == wrong:
                    return incorrect(case, message + ".", mistake_id)
            return incorrect(case, "expected the chunk ids cited by [n] markers (1-based positions in the contexts), "
                             "in order of first appearance, without duplicates; out-of-range markers ignored.")
    return None


def _calls_failure(case, llm_calls, contexts, budget):
    question, results, _, _ = case.args
    limit = 2000 if budget is None else budget
    if contexts is None:
        if not llm_calls:
            return None
        given = llm_calls[0][2]
        if isinstance(given, (list, tuple)) and given:      # something was passed although nothing fits
            if list(given) == [t for _, t in contexts_for(results, limit, skip=True)]:
                return incorrect(case, "the first context does not fit, so nothing fits: you skipped it and went on "
                                 "with later ones; stop at the first context that does not fit (and refuse).",
                                 "budget-skips")
            return incorrect(case, f"the contexts you passed hold more than max_context_chars={limit} characters: "
                             "nothing fits here, so refuse without calling the LLM.", "budget-exceeded")
        return incorrect(case, "no context fits in the budget, yet you called the LLM: return the refusal "
                         f"{{'answer': {REFUSAL!r}, 'citations': []}} without calling it.", "llm-without-context")
    if len(llm_calls) != 1:
        return incorrect(case, f"call the LLM exactly once; you called it {len(llm_calls)} times.")
    _, asked, got = llm_calls[0]
    if asked != question:
        return incorrect(case, "pass the question unchanged to llm(question, contexts).")
    if not isinstance(got, (list, tuple)) or not all(isinstance(c, str) for c in got):
        return incorrect(case, f"llm(question, contexts) takes the contexts as a list of str; you passed "
                               f"{describe(got)}.")
    got = list(got)
    if got == contexts:
        return None
    if got == [t for _, t in contexts_for(results, limit, exceed=True)] or sum(map(len, got)) > limit:
        return incorrect(case, f"the contexts you passed hold more than max_context_chars={limit} characters: take "
                         "them in order while the running total of len(text) stays within the budget.",
                         "budget-exceeded")
    if got == [t for _, t in contexts_for(results, limit, skip=True)]:
        return incorrect(case, "you skipped a context that did not fit and went on with later ones: stop at the first "
                         "context that does not fit.", "budget-skips")
    return incorrect(case, "the LLM got other contexts than the retrieved texts in rank order that fit in the budget "
                     "(pass the texts themselves, without numbering or ids).")


def _texts(rng, lengths):
    text = pydoc_text()
    out = []
    for n in lengths:
        start = int(rng.integers(0, len(text) - n))
        out.append(text[start:start + n])
    return out


def _case(tag, lengths, answer, ids=None, budget=None, label="", tags=()):
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, tag))
    ids = ids or [int(i) for i in rng.choice(np.arange(100, 1100), size=len(lengths), replace=False)]
    results = [(cid, t) for cid, t in zip(ids, _texts(rng, lengths))]
    kwargs = "" if budget is None else f", max_context_chars={budget}"
    shown = f"retrieved texts of {', '.join(map(str, lengths))} characters" if lengths else "nothing retrieved"
    return Case((f"question {tag}?", results, answer, budget), {}, f"{shown}{kwargs}; the LLM answers "
                                                                   f"{answer!r}{label}",
                frozenset(tags))


def _check(title, points, cases):
    return Check(title, points, cases, _judge, probe=rag_probe, probe_args=lambda t, cs: (t, [c.args for c in cs]))


EXAMPLE = [_case("example", [500, 600, 700], "The with statement wraps a block [1]; see [3].",
                 label=" (the notebook's example)")]
BUDGET = [_case("budget-1", [800, 900, 500, 300], "See [1] and [2]."),
          _case("budget-2", [1000, 1000, 5], "Both [2] [1].", label=" (the first two fill the budget exactly)"),
          _case("budget-3", [300, 350, 100, 20], "Per [3].", budget=700, tags=("hallucinated",)),
          _case("budget-4", [120], "One [1].", budget=120)]
CITES = [_case("cites-1", [400, 300, 200], "First [2], then [1], again [2], and [9] and [0].", tags=("hallucinated",)),
         _case("cites-2", [200, 300], "Nothing cited here; list[int] is a type."),
         _case("cites-3", [250, 260, 270], "[3] says it, [3] again, then [1] [12].", tags=("hallucinated",)),
         _case("cites-4", [150, 150, 150], "Compare [2] with [3].", ids=["lib/ast#4", "ref/with#0", "ref/try#2"])]
REFUSE = [_case("refuse-1", [], "Made up [1]."), _case("refuse-2", [2500, 100], "Made up [1].",
                                                        label=" (the first text alone is over the budget)"),
          _case("refuse-3", [90, 40], "Small [1].", budget=60), _case("refuse-4", [300, 200], "Fine [2].")]

rag_answer = Exercise(
    EX,
    skill="retrieval-augmented generation",
    hints=(
        ("Retrieval-augmented generation hands the model the best passages as numbered contexts and asks it to cite "
        "them as [1], [2], ...; the code around the model enforces the context budget, refuses when there is "
        "nothing to ground an answer on, and maps markers back to chunk ids."),
        ("Walk the ranked (chunk_id, text) pairs keeping a running total of len(text); stop at the first that "
        "would exceed the budget. No context: refuse without calling llm. Else answer = llm(question, texts); "
        "re.finditer(r'\\[(\\d+)\\]', answer) gives the markers."),
        ("`for m in re.finditer(r\"\\[(\\d+)\\]\", answer): n = int(m.group(1)); if 1 <= n <= len(ids) and "
        "ids[n - 1] not in cites: cites.append(ids[n - 1])`"),
    ),
    checks=(
        _check("the example in the notebook", 1, EXAMPLE),
        _check("contexts in rank order within the budget; the LLM gets them once", 3, BUDGET),
        _check("citations: chunk ids of valid [n] markers, first appearance, no duplicates", 3, CITES),
        _check("refuses without calling the LLM when no context fits", 3, REFUSE),
    ),
)
