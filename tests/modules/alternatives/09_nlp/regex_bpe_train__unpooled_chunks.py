# One id list per chunk occurrence (no pooling), merges as lists, ranks via a vocabulary list.
def _apply(ids, pair, new):
    out, i = [], 0
    while i < len(ids):
        if ids[i:i + 2] == list(pair):
            out.append(new)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def regex_bpe_train(text, vocab_size, pattern=GPT4_SPLIT_PATTERN):
    chunks = [list(c.encode("utf-8")) for c in regex.findall(pattern, text)]
    merges = []
    while len(merges) < vocab_size - 256:
        counts = Counter()
        for ids in chunks:
            counts.update(zip(ids, ids[1:]))
        if not counts:
            break
        top = max(counts.values())
        pair = min(p for p in counts if counts[p] == top)
        chunks = [_apply(ids, pair, 256 + len(merges)) if len(ids) > 1 else ids for ids in chunks]
        merges.append(list(pair))
    return merges


def regex_bpe_encode(text, merges, pattern=GPT4_SPLIT_PATTERN):
    ranks = {tuple(p): i for i, p in enumerate(merges)}
    result = []
    for chunk in regex.findall(pattern, text):
        ids = list(chunk.encode("utf-8"))
        while len(ids) > 1:
            candidates = [ranks[p] for p in zip(ids, ids[1:]) if p in ranks]
            if not candidates:
                break
            r = min(candidates)
            ids = _apply(ids, merges[r], 256 + r)
        result.extend(ids)
    return result


def mergeable_ranks(merges):
    tokens = [bytes([b]) for b in range(256)]
    for a, b in merges:
        tokens.append(tokens[a] + tokens[b])
    return dict(zip(tokens, range(len(tokens))))
