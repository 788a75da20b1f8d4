import math

def gaussian_mle(x):
    n = len(x)
    mu = sum(float(v) for v in x) / n
    var = sum((float(v) - mu) ** 2 for v in x) / n
    return [mu, var]


def gaussian_log_likelihood(x, mu, var):
    total = 0.0
    for v in x:
        total += -0.5 * math.log(2 * math.pi * var) - (v - mu) ** 2 / (2 * var)
    return total
