# mistake: blocked-call
# expect: implement it yourself
def integrated_gradients(model, x, baseline, target, n_steps=50):
    from captum.attr import IntegratedGradients
    return IntegratedGradients(model).attribute(x, baselines=baseline, target=target, n_steps=n_steps,
                                                method="riemann_middle")
