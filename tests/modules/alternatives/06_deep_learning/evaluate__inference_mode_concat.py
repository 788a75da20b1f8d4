def evaluate(model, loader, loss_fn):
    # one loss over all outputs at once: the mean over samples directly
    model.eval()
    outs, targets = [], []
    with torch.inference_mode():
        for x, y in loader:
            outs.append(model(x))
            targets.append(y)
        out, y = torch.cat(outs), torch.cat(targets)
        loss = loss_fn(out, y)
        accuracy = (out.argmax(-1) == y).float().mean()
    return loss.item(), accuracy.item()
