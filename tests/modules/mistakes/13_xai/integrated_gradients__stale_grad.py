# mistake: stale-grad
# expect: accumulate
def integrated_gradients(model, x, baseline, target, n_steps=50):
    if isinstance(target, torch.Tensor):
        tgt = target.long().reshape(-1)
    else:
        tgt = torch.full((x.shape[0],), int(target), dtype=torch.long)
    shift = torch.zeros_like(x, requires_grad=True)      # one leaf for every step, .grad never zeroed
    total = torch.zeros_like(x)
    for k in range(n_steps):
        alpha = (k + 0.5) / n_steps
        z = baseline + alpha * (x - baseline) + shift
        model(z).gather(1, tgt[:, None]).sum().backward()
        total += shift.grad
    return ((x - baseline) * total / n_steps).detach()
