# mistake: missing-##
# expect: '##' continuation
def wordpiece_tokenize(text, vocab, unk_token="[UNK]", max_input_chars_per_word=100):
    out = []
    for word in text.split():
        if len(word) > max_input_chars_per_word:
            out.append(unk_token)
            continue
        pieces, start, ok = [], 0, True
        while start < len(word):
            match = None
            for end in range(len(word), start, -1):
                piece = ("##" if start else "") + word[start:end]
                if word[start:end] in vocab:
                    match = (piece, end)
                    break
            if match is None:
                ok = False
                break
            pieces.append(match[0])
            start = match[1]
        out.extend(pieces if ok else [unk_token])
    return out
