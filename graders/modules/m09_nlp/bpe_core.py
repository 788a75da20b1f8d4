"""Byte-level BPE as pinned (grading process only): the reference and its classic wrong variants.

A "sequence" is a list of ids with a weight (how often its chunk occurs), so one trainer serves
plain BPE (one sequence, the whole text) and regex BPE (one sequence per distinct chunk).
"""
from __future__ import annotations

from collections import Counter


def pair_counts(seqs) -> Counter:
    """Adjacent pairs, overlapping ones included ("aaa" gives (a, a): 2); insertion order = first occurrence."""
    stats: Counter = Counter()
    for ids, weight in seqs:
        for pair in zip(ids, ids[1:]):
            stats[pair] += weight
    return stats


def merge(ids, pair, idx):
    """Replace occurrences of ``pair`` by ``idx``, left to right, without overlap."""
    out, i, a, b = [], 0, pair[0], pair[1]
    n = len(ids)
    while i < n:
        if i + 1 < n and ids[i] == a and ids[i + 1] == b:
            out.append(idx)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def merge_collapsing(ids, pair, idx):
    """The vectorised slip: every (overlapping) match replaced, every following id deleted ("aaa" -> one token)."""
    hits = [i for i in range(len(ids) - 1) if (ids[i], ids[i + 1]) == tuple(pair)]
    out = list(ids)
    for i in hits:
        out[i] = idx
    drop = {i + 1 for i in hits}
    return [v for i, v in enumerate(out) if i not in drop]


def smallest(stats):
    """The pinned choice: highest count, ties to the smallest pair."""
    return min(stats, key=lambda p: (-stats[p], p))


def first_seen(stats):
    """minbpe's ``max(stats, key=stats.get)``: ties to the pair seen first."""
    return max(stats, key=stats.get)


def train(seqs, n_merges, pick=smallest, merge_fn=merge, min_count=1):
    seqs = [(list(ids), w) for ids, w in seqs]
    merges = []
    for i in range(max(n_merges, 0)):
        stats = pair_counts(seqs)
        if not stats:
            break
        pair = pick(stats)
        if stats[pair] < min_count:
            break
        seqs = [(merge_fn(ids, pair, 256 + i), w) for ids, w in seqs]
        merges.append(pair)
    return merges


def encode_ids(ids, merges, order="rank", merge_fn=merge):
    """Apply merges to a byte sequence: lowest rank present first (the pinned order), or by frequency."""
    rank = {tuple(p): i for i, p in enumerate(merges)}
    ids = list(ids)
    while len(ids) >= 2:
        stats = pair_counts([(ids, 1)])
        known = [p for p in stats if p in rank]
        if not known:
            break
        pair = min(known, key=rank.get) if order == "rank" else max(known, key=stats.get)
        ids = merge_fn(ids, pair, 256 + rank[pair])
    return ids


def vocab_bytes(merges) -> dict[int, bytes]:
    vocab = {i: bytes([i]) for i in range(256)}
    for i, (a, b) in enumerate(merges):
        vocab[256 + i] = vocab[a] + vocab[b]
    return vocab


def decode(ids, merges, per_token=False):
    vocab = vocab_bytes(merges)
    if per_token:
        return "".join(vocab[i].decode("utf-8", errors="replace") for i in ids)
    return b"".join(vocab[i] for i in ids).decode("utf-8", errors="replace")
