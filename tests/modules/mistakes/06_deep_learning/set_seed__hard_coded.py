# mistake: seed-ignored
# expect: pass the `seed` argument on
def set_seed(seed):
    random.seed(42)
    np.random.seed(42)
    torch.manual_seed(42)
