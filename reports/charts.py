"""Monthly bar charts as SVG drawn on the server, each with a summary in words and its data
as a table (the page shows both; the chart is an image of the table)."""

from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from reports.selectors import is_hidden
from reports.tables import display

WIDTH, HEIGHT, PAD_X, PAD_Y = 640, 220, 44, 28


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_text: str


@dataclass
class Chart:
    slug: str
    title: str
    summary: str
    kind: str  # rate or count
    bars: list[Bar] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)
    hidden: bool = False
    width: int = WIDTH
    height: int = HEIGHT
    # The heading of the table's first column ("Month" where empty).
    period_heading: str = ""
    # No figure to draw (none, or none that may be shown): the words and the table only.
    no_bars: bool = False
    pad_x: int = PAD_X
    baseline: float = HEIGHT - PAD_Y


def _month(month) -> str:
    return formats.date_format(month, "M Y")


def _text(value, kind) -> str:
    """A figure in the chart's words and its table exactly as the dashboard's tables show
    it (one rounding, reports.rounding): never 8 % where a table says 8,8 %."""
    return display(value, kind)


def _summary(title: str, points: list, kind: str) -> str:
    known = [(m, v) for m, v in points if v is not None and not is_hidden(v)]
    if not known:
        return _("%(title)s: no figures in the period.") % {"title": title}
    high = max(known, key=lambda p: p[1])
    low = min(known, key=lambda p: p[1])
    if kind == "rate":
        average = sum(v for _m, v in known) / len(known)
        return _(
            "%(title)s: on average %(average)s a month, highest in %(high)s (%(high_value)s), "
            "lowest in %(low)s (%(low_value)s)."
        ) % {
            "title": title,
            "average": _text(average, kind),
            "high": formats.date_format(high[0], "F Y"),
            "high_value": _text(high[1], kind),
            "low": formats.date_format(low[0], "F Y"),
            "low_value": _text(low[1], kind),
        }
    total = sum(v for _m, v in known)
    return _(
        "%(title)s: %(total)s in all, most in %(high)s (%(high_value)s), fewest in %(low)s "
        "(%(low_value)s)."
    ) % {
        "title": title,
        "total": _text(total, kind),
        "high": formats.date_format(high[0], "F Y"),
        "high_value": _text(high[1], kind),
        "low": formats.date_format(low[0], "F Y"),
        "low_value": _text(low[1], kind),
    }


def _chart(slug: str, title: str, points: list, kind: str, hidden_text: str = "") -> Chart:
    if points and all(is_hidden(value) for _month_, value in points):
        return Chart(
            slug,
            title,
            hidden_text
            or _(
                "Not shown: the group has fewer than 5 managers, or is a programme or training "
                "group."
            ),
            kind,
            hidden=True,
        )
    chart = Chart(slug, title, _summary(title, points, kind), kind)
    known = [v for _m, v in points if v is not None and not is_hidden(v)]
    top = 1.0 if kind == "rate" else max([*known, 1])
    slot = (WIDTH - 2 * PAD_X) / max(len(points), 1)
    usable = HEIGHT - 2 * PAD_Y
    for index, (month, value) in enumerate(points):
        height = 0 if value is None or is_hidden(value) else usable * value / top
        chart.bars.append(
            Bar(
                x=PAD_X + index * slot + slot * 0.15,
                y=HEIGHT - PAD_Y - height,
                width=slot * 0.7,
                height=height,
                label=_month(month),
                value_text=_text(value, kind),
            )
        )
        chart.rows.append((formats.date_format(month, "F Y").capitalize(), _text(value, kind)))
    return chart


def sick_leave_chart(months: list[dict]) -> Chart:
    return _chart(
        "sjukfranvaro",
        _("Sick leave"),
        [(m["month"], m["sick_rate"]) for m in months],
        "rate",
        hidden_text=_("Not shown: 10 employees or fewer in the group."),
    )


def trend_charts(trends: list[dict]) -> list[Chart]:
    return [
        _chart(
            "narvaro",
            _("Attendance"),
            [(m["month"], m["attendance_rate"]) for m in trends],
            "rate",
        ),
        _chart(
            "repetition",
            _("Repetition steps answered"),
            [(m["month"], m["response_rate"]) for m in trends],
            "rate",
        ),
        _chart(
            "reflektioner",
            _("Reflections written"),
            [(m["month"], m["entries"]) for m in trends],
            "count",
        ),
    ]


def _period_summary(title: str, points: list, kind: str) -> str:
    """The chart in words for figures per month or term: `points` are (label, value)."""
    known = [(label, v) for label, v in points if v is not None and not is_hidden(v)]
    if not known:
        return _("%(title)s: no figures in the period.") % {"title": title}
    high = max(known, key=lambda p: p[1])
    low = min(known, key=lambda p: p[1])
    return _(
        "%(title)s: highest in %(high)s (%(high_value)s), lowest in %(low)s (%(low_value)s)."
    ) % {
        "title": title,
        "high": high[0],
        "high_value": _text(high[1], kind),
        "low": low[0],
        "low_value": _text(low[1], kind),
    }


def period_chart(
    slug: str,
    title: str,
    points: list,
    kind: str,
    *,
    heading: str,
    hidden_text: str,
    zoom: bool = False,
) -> Chart:
    """A bar chart of figures per month or term. `points` are (bucket, value), a bucket
    having a `label`, an `in_sentence` and a `short_label`; `kind` is rate (0..1), average
    (1 to 5) or count. A figure not shown is a gap, its reason in words in the table."""
    known = [v for _b, v in points if v is not None and not is_hidden(v)]
    some_hidden = any(is_hidden(v) for _b, v in points)
    if known:
        summary = _period_summary(title, [(b.in_sentence, v) for b, v in points], kind)
        if some_hidden:
            summary += " " + _("Periods without a bar are not shown; the table says why.")
    elif some_hidden:
        summary = hidden_text
    else:
        summary = _("%(title)s: no figures in the period.") % {"title": title}
    chart = Chart(slug, title, summary, kind, period_heading=heading, no_bars=not known)
    top = {"rate": 1.0, "average": 5.0}.get(kind) or max([*known, 1])
    if zoom and known and max(known) > 0:
        # Small rates (sick leave): the top is the next whole 5 per cent above the highest,
        # so that a change of a point or two shows; the summary and table give the figures.
        top = min(1.0, (int(max(known) * 20) + 1) / 20)
    slot = (WIDTH - 2 * PAD_X) / max(len(points), 1)
    usable = HEIGHT - 2 * PAD_Y
    # At most eight labels under the bars, so that they do not run into each other.
    step = max(1, -(-len(points) // 8))
    for index, (bucket, value) in enumerate(points):
        height = 0 if value is None or is_hidden(value) else usable * value / top
        chart.bars.append(
            Bar(
                x=PAD_X + index * slot + slot * 0.15,
                y=HEIGHT - PAD_Y - height,
                width=slot * 0.7,
                height=height,
                label=bucket.short_label if index % step == 0 else "",
                value_text=_text(value, kind),
            )
        )
        chart.rows.append((bucket.label, _text(value, kind)))
    return chart
