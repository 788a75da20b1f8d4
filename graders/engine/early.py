"""The sandbox parent of a one-notebook grade, started before the grading process imports its own libraries.

A cold ``make grade NB=...`` spends its first 0.2-0.3 s importing what grading itself needs (numpy for the
judges, nbformat and jsonschema to read the notebook) before :meth:`Grader.launch_early` starts the sandbox
parent, whose imports (torch and the rest, 1-3 s) are then the longest wait of the grade in most modules.
Started here, first thing, it imports while all of that happens: the notebook's module is read with ``json``
alone, its libraries from the spec's source (``registry.declared_preload``), and the :class:`Grader` the
command builds adopts it as its own.
"""
from __future__ import annotations

from pathlib import Path

from . import registry
from .notebook import declared_module
from .paths import DATASETS, grader_files
from .sandbox import Zygote


def sandbox_parent(preload, box: bool | None = None) -> Zygote:
    """The learners' sandbox parent as every :class:`Grader` makes it: ``preload`` imported, the datasets and
    the grader's files shown read-only."""
    return Zygote(preload, box=box, data=(DATASETS, grader_files()))


def start_sandbox_parent(path: str | Path) -> Zygote | None:
    """Launch (without waiting) the sandbox parent the notebook at ``path`` will need, as ``Grader()``
    makes its own; None when its module or libraries cannot be told this way (the grader then starts one
    as usual)."""
    module = declared_module(path)
    preload = registry.declared_preload(module) if module else None
    if not preload:
        return None
    zygote = sandbox_parent(preload)
    try:
        zygote.launch()
    except OSError:
        return None
    return zygote
