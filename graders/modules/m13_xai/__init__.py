"""13_xai: explainable and trustworthy ML (permutation importance, Shapley values, partial dependence,
integrated gradients, Grad-CAM, counterfactuals, MDI, fairness slices)."""
