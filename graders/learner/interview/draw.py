"""Mock interviews: N exercises drawn across skill areas into one session notebook.

``python -m graders interview --n 5 --seed 7`` draws from every module that loads (seeded: a seed gives the
same interview again) and writes ``interviews/interview-<time>-seed<seed>.ipynb``: per exercise its task
statement (the lesson cut to its **Task.** part), the stub answer cell of the *released* notebook and a
``check("<id>")`` cell; each module's setup cell once; the start time, the draw and the module versions in
the metadata. The learner's ``exercises/`` are never read or written. An exercise whose reference calls
another exercise's function (06's ``fit`` calls ``train_epoch``) is drawn with it, so that it can pass.
Grading, timing and the notebook's check() are in :mod:`graders.learner.interview.report`.
"""
from __future__ import annotations

import ast
import copy
import os
import random
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from graders.engine import registry
from graders.engine.notebook import METADATA_KEY, SETUP_TAG, nbgrader_meta, submission_from_notebook
from graders.engine.paths import INTERVIEWS, ROOT
from graders.engine.results import total
from graders.learner import history

PREFIX = "interview-"          # never a module number first: the engine would take the name for a module id
CHECK_SOURCE = 'check("{id}")'
WIRING = '''# Interview checks: run this cell once. check("<exercise>") grades one exercise with the grader of
# `make grade` and is timed for your report; check() grades everything so far. No hints in an interview.
from graders.learner.interview.report import connect

check = connect("{name}")'''


class InterviewError(Exception):
    """Bad options or not an interview notebook; the message is for the learner."""


@dataclass(frozen=True, eq=False)
class Entry:
    """One exercise as an interview question."""

    module: str
    id: str
    area: str                      # the module's skill area (math, evaluation, ...)
    skill: str                     # the exercise's finer skill
    points: float
    heading: str                   # "`softmax(z, axis=-1)`: scores to probabilities"
    task: str                      # the lesson trimmed to its task statement
    stub: object                   # the released answer cell (a NotebookNode)
    requires: tuple[str, ...] = ()  # exercises of the same module its reference solution calls

    @property
    def key(self) -> tuple[str, str]:
        return self.module, self.id


@dataclass(frozen=True, eq=False)
class Source:
    spec: object                   # graders.engine.spec.Module
    setup: tuple                   # released setup cells
    entries: tuple[Entry, ...]
    kernelspec: dict


def default_dir() -> Path:
    """``interviews/`` in the checkout (git-ignored by its own .gitignore, visible to JupyterLab, which
    hides dot-folders such as .mlkata/); under the test home when a test did not choose a folder."""
    if os.environ.get("PYTEST_CURRENT_TEST"):
        return history.home() / "interviews"
    return INTERVIEWS


def catalog(module_ids=None) -> tuple[list[Source], list[str]]:
    """Every module that loads and has a source notebook, as interview questions; plus the skipped ids."""
    from graders.engine.paths import SOLUTIONS
    from graders.engine.release import release_notebook  # nbgrader: slow import, needed only here

    sources, skipped = [], []
    for module_id in module_ids or registry.module_ids():
        try:
            spec = registry.load(module_id)
            with open(SOLUTIONS / f"{module_id}.ipynb", encoding="utf-8") as fh:
                source_nb = nbformat.read(fh, as_version=4)
            sources.append(_module_source(spec, source_nb, release_notebook(source_nb)))
        except Exception:  # noqa: BLE001 - a module being written must not stop an interview of the others
            skipped.append(module_id)
    return sources, skipped


def _module_source(spec, source_nb, released) -> Source:
    from graders.engine.live import defined_names

    graded = {ex.id: ex for ex in spec.exercises}
    reference = dict(submission_from_notebook(source_nb).answers)
    lesson, found = [], []
    for cell in released.cells:
        if cell.cell_type == "markdown":
            lesson.append(cell.source)
            continue
        grade_id = nbgrader_meta(cell).get("grade_id")
        if nbgrader_meta(cell).get("solution") and grade_id in graded:
            found.append((grade_id, cell, *trim_lesson(lesson)))
            lesson = []
    defines = {gid: defined_names(cell.source, api_only=True) for gid, cell, *_ in found}
    entries = []
    for gid, cell, heading, task in found:
        used = _used_names(reference.get(gid, ""))
        requires = tuple(other for other in defines if other != gid and defines[other] & used)
        ex = graded[gid]
        entries.append(Entry(spec.id, gid, spec.skill, ex.skill or spec.skill, ex.points, heading, task, cell,
                             requires))
    setup = tuple(c for c in released.cells if SETUP_TAG in (c.metadata.get("tags") or []))
    return Source(spec, setup, tuple(entries), dict(released.metadata.get("kernelspec") or {}))


def _used_names(source: str) -> set[str]:
    try:
        return {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)}
    except SyntaxError:
        return set()


def trim_lesson(markdown: list[str]) -> tuple[str, str]:
    """(heading, task) from the markdown above an answer cell: its last ``#`` section, cut to "**Task.**"."""
    start = max((i for i, text in enumerate(markdown) if text.lstrip().startswith("#")), default=0)
    text = "\n\n".join(markdown[start:]).strip()
    heading, _, body = text.partition("\n")
    if not heading.startswith("#"):
        heading, body = "", text
    at = body.find("**Task.**")
    return re.sub(r"^#+\s*(\d+\.\s*)?", "", heading).strip(), (body[at:] if at >= 0 else body).strip()


def _norm(text: str) -> str:
    return re.sub(r"[-_\s]+", " ", str(text)).strip().lower()


def select(sources: list[Source], skills) -> list[Entry]:
    """The exercises the ``--skills`` tokens name: a skill area, a module id, or a finer skill."""
    entries = [e for s in sources for e in s.entries]
    tokens = [_norm(t) for t in (skills or []) if _norm(t)]
    if not tokens:
        return entries

    def names(e: Entry) -> set[str]:
        return {_norm(e.area), _norm(e.skill), _norm(e.module), _norm(e.module[3:])}

    unknown = [t for t in tokens if not any(t in names(e) for e in entries)]
    if unknown:
        known = sorted({e.area for e in entries} | {e.skill for e in entries})
        raise InterviewError(f"unknown skill {', '.join(map(repr, unknown))}; choose among: {', '.join(known)} "
                             f"(or a module id: {', '.join(s.spec.id for s in sources)})")
    return [e for e in entries if names(e) & set(tokens)]


def draw(sources: list[Source], n: int, skills=None, seed: int = 0) -> list[Entry]:
    """Round robin over the skill areas in a seeded order, a seeded shuffle within each: the same seed and
    modules give the same interview. Prerequisites come first, and an exercise whose prerequisites would
    overflow ``n`` (or whose id is already drawn from another module) is passed over."""
    if n < 1:
        raise InterviewError("an interview needs at least one exercise (--n 1 or more)")
    rng = random.Random(seed)
    pool = select(sources, skills)
    by_key = {e.key: e for s in sources for e in s.entries}
    areas = list(dict.fromkeys(e.area for e in pool))
    queues = {a: [e for e in pool if e.area == a] for a in areas}
    for area in areas:
        rng.shuffle(queues[area])
    rng.shuffle(areas)
    chosen: list[Entry] = []
    while len(chosen) < n and any(queues.values()):
        for area in areas:
            while queues[area] and len(chosen) < n:
                unit = [e for e in _with_prerequisites(queues[area].pop(), by_key) if e not in chosen]
                taken = {e.id for e in chosen}
                if unit and len(chosen) + len(unit) <= n and not any(e.id in taken for e in unit):
                    chosen += unit
                    break
    return chosen


def _with_prerequisites(entry: Entry, by_key: dict, seen=None) -> list[Entry]:
    seen = set() if seen is None else seen
    seen.add(entry.key)
    out: list[Entry] = []
    for other in entry.requires:
        if (entry.module, other) in by_key and (entry.module, other) not in seen:
            out += _with_prerequisites(by_key[(entry.module, other)], by_key, seen)
    return out + [entry]


def build_notebook(entries: list[Entry], sources: list[Source], name: str, *, seed: int, skills=(),
                   minutes: float = 45, started: str | None = None):
    """The session notebook (a new object; nothing is written). ``name``: its path as the learner sees it."""
    by_module = {s.spec.id: s for s in sources}
    used = list(dict.fromkeys(e.module for e in entries))
    started = started or history.now()
    nb = new_notebook()
    nb.metadata["kernelspec"] = by_module[used[0]].kernelspec if used else {}
    nb.metadata[METADATA_KEY] = {
        "interview": {"id": Path(name).stem, "seed": seed, "skills": list(skills or []), "minutes": minutes,
                      "started": started,
                      "exercises": [{"module": e.module, "id": e.id, "area": e.area, "skill": e.skill,
                                     "points": e.points} for e in entries]},
        "modules": [{"id": m, "version": by_module[m].spec.version} for m in used]}
    points = total(entries)
    cells = [new_markdown_cell(
        f"# Mock interview · {len(entries)} exercises · {minutes:g} minutes\n\n"
        f"Seed {seed}, started {started}. Work top to bottom: run the setup and the checks cell once, then for "
        f"each exercise fill its answer cell, run it, and run `check(...)` under it (each check is timed for "
        f"your report). The exercises total {points:g} points; the lessons are in `exercises/`.\n\n"
        f"When you are done or out of time, save (Ctrl-S) and run `make interview INTERVIEW_ARGS=\"--grade "
        f"{name}\"` (or `--finish` for the latest interview) for points, time per "
        f"exercise, strengths, gaps and what to study next.")]
    setup_by_source: dict[str, object] = {}
    for module_id in used:
        for cell in by_module[module_id].setup:
            if cell.source in setup_by_source:           # the same setup in two modules runs once
                setup_by_source[cell.source].metadata[METADATA_KEY]["modules"].append(module_id)
                continue
            cell = _tagged(copy.deepcopy(cell), {"modules": [module_id]}, locked=True)
            setup_by_source[cell.source] = cell
            cells.append(cell)
    cells.append(_tagged(new_code_cell(WIRING.format(name=Path(name).name)), {"role": "wiring"}, locked=True))
    for number, e in enumerate(entries, 1):
        cells.append(new_markdown_cell(f"## {number}. {e.heading or '`' + e.id + '`'}\n\n*{e.area}"
                                       f"{' › ' + e.skill if e.skill != e.area else ''} · {e.points:g} points · "
                                       f"lesson: `exercises/{e.module}.ipynb`*\n\n{e.task}"))
        cells.append(_tagged(copy.deepcopy(e.stub), {"module": e.module}))
        cells.append(_tagged(new_code_cell(CHECK_SOURCE.format(id=e.id)), {"role": "check"}, locked=True))
    cells.append(new_markdown_cell(f"## Done?\n\nSave, then `make interview INTERVIEW_ARGS=\"--grade "
                                   f"{name}\"`."))
    for index, cell in enumerate(cells):        # unique, stable ids (copied cells may share one)
        cell["id"] = f"c{index:03d}"
    nb.cells = cells
    return nb


def _tagged(cell, meta: dict, locked: bool = False):
    cell.metadata[METADATA_KEY] = meta
    if locked:      # JupyterLab honours these: the learner edits answers, not the scaffolding
        cell.metadata.update(editable=False, deletable=False)
    return cell


def create(n: int = 5, skills=None, seed: int | None = None, minutes: float = 45,
           out: str | Path | None = None) -> tuple[Path, list[Entry], list[str]]:
    """Draw and write a new session notebook; returns (path, exercises, modules skipped)."""
    from graders.engine.paths import EXERCISES, SOLUTIONS

    folder = Path(out) if out is not None else default_dir()
    for protected in (EXERCISES, SOLUTIONS):
        if folder.resolve().is_relative_to(protected.resolve()):
            raise InterviewError(f"interview notebooks never go into {protected.name}/: choose another --out")
    seed = random.SystemRandom().randrange(1, 10_000) if seed is None else int(seed)
    sources, skipped = catalog()
    entries = draw(sources, n, skills, seed)
    if not entries:
        raise InterviewError("no exercise to draw: no module grader could be loaded")
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / ".gitignore").exists():
        (folder / ".gitignore").write_text("# mock interviews stay on your machine\n*\n", encoding="utf-8")
    stem, suffix = f"{PREFIX}{datetime.now():%Y%m%d-%H%M%S}-seed{seed}", 1
    path = folder / f"{stem}.ipynb"
    while path.exists():                        # never overwrite an earlier session
        suffix += 1
        path = folder / f"{stem}-{suffix}.ipynb"
    shown = path.relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path.resolve()
    nb = build_notebook(entries, sources, str(shown), seed=seed, skills=skills, minutes=minutes)
    nbformat.validate(nb)
    with open(path, "x", encoding="utf-8") as fh:
        nbformat.write(nb, fh)
    history.safe_append([{"event": "interview", "action": "start", "interview": path.stem, "notebook": str(path),
                          "seed": seed, "exercises": [f"{e.module}/{e.id}" for e in entries]}])
    return path, entries, skipped

