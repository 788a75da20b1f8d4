"""The learner's terminal view of a grade, short enough to read on a fresh clone.

Per notebook: one summary line (points and how many exercises passed, are incorrect, are not
attempted), a table of the exercises that were attempted with their feedback, and one line naming
the ones not attempted yet. Every detail (each check's own message, every exercise) stays in the
``--json``, ``--html`` and ``--junit`` reports.
"""
from __future__ import annotations

import textwrap
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from graders.engine.paths import EXERCISES
from graders.engine.results import ExerciseResult, GradeReport, NotebookResult, Status

from .tally import tally as counts

STYLE = {Status.PASSED: ("passed", "green"), Status.INCORRECT: ("incorrect", "yellow"),
         Status.NOT_ATTEMPTED: ("not attempted", "dim"), Status.ERROR: ("error", "red"),
         Status.TIMEOUT: ("timeout", "red"), Status.GRADER_ERROR: ("grader error", "bold magenta"),
         Status.NOT_SCORED: ("not scored", "dim"),
         Status.SKIPPED: ("skipped", "dim")}


def _points(x: float) -> str:
    return f"{x:g}"


def shown_path(path: str) -> str:
    """The notebook's path relative to the working directory when it is inside it (shorter to read)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return path


def tally(exercises: Iterable[ExerciseResult]) -> Text:
    """ "3 passed · 1 incorrect · 6 not attempted" (plus errors / timeouts when there are any)."""
    text = Text()
    for i, (status, count, words) in enumerate(counts(exercises)):
        text.append(" · " if i else "")
        text.append(words, style=STYLE[status][1] if count else "dim")
    return text


def summary_line(nb: NotebookResult) -> Text:
    """ "02_math  40/100 points · 3 passed · 1 incorrect · 6 not attempted", plus the notebook's path
    when it is not the module's own notebook in exercises/ (a copy, a student's submission)."""
    line = Text()
    line.append(nb.module or "?", style="bold")
    line.append(f"  {_points(nb.points)}/{_points(nb.max_points)} points · ")
    line.append_text(tally(nb.exercises))
    if not nb.module or not _same_file(nb.path, EXERCISES / f"{nb.module}.ipynb"):
        line.append(f"  ({shown_path(nb.path)})", style="dim")
    return line


def _same_file(a, b) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def exercise_table(exercises: Sequence[ExerciseResult]) -> Table:
    """One row per exercise: points, status and (unless it passed) the feedback lines."""
    table = Table(show_lines=True, expand=True, padding=(0, 1))
    table.add_column("Exercise", no_wrap=True)
    table.add_column("Points", justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Feedback", ratio=1)
    for ex in exercises:
        label, style = STYLE[ex.status]
        feedback = "\n".join(f"• {line}" for line in ex.feedback) if ex.status is not Status.PASSED else ""
        table.add_row(ex.id, f"{_points(ex.points)}/{_points(ex.max_points)}", Text(label, style=style),
                      Text(feedback))
    return table


def not_attempted_line(exercises: Sequence[ExerciseResult], width: int) -> Text | None:
    """ "not attempted: a, b, c" in one line; a long list wraps under the names, not under the label."""
    names = [ex.id for ex in exercises if ex.status is Status.NOT_ATTEMPTED]
    if not names:
        return None
    label = "  not attempted: "
    return Text(textwrap.fill(", ".join(names), width=max(width, 40), initial_indent=label,
                              subsequent_indent=" " * len(label), break_long_words=False,
                              break_on_hyphens=False), style="dim")


def print_exercises(exercises: Sequence[ExerciseResult], console: Console) -> None:
    """The attempted exercises as a table, then one line naming the others."""
    attempted = [ex for ex in exercises if ex.status is not Status.NOT_ATTEMPTED]
    if attempted:
        console.print(exercise_table(attempted))
    line = not_attempted_line(exercises, console.width)
    if line is not None:
        console.print(line, no_wrap=True, overflow="ignore")     # wrapped above, with a hanging indent


def print_notebook(nb: NotebookResult, console: Console) -> None:
    if nb.error:
        console.print(Text(f"✗ {shown_path(nb.path)}: {nb.error}", style="red"))
        return
    console.print(summary_line(nb))
    print_exercises(nb.exercises, console)
    for note in nb.notes:
        console.print(Text(f"  note: {note}", style="yellow"))


def print_report(report: GradeReport, console: Console | None = None) -> None:
    console = console or Console()
    for i, nb in enumerate(report.notebooks):
        if i:
            console.print()
        print_notebook(nb, console)
    graded = [n for n in report.notebooks if not n.error]
    exercises = [ex for nb in graded for ex in nb.exercises]
    if len(graded) > 1:
        console.print()
        total = Text()
        total.append("Total", style="bold")
        total.append(f"  {_points(report.points)}/{_points(report.max_points)} points · ")
        console.print(total + tally(exercises))
    if any(ex.status is Status.NOT_ATTEMPTED for ex in exercises) and \
            all(ex.status in (Status.NOT_ATTEMPTED, Status.SKIPPED) for ex in exercises):
        console.print(Text("Nothing attempted yet: write an answer in a notebook (replace its `raise "
                           "NotImplementedError()`), save, and grade again."))


@contextmanager
def grading_progress(paths: Sequence[str], console: Console) -> Iterator[Callable[[NotebookResult], None]]:
    """A progress bar while notebooks are graded in the order given; yields the per-notebook callback.

    Transient (it is gone before the report prints) and only on a terminal: captured or piped
    output gets the report alone, with no control codes."""
    if not console.is_terminal or not paths:
        yield lambda result: None
        return
    names = [Path(p).name for p in paths]
    columns = (SpinnerColumn(), TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.description}", markup=False))
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(names[0], total=len(names))
        done = 0

        def graded(result: NotebookResult) -> None:
            nonlocal done
            done += 1
            progress.update(task, completed=done, description=names[done] if done < len(names) else "")

        yield graded


def print_watch(result: NotebookResult, changes: Sequence[str], when: str, console: Console | None = None) -> None:
    """Watch mode: the attempted exercises with their feedback, then what changed (last, so it stays in view).

    ``changes`` are the lines of ``graders.learner.watch.summary``: points first, then one per change."""
    console = console or Console()
    console.rule(f"{when}  {shown_path(result.path)}")
    if not result.error:
        print_exercises(result.exercises, console)
    for i, line in enumerate(changes):
        style = "red" if result.error or "✗" in line else "green" if "✓" in line else "bold" if i == 0 else ""
        console.print(Text(line, style=style))


def text_bar(points: float, max_points: float, width: int = 12) -> str:
    """A bar of block characters and a percentage, for tables of mastery."""
    fraction = points / max_points if max_points else 0.0
    filled = round(fraction * width)
    return "█" * filled + "░" * (width - filled) + f" {fraction * 100:3.0f}%"
