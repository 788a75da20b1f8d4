# mistake: blocked-call
# expect: implement it yourself
from seqeval.metrics import f1_score, precision_score, recall_score
from seqeval.metrics.sequence_labeling import get_entities


def bio_spans(tags):
    return get_entities(list(tags))


def span_f1(y_true, y_pred):
    return precision_score(y_true, y_pred), recall_score(y_true, y_pred), f1_score(y_true, y_pred)
