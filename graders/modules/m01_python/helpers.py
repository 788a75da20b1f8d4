"""Everything of 01_python that runs inside the sandbox, imported once by the sandbox parent.

The probes and data generators live in the ``sandbox_*`` files next to this one; none of them
imports a spec-side file (oracles, references and mistake variants stay in the grading process).
"""
from . import sandbox_basics, sandbox_config, sandbox_files, sandbox_git

__all__ = ["sandbox_basics", "sandbox_config", "sandbox_files", "sandbox_git"]
