"""An offline map: gazetteer places drawn as SVG from their coordinates.

No tiles and no requests: the outline below is a coarse, hand-simplified border of Iraq
and course of the Tigris (public-domain geography, about 10 km accurate), enough to see
where events cluster. Coordinates are projected equirectangularly, which is faithful
enough at this latitude and scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dhakira.apps.dossier.models import Place

# (longitude, latitude), clockwise from the Syria–Turkey–Iraq tripoint.
IRAQ_OUTLINE = (
    (42.36, 37.11), (43.0, 37.35), (44.0, 37.3), (44.77, 37.17), (45.0, 36.7), (45.5, 35.9),
    (46.2, 35.1), (45.4, 34.0), (46.1, 33.1), (47.4, 32.4), (47.8, 31.4), (48.0, 30.5),
    (48.5, 29.95), (47.7, 30.1), (47.1, 29.95), (46.5, 29.1), (44.7, 29.2), (42.1, 31.1),
    (40.4, 31.9), (39.0, 32.0), (38.8, 33.4), (41.0, 34.4), (41.2, 34.8), (41.25, 35.6),
    (41.3, 36.45), (42.05, 36.81), (42.36, 37.11),
)
TIGRIS = ((42.36, 37.1), (42.7, 36.6), (43.15, 36.35), (43.35, 35.5), (43.7, 34.6),
          (44.0, 34.2), (44.4, 33.3), (45.5, 32.5), (46.5, 31.5), (47.4, 31.0))
WIDTH = 800


@dataclass(frozen=True)
class Dot:
    place: Place
    x: float
    y: float
    r: float
    events: int
    label: bool = False


@dataclass(frozen=True)
class MapView:
    width: int
    height: int
    outline: str
    river: str
    dots: tuple[Dot, ...]
    legend: tuple[tuple[int, float], ...] = ()  # (events, radius) samples for the key


def _bounds(places: list[tuple[Place, int]]) -> tuple[float, float, float, float]:
    if not places:
        return 38.8, 29.1, 48.5, 37.4
    lons = [p.longitude for p, _ in places]
    lats = [p.latitude for p, _ in places]
    pad = 0.15
    return min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad  # type: ignore[type-var, operator]


def build(places: list[tuple[Place, int]]) -> MapView:
    """Project the places (with their event counts) into an SVG of fixed width."""
    west, south, east, north = _bounds(places)
    scale_x = math.cos(math.radians((north + south) / 2))
    span_x, span_y = max((east - west) * scale_x, 0.01), max(north - south, 0.01)
    height = round(WIDTH * span_y / span_x)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (round((lon - west) * scale_x / span_x * WIDTH, 1),
                round((north - lat) / span_y * height, 1))

    def path(points: tuple[tuple[float, float], ...]) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in
                        enumerate(xy(lon, lat) for lon, lat in points))

    peak = max([n for _, n in places], default=1) or 1

    def radius(n: int) -> float:
        return round(3 + 12 * math.sqrt(n / peak), 1)

    dots = [Dot(p, *xy(p.longitude, p.latitude), r=radius(n),  # type: ignore[arg-type]
                events=n) for p, n in places]
    # The key shows the circle for one event, a middle count and the busiest place.
    samples = sorted({1, max(1, round(peak / 4)), peak})
    return MapView(WIDTH, height, path(IRAQ_OUTLINE) + " Z", path(TIGRIS), _labelled(dots),
                   tuple((n, radius(n)) for n in samples))


def _labelled(dots: list[Dot]) -> tuple[Dot, ...]:
    """Label the busiest places first and skip a label that would overlap one already placed."""
    placed: list[tuple[float, float]] = []
    out = {}
    for dot in sorted(dots, key=lambda d: -d.events):
        free = all(abs(dot.x - x) > 70 or abs(dot.y - dot.r - y) > 14 for x, y in placed)
        if dot.events and free:
            placed.append((dot.x, dot.y - dot.r))
        out[id(dot)] = Dot(dot.place, dot.x, dot.y, dot.r, dot.events, label=bool(dot.events and free))
    return tuple(out[id(d)] for d in dots)
