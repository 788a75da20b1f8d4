# mistake: unknown-word
# expect: must be mapped to <unk>
class NGramLM:
    def __init__(self, n, k=1.0):
        self.n = n
        self.k = k

    def fit(self, sentences):
        self.V = set(w for s in sentences for w in s) | {"</s>", "<unk>"}
        self.ngrams = defaultdict(int)
        self.contexts = defaultdict(int)
        for s in sentences:
            padded = ["<s>"] * (self.n - 1) + list(s) + ["</s>"]
            for i in range(self.n - 1, len(padded)):
                h = tuple(padded[i - self.n + 1:i])
                self.ngrams[h + (padded[i],)] += 1
                self.contexts[h] += 1
        return self

    def _norm(self, w):
        if w not in self.V and w != "<s>":
            raise KeyError(w)
        return w

    def prob(self, word, context):
        h = tuple(self._norm(w) for w in context[len(context) - self.n + 1:]) if self.n > 1 else ()
        w = self._norm(word)
        return (self.ngrams[h + (w,)] + self.k) / (self.contexts[h] + self.k * len(self.V))

    def perplexity(self, sentences):
        total, count = 0.0, 0
        for s in sentences:
            padded = ["<s>"] * (self.n - 1) + list(s) + ["</s>"]
            for i in range(self.n - 1, len(padded)):
                total += math.log(self.prob(padded[i], padded[:i]))
                count += 1
        return math.exp(-total / count)
