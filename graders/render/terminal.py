"""The learner's terminal view: one table per notebook, feedback under each exercise."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from graders.engine.results import GradeReport, NotebookResult, Status

STYLE = {Status.PASSED: ("passed", "green"), Status.INCORRECT: ("incorrect", "yellow"),
         Status.NOT_ATTEMPTED: ("not attempted", "dim"), Status.ERROR: ("error", "red"),
         Status.TIMEOUT: ("timeout", "red"), Status.GRADER_ERROR: ("grader error", "bold magenta")}


def _points(x: float) -> str:
    return f"{x:g}"


def notebook_table(nb: NotebookResult) -> Table:
    title = f"{nb.module or '?'}  ·  {nb.path}  ·  {_points(nb.points)}/{_points(nb.max_points)} points"
    table = Table(title=title, title_justify="left", show_lines=True, expand=True)
    table.add_column("Exercise", no_wrap=True)
    table.add_column("Points", justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Feedback", ratio=1)
    for ex in nb.exercises:
        label, style = STYLE[ex.status]
        feedback = "\n".join(f"• {line}" for line in ex.feedback) if ex.status is not Status.PASSED else ""
        table.add_row(ex.id, f"{_points(ex.points)}/{_points(ex.max_points)}", Text(label, style=style),
                      Text(feedback))
    return table


def print_report(report: GradeReport, console: Console | None = None) -> None:
    console = console or Console()
    for nb in report.notebooks:
        if nb.error:
            console.print(Text(f"✗ {nb.path}: {nb.error}", style="red"))
            continue
        console.print(notebook_table(nb))
        for note in nb.notes:
            console.print(Text(f"  note: {note}", style="yellow"))
    graded = [n for n in report.notebooks if not n.error]
    if len(graded) > 1:
        console.print(Text(f"Total: {_points(report.points)}/{_points(report.max_points)} points", style="bold"))
