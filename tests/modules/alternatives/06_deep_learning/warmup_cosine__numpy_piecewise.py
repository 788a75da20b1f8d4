def warmup_cosine(step, total_steps, warmup_steps, base_lr, min_lr=0.0):
    # one clipped progress value and the cos^2 identity: (1 + cos(pi p)) / 2 = cos(pi p / 2)^2
    if warmup_steps > 0 and step < warmup_steps:
        return float(base_lr * step / warmup_steps)
    progress = np.clip((step - warmup_steps) / max(total_steps - warmup_steps, 1), 0.0, 1.0)
    return float(min_lr + (base_lr - min_lr) * np.cos(np.pi * progress / 2) ** 2)
