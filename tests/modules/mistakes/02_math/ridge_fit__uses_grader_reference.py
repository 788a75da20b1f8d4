# mistake: uses-grader
# expect: grader's own code
from graders.modules.m02_math.linalg import ridge_ref


def ridge_fit(X, y, alpha):
    return ridge_ref(X, y, alpha)
