"""05_evaluation: metrics, validation, calibration, monitoring (graders and sandbox helpers)."""
