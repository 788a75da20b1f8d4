"""Copies the released notebooks (../exercises/*.ipynb, nbgrader's student version) into the wheel."""
import os
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

# MLKATA_EXERCISES: where the released notebooks are when the client is built from a copy (the tests do)
EXERCISES = Path(os.environ.get("MLKATA_EXERCISES") or Path(__file__).resolve().parent.parent / "exercises")


class WithNotebooks(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "mlkata_client" / "notebooks"
        target.mkdir(parents=True, exist_ok=True)
        for notebook in sorted(EXERCISES.glob("[0-9][0-9]_*.ipynb")):
            shutil.copy2(notebook, target / notebook.name)


setup(cmdclass={"build_py": WithNotebooks})
