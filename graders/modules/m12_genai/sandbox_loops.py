"""Sandbox-side probes of 12_genai (training steps, retrieval, RAG, agents): plain data out, no verdicts.

The training probes build the instrumented scenario of ``sandbox_models`` (the grading process builds an
identical one for the reference), call the learner's function once and report the parameters, the
returned value and the recorded events. The retrieval probe times building the learner's Retriever and
answering the queries. The RAG and agent probes hand the learner the fakes of ``sandbox_agents`` and
report what was called with what.
"""
from __future__ import annotations

import time
import warnings

from graders.engine.sandbox.probes import shares_child

from . import sandbox_agents as agents
from . import sandbox_models as models


# ------------------------------------------------------------------ accumulate_step, bf16_train_step
@shares_child
def training_probe(ctx, target, specs):
    """Per scenario spec: build it, call ``target(model, loss_fn, optimizer, X, y[, micro_batch_size])``;
    report the value, the parameters after the call (and their dtypes), the events and the warnings."""
    fn = ctx.lookup(target)
    out = []
    for i, spec in enumerate(specs):
        ctx.progress(i)
        build = models.build_accumulate if spec["kind"] == "accumulate" else models.build_bf16
        model, loss_fn, optimizer, X, y = build(spec)
        args = (model, loss_fn, optimizer, X, y) + ((spec["micro_batch_size"],) if "micro_batch_size" in spec else ())
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            obs = ctx.observe(fn, args)
        obs["params"] = ctx.plain([p.detach().clone() for p in model.parameters()])
        obs["dtypes"] = [str(p.dtype).replace("torch.", "") for p in model.parameters()]
        obs["events"] = [list(e) for e in models.LOG]
        obs["warnings"] = [str(w.message)[:300] for w in caught][:10]
        out.append(obs)                 # plain already: observe() converted the value
    return out


# ------------------------------------------------------------------ Retriever
def _indices(value):
    """A search result as a list of ints, or None when it is not a sequence of integers."""
    try:
        items = list(value)
    except TypeError:
        return None
    out = []
    for item in items:
        if isinstance(item, bool):
            return None
        try:
            out.append(int(item.__index__()))
        except (AttributeError, TypeError):
            return None
    return out


def retriever_probe(ctx, target, chunks, queries, extra):
    """Build ``target(chunks)`` and answer every query with ``search(q)`` (k left at its default), timed
    together; then the ``extra`` calls ``(query, k)``. Results come back as lists of ints (or a
    description of what came back instead)."""
    cls = ctx.lookup(target)
    start = time.perf_counter()
    retriever = ctx.run(cls, list(chunks), stage="the constructor")
    search = getattr(retriever, "search", None)
    if search is None:
        return {"error": {"type": "AttributeError", "message": "your Retriever has no `search` method", "trace": [],
                          "stage": "search", "not_implemented": False}}
    results = []
    for i, query in enumerate(queries):
        ctx.progress(i)
        value = ctx.run(search, query, stage="search")
        got = _indices(value)
        results.append(got if got is not None else ctx.plain(value))
    seconds = time.perf_counter() - start
    extras = []
    for query, k in extra:
        value = ctx.run(search, query, k=k, stage=f"search(query, k={k})")
        got = _indices(value)
        extras.append(got if got is not None else ctx.plain(value))
    return {"results": results, "extras": extras, "seconds": seconds}


# ------------------------------------------------------------------ rag_answer
@shares_child
def rag_probe(ctx, target, scenarios):
    """Per scenario ``(question, results, answer, max_context_chars)``: the learner's rag_answer with a
    fake retriever and a fake LLM; reports the value and the calls made to the fakes."""
    fn = ctx.lookup(target)
    out = []
    for i, (question, results, answer, budget) in enumerate(scenarios):
        ctx.progress(i)
        agents.reset()
        kwargs = {} if budget is None else {"max_context_chars": budget}
        obs = ctx.observe(fn, (question, agents.FakeRetrieve(results), agents.FakeRAGLLM(answer)), kwargs)
        obs["calls"] = ctx.plain(list(agents.CALLS))
        out.append(obs)
    return out


# ------------------------------------------------------------------ tool_loop
@shares_child
def agent_probe(ctx, target, scenarios):
    """Per scenario ``(script, tool names, user_message, max_steps)``: the learner's tool_loop with a
    scripted LLM and the named tools; reports the value, what the LLM saw at each call and the tool calls."""
    fn = ctx.lookup(target)
    out = []
    for i, (script, names, message, max_steps) in enumerate(scenarios):
        ctx.progress(i)
        agents.reset()
        kwargs = {} if max_steps is None else {"max_steps": max_steps}
        obs = ctx.observe(fn, (agents.ScriptedAgentLLM(script), agents.tools_for(names), message), kwargs)
        obs["calls"] = ctx.plain(list(agents.CALLS))
        out.append(obs)
    return out
