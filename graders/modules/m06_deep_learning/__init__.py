"""06_deep_learning: PyTorch from the inside (manual backprop, modules, training loops, layers)."""
