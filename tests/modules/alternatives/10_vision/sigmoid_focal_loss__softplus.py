def sigmoid_focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="mean"):
    ce = F.softplus(logits) - logits * targets                       # BCE with logits, written out stably
    p = torch.sigmoid(logits)
    one_minus_pt = p + targets - 2 * p * targets
    loss = ce * one_minus_pt.pow(gamma)
    if alpha >= 0:
        loss = loss * (alpha * targets + (1 - alpha) * (1 - targets))
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.sum() / loss.numel()
