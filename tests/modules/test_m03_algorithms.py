"""03_algorithms graders: reference, stub, the bank of mistakes and the correct alternatives,
plus the module's own promises (from scratch is enforced, the ensembles may use sklearn's
trees, and the oracles agree with scikit-learn where the contract says they must)."""
from __future__ import annotations

import numpy as np
from banks import ModuleGraderSuite, bank, describe, graded_in_fresh_processes, submission, written_tables

from graders.engine.registry import load
from graders.engine.results import Status

MODULE = "03_algorithms"
SPEC = load(MODULE)


class TestGrader(ModuleGraderSuite):
    MODULE = MODULE


def test_every_from_scratch_exercise_has_a_blocked_call_entry():
    """Calling the estimator an exercise re-implements is caught ("implement it yourself")."""
    blocked_entries = {e.exercise for e in bank(MODULE, "mistakes") if e.mistake == "blocked-call"}
    for ex in SPEC.exercises:
        assert ex.blocked, f"{ex.id} declares nothing blocked"
        assert ex.id in blocked_entries, ex.id
    for entry in bank(MODULE, "mistakes"):
        if entry.mistake == "blocked-call":
            assert "implement it yourself" in entry.expect, entry


def test_ensembles_may_use_sklearn_trees(grader):
    """The syllabus allows sklearn's trees as base learners: nothing blocks them in the ensembles,
    and the reference answers, which use them, get full marks."""
    result = grader.grade(submission(MODULE), only=["GradientBoostingRegressor", "RandomForestClassifier"])
    for ex in result.exercises:
        assert ex.status is Status.PASSED, describe(ex)
        assert not any(p.startswith("sklearn.tree") for p in SPEC.exercise(ex.id).blocked)
    sub = submission(MODULE)
    assert "DecisionTreeRegressor" in sub.answer("GradientBoostingRegressor")
    assert "DecisionTreeClassifier" in sub.answer("RandomForestClassifier")


# ------------------------------------------------------------------ the oracles themselves
def _cases(exercise_id):
    return [case for check in SPEC.exercise(exercise_id).checks for case in check.materialize()
            if isinstance(case.args[0], dict)]


def test_tree_oracle_is_sklearns_tree_on_every_hidden_dataset():
    from sklearn.tree import DecisionTreeClassifier

    from graders.modules.m03_algorithms.treeref import predict_tree

    for case in _cases("DecisionTree"):
        X, y, X_query, max_depth, min_samples_split, tree = case.extra
        sk = DecisionTreeClassifier(max_depth=max_depth, min_samples_split=min_samples_split,
                                    random_state=0).fit(X, y)
        assert np.array_equal(sk.predict(X_query), predict_tree(tree, X_query)), case.label


def test_knn_oracle_matches_sklearn_away_from_distance_ties():
    from sklearn.neighbors import KNeighborsClassifier

    from graders.modules.m03_algorithms.knn import boundary_ties, knn_predict

    for case in _cases("KNNClassifier"):
        X, y, Q, k = case.extra
        keep = ~boundary_ties(X, Q, k, 1e-9)
        sk = KNeighborsClassifier(k, algorithm="brute").fit(X, y).predict(Q)
        assert np.array_equal(sk[keep], knn_predict(X, y, Q, k)[keep]), case.label


def test_naive_bayes_oracle_matches_sklearn():
    from sklearn.naive_bayes import GaussianNB

    from graders.modules.m03_algorithms.naive_bayes import nb_proba

    for case in _cases("GaussianNB"):
        X, y, Q, kwargs = case.extra
        sk = GaussianNB(**kwargs).fit(X, y).predict_proba(Q)
        assert np.allclose(sk, nb_proba(X, y, Q, **kwargs), rtol=1e-9, atol=1e-12), case.label


def test_logistic_step_sizes_let_plain_gradient_descent_reach_the_optimum():
    """The hidden lr/n_iter choices leave a correct learner a wide margin below the 1e-3 tolerance."""
    from scipy.special import expit

    for case in _cases("LogisticRegression"):
        problem = case.extra["problem"]
        kwargs = case.args[0]["init"][1]
        lr, n_iter = kwargs.get("lr", 0.1), kwargs.get("n_iter", 1000)
        w, b = np.zeros(problem.X.shape[1]), 0.0
        for _ in range(n_iter):
            r = expit(problem.X @ w + b) - problem.y
            w, b = w - lr * (problem.X.T @ r / len(r) + problem.l2 * w), b - lr * r.mean()
        assert problem.value(w, b) - problem.best < 1e-4, case.label


def test_best_split_cases_have_a_unique_answer_or_an_exact_tie():
    """Random cases: the best split beats the runner-up by far more than round-off; tie cases: exact ties."""
    from graders.modules.m03_algorithms.treeref import best_of, candidate_splits, last_of, unique_best

    for check in SPEC.exercise("gini").checks:
        if check.target != "best_split" or check.search is not None:
            continue     # the generated cases keep exact ties and pure nodes on purpose (split._robust_best)
        for case in check.materialize():
            splits = candidate_splits(*case.args)
            if "ties" in check.title:
                assert not unique_best(splits) and best_of(splits)[:2] != last_of(splits)[:2], case.label
            else:
                assert unique_best(splits), case.label


def test_a_later_grading_process_or_one_after_warm_imports_no_scikit_learn(tmp_path):
    """The data the cases are made of (scikit-learn's bundled datasets and generators, and the seeded datasets
    DecisionTree's cases search for), the reference trees of those cases, and the outputs of the forests, boosted
    trees, k-means and learning curves scikit-learn fits as oracles are kept per case (engine/kept_values.py): the
    first grade imports scikit-learn to make and fit them and writes their tables, a later one finds them kept,
    imports no scikit-learn, writes nothing and gives the same points and named mistakes; after `mlkata warm`
    (03's warm_up) even the first grade imports and writes none. (A wrong boosting answer is still told apart by
    boosting scikit-learn's trees with each slip.)"""
    from graders.modules.m03_algorithms import spec

    libraries = ("sklearn", "sklearn.datasets", "sklearn.ensemble", "sklearn.cluster", "sklearn.model_selection")
    before, written = written_tables(MODULE)
    runs = graded_in_fresh_processes(
        MODULE, ("RandomForestClassifier__oob_in_bag", "KMeans__random_init", "learning_curve__diagnose_median"),
        tmp_path, libraries, also=written, before=before)
    assert runs.grades[0] == runs.grades[1] == runs.grades[2]
    assert runs.named == {
        "RandomForestClassifier": ["oob-in-bag"], "KMeans": ["no-plus-plus"], "learning_curve": ["fold-median"]}
    assert runs.imported == (list(libraries), [], [])
    tables = runs.tables(MODULE)
    assert runs.also[0] == [f"{MODULE}-{name}" for name in tables] and runs.also[1:] == ([], [])
    assert {"data", "tree", "tree-datasets"} <= set(tables)
    assert "outputs of the scikit-learn oracles (forests, boosting, k-means, curves) and the datasets" in runs.warmed
    assert SPEC.warm_up is spec.keep_oracle_outputs
    # one table per kept oracle of the judges, and the data's, the tree datasets' and the trees'
    assert len(runs.kept) == len({oracle for oracle, _ in spec.KEPT.values()}) + 3


def test_knn_oracle_votes_like_sklearn_where_labels_tie():
    """The oracle counts every query's votes at once (knn.knn_predict); on integer data with an even k most
    queries have tied votes, which the contract and scikit-learn (scipy's mode) give to the smallest label.
    Queries where the k-th place itself is a distance tie are left out: there the two may keep other points."""
    from sklearn.neighbors import KNeighborsClassifier

    from graders.modules.m03_algorithms.knn import boundary_ties, knn_predict

    rng = np.random.default_rng(3)
    tied = 0
    for k in (2, 4, 6):
        X, Q = rng.integers(0, 9, (40, 2)).astype(float), rng.integers(0, 9, (60, 2)).astype(float)
        y = rng.choice(np.array([-3, 0, 2, 5]), size=40)
        keep = ~boundary_ties(X, Q, k)
        sk = KNeighborsClassifier(k, algorithm="brute").fit(X, y).predict(Q)
        assert np.array_equal(sk[keep], knn_predict(X, y, Q, k)[keep]), k
        votes = y[np.argsort(((Q[:, None] - X[None]) ** 2).sum(-1), axis=1, kind="stable")[:, :k]]
        tied += sum(np.sort(np.unique(row, return_counts=True)[1])[-2:].tolist() in ([1, 1], [2, 2], [3, 3])
                    for row in votes[keep])
    assert tied > 20          # the vote ties were there to break
