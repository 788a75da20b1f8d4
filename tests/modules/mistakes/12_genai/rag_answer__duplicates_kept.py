# mistake: duplicate-citations
# expect: each chunk id once
def rag_answer(question, retrieve, llm, max_context_chars=2000):
    """Answer from retrieved contexts within the budget, or refuse; citations are the chunk ids of [n] markers."""
    ids, contexts, total = [], [], 0
    for chunk_id, text in retrieve(question):
        if total + len(text) > max_context_chars:
            break                              # stop at the first context that does not fit
        ids.append(chunk_id)
        contexts.append(text)
        total += len(text)
    if not contexts:
        return {"answer": "I don't know.", "citations": []}
    answer = llm(question, contexts)
    citations = []
    for match in re.finditer(r"\[(\d+)\]", answer):
        n = int(match.group(1))
        if 1 <= n <= len(contexts):
            citations.append(ids[n - 1])
    return {"answer": answer, "citations": citations}
