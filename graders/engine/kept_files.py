"""Big generated files kept on the grading machine between grading runs, so a cold grade copies them instead of
making them again (07's 20-million-row Parquet file: 2.4 CPU-s to write, 0.06 s to copy).

A file is kept in the learner's private folder (``.mlkata/files``), which the box never shows, under a name
made from its *recipe*: everything that decides its bytes (the caller's seeds and sizes, a digest of the code
that writes it, the libraries' versions). What the maker returned (e.g. the exact sums it counted while
writing, which are hidden) is kept beside it as JSON. Each grading process gets its own *copy* at the path
it asked for, so nothing done to that copy (by learner code run without the box) reaches the kept file; a
kept file changed or cut short since it was kept (its size or modification time differ) is made afresh.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from . import paths

FOLDER = "files"
DIGEST = 24                      # hex digits of the recipe's digest in a kept file's name


def kept(dest: str | os.PathLike, name: str, recipe, make: Callable[[str], dict]) -> dict:
    """Write the file ``dest`` that ``make(path)`` writes at ``path`` and return what ``make`` returns (a
    JSON-able dict): from the kept copy of an earlier run with the same ``recipe`` when there is a sound one,
    else by calling ``make``, then keeping its file for the next run. ``name`` says which file it is among all
    that are kept (the module's id first); a new recipe replaces the file kept under that name. ``dest``
    appears all at once (written beside it, then renamed); a home that cannot be written only means making
    the file again next time."""
    dest = Path(dest)
    digest = hashlib.sha256(repr(recipe).encode()).hexdigest()[:DIGEST]
    keep = paths.home() / FOLDER / f"{name}-{digest}{dest.suffix}"
    about = keep.with_name(keep.name + ".json")
    part = dest.with_name(dest.name + ".part")
    made = _sound(keep, about)
    if made is not None:
        try:
            shutil.copyfile(keep, part)
        except OSError:
            made = None
    if made is None:
        made = make(str(part))
        _keep(part, keep, about, made, re.compile(re.escape(name) + f"-[0-9a-f]{{{DIGEST}}}" + re.escape(dest.suffix)))
    os.replace(part, dest)
    return made


def _sound(keep: Path, about: Path) -> dict | None:
    """What was kept with ``keep``, if the file is still the one that was kept."""
    try:
        with open(about, encoding="utf-8") as fh:
            record = json.load(fh)
        st = os.stat(keep)
        if [st.st_size, st.st_mtime_ns] == record["stamp"]:
            return record["made"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _keep(made_file: Path, keep: Path, about: Path, made: dict, same_name: re.Pattern) -> None:
    """Copy ``made_file`` to ``keep`` and write its record; the file's older recipes are removed (a changed
    generator or library makes them useless, and the files are large)."""
    try:
        keep.parent.mkdir(parents=True, exist_ok=True)
        for old in keep.parent.iterdir():
            if old != keep and same_name.fullmatch(old.name):
                old.unlink(missing_ok=True)
                old.with_name(old.name + ".json").unlink(missing_ok=True)
        tmp = keep.with_name(f"{keep.name}.{os.getpid()}.tmp")
        shutil.copyfile(made_file, tmp)
        os.replace(tmp, keep)
        st = os.stat(keep)
        record = json.dumps({"stamp": [st.st_size, st.st_mtime_ns], "made": made})
        tmp_about = about.with_name(f"{about.name}.{os.getpid()}.tmp")
        tmp_about.write_text(record, encoding="utf-8")
        os.replace(tmp_about, about)     # the record last: a record always describes a whole kept file
    except OSError:
        pass


def code_digest(*files: str | os.PathLike) -> str:
    """A digest of source files, for a recipe: a change to the code that writes a file makes it anew."""
    h = hashlib.sha256()
    for file in files:
        h.update(Path(file).read_bytes())
    return h.hexdigest()
