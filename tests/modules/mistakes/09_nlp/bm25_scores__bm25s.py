# mistake: blocked-call
# expect: implement it yourself
import bm25s


def bm25_scores(query, docs, k1=1.5, b=0.75):
    retriever = bm25s.BM25(method="lucene", k1=k1, b=b)
    retriever.index([list(d) for d in docs], show_progress=False)
    known = [t for t in query if t in retriever.vocab_dict]
    return retriever.get_scores(known) if known else np.zeros(len(docs))
