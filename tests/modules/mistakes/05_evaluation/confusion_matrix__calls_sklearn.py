# mistake: blocked-call
# expect: implement it yourself
from sklearn.metrics import confusion_matrix as _cm


def confusion_matrix(y_true, y_pred, labels=None):
    return _cm(y_true, y_pred, labels=labels)
