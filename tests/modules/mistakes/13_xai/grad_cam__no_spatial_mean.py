# mistake: no-spatial-mean
# expect: spatial mean
def grad_cam(model, layer, x, target):
    acts = []
    handle = layer.register_forward_hook(lambda module, inputs, output: acts.append(output))
    try:
        out = model(x)
    finally:
        handle.remove()
    if isinstance(target, torch.Tensor):
        tgt = target.long().reshape(-1)
    else:
        tgt = torch.full((x.shape[0],), int(target), dtype=torch.long)
    (grad,) = torch.autograd.grad(out.gather(1, tgt[:, None]).sum(), acts[0])
    weights = grad
    return torch.relu((weights * acts[0]).sum(dim=1)).detach()
