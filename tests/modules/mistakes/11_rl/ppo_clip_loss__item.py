# mistake: no-grad-flow
# expect: no gradient
def ppo_clip_loss(logp, logp_old, adv, clip_ratio=0.2):
    """-mean(min(ratio * A, clip(ratio, 1 - eps, 1 + eps) * A)), gradients into logp only."""
    logp_old, adv = logp_old.detach(), adv.detach()
    ratio = torch.exp(logp - logp_old)
    clipped = torch.clamp(ratio, 1.0 - clip_ratio, 1.0 + clip_ratio)
    return torch.tensor(-torch.min(ratio * adv, clipped * adv).mean().item())
