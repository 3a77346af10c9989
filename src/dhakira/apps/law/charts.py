"""Charts as inline SVG, drawn on the server: no script, no external request.

Every label is escaped here; the returned markup is safe to mark as such in templates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

BAR = 18
LABEL_W = 220
WIDTH = 640
COLOUR = "#3b5b7a"


def bar_chart(counts: Sequence[tuple[str, int]], *, labels: Mapping[str, str] | None = None,
              title: str = "", limit: int = 15) -> str:
    """Return a horizontal bar chart of ``(key, count)`` pairs, largest first as given.

    Args:
        counts: the pairs to draw (at most ``limit`` are drawn).
        labels: display labels by key; the key is shown when absent.
        title: the chart's accessible title.
        limit: how many bars at most.
    """
    rows = list(counts)[:limit]
    top = max((c for _, c in rows), default=0) or 1
    height = BAR * len(rows) + 10
    parts = [_open(WIDTH, height, title)]
    for i, (key, count) in enumerate(rows):
        y = i * BAR + 5
        width = (WIDTH - LABEL_W - 60) * count / top
        label = (labels or {}).get(key, key)
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + 13}" text-anchor="end" font-size="12">'
            f"{escape(label[:40])}</text>"
            f'<rect x="{LABEL_W}" y="{y + 2}" width="{width:.1f}" height="{BAR - 5}" fill="{COLOUR}"/>'
            f'<text x="{LABEL_W + width + 4:.1f}" y="{y + 13}" font-size="12">{count}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_chart(by_month: Sequence[tuple[str, int]], *, title: str = "") -> str:
    """Return a column chart over every month from the first to the last (gaps drawn as 0)."""
    counts = dict(by_month)
    if not counts:
        return _open(WIDTH, 30, title) + "</svg>"
    months = _months(min(counts), max(counts))
    top = max(counts.values())
    height, base = 160, 130
    step = (WIDTH - 40) / len(months)
    parts = [_open(WIDTH, height, title)]
    for i, month in enumerate(months):
        h = 110 * counts.get(month, 0) / top
        x = 30 + i * step
        parts.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{max(step - 1, 1):.1f}" '
                     f'height="{h:.1f}" fill="{COLOUR}"><title>{month}: {counts.get(month, 0)}'
                     "</title></rect>")
        if month.endswith("-01") or i == 0:
            parts.append(f'<text x="{x:.1f}" y="{base + 14}" font-size="10">{month[:4]}</text>')
    parts.append(f'<text x="2" y="{base - 104}" font-size="10">{top}</text></svg>')
    return "".join(parts)


def spread_chart(points: Sequence[tuple[str, float, float, int]], *, title: str = "") -> str:
    """Return a dot map: ``(label, latitude, longitude, count)``, dot area by count.

    Coordinates are those of gazetteer places (towns, districts), never addresses.
    """
    if not points:
        return _open(WIDTH, 30, title) + "</svg>"
    lats = [p[1] for p in points]
    lons = [p[2] for p in points]
    lat_span = (max(lats) - min(lats)) or 1.0
    lon_span = (max(lons) - min(lons)) or 1.0
    top = max(p[3] for p in points) or 1
    height = 320
    parts = [_open(WIDTH, height, title),
             f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#f4f1ea"/>']
    for label, lat, lon, count in points:
        x = 30 + (WIDTH - 60) * (lon - min(lons)) / lon_span
        y = 30 + (height - 60) * (max(lats) - lat) / lat_span
        radius = 3 + 14 * (count / top) ** 0.5
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{COLOUR}" '
                     f'fill-opacity="0.6"><title>{escape(label)}: {count}</title></circle>'
                     f'<text x="{x + radius + 2:.1f}" y="{y + 4:.1f}" font-size="10">'
                     f"{escape(label[:30])}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" direction="ltr"><title>{escape(title)}</title>')
