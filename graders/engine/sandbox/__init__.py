"""Running learner code out of the grading process (see DESIGN.md, "The grading pipeline")."""
from .client import CellRun, ProbeRun, Sandbox, SandboxUnavailable, Zygote

__all__ = ["CellRun", "ProbeRun", "Sandbox", "SandboxUnavailable", "Zygote"]
