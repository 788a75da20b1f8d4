from collections import Counter, defaultdict


def chunk_text(text, chunk_size, overlap):
    if overlap < 0 or overlap >= chunk_size:
        raise ValueError("overlap must satisfy 0 <= overlap < chunk_size")
    words, out, start = text.split(), [], 0
    while words:
        out.append(" ".join(words[start:start + chunk_size]))
        if start + chunk_size >= len(words):
            return out
        start += chunk_size - overlap
    return out


class Retriever:
    """Okapi BM25 over lower-cased word tokens, written out."""

    def __init__(self, chunks, k1=1.5, b=0.75):
        self.k1, self.b = k1, b
        docs = [re.findall(r"\w+", c.lower()) for c in chunks]
        self.n = len(docs)
        self.lengths = np.array([len(d) for d in docs], dtype=float)
        self.avgdl = self.lengths.mean()
        self.postings = defaultdict(list)
        for j, d in enumerate(docs):
            for term, tf in Counter(d).items():
                self.postings[term].append((j, tf))

    def search(self, query, k=5):
        scores = np.zeros(self.n)
        for term in set(re.findall(r"\w+", query.lower())):
            posting = self.postings.get(term, [])
            if not posting:
                continue
            idf = math.log(1 + (self.n - len(posting) + 0.5) / (len(posting) + 0.5))
            for j, tf in posting:
                norm = tf + self.k1 * (1 - self.b + self.b * self.lengths[j] / self.avgdl)
                scores[j] += idf * tf * (self.k1 + 1) / norm
        return sorted(range(self.n), key=lambda j: -scores[j])[:k]
