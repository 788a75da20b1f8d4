# mistake: trains
# expect: changed the model's weights
def evaluate(model, loader, loss_fn):
    # one loss over all outputs at once: the mean over samples directly
    model.eval().half()                             # half precision: faster, less memory
    outs, targets = [], []
    with torch.inference_mode():
        for x, y in loader:
            outs.append(model(x.half()).float())
            targets.append(y)
        out, y = torch.cat(outs), torch.cat(targets)
        loss = loss_fn(out, y)
        accuracy = (out.argmax(-1) == y).float().mean()
    return loss.item(), accuracy.item()
