# mistake: last-span-lost
# expect: must be closed and kept
def bio_spans(tags):
    spans = []
    current = None
    for i, tag in enumerate(tags):
        if tag == "O":
            if current:
                spans.append(tuple(current))
            current = None
            continue
        prefix, typ = tag.split("-", 1)
        if prefix == "I" and current and current[0] == typ:
            current[2] = i
        else:
            if current:
                spans.append(tuple(current))
            current = [typ, i, i]
    return spans


def span_f1(y_true, y_pred):
    true = set()
    pred = set()
    for k, (t, p) in enumerate(zip(y_true, y_pred)):
        true |= {(k,) + s for s in bio_spans(t)}
        pred |= {(k,) + s for s in bio_spans(p)}
    tp = len(true & pred)
    precision = tp / len(pred) if pred else 0.0
    recall = tp / len(true) if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
