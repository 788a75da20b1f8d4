"""03_algorithms: classical machine learning from scratch, fit/predict like scikit-learn.

Each estimator is graded on what any correct implementation must share with
scikit-learn (the objective at the optimum, inertia, accuracy, predictions where
the answer is unique), never on incidental choices (initialisation, sort order of
equal values, random streams).
"""
