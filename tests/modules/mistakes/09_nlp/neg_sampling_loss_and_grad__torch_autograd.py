# mistake: blocked-call
# expect: implement it yourself
import torch


def neg_sampling_loss_and_grad(center_vec, outside_idx, outside_vectors, neg_indices):
    vc = torch.tensor(center_vec, requires_grad=True)
    U = torch.tensor(outside_vectors, requires_grad=True)
    loss = -torch.nn.functional.logsigmoid(U[outside_idx] @ vc) \
        - torch.nn.functional.logsigmoid(-(U[neg_indices] @ vc)).sum()
    loss.backward()
    return loss.item(), vc.grad.numpy(), U.grad.numpy()
