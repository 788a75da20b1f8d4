def integrated_gradients(model, x, baseline, target, n_steps=50):
    """The whole path in one batch: (n_steps * B, ...) points, one backward; numpy out."""
    B = x.shape[0]
    alphas = (torch.arange(n_steps, dtype=x.dtype) + 0.5) / n_steps
    shape = (n_steps,) + (1,) * x.dim()
    path = (baseline.unsqueeze(0) + alphas.view(shape) * (x - baseline).unsqueeze(0)).reshape(n_steps * B, *x.shape[1:])
    path.requires_grad_(True)
    t = target.repeat(n_steps) if torch.is_tensor(target) else torch.full((n_steps * B,), target)
    out = model(path)
    out[torch.arange(n_steps * B), t].sum().backward()
    grads = path.grad.reshape(n_steps, *x.shape)
    return ((x - baseline) * grads.mean(0)).detach().numpy()
