# mistake: loops
# expect: vectorised
def pairwise_cosine(A, B):
    out = np.zeros((len(A), len(B)))
    for i in range(len(A)):
        for j in range(len(B)):
            na = np.sqrt(A[i] @ A[i])
            nb = np.sqrt(B[j] @ B[j])
            if na > 0 and nb > 0:
                out[i, j] = A[i] @ B[j] / (na * nb)
    return out
