def sigmoid_focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="mean"):
    log_p, log_1mp = F.logsigmoid(logits), F.logsigmoid(-logits)
    log_pt = torch.where(targets > 0.5, log_p, log_1mp)
    loss = -(1 - log_pt.exp()) ** gamma * log_pt
    if alpha >= 0:
        loss = loss * torch.where(targets > 0.5, torch.full_like(logits, alpha), torch.full_like(logits, 1 - alpha))
    return {"none": lambda: loss, "mean": loss.mean, "sum": loss.sum}[reduction]()
