"""11_rl: reinforcement learning with numpy, torch and Gymnasium (graders and sandbox helpers)."""
