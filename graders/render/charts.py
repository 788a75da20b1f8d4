"""The progress report page: inline SVG charts, no JavaScript, no CDN (opens offline).

Two charts: mastery per skill (horizontal bars) and best total points over time (a
step line: the total only moves when an exercise reaches a new best).
"""
from __future__ import annotations

import math
from datetime import datetime
from html import escape

from .html import CELL, FONT, bar, page

PALETTE = ("#2da44e", "#0969da", "#bf8700", "#8250df", "#cf222e", "#1b7c83", "#bc4c00", "#57606a")
AXIS = 'stroke="#8c959f" stroke-width="1"'


def skill_bars(rows, width: int = 680) -> str:
    """One bar per skill area, then thinner bars for the finer skills inside it (mastery %, points)."""
    if not rows:
        return "<p>No modules with graders yet.</p>"
    label_w, bar_w = 170, width - 170 - 110
    heights = [30 if sub is None else 22 for _, sub, _, _ in rows]
    height = sum(heights) + 28
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="mastery per skill" style="{FONT}font-size:13px">']
    for tick in (0, 25, 50, 75, 100):
        x = label_w + bar_w * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 18}" stroke="#eaeef2"/>'
                     f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle" fill="#57606a">{tick}%</text>')
    areas = list(dict.fromkeys(area for area, _, _, _ in rows))
    y = 8
    for (area, sub, points, max_points), row_h in zip(rows, heights):
        fraction = points / max_points if max_points else 0.0
        colour = PALETTE[areas.index(area) % len(PALETTE)]
        bar_h, label = (20, escape(area)) if sub is None else (12, f"› {escape(sub)}")
        style = "" if sub is None else ' fill="#57606a" font-size="11"'
        name = escape(area if sub is None else f"{area} › {sub}")
        parts.append(f'<text x="{label_w - 8}" y="{y + bar_h - 5}" text-anchor="end"{style}>{label}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="{bar_h}" fill="#f6f8fa" rx="3"/>'
                     f'<rect x="{label_w}" y="{y}" width="{bar_w * fraction:.1f}" height="{bar_h}" fill="{colour}" '
                     f'opacity="{1 if sub is None else 0.6}" rx="3"><title>{name}: {points:g}/{max_points:g} points'
                     f'</title></rect><text x="{label_w + bar_w + 8}" y="{y + bar_h - 5}"{style}>'
                     f"{fraction * 100:.0f}% · {points:g}/{max_points:g}</text>")
        y += row_h
    parts.append("</svg>")
    return "".join(parts)


def nice_ceiling(x: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k at or above x (a readable axis top)."""
    step = 10 ** math.floor(math.log10(max(x, 1.0)))
    return next(m * step for m in (1, 2, 2.5, 5, 10) if m * step >= x)


def points_over_time(timeline, width: int = 640, height: int = 240) -> str:
    if not timeline:
        return "<p>No grades yet: the curve starts with your first <code>make grade</code> or check().</p>"
    left, right, top, bottom = 50, 20, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    start, end = timeline[0][0], timeline[-1][0]
    span = max((end - start).total_seconds(), 1.0)
    # the axis tops just above the learner's best, not at the whole curriculum's points: early progress
    # must be visible; the caption says out of how many
    top_points = nice_ceiling(max(p for _, p in timeline) * 1.1)

    def xy(when: datetime, points: float) -> tuple[float, float]:
        return (left + plot_w * (when - start).total_seconds() / span, top + plot_h * (1 - points / top_points))

    coords, previous = [], None
    for when, points in timeline:
        x, y = xy(when, points)
        if previous is not None:
            coords.append(f"{x:.1f},{previous:.1f}")        # step: hold the old total until this grade
        coords.append(f"{x:.1f},{y:.1f}")
        previous = y
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="points over time" style="{FONT}font-size:12px">',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" {AXIS}/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" {AXIS}/>']
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        y = top + plot_h * (1 - fraction)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eaeef2"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#57606a">'
                     f"{top_points * fraction:g}</text>")
    for when, anchor, x in ((start, "start", left), (end, "end", left + plot_w)):
        parts.append(f'<text x="{x}" y="{height - 12}" text-anchor="{anchor}" fill="#57606a">'
                     f"{when.strftime('%Y-%m-%d %H:%M')}</text>")
    parts.append(f'<polyline fill="none" stroke="#0969da" stroke-width="2" points="{" ".join(coords)}"/>')
    last_x, last_y = xy(*timeline[-1])
    parts.append(f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="4" fill="#0969da">'
                 f"<title>{timeline[-1][1]:g} points</title></circle></svg>")
    return "".join(parts)


def module_section(m) -> str:
    rows = []
    for e in m.exercises:
        extras = []
        if e.hints:
            extras.append(f"{e.hints} hint{'s' if e.hints > 1 else ''}")
        if e.solution_seen:
            extras.append("solution viewed before passing")
        status = escape(e.status.replace("_", " ") or "not graded yet")
        fraction = e.points / e.max_points if e.max_points else 0.0
        cells = (f"<code>{escape(e.id)}</code>", escape(e.skill), f"{e.points:g}/{e.max_points:g} {bar(fraction, 80)}",
                 status, escape(", ".join(extras)))
        rows.append("<tr>" + "".join(f'<td style="{CELL}">{c}</td>' for c in cells) + "</tr>")
    head = "".join(f'<th style="{CELL}">{h}</th>' for h in ("Exercise", "Skill", "Best", "Best attempt", "Help used"))
    return (f'<h3 style="margin:18px 0 4px">{escape(m.id)} · {escape(m.title)} · {m.points:g}/{m.max_points:g} '
            f'({m.passed}/{len(m.exercises)} passed)</h3>'
            f'<table style="border-collapse:collapse;width:100%"><tr>{head}</tr>{"".join(rows)}</table>')


def progress_page(progress) -> str:
    fraction = progress.points / progress.max_points if progress.max_points else 0.0
    intro = (f"<p>Best scores so far: <b>{progress.points:g}/{progress.max_points:g}</b> points "
             f"{bar(fraction, 200)} {fraction * 100:.0f}%. Generated {datetime.now():%Y-%m-%d %H:%M} "
             f"from {progress.events} recorded events.</p>")
    if not progress.events:
        intro += ("<p>No grades recorded yet: run <code>make grade</code>, or <code>check()</code> in a "
                  "notebook, then <code>make progress</code> again.</p>")
    body = (f'<h1 style="font-size:1.5em">mlkata progress</h1>{intro}'
            f"<h2>Mastery per skill</h2>{skill_bars(progress.skill_rows())}"
            f"<h2>Points over time</h2><p>Best total so far, out of {progress.max_points:g} points.</p>"
            f"{points_over_time(progress.timeline)}"
            f"<h2>Modules</h2>{''.join(module_section(m) for m in progress.modules)}")
    return page("mlkata progress", body)
