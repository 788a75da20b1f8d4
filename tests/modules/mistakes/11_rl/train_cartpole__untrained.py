# mistake: no-training
# expect: never stepped
def train_cartpole(env, seed=0):
    return lambda obs: int(obs[2] > 0)          # a hand-made rule, no training
