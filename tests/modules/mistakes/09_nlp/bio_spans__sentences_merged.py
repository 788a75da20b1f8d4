# mistake: sentences-merged
# expect: spans of different sentences must not merge
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
    if current:
        spans.append(tuple(current))
    return spans


def span_f1(y_true, y_pred):
    true = set(bio_spans([tag for s in y_true for tag in s]))
    pred = set(bio_spans([tag for s in y_pred for tag in s]))
    tp = len(true & pred)
    precision = tp / len(pred) if pred else 0.0
    recall = tp / len(true) if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
