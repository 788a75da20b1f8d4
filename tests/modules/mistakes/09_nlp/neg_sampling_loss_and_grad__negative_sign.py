# mistake: negative-sign
# expect: wrong sign
def neg_sampling_loss_and_grad(center_vec, outside_idx, outside_vectors, neg_indices):
    def sigmoid(x):
        return np.where(x >= 0, 1 / (1 + np.exp(-np.abs(x))), np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))))

    u_o = outside_vectors[outside_idx]
    u_k = outside_vectors[neg_indices]
    s_o, s_k = u_o @ center_vec, -(u_k @ center_vec)
    loss = np.logaddexp(0, -s_o) + np.sum(np.logaddexp(0, s_k))
    grad_center = (sigmoid(s_o) - 1) * u_o - sigmoid(s_k) @ u_k
    grad_outside = np.zeros_like(outside_vectors)
    grad_outside[outside_idx] += (sigmoid(s_o) - 1) * center_vec
    for k, w in enumerate(neg_indices):
        grad_outside[w] -= sigmoid(s_k[k]) * center_vec
    return loss, grad_center, grad_outside
