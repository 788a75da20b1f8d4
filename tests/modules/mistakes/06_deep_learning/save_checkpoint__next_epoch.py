# mistake: wrong-epoch
# expect: store the epoch as given
def save_checkpoint(path, model, optimizer, epoch):
    # a tuple instead of a dict, written through pathlib
    import pathlib
    with pathlib.Path(path).open("wb") as fh:
        torch.save((epoch + 1, model.state_dict(), optimizer.state_dict()), fh)


def load_checkpoint(path, model, optimizer):
    epoch, model_state, optimizer_state = torch.load(path, map_location="cpu")
    model.load_state_dict(model_state)
    optimizer.load_state_dict(optimizer_state)
    return int(epoch)
