# Recursive longest-prefix search; the vocabulary is copied into a set first.
def wordpiece_tokenize(text, vocab, unk_token="[UNK]", max_input_chars_per_word=100):
    known = set(vocab)

    def split(rest, first):
        if not rest:
            return []
        for cut in range(len(rest), 0, -1):
            piece = rest[:cut] if first else "##" + rest[:cut]
            if piece in known:
                tail = split(rest[cut:], False)
                return None if tail is None else [piece] + tail
        return None

    out = []
    for word in text.split():
        pieces = split(word, True) if len(word) <= max_input_chars_per_word else None
        out += pieces if pieces is not None else [unk_token]
    return out
