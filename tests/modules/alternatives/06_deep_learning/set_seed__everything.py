def set_seed(seed):
    # the belt-and-braces version: also CUDA and hash seeding
    import os
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.random.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
