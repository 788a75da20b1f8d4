# mistake: unweighted-accuracy
# expect: averages the per-batch accuracies
def evaluate(model, loader, loss_fn):
    model.eval()
    total, n, accuracies = 0.0, 0, []
    with torch.no_grad():
        for x, y in loader:
            out = model(x)
            total += loss_fn(out, y).item() * len(y)
            n += len(y)
            accuracies.append((out.argmax(1) == y).float().mean().item())
    return total / n, sum(accuracies) / len(accuracies)
