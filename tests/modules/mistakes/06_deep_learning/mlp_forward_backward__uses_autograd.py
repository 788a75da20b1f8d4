# mistake: blocked-call
# expect: implement it yourself
def mlp_forward_backward(X, y, W1, b1, W2, b2):
    params = [torch.tensor(a, requires_grad=True) for a in (W1, b1, W2, b2)]
    logits = torch.relu(torch.tensor(X) @ params[0] + params[1]) @ params[2] + params[3]
    loss = F.cross_entropy(logits, torch.as_tensor(y))
    loss.backward()
    return loss.item(), {k: p.grad.numpy() for k, p in zip(["W1", "b1", "W2", "b2"], params)}
