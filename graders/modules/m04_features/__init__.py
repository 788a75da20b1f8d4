"""Graders of module 04_features: data processing and feature engineering (pandas, scikit-learn)."""
