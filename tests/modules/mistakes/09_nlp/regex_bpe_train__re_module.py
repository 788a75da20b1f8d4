# mistake: re-instead-of-regex
# expect: Python's `re` does not know
def _merge(ids, pair, idx):
    out, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and (ids[i], ids[i + 1]) == pair:
            out.append(idx)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def regex_bpe_train(text, vocab_size, pattern=GPT4_SPLIT_PATTERN):
    chunks = [list(c.encode("utf-8")) for c in re.findall(pattern, text)]
    merges = []
    for i in range(vocab_size - 256):
        stats = Counter(p for ids in chunks for p in zip(ids, ids[1:]))
        if not stats:
            break
        pair = min(stats, key=lambda p: (-stats[p], p))
        chunks = [_merge(ids, pair, 256 + i) for ids in chunks]
        merges.append(pair)
    return merges


def regex_bpe_encode(text, merges, pattern=GPT4_SPLIT_PATTERN):
    out = []
    for chunk in re.findall(pattern, text):
        ids = list(chunk.encode("utf-8"))
        for i, pair in enumerate(merges):
            ids = _merge(ids, tuple(pair), 256 + i)
        out += ids
    return out


def mergeable_ranks(merges):
    vocab = {i: bytes([i]) for i in range(256)}
    for i, (a, b) in enumerate(merges):
        vocab[256 + i] = vocab[a] + vocab[b]
    return {v: k for k, v in vocab.items()}
