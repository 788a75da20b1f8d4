from itertools import accumulate


def rag_answer(question, retrieve, llm, max_context_chars=2000):
    ranked = list(retrieve(question))
    totals = list(accumulate(len(text) for _, text in ranked))
    n_fit = next((i for i, t in enumerate(totals) if t > max_context_chars), len(ranked))
    chosen = ranked[:n_fit]
    if not chosen:
        return {"answer": "I don't know.", "citations": []}
    answer = llm(question, [text for _, text in chosen])
    cited = [chosen[int(m) - 1][0] for m in re.findall(r"\[(\d+)\]", answer) if 1 <= int(m) <= len(chosen)]
    return {"answer": answer, "citations": tuple(dict.fromkeys(cited))}
