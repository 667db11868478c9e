"""Inline SVG charts for the dashboard and the HTML report. Pure: numbers in, SVG text out.

Server-rendered SVG needs no JavaScript and no CDN at run time, prints well, and each chart
carries a <title> and an aria-label so a screen reader gets the numbers too. Colours come from
CSS classes (`bar`, `bar-alt`, `axis`, `target`) so the stylesheet owns the look.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

#: Histogram bin edges for time to a human (seconds); the last bin is open-ended.
TIME_TO_HUMAN_BINS: tuple[float, ...] = (0, 15, 30, 45, 60, 90, 120, 180)

#: The product's promise: a human within 90 seconds.
TARGET_S = 90


def _number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    text = escape(label)
    return (f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
            f'aria-label="{text}" xmlns="http://www.w3.org/2000/svg"><title>{text}</title>'
            + "".join(body) + "</svg>")


def bar_chart(rows: Sequence[tuple[str, float]], title: str, *, width: int = 520,
              bar: int = 22, label_width: int = 170, alt: Sequence[str] = ()) -> str:
    """Horizontal bars, one per (label, value), with the value at the bar's end.

    Args:
        rows: (label, value) pairs in display order.
        title: the accessible name (also the tooltip).
        alt: labels drawn in the alternative colour (e.g. buckets routed to a human).
    """
    if not rows:
        return _svg(width, 40, f"{title}: no data",
                    ['<text x="8" y="24" class="empty">No data for this period</text>'])
    top = max(value for _, value in rows) or 1
    room = width - label_width - 50
    height = len(rows) * (bar + 8) + 8
    body = []
    for i, (label, value) in enumerate(rows):
        y = 8 + i * (bar + 8)
        length = max(2.0, room * value / top) if value else 0
        css = "bar-alt" if label in alt else "bar"
        body.append(
            f'<text x="{label_width - 8}" y="{y + bar * 0.7:.1f}" class="label" '
            f'text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar}" rx="3" '
            f'class="{css}"><title>{escape(label)}: {_number(value)}</title></rect>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + bar * 0.7:.1f}" '
            f'class="value">{_number(value)}</text>')
    return _svg(width, height, title, body)


def bin_counts(values: Sequence[float], edges: Sequence[float]) -> list[tuple[str, int]]:
    """Counts per bin [edges[i], edges[i+1]) plus an open last bin, labelled "15–30 s"."""
    labels = [f"{_number(a)}–{_number(b)}" for a, b in zip(edges, edges[1:], strict=False)]
    labels.append(f"{_number(edges[-1])}+")
    counts = [0] * len(labels)
    for value in values:
        index = len(edges) - 1
        for i in range(len(edges) - 1):
            if edges[i] <= value < edges[i + 1]:
                index = i
                break
        if value >= edges[0]:
            counts[index] += 1
    return list(zip(labels, counts, strict=True))


def histogram(values: Sequence[float], title: str, *,
              edges: Sequence[float] = TIME_TO_HUMAN_BINS, unit: str = "s",
              target: float | None = TARGET_S, width: int = 520, height: int = 200) -> str:
    """Vertical bars of how many values fall in each bin, with a dashed target line."""
    if not values:
        return _svg(width, 40, f"{title}: no data",
                    ['<text x="8" y="24" class="empty">No data for this period</text>'])
    bins = bin_counts(values, edges)
    top = max(count for _, count in bins) or 1
    left, bottom, plot_h = 36, height - 34, height - 70
    step = (width - left - 8) / len(bins)
    body = [f'<line x1="{left}" y1="{bottom}" x2="{width - 8}" y2="{bottom}" class="axis"/>',
            f'<text x="{left - 6}" y="{bottom - plot_h + 4:.1f}" class="tick" '
            f'text-anchor="end">{top}</text>',
            f'<text x="{left - 6}" y="{bottom}" class="tick" text-anchor="end">0</text>']
    for i, (label, count) in enumerate(bins):
        x = left + i * step + 3
        h = plot_h * count / top
        body.append(
            f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{step - 6:.1f}" height="{h:.1f}" '
            f'rx="2" class="bar"><title>{escape(label)} {unit}: {count}</title></rect>'
            f'<text x="{x + (step - 6) / 2:.1f}" y="{bottom + 16}" class="tick" '
            f'text-anchor="middle">{escape(label)}</text>')
        if count:
            body.append(f'<text x="{x + (step - 6) / 2:.1f}" y="{bottom - h - 4:.1f}" '
                        f'class="value" text-anchor="middle">{count}</text>')
    if target is not None and edges[0] <= target:
        position = _position(target, edges)
        x = left + position * step
        body.append(f'<line x1="{x:.1f}" y1="16" x2="{x:.1f}" y2="{bottom}" class="target"/>'
                    f'<text x="{x + 4:.1f}" y="14" class="tick">{_number(target)} {unit} '
                    f'target</text>')
    body.append(f'<text x="{width - 8}" y="{height - 2}" class="tick" text-anchor="end">'
                f'{escape(unit)}</text>')
    return _svg(width, height, title, body)


def _position(value: float, edges: Sequence[float]) -> float:
    """Where `value` sits on the bin axis, in bins (fractional)."""
    for i in range(len(edges) - 1):
        if edges[i] <= value < edges[i + 1]:
            return i + (value - edges[i]) / (edges[i + 1] - edges[i])
    return float(len(edges) - 1) if math.isfinite(value) else float(len(edges))
