# mistake: blocked-call
# expect: implement it yourself
def neg_sampling_loss_and_grad(center_vec, outside_idx, outside_vectors, neg_indices):
    import torch
    import torch.nn.functional as F

    vc = torch.tensor(center_vec, requires_grad=True)
    U = torch.tensor(outside_vectors, requires_grad=True)
    loss = -F.logsigmoid(U[outside_idx] @ vc) - F.logsigmoid(-(U[neg_indices] @ vc)).sum()
    g_c, g_U = torch.autograd.grad(loss, [vc, U])
    return loss.item(), g_c.numpy(), g_U.numpy()
