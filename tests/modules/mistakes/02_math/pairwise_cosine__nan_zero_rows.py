# mistake: nan-on-zero-rows
# expect: NaN
def pairwise_cosine(A, B):
    An = A / np.linalg.norm(A, axis=1, keepdims=True)
    Bn = B / np.linalg.norm(B, axis=1, keepdims=True)
    return An @ Bn.T
