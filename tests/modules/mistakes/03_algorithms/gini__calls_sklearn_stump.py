# mistake: blocked-call
# expect: implement it yourself
from sklearn.tree import DecisionTreeClassifier


def gini(y):
    _, counts = np.unique(y, return_counts=True)
    p = counts / counts.sum()
    return 1.0 - np.sum(p ** 2)


def best_split(X, y):
    stump = DecisionTreeClassifier(max_depth=1, random_state=0).fit(X, y)
    if stump.tree_.node_count == 1:
        return None
    t = stump.tree_
    n = t.weighted_n_node_samples
    decrease = t.impurity[0] - (n[1] * t.impurity[1] + n[2] * t.impurity[2]) / n[0]
    return int(t.feature[0]), float(t.threshold[0]), float(decrease)
