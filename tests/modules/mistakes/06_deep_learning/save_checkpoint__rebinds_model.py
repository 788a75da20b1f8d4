# mistake: weights-not-loaded
# expect: load into the model you are given
def save_checkpoint(path, model, optimizer, epoch):
    torch.save({"model": copy.deepcopy(model), "optimizer": optimizer.state_dict(), "epoch": epoch}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=False)
    model = checkpoint["model"]
    optimizer.load_state_dict(checkpoint["optimizer"])
    return checkpoint["epoch"]
