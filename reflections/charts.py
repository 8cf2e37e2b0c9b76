"""A small line chart of the ledord self-ratings, as SVG drawn on the server (no script)."""

from dataclasses import dataclass, field

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
    # Each rating as a dot as well: a ledord rated once has a dot and no line.
    dots: list[tuple[str, str]] = field(default_factory=list)


def _y(value: int) -> float:
    return HEIGHT - PAD - (value - 1) * (HEIGHT - 2 * PAD) / 4


def rating_lines(ratings) -> list[Line]:
    """Polylines for each ledord over the ratings in order (1 at the bottom, 5 at the top).
    A rating that left a ledord out has no point on its line. Coordinates are strings with
    a decimal point, whatever the language: they go into SVG attributes."""
    ratings = list(ratings)
    if not ratings:
        return []
    step = (WIDTH - 2 * PAD) / max(len(ratings) - 1, 1)
    lines = []
    for key, colour, dash in SERIES:
        dots = [
            (f"{PAD + i * step:.1f}", f"{_y(getattr(r, key)):.1f}")
            for i, r in enumerate(ratings)
            if getattr(r, key) is not None
        ]
        lines.append(Line(key, colour, dash, " ".join(f"{x},{y}" for x, y in dots), dots))
    return lines


def grid_lines() -> list[tuple[int, float]]:
    return [(value, _y(value)) for value in range(1, 6)]
