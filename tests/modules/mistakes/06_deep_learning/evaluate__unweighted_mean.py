# mistake: unweighted-mean
# expect: plain mean of the batch losses
def evaluate(model, loader, loss_fn):
    model.eval()
    losses, correct, count = [], 0, 0
    with torch.no_grad():
        for xb, yb in loader:
            out = model(xb)
            losses.append(loss_fn(out, yb).item())
            correct += (out.argmax(1) == yb).sum().item()
            count += len(xb)
    return sum(losses) / len(losses), correct / count
