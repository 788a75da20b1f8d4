# mistake: random-not-seeded
# expect: random.seed(seed)
def set_seed(seed):
    np.random.seed(seed)
    torch.manual_seed(seed)
