"""A graded mock interview in the terminal: points and time per exercise, strengths and gaps per skill.

Reads a ``graders.learner.interview.report.InterviewReport`` (duck-typed: the renderers import only
the engine).
"""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from graders.engine.results import Status

from .terminal import STYLE, text_bar

VERDICT_STYLE = {"strength": "green", "partial": "yellow", "gap": "red"}


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def print_interview(report, console: Console | None = None) -> None:
    console = console or Console()
    over = ""
    if report.elapsed_seconds is not None and report.minutes and report.elapsed_seconds > report.minutes * 60:
        over = "  (over time)"
    console.print(Text(f"Interview {report.id} · seed {report.seed} · {report.points:g}/{report.max_points:g} points"
                       f" · {duration(report.elapsed_seconds)} of {report.minutes:g}:00{over}", style="bold"))
    for error in report.errors:
        console.print(Text(f"✗ {error}", style="red"))
    table = Table(title="Points and time per exercise", title_justify="left")
    for column in ("#", "Exercise", "Skill", "Points", "Status", "Time"):
        table.add_column(column, no_wrap=True, justify="right" if column in ("#", "Points", "Time") else "left")
    for number, line in enumerate(report.exercises, 1):
        label, style = STYLE[Status(line.status)]
        table.add_row(str(number), line.id, line.area, f"{line.points:g}/{line.max_points:g}", Text(label, style=style),
                      duration(line.seconds))
    console.print(table)
    for number, line in enumerate(report.exercises, 1):
        if line.feedback and line.status != Status.NOT_ATTEMPTED.value:
            console.print(Text(f"{number}. {line.id}:", style="bold"))
            for text in line.feedback[:3]:
                console.print(Text(f"   • {text}"))
    skills = Table(title="Strengths and gaps per skill", title_justify="left")
    for column in ("Skill", "Points", "Score", "Verdict"):
        skills.add_column(column, no_wrap=True)
    for s in report.skills:
        skills.add_row(s.area, f"{s.points:g}/{s.max_points:g}", text_bar(s.points, s.max_points),
                       Text(s.verdict, style=VERDICT_STYLE[s.verdict]))
    console.print(skills)
    strengths = [s.area for s in report.skills if s.verdict == "strength"]
    gaps = [s.area for s in report.skills if s.verdict == "gap"]
    console.print(f"Strengths: {', '.join(strengths) or 'none yet'}")
    console.print(f"Gaps: {', '.join(gaps) or 'none'}")
    console.print(Text(f"Next: {report.advice}", style="bold"))
    console.print("Time per exercise: from its first passing check (or last attempt) to the one before it; "
                  "'—' = never attempted.")
