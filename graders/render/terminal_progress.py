"""``make progress`` in the terminal: mastery per module and per skill, as tables with bars.

Reads a ``graders.learner.progress.Progress`` (duck-typed: the renderers import only the engine).
"""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .terminal import text_bar


def print_progress(progress, console: Console | None = None) -> None:
    console = console or Console()
    if not progress.events:
        console.print("No grades recorded yet: run `make grade`, or check() in a notebook. Everything starts at 0.")
    table = Table(title="Mastery per module", title_justify="left")
    for column in ("Module", "Skill", "Points", "Passed", "Mastery"):
        table.add_column(column, justify="right" if column in ("Points", "Passed") else "left", no_wrap=True)
    for m in progress.modules:
        table.add_row(m.id, m.skill, f"{m.points:g}/{m.max_points:g}", f"{m.passed}/{len(m.exercises)}",
                      text_bar(m.points, m.max_points))
    console.print(table)
    skills = Table(title="Mastery per skill", title_justify="left")
    skills.add_column("Skill", no_wrap=True)
    skills.add_column("Points", justify="right", no_wrap=True)
    skills.add_column("Mastery", no_wrap=True)
    for area, sub, points, max_points in progress.skill_rows():
        skills.add_row(area if sub is None else f"  › {sub}", f"{points:g}/{max_points:g}",
                       text_bar(points, max_points))
    console.print(skills)
    for module_id in progress.skipped:
        console.print(f"note: the grader of {module_id} could not be loaded; it is left out")
