"""``make reset MODULE=02_math``: a fresh exercise notebook, the learner's copy kept.

Order matters: the learner's file is copied to
``.mlkata/backups/<name>.<timestamp>.ipynb`` (the folder ``release.write_exercises``
uses) and the copy is verified byte for byte *before* the fresh notebook is
written. Nothing is deleted; a second reset in the same second gets its own
backup name.
"""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from graders.engine.paths import EXERCISES, SOLUTIONS
from graders.engine.release import release_notebook, render


class ResetError(Exception):
    """The reset cannot go ahead; the message is for the learner."""


@dataclass(frozen=True)
class ResetOutcome:
    notebook: Path
    backup: Path | None          # None when there was nothing to keep (no file, or already fresh)
    already_fresh: bool = False


def known_modules(solutions_dir: Path = SOLUTIONS) -> list[str]:
    return sorted(p.stem for p in solutions_dir.glob("*.ipynb"))


def backup_dir_for(exercises_dir: Path) -> Path:
    return exercises_dir.parent / ".mlkata" / "backups"


def backup(path: Path, backup_dir: Path) -> Path:
    """Copy ``path`` to a new dated file in ``backup_dir``; never overwrites an earlier backup."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target, n = backup_dir / f"{path.stem}.{stamp}.ipynb", 1
    while target.exists():
        n += 1
        target = backup_dir / f"{path.stem}.{stamp}-{n}.ipynb"
    shutil.copy2(path, target)
    if target.read_bytes() != path.read_bytes():
        raise ResetError(f"the backup {target} does not match {path}; nothing was changed")
    return target


def reset_module(module_id: str, solutions_dir: Path = SOLUTIONS, exercises_dir: Path = EXERCISES,
                 backup_dir: Path | None = None) -> ResetOutcome:
    module_id = (module_id or "").strip()
    known = known_modules(solutions_dir)
    if not module_id:
        raise ResetError(f"name the module to reset, e.g. `make reset MODULE={known[0] if known else '02_math'}` "
                         f"(modules: {', '.join(known) or 'none'})")
    module_id = Path(module_id).stem              # `exercises/02_math.ipynb` works too
    if module_id not in known:
        raise ResetError(f"there is no module {module_id!r} (modules: {', '.join(known) or 'none'}); "
                         "nothing was changed")
    with open(solutions_dir / f"{module_id}.ipynb", encoding="utf-8") as fh:
        fresh = render(release_notebook(nbformat.read(fh, as_version=4)))
    target = exercises_dir / f"{module_id}.ipynb"
    kept = None
    if target.exists():
        if target.read_text(encoding="utf-8", errors="replace") == fresh:
            return ResetOutcome(target, None, already_fresh=True)
        kept = backup(target, backup_dir or backup_dir_for(exercises_dir))
    exercises_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(fresh, encoding="utf-8")
    return ResetOutcome(target, kept)
