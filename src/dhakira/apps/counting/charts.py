"""One small inline SVG per stratum: observed, estimate and its 95 % interval on one scale.

Drawn on the server, no script; labels are escaped here, so the markup is safe to embed.
"""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT, LEFT, RIGHT = 560, 46, 8, 90
SEEN, RANGE, POINT = "#3b5b7a", "#9bb3c8", "#b03a2e"


def interval_chart(*, observed: int, estimate: float | None, low: float | None,
                   high: float | None, scale: float, title: str,
                   label: str | None = None) -> str:
    """Return an SVG bar: the observed count, the 95 % interval and the estimate.

    Args:
        observed: victims on at least one list.
        estimate, low, high: the estimate and its interval (None when unbounded).
        scale: the value at the right edge (the same for every stratum on a page).
        title: the accessible title (e.g. the stratum and its numbers).
        label: the estimate as the reader's language writes it (default: ``1,234``).
    """
    span = WIDTH - LEFT - RIGHT
    scale = max(scale, 1.0)

    def x(value: float) -> float:
        return LEFT + span * min(value, scale) / scale

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" '
             f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"><title>{escape(title)}</title>',
             f'<rect x="{LEFT}" y="14" width="{x(observed) - LEFT:.1f}" height="16" '
             f'fill="{SEEN}"/>']
    if low is not None:
        right = x(high) if high is not None else LEFT + span
        parts.append(f'<rect x="{x(low):.1f}" y="19" width="{max(right - x(low), 1):.1f}" '
                     f'height="6" fill="{RANGE}"/>')
    if estimate is not None:
        parts.append(f'<rect x="{x(estimate) - 1.5:.1f}" y="9" width="3" height="26" '
                     f'fill="{POINT}"/>')
    if label is None:
        label = f"{estimate:,.0f}" if estimate is not None else "∞"
    parts.append(f'<text x="{LEFT + span + 6}" y="27" font-size="12">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
