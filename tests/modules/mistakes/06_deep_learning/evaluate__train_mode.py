# mistake: evaluate-train-mode
# expect: call model.eval() first
def evaluate(model, loader, loss_fn):
    total, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for xb, yb in loader:
            out = model(xb)
            total += loss_fn(out, yb).item() * len(xb)
            correct += (out.argmax(1) == yb).sum().item()
            count += len(xb)
    return total / count, correct / count
