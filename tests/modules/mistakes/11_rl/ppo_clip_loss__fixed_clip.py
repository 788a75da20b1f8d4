# mistake: clip-ratio-ignored
# expect: ignores `clip_ratio`
def ppo_clip_loss(logp, logp_old, adv, clip_ratio=0.2):
    """-mean(min(ratio * A, clip(ratio, 1 - eps, 1 + eps) * A)), gradients into logp only."""
    logp_old, adv = logp_old.detach(), adv.detach()
    ratio = torch.exp(logp - logp_old)
    clipped = torch.clamp(ratio, 0.8, 1.2)
    return -torch.min(ratio * adv, clipped * adv).mean()
