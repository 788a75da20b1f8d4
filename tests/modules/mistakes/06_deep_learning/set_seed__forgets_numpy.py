# mistake: numpy-not-seeded
# expect: np.random.seed(seed)
def set_seed(seed):
    random.seed(seed)
    torch.manual_seed(seed)
