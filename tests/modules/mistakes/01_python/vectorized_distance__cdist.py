# mistake: blocked-call
# expect: implement it yourself
from scipy.spatial.distance import cdist


def vectorized_distance(A, B):
    return cdist(A, B)
