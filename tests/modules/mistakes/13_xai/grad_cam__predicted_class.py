# mistake: wrong-class
# expect: another class
def grad_cam(model, layer, x, target):
    acts = []
    handle = layer.register_forward_hook(lambda module, inputs, output: acts.append(output))
    try:
        out = model(x)
    finally:
        handle.remove()
    tgt = out.argmax(dim=1)
    (grad,) = torch.autograd.grad(out.gather(1, tgt[:, None]).sum(), acts[0])
    weights = grad.mean(dim=(2, 3), keepdim=True)
    return torch.relu((weights * acts[0]).sum(dim=1)).detach()
