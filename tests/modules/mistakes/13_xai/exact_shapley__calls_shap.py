# mistake: blocked-call
# expect: implement it yourself
def exact_shapley(f, x, background):
    import shap
    explainer = shap.explainers.Exact(f, shap.maskers.Independent(background, max_samples=len(background)))
    return explainer(np.asarray(x, dtype=float)[None]).values[0]
