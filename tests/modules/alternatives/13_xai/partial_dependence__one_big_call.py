import pandas as pd


def partial_dependence(predict, X, feature, grid):
    """Every (grid value, row) pair in one stacked array and one call of predict (pandas for the reshape)."""
    X = np.asarray(X, dtype=float)
    n, G = len(X), len(grid)
    stacked = np.tile(X, (G, 1))
    stacked[:, feature] = np.repeat(np.asarray(grid, dtype=float), n)
    frame = pd.DataFrame({"k": np.repeat(np.arange(G), n), "i": np.tile(np.arange(n), G), "p": predict(stacked)})
    ice = frame.pivot(index="i", columns="k", values="p").to_numpy()
    return ice.mean(axis=0), ice
