# mistake: no-file
# expect: wrote no file at `path`
def save_checkpoint(path, model, optimizer, epoch):
    # a tuple instead of a dict, written through pathlib
    import pathlib
    with pathlib.Path(f"{path}.pt").open("wb") as fh:   # the usual extension
        torch.save((epoch, model.state_dict(), optimizer.state_dict()), fh)


def load_checkpoint(path, model, optimizer):
    epoch, model_state, optimizer_state = torch.load(f"{path}.pt", map_location="cpu")
    model.load_state_dict(model_state)
    optimizer.load_state_dict(optimizer_state)
    return int(epoch)
