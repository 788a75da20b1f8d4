# mistake: hooks-left
# expect: .remove()
def grad_cam(model, layer, x, target):
    acts = []
    handle = layer.register_forward_hook(lambda module, inputs, output: acts.append(output))
    out = model(x)
    if isinstance(target, torch.Tensor):
        tgt = target.long().reshape(-1)
    else:
        tgt = torch.full((x.shape[0],), int(target), dtype=torch.long)
    (grad,) = torch.autograd.grad(out.gather(1, tgt[:, None]).sum(), acts[0])
    weights = grad.mean(dim=(2, 3), keepdim=True)
    return torch.relu((weights * acts[0]).sum(dim=1)).detach()
