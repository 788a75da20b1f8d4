# mistake: linspace-endpoints
# expect: midpoint rule
def integrated_gradients(model, x, baseline, target, n_steps=50):
    if isinstance(target, torch.Tensor):
        tgt = target.long().reshape(-1)
    else:
        tgt = torch.full((x.shape[0],), int(target), dtype=torch.long)
    total = torch.zeros_like(x)
    for alpha in torch.linspace(0, 1, n_steps, dtype=torch.float64):
        z = (baseline + alpha * (x - baseline)).detach().requires_grad_(True)
        (grad,) = torch.autograd.grad(model(z).gather(1, tgt[:, None]).sum(), z)
        total += grad
    return ((x - baseline) * total / n_steps).detach()
