"""Big generated files kept on the grading machine between grading runs, so a cold grade copies them instead of
making them again (07's 20-million-row Parquet file: 2.4 CPU-s to write, 0.06 s to copy).

A file is kept in the learner's private folder (``.mlkata/files``), which the box never shows, under a name
made from its *recipe*: everything that decides its bytes (the caller's seeds and sizes, a digest of the code
that writes it, the libraries' versions). What the maker returned (e.g. the exact sums it counted while
writing, which are hidden) is kept beside it as JSON. Each grading process gets its own *copy* at the path
it asked for, so nothing done to that copy (by learner code run without the box) reaches the kept file; a
kept file changed or cut short since it was kept (its size or modification time differ) is made afresh.

:func:`kept` does all of that for a file Python writes; :func:`location`, :func:`sound` and :func:`vouch` are
its steps, for a file another program writes and reads where it is kept (07's JVM class archive).
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
    keep = location(name, recipe, dest.suffix)
    part = dest.with_name(dest.name + ".part")
    made = sound(keep)
    if made is not None:
        try:
            shutil.copyfile(keep, part)
        except OSError:
            made = None
    if made is None:
        made = make(str(part))
        try:
            keep.parent.mkdir(parents=True, exist_ok=True)
            tmp = keep.with_name(f"{keep.name}.{os.getpid()}.tmp")
            shutil.copyfile(part, tmp)
            os.replace(tmp, keep)
            vouch(keep, name, made)
        except OSError:
            pass                         # a home that cannot be written: made again next time
    os.replace(part, dest)
    return made


def location(name: str, recipe, suffix: str, folder: str = FOLDER) -> Path:
    """Where the file ``name`` made by ``recipe`` is kept (whether or not it is there yet); ``folder`` is a
    folder of the learner's private one."""
    digest = hashlib.sha256(repr(recipe).encode()).hexdigest()[:DIGEST]
    return paths.home() / folder / f"{name}-{digest}{suffix}"


def sound(keep: Path) -> dict | None:
    """What was kept with ``keep`` if the file is still the one :func:`vouch` vouched for, else None."""
    try:
        with open(_record(keep), encoding="utf-8") as fh:
            record = json.load(fh)
        st = os.stat(keep)
        if [st.st_size, st.st_mtime_ns] == record["stamp"]:
            return record["made"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def vouch(keep: Path, name: str, made: dict) -> None:
    """Record that ``keep``, now whole, is the file ``name`` (and ``made``, what making it returned); other
    recipes of ``name`` are removed (a changed generator or library makes them useless, and they are large).
    Raises OSError where the home cannot be written."""
    prune(keep, name)
    st = os.stat(keep)
    tmp = _record(keep).with_name(f"{_record(keep).name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"stamp": [st.st_size, st.st_mtime_ns], "made": made}), encoding="utf-8")
    os.replace(tmp, _record(keep))     # the record last: a record always describes a whole kept file


def prune(keep: Path, name: str) -> None:
    """Remove what is kept under ``name`` for other recipes than ``keep``'s (and their records): exact names
    only, so another name that starts with this one keeps its files. Raises OSError as ``os.unlink`` does."""
    same_name = re.compile(re.escape(name) + f"-[0-9a-f]{{{DIGEST}}}" + re.escape(keep.suffix))
    for old in keep.parent.iterdir():
        if old != keep and same_name.fullmatch(old.name):
            old.unlink(missing_ok=True)
            _record(old).unlink(missing_ok=True)


def _record(keep: Path) -> Path:
    return keep.with_name(keep.name + ".json")


def code_digest(*files: str | os.PathLike) -> str:
    """A digest of source files, for a recipe: a change to the code that writes a file makes it anew."""
    h = hashlib.sha256()
    for file in files:
        h.update(Path(file).read_bytes())
    return h.hexdigest()
