def pairwise_cosine(A, B):
    dots = np.einsum("ik,jk->ij", A, B)
    na = np.sqrt(np.einsum("ij,ij->i", A, A))
    nb = np.sqrt(np.einsum("ij,ij->i", B, B))
    denom = np.outer(na, nb)
    with np.errstate(divide="ignore", invalid="ignore"):
        sims = dots / denom
    sims[denom == 0] = 0.0
    return sims
