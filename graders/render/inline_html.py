"""What check(), hint() and solution() show: HTML in Jupyter, plain text elsewhere.

Each view is an object with ``_repr_html_`` (Jupyter's rich display) and
``__repr__`` (terminal IPython, or ``print`` in plain Python), shown with
``IPython.display.display`` so it appears even when the call is not the last line
of the cell.
"""
from __future__ import annotations

from html import escape

from graders.engine.results import NotebookResult, Status, total

from ..render.html import CELL, COLOURS, FONT, LABELS, notebook_section, points


class View:
    def text(self) -> str:
        raise NotImplementedError

    def html(self) -> str:
        raise NotImplementedError

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        return self.text()


class ResultView(View):
    """The inline check of one exercise (or of the whole notebook when ``exercise`` is None)."""

    def __init__(self, result: NotebookResult, exercise: str | None = None, seconds: float = 0.0):
        self.result, self.exercise, self.seconds = result, exercise, seconds

    @property
    def shown(self):
        return [e for e in self.result.exercises if self.exercise is None or e.id == self.exercise]

    def footer(self) -> list[str]:
        shown = self.shown
        if len(shown) == 1 and shown[0].status is Status.PASSED:
            return [f'Passed. Compare with the reference: solution("{shown[0].id}")']
        if len(shown) == 1:
            return [f'Stuck? hint("{shown[0].id}") gives one more hint per call.']
        if shown:
            return [f"{points(total(shown))}/{points(total(shown, 'max_points'))} points "
                    f"in {self.seconds:.1f} s (same grader as `make grade`)."]
        return []

    def text(self) -> str:
        if self.result.error:
            return f"✗ {self.result.error}"
        lines = []
        for ex in self.shown:
            lines.append(f"{ex.id}: {points(ex.points)}/{points(ex.max_points)} points, {LABELS[ex.status]}")
            if ex.status is not Status.PASSED:
                lines += [f"  • {line}" for line in ex.feedback]
        lines += [f"note: {n}" for n in self.result.notes] + self.footer()
        return "\n".join(lines)

    def html(self) -> str:
        body = notebook_section(self.result, self.shown, heading=self.exercise is None)
        footer = "".join(f'<div style="{FONT}color:#57606a;margin-top:4px">{escape(line)}</div>'
                         for line in ([] if self.result.error else self.footer()))
        return f"<div>{body}{footer}</div>"


class MessageView(View):
    """A titled message, optionally with a block of code (hints, solutions, refusals)."""

    def __init__(self, title: str, paragraphs=(), code: str | None = None, status: Status = Status.NOT_ATTEMPTED):
        self.title, self.paragraphs, self.code, self.status = title, list(paragraphs), code, status

    def text(self) -> str:
        parts = [self.title, *self.paragraphs]
        if self.code:
            parts.append(self.code)
        return "\n\n".join(parts)

    def html(self) -> str:
        paras = "".join(f'<p style="margin:4px 0">{escape(p)}</p>' for p in self.paragraphs)
        code = ""
        if self.code:
            code = (f'<pre style="background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;{CELL}'
                    f'overflow:auto"><code>{escape(self.code)}</code></pre>')
        return (f'<div style="{FONT}border-left:4px solid {COLOURS[self.status]};padding:4px 12px">'
                f'<b>{escape(self.title)}</b>{paras}{code}</div>')


def show(view: View) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        print(view.text())
        return
    if get_ipython() is None:
        print(view.text())
    else:
        display(view)
