# mistake: buffers-not-saved
# expect: not the buffers
def save_checkpoint(path, model, optimizer, epoch):
    # a tuple instead of a dict, written through pathlib
    import pathlib
    with pathlib.Path(path).open("wb") as fh:
        weights = {name: p.detach().clone() for name, p in model.named_parameters()}
        torch.save((epoch, weights, optimizer.state_dict()), fh)


def load_checkpoint(path, model, optimizer):
    epoch, model_state, optimizer_state = torch.load(path, map_location="cpu")
    model.load_state_dict(model_state, strict=False)
    optimizer.load_state_dict(optimizer_state)
    return int(epoch)
