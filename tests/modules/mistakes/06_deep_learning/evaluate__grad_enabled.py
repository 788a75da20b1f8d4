# mistake: grad-enabled
# expect: torch.no_grad()
def evaluate(model, loader, loss_fn):
    model.eval()
    total, correct, count = 0.0, 0, 0
    for xb, yb in loader:
        out = model(xb)
        total += loss_fn(out, yb).item() * len(xb)
        correct += (out.argmax(1) == yb).sum().item()
        count += len(xb)
    return total / count, correct / count
