def grad_cam(model, layer, x, target):
    """Activations and their gradient caught by hooks; einsum for the weighted sum; (B, 1, h, w) numpy out."""
    store = {}

    def keep(module, inputs, output):
        store["A"] = output
        output.register_hook(lambda g: store.__setitem__("G", g))

    handle = layer.register_forward_hook(keep)
    try:
        out = model(x)
    finally:
        handle.remove()
    rows = torch.arange(x.shape[0])
    cols = target if torch.is_tensor(target) else torch.full_like(rows, target)
    out[rows, cols].sum().backward()
    alpha = store["G"].mean(dim=(2, 3))
    cam = torch.einsum("bc,bchw->bhw", alpha, store["A"]).clamp(min=0)
    return cam.detach().unsqueeze(1).numpy()
