# Merges as lists, encode by replaying merge 0, 1, 2, ... in turn, ids returned as a numpy array.
def _replace(seq, a, b, new):
    out = []
    i = 0
    n = len(seq)
    while i < n:
        if i < n - 1 and seq[i] == a and seq[i + 1] == b:
            out.append(new)
            i += 2
            continue
        out.append(seq[i])
        i += 1
    return out


def bpe_train(text, vocab_size):
    seq = list(text.encode("utf-8"))
    merges = []
    while 256 + len(merges) < vocab_size and len(seq) > 1:
        counts = defaultdict(int)
        for a, b in zip(seq[:-1], seq[1:]):
            counts[(a, b)] += 1
        best = max(counts.values())
        a, b = sorted(p for p, c in counts.items() if c == best)[0]
        seq = _replace(seq, a, b, 256 + len(merges))
        merges.append([a, b])
    return merges


def bpe_encode(text, merges):
    seq = list(text.encode("utf-8"))
    for i, (a, b) in enumerate(merges):
        seq = _replace(seq, a, b, 256 + i)
    return np.array(seq, dtype=np.int64)


def bpe_decode(ids, merges):
    table = [bytes([i]) for i in range(256)]
    for a, b in merges:
        table.append(table[a] + table[b])
    buf = bytearray()
    for i in ids:
        buf += table[i]
    return bytes(buf).decode("utf-8", "replace")
