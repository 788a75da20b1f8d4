# mistake: overlap-loops-forever
# expect: never ends
def chunk_text(text, chunk_size, overlap):
    words = text.split()
    chunks, start = [], 0
    while start < len(words):
        chunks.append(" ".join(words[start:start + chunk_size]))
        if start + chunk_size >= len(words):
            break
        start += chunk_size - overlap
    return chunks


class Retriever:
    def __init__(self, chunks):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer()
        self.matrix = self.vectorizer.fit_transform(chunks)

    def search(self, query, k=5):
        scores = (self.matrix @ self.vectorizer.transform([query]).T).toarray().ravel()
        return [int(i) for i in np.argsort(-scores)[:k]]
