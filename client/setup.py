"""Copies the released notebooks (../exercises/*.ipynb, nbgrader's student version) and the public data
sets their setup cells import (../datasets: seeded generators and the shipped CSV) into the wheel."""
import os
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

# MLKATA_EXERCISES: where the released notebooks are when the client is built from a copy (the tests do)
EXERCISES = Path(os.environ.get("MLKATA_EXERCISES") or Path(__file__).resolve().parent.parent / "exercises")
DATASETS = EXERCISES.parent / "datasets"
DATA_FILES = ("__init__.py", "listings.py", "shop.py", "listings.csv", "README.md")


class WithNotebooks(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "mlkata_client" / "notebooks"
        target.mkdir(parents=True, exist_ok=True)
        for notebook in sorted(EXERCISES.glob("[0-9][0-9]_*.ipynb")):
            shutil.copy2(notebook, target / notebook.name)
        data = Path(self.build_lib) / "datasets"
        data.mkdir(parents=True, exist_ok=True)
        for name in DATA_FILES:
            shutil.copy2(DATASETS / name, data / name)


setup(cmdclass={"build_py": WithNotebooks})
