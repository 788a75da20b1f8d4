# mistake: empty-text-blank-chunk
# expect: return [], not [""]
def chunk_text(text, chunk_size, overlap):
    if not 0 <= overlap < chunk_size:
        raise ValueError("bad overlap")
    words = text.split()
    step = chunk_size - overlap
    chunks = [" ".join(words[0:chunk_size])]
    start = step
    while start - step + chunk_size < len(words):
        chunks.append(" ".join(words[start:start + chunk_size]))
        start += step
    return chunks


class Retriever:
    def __init__(self, chunks):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer()
        self.matrix = self.vectorizer.fit_transform(chunks)

    def search(self, query, k=5):
        scores = (self.matrix @ self.vectorizer.transform([query]).T).toarray().ravel()
        return [int(i) for i in np.argsort(-scores)[:k]]
