"""Sandbox-side objects of 13_xai: models, scorers and tree arrays handed to learner code.

Nothing here knows an expected value: these are the *inputs* (a fitted-looking model, a
greater-is-better scorer, a prediction function, a plain copy of a tree's node arrays).
They are module-level classes so that they pickle into the sandbox by reference.
"""
from __future__ import annotations

import copy

import numpy as np


class LinearModel:
    """predict(X) = X @ coef + intercept (+ bend * tanh(x_0) * x_2, a non-linear term, when ``bend`` is set)."""

    def __init__(self, coef, intercept=0.0, bend=0.0):
        self.coef = np.asarray(coef, dtype=float)
        self.intercept = float(intercept)
        self.bend = float(bend)

    def fit(self, X, y=None):       # present so the object looks like an estimator; nothing to learn
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        out = X @ self.coef + self.intercept
        if self.bend:
            # an interaction of features 0 and 2: an importance is then not just coef * spread
            out = out + self.bend * np.tanh(X[:, 0]) * X[:, 2]
        return out


def neg_mse(model, X, y):
    """Greater-is-better scorer: minus the mean squared error."""
    return -float(np.mean((np.asarray(y, dtype=float) - model.predict(X)) ** 2))


def r2(model, X, y):
    """Greater-is-better scorer: the coefficient of determination."""
    y = np.asarray(y, dtype=float)
    resid = np.sum((y - model.predict(X)) ** 2)
    return float(1.0 - resid / np.sum((y - y.mean()) ** 2))


class Interactions:
    """f(X) = X @ a + sum_{i<j} C_ij x_i x_j + c * sin(X @ u): a callable on (n, d) arrays returning (n,)."""

    def __init__(self, a, C, c=0.0, u=None):
        self.a = np.asarray(a, dtype=float)
        self.C = np.triu(np.asarray(C, dtype=float), 1)
        self.c = float(c)
        self.u = np.zeros_like(self.a) if u is None else np.asarray(u, dtype=float)

    def __call__(self, X):
        X = np.asarray(X, dtype=float)
        if X.ndim != 2:
            raise ValueError(f"f takes a 2-D array (n, d), got an array of shape {X.shape}")
        return X @ self.a + np.einsum("ni,ij,nj->n", X, self.C, X) + self.c * np.sin(X @ self.u)


class TreeArrays:
    """A plain copy of a fitted sklearn tree's node arrays (what ``est.tree_`` exposes, nothing more)."""

    def __init__(self, children_left, children_right, feature, impurity, weighted_n_node_samples,
                 n_node_samples, n_features):
        self.children_left = np.array(children_left)
        self.children_right = np.array(children_right)
        self.feature = np.array(feature)
        self.impurity = np.array(impurity)
        self.weighted_n_node_samples = np.array(weighted_n_node_samples)
        self.n_node_samples = np.array(n_node_samples)
        self.n_features = int(n_features)
        self.node_count = len(self.children_left)

    def __repr__(self) -> str:
        return f"TreeArrays(node_count={self.node_count}, n_features={self.n_features})"


def tree_arrays(tree) -> TreeArrays:
    """The plain copy of ``est.tree_`` (used by the grader to build inputs)."""
    return TreeArrays(tree.children_left, tree.children_right, tree.feature, tree.impurity,
                      tree.weighted_n_node_samples, tree.n_node_samples, tree.n_features)


# ------------------------------------------------------------------ grad_cam: hooks left behind
def _hook_count(model) -> int:
    """Hooks registered on the model's modules (read without importing torch)."""
    count = 0
    for module in model.modules():
        for name in ("_forward_hooks", "_forward_pre_hooks", "_backward_hooks", "_backward_pre_hooks"):
            count += len(getattr(module, name, {}) or {})
    return count


def grad_cam_probe(ctx, target: str, cases):
    """Call ``grad_cam(model, layer, x, target)``; each observation also says how many hooks were left."""
    fn = ctx.lookup(target)
    out = []
    for i, (args, kwargs) in enumerate(cases):
        ctx.progress(i)
        args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)    # one deepcopy: layer stays inside model
        before = _hook_count(args[0])
        obs = ctx.observe(fn, args, kwargs)
        obs["hooks_left"] = _hook_count(args[0]) - before
        out.append(obs)
    return out
