# mistake: overlap-merged-twice
# expect: overlapping occurrences were merged twice
def _merge(ids, pair, idx):
    ids = np.array(ids, dtype=np.int64)
    if len(ids) < 2:
        return ids.tolist()
    hits = np.flatnonzero((ids[:-1] == pair[0]) & (ids[1:] == pair[1]))
    ids[hits] = idx
    return np.delete(ids, hits + 1).tolist()


def bpe_train(text, vocab_size):
    ids = list(text.encode("utf-8"))
    merges = []
    for i in range(vocab_size - 256):
        stats = Counter(zip(ids, ids[1:]))
        if not stats:
            break
        pair = min(stats, key=lambda p: (-stats[p], p))
        ids = _merge(ids, pair, 256 + i)
        merges.append(pair)
    return merges


def bpe_encode(text, merges):
    ids = list(text.encode("utf-8"))
    for i, pair in enumerate(merges):
        ids = _merge(ids, pair, 256 + i)
    return ids


def bpe_decode(ids, merges):
    vocab = {i: bytes([i]) for i in range(256)}
    for i, (a, b) in enumerate(merges):
        vocab[256 + i] = vocab[a] + vocab[b]
    return b"".join(vocab[i] for i in ids).decode("utf-8", errors="replace")
