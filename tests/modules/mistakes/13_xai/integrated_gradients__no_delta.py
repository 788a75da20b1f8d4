# mistake: no-delta
# expect: (x - baseline)
def integrated_gradients(model, x, baseline, target, n_steps=50):
    if isinstance(target, torch.Tensor):
        tgt = target.long().reshape(-1)
    else:
        tgt = torch.full((x.shape[0],), int(target), dtype=torch.long)
    total = torch.zeros_like(x)
    for k in range(n_steps):
        alpha = (k + 0.5) / n_steps
        z = (baseline + alpha * (x - baseline)).detach().requires_grad_(True)
        score = model(z).gather(1, tgt[:, None]).sum()
        (grad,) = torch.autograd.grad(score, z)
        total += grad
    return (total / n_steps).detach()
