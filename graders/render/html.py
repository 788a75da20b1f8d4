"""Self-contained HTML: the grade report (``grade --html``), the inline check view and
the page shell the progress report uses.

No external CSS, JS or fonts (the report must open offline), and styles are inline
attributes so Jupyter's output sanitiser, which strips ``<style>`` blocks from
untrusted notebooks, keeps the colours. Only results are rendered: feedback text,
never a check's source or expected values.
"""
from __future__ import annotations

from html import escape

from graders.engine.results import ExerciseResult, GradeReport, NotebookResult, Status

from .tally import tally as counts

COLOURS = {Status.PASSED: "#1a7f37", Status.INCORRECT: "#9a6700", Status.NOT_ATTEMPTED: "#6e7781",
           Status.ERROR: "#cf222e", Status.TIMEOUT: "#cf222e", Status.GRADER_ERROR: "#8250df",
           Status.NOT_SCORED: "#6e7781", Status.SKIPPED: "#6e7781"}
LABELS = {Status.PASSED: "passed", Status.INCORRECT: "incorrect", Status.NOT_ATTEMPTED: "not attempted",
          Status.ERROR: "error", Status.TIMEOUT: "timeout", Status.GRADER_ERROR: "grader error",
          Status.NOT_SCORED: "not scored",
          Status.SKIPPED: "skipped"}
FONT = "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
CELL = "padding:4px 10px;border-bottom:1px solid #d0d7de;vertical-align:top;text-align:left;"


def points(x: float) -> str:
    return f"{x:g}"


def badge(status: Status) -> str:
    return (f'<span style="color:#fff;background:{COLOURS[status]};border-radius:10px;padding:1px 8px;'
            f'white-space:nowrap;font-size:0.9em">{LABELS[status]}</span>')


def bar(fraction: float, width: int = 120, colour: str = "#2da44e") -> str:
    """A small inline progress bar (a div, so it also renders in the inline check view)."""
    fraction = min(max(fraction, 0.0), 1.0)
    return (f'<div style="display:inline-block;width:{width}px;height:10px;background:#eaeef2;'
            f'border-radius:5px;vertical-align:middle"><div style="width:{fraction * 100:.1f}%;height:10px;'
            f'background:{colour};border-radius:5px"></div></div>')


def tally(exercises) -> str:
    """ "3 passed · 1 incorrect · 6 not attempted", each count in its status colour."""
    return " · ".join(f'<span style="color:{COLOURS[s] if n else COLOURS[Status.NOT_ATTEMPTED]}">{words}</span>'
                      for s, n, words in counts(exercises))


def exercise_row(ex: ExerciseResult) -> str:
    feedback = "" if ex.status is Status.PASSED else "".join(
        f'<li style="margin:2px 0">{escape(line)}</li>' for line in ex.feedback)
    feedback = f'<ul style="margin:0;padding-left:18px">{feedback}</ul>' if feedback else ""
    fraction = ex.points / ex.max_points if ex.max_points else 0.0
    return (f'<tr><td style="{CELL}"><code>{escape(ex.id)}</code></td>'
            f'<td style="{CELL}white-space:nowrap">{points(ex.points)}/{points(ex.max_points)} '
            f'{bar(fraction, 60)}</td><td style="{CELL}">{badge(ex.status)}</td>'
            f'<td style="{CELL}">{feedback}</td></tr>')


def exercise_table(exercises) -> str:
    head = "".join(f'<th style="{CELL}">{h}</th>' for h in ("Exercise", "Points", "Status", "Feedback"))
    rows = "".join(exercise_row(ex) for ex in exercises)
    return f'<table style="border-collapse:collapse;width:100%;{FONT}"><tr>{head}</tr>{rows}</table>'


def notebook_section(nb: NotebookResult, exercises=None, heading: bool = True) -> str:
    """One notebook's results; ``exercises`` narrows the table (the inline check of one exercise)."""
    if nb.error:
        return (f'<div style="{FONT}color:{COLOURS[Status.ERROR]}"><b>{escape(nb.path)}</b>: '
                f"{escape(nb.error)}</div>")
    shown = nb.exercises if exercises is None else exercises
    title = ""
    if heading:
        title = (f'<h2 style="{FONT}font-size:1.1em;margin:12px 0 4px">{escape(nb.module or "?")} · '
                 f'<span style="font-weight:normal">{escape(nb.path)}</span> · '
                 f"{points(nb.points)}/{points(nb.max_points)} points</h2>"
                 f'<p style="{FONT}margin:0 0 6px">{tally(nb.exercises)}</p>')
    notes = "".join(f'<p style="{FONT}color:{COLOURS[Status.INCORRECT]};margin:4px 0">note: {escape(n)}</p>'
                    for n in nb.notes)
    return title + exercise_table(shown) + notes


def page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title></head>"
            f'<body style="{FONT}max-width:1100px;margin:24px auto;padding:0 16px;color:#1f2328">'
            f"{body}</body></html>\n")


def report_html(report: GradeReport, title: str = "mlkata grade report") -> str:
    """The page written by ``python -m graders grade --html FILE``."""
    total = ""
    graded = [n for n in report.notebooks if not n.error]
    if graded:
        total = (f"<p>Total: <b>{points(report.points)}/{points(report.max_points)}</b> points "
                 f"{bar(report.points / report.max_points if report.max_points else 0.0, 200)}</p>")
    sections = "".join(notebook_section(nb) for nb in report.notebooks)
    return page(title, f'<h1 style="font-size:1.4em">{escape(title)}</h1>{total}{sections}')
