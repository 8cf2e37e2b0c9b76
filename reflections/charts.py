"""A small line chart of the ledord self-ratings, as SVG drawn on the server (no script)."""

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 640, 240, 40
SERIES = (
    ("modigt", "#0b5394", "0"),
    ("tydligt", "#8a3b00", "6 4"),
    ("engagerande", "#1e6b3a", "2 3"),
)


@dataclass
class Line:
    key: str
    colour: str
    dash: str
    points: str


def _y(value: int) -> float:
    return HEIGHT - PAD - (value - 1) * (HEIGHT - 2 * PAD) / 4


def rating_lines(ratings) -> list[Line]:
    """Polylines for each ledord over the ratings in order (1 at the bottom, 5 at the top)."""
    ratings = list(ratings)
    if not ratings:
        return []
    step = (WIDTH - 2 * PAD) / max(len(ratings) - 1, 1)
    lines = []
    for key, colour, dash in SERIES:
        points = " ".join(
            f"{PAD + i * step:.1f},{_y(getattr(r, key)):.1f}" for i, r in enumerate(ratings)
        )
        lines.append(Line(key, colour, dash, points))
    return lines


def grid_lines() -> list[tuple[int, float]]:
    return [(value, _y(value)) for value in range(1, 6)]
