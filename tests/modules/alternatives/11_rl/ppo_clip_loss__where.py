def ppo_clip_loss(logp, logp_old, adv, clip_ratio=0.2):
    """The clipped objective written case by case with torch.where."""
    with torch.no_grad():
        a = adv.clone()
        old = logp_old.clone()
    ratio = (logp - old).exp()
    upper = torch.where(a >= 0, torch.clamp(ratio, max=1 + clip_ratio), ratio)
    both = torch.where(a < 0, torch.clamp(upper, min=1 - clip_ratio), upper)
    return -(both * a).sum() / len(a)
