"""The Effekt view's tables and charts, one definition for the page and the files, so that
what the page hides no file shows."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.models import Department
from reports.charts import Chart, period_chart
from reports.effekt import MONTH, PERIODS, Effekt, Group
from reports.tables import Column, Table

# (figure, heading, kind). The order of the columns on the page and in the files.
FIGURES = [
    ("invited", gettext_lazy("Invitations"), "count"),
    ("attendance_rate", gettext_lazy("Attendance rate"), "rate"),
    ("steps_sent", gettext_lazy("Repetition steps sent"), "count"),
    ("response_rate", gettext_lazy("Answer rate"), "rate"),
    ("answers", gettext_lazy("Managers who evaluated"), "count"),
    ("usefulness", gettext_lazy("Usefulness of sessions (1–5)"), "average"),
    ("survey_people", gettext_lazy("Managers who answered a benefit survey"), "count"),
    ("survey_average", gettext_lazy("Benefit survey (1–5)"), "average"),
    ("raters", gettext_lazy("Managers who rated ledord"), "count"),
    ("modigt", gettext_lazy("Brave (1–5)"), "average"),
    ("tydligt", gettext_lazy("Clear (1–5)"), "average"),
    ("engagerande", gettext_lazy("Engaging (1–5)"), "average"),
    ("employees", gettext_lazy("Employees"), "count"),
    ("sick_rate", gettext_lazy("Sick leave"), "rate"),
]

# (figure, chart title, kind, why it may be missing) for the charts, one per figure.
CHARTS = [
    (
        "attendance_rate",
        gettext_lazy("Attendance"),
        "rate",
        gettext_lazy("No sessions held in the period."),
    ),
    (
        "response_rate",
        gettext_lazy("Repetition steps answered"),
        "rate",
        gettext_lazy("Not shown: the group has fewer than 5 managers."),
    ),
    (
        "usefulness",
        gettext_lazy("Usefulness of sessions"),
        "average",
        gettext_lazy(
            "Not shown: fewer than 5 managers evaluated sessions, or the figure would reveal "
            "a smaller group. The table says why for each period."
        ),
    ),
    (
        "survey_average",
        gettext_lazy("Benefit survey"),
        "average",
        gettext_lazy(
            "Not shown: no benefit survey closed in the period, fewer than 5 managers answered, "
            "or the figure would reveal a smaller group. The table says why for each period."
        ),
    ),
    (
        "modigt",
        gettext_lazy("Ledord: brave"),
        "average",
        gettext_lazy(
            "Not shown: fewer than 5 managers rated themselves, or the figure would reveal "
            "a smaller group. The table says why for each period."
        ),
    ),
    (
        "tydligt",
        gettext_lazy("Ledord: clear"),
        "average",
        gettext_lazy(
            "Not shown: fewer than 5 managers rated themselves, or the figure would reveal "
            "a smaller group. The table says why for each period."
        ),
    ),
    (
        "engagerande",
        gettext_lazy("Ledord: engaging"),
        "average",
        gettext_lazy(
            "Not shown: fewer than 5 managers rated themselves, or the figure would reveal "
            "a smaller group. The table says why for each period."
        ),
    ),
    (
        "sick_leave",
        gettext_lazy("Sick leave"),
        "rate",
        gettext_lazy("Not shown: 10 employees or fewer in the group."),
    ),
]


def period_heading(effekt: Effekt) -> str:
    return str(PERIODS[effekt.filters.period])


def group_table(effekt: Effekt, group: Group) -> Table:
    """One group's figures, a row per month or term."""
    columns = [Column(period_heading(effekt), "text")]
    columns += [Column(str(label), kind) for _name, label, kind in FIGURES]
    rows = [
        [bucket.label, *(figures[name] for name, _label, _kind in FIGURES)]
        for bucket, figures in zip(effekt.buckets, group.figures, strict=True)
    ]
    title = _("%(group)s per %(period)s") % {
        "group": group.label,
        "period": period_heading(effekt).lower(),
    }
    return Table(f"effekt-{group.pk or 'kommunen'}", title, columns, rows)


def forvaltning_table(effekt: Effekt, index: int) -> Table:
    """Every förvaltning's figures in one month or term (`index` into the buckets)."""
    bucket = effekt.buckets[index]
    columns = [Column(str(pgettext_lazy("department", "Administration")), "text")]
    columns += [Column(str(label), kind) for _name, label, kind in FIGURES]
    rows = [
        [group.label, *(group.figures[index][name] for name, _label, _kind in FIGURES)]
        for group in effekt.groups
    ]
    title = _("Per administration, %(period)s") % {"period": bucket.label}
    return Table(
        "effekt-forvaltningar",
        title,
        columns,
        rows,
        row_pks=[group.pk for group in effekt.groups],
    )


def export_table(effekt: Effekt, chosen: Department | None) -> Table:
    """The file: every group shown (the municipality, and each förvaltning or the one
    `chosen`) and every month or term, one row each."""
    groups = [g for g in effekt.groups if chosen is None or g.pk in (None, chosen.pk)]
    columns = [
        Column(str(pgettext_lazy("department", "Administration")), "text"),
        Column(period_heading(effekt), "text"),
    ]
    columns += [Column(str(label), kind) for _name, label, kind in FIGURES]
    rows = [
        [group.label, bucket.label, *(figures.get(name) for name, _label, _kind in FIGURES)]
        for group in groups
        for bucket, figures in zip(effekt.buckets, group.figures, strict=True)
    ]
    if effekt.programme is not None:
        label = _("Programme: %(name)s") % {"name": effekt.programme.label}
        rows += [
            [label, bucket.label, *(figures.get(name) for name, _label, _kind in FIGURES)]
            for bucket, figures in zip(effekt.buckets, effekt.programme.figures, strict=True)
        ]
    title = _("Effect, per month") if effekt.filters.period == MONTH else _("Effect, per term")
    return Table("effekt", title, columns, rows)


def charts(effekt: Effekt, group: Group) -> list[Chart]:
    heading = period_heading(effekt)
    made = []
    for name, title, kind, hidden in CHARTS:
        figure = "sick_rate" if name == "sick_leave" else name
        points = [
            (bucket, figures[figure])
            for bucket, figures in zip(effekt.buckets, group.figures, strict=True)
        ]
        made.append(
            period_chart(
                f"effekt-{name}",
                str(title),
                points,
                kind,
                heading=heading,
                hidden_text=str(hidden),
                zoom=name == "sick_leave",
            )
        )
    return made


PROGRAMME_FIGURES = [
    (name, label, kind)
    for name, label, kind in FIGURES
    if name in ("raters", "modigt", "tydligt", "engagerande")
]


def programme_table(effekt: Effekt) -> Table:
    """The ledord of a programme's members, a row per month or term."""
    group = effekt.programme
    columns = [Column(period_heading(effekt), "text")]
    columns += [Column(str(label), kind) for _name, label, kind in PROGRAMME_FIGURES]
    rows = [
        [bucket.label, *(figures[name] for name, _label, _kind in PROGRAMME_FIGURES)]
        for bucket, figures in zip(effekt.buckets, group.figures, strict=True)
    ]
    title = _("Ledord in %(programme)s per %(period)s") % {
        "programme": group.label,
        "period": period_heading(effekt).lower(),
    }
    return Table("effekt-programme", title, columns, rows)


def programme_charts(effekt: Effekt) -> list[Chart]:
    heading = period_heading(effekt)
    hidden = _(
        "Not shown: fewer than 5 of the programme's managers rated themselves, or the figure "
        "would reveal a smaller group. The table says why for each period."
    )
    return [
        period_chart(
            f"effekt-programme-{name}",
            str(title),
            [(b, f[name]) for b, f in zip(effekt.buckets, effekt.programme.figures, strict=True)],
            kind,
            heading=heading,
            hidden_text=hidden,
        )
        for name, title, kind, _why in CHARTS
        if name in ("modigt", "tydligt", "engagerande")
    ]
