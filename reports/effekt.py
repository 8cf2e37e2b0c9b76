"""HR's "Effekt" view: participation, perceived benefit, the ledord self-ratings and sick
leave side by side, month by month or term by term, for the municipality and each
förvaltning. Everything is counted in the database, grouped by department and month (a
fixed number of queries whatever the amount of data), and added up here.

Small groups (reports.disclosure), figure by figure:
- Attendance is part of the job: shown for every group (the dashboard shows it per manager).
- Repetition answers are about reflection: shown for a group that is a union of the
  period's safe cells of managers, as on the dashboard.
- Averages of answers (the session evaluations' usefulness, the ledord self-ratings) are
  about the people who answered, so the safe cells are built, period by period, from the
  people who answered in it (at least 5 in every cell). A group's average is shown only
  when the group is a union of those cells: the difference of two shown groups is then a
  union of cells too, never fewer than 5 people who answered.
- Sick leave: the dashboard's rule, month by month (more than 10 employees per cell).

A term's figure is shown only where the month figures of every month in it with answers
are shown too: a term is then only the sum of shown months, and no term minus its shown
months can give away a month that is hidden. Who is counted does not depend on who is
active today (someone who answered in a period counts in it), so a staff import that
deactivates someone and brings them back changes no figure. The rules for averages are in
reports.effekt_rules.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear, TruncDate, TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.models import Department
from evaluations.models import Answer, SurveyResponse
from programme.models import CohortMembership, Programme
from reflections.models import LedordRating
from reminders.models import Reminder
from reports.disclosure import NO_DEPARTMENT, safe_cells
from reports.effekt_rules import MONTH, TERM, Answering, programme_verdict
from reports.models import SickLeaveFigure
from reports.selectors import (
    ATTENDANCE_AGGREGATES,
    HIDDEN,
    HIDDEN_STAFF,
    MIN_SICK_LEAVE_GROUP,
    _sick_leave_figures,
    chef_group,
    day_start,
    is_hidden,
    organisation,
)
from reports.selectors import _counted as counted_managers
from reports.selectors import _sick_leave_of_group as sick_leave_of_group
from sessions.models import Invitation, TrainingSession

PERIODS = {MONTH: gettext_lazy("Month"), TERM: gettext_lazy("Term")}
LEDORD = LedordRating.KEYS


@dataclass(frozen=True)
class EffektFilters:
    period: str
    first_year: int
    last_year: int
    forvaltning: Department | None = None
    programme: Programme | None = None

    @property
    def since(self) -> date:
        return date(self.first_year, 1, 1)

    @property
    def until(self) -> date:
        return min(date(self.last_year, 12, 31), timezone.localdate())

    def describe(self) -> list[tuple[str, str]]:
        """The choices in words, for the top of every export."""
        years = (
            str(self.first_year)
            if self.first_year == self.last_year
            else f"{self.first_year}–{self.last_year}"
        )
        return [
            (str(_("Years")), years),
            (str(_("Per")), str(PERIODS[self.period]).lower()),
            (
                str(pgettext_lazy("department", "Administration")),
                self.forvaltning.name if self.forvaltning else str(_("All")),
            ),
            (str(_("Programme")), self.programme.name if self.programme else str(_("All"))),
        ]

    def for_log(self) -> dict:
        logged = {
            "period": self.period,
            "since": self.since.isoformat(),
            "until": date(self.last_year, 12, 31).isoformat(),
        }
        if self.forvaltning is not None:
            logged["forvaltning"] = self.forvaltning.pk
        if self.programme is not None:
            logged["programme"] = self.programme.pk
        return logged


@dataclass(frozen=True)
class Bucket:
    """A month or a term (spring: January–June, autumn: July–December)."""

    start: date
    months: tuple  # the first day of each month in it

    @property
    def label(self) -> str:
        if len(self.months) == 1:
            return formats.date_format(self.start, "F Y").capitalize()
        if self.start.month == 1:
            return _("Spring %(year)s") % {"year": self.start.year}
        return _("Autumn %(year)s") % {"year": self.start.year}

    @property
    def in_sentence(self) -> str:
        """The label inside a sentence: "i mars 2027", "i vårterminen 2027" in Swedish."""
        if len(self.months) == 1:
            return formats.date_format(self.start, "F Y")
        if self.start.month == 1:
            return _("the spring term %(year)s") % {"year": self.start.year}
        return _("the autumn term %(year)s") % {"year": self.start.year}

    @property
    def short_label(self) -> str:
        if len(self.months) == 1:
            return formats.date_format(self.start, "M Y")
        season = _("Spr") if self.start.month == 1 else _("Aut")
        return f"{season} {self.start.year}"


def _first_months(since: date, until: date) -> list[date]:
    months, day = [], since.replace(day=1)
    while day <= until:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def buckets(filters: EffektFilters) -> list[Bucket]:
    """The months or terms of the chosen years, up to today."""
    months = _first_months(filters.since, filters.until)
    if filters.period == MONTH:
        return [Bucket(m, (m,)) for m in months]
    terms: dict = defaultdict(list)
    for month in months:
        terms[date(month.year, 1 if month.month <= 6 else 7, 1)].append(month)
    return [Bucket(start, tuple(ms)) for start, ms in terms.items()]


def term_of(month: date) -> date:
    return date(month.year, 1 if month.month <= 6 else 7, 1)


@dataclass
class Group:
    """The municipality (pk None) or one förvaltning, and its figures per bucket."""

    label: str
    pk: int | None
    keys: frozenset
    figures: list[dict] = field(default_factory=list)


@dataclass
class Effekt:
    filters: EffektFilters
    buckets: list[Bucket]
    groups: list[Group]  # the municipality first, then each förvaltning with figures
    computed_at: datetime | None = None
    # With a programme chosen: the ledord of its members, per bucket (see programme_ledord).
    programme: Group | None = None

    def group(self, pk: int | None) -> Group | None:
        return next((g for g in self.groups if g.pk == pk), None)

    def selected(self, forvaltning: Department | None) -> Group:
        """The group a page is about: the chosen förvaltning (if it has figures), or the
        municipality."""
        return (self.group(forvaltning.pk) if forvaltning else None) or self.groups[0]

    @property
    def latest(self) -> int | None:
        """The index of the latest whole month or term with figures for the municipality
        (the one running now only if no earlier one has any)."""
        this_month = timezone.localdate().replace(day=1)
        with_figures = [
            index
            for index, figures in enumerate(self.groups[0].figures)
            if figures["invited"]
            or figures["raters"] is not None
            or figures["answers"] is not None
            or figures["survey_people"] is not None
            or figures["employees"] is not None
        ]
        whole = [i for i in with_figures if self.buckets[i].months[-1] < this_month]
        return (whole or with_figures or [None])[-1]


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _month_of(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _grouping(field_name: str, period: str, *, moment: bool = True) -> dict:
    """The database expressions a figure is grouped by besides the department: the month,
    or the year and the half-year (1: spring, 7: autumn) of `field_name` (a moment, read
    in Kungsör's time; with `moment=False`, a date)."""
    zone = {"tzinfo": _zone()} if moment else {}
    if period == MONTH:
        return {"m": TruncMonth(field_name, **zone)}
    return {
        "y": ExtractYear(field_name, **zone),
        "h": Case(
            When(Q(**{f"{field_name}__month__lte": 6}), then=Value(1)),
            default=Value(7),
            output_field=IntegerField(),
        ),
    }


def _start(row: dict) -> date:
    """The first day of the month or term a grouped row is about."""
    if "m" in row:
        return _month_of(row.pop("m"))
    return date(row.pop("y"), row.pop("h"), 1)


def _attendance(filters: EffektFilters) -> list:
    """(key, month, {invited, present}): held sessions in the years, for every manager
    counted in them (the dashboard's rule)."""
    rows = (
        Invitation.objects.filter(
            counted_managers("user", filters.since),
            session__status=TrainingSession.Status.HELD,
            session__starts_at__gte=day_start(filters.since),
            session__starts_at__lt=day_start(filters.until, end=True),
        )
        .values(dept=F("user__department_id"), **_grouping("session__starts_at", MONTH))
        .annotate(
            invited=ATTENDANCE_AGGREGATES["invited"], present=ATTENDANCE_AGGREGATES["present"]
        )
        .order_by()
    )
    return [(row.pop("dept"), _start(row), row) for row in rows]


def _steps(filters: EffektFilters) -> list:
    """(key, month, {steps_sent, steps_answered}): repetition steps sent in the years."""
    rows = (
        Reminder.objects.filter(
            counted_managers("user", filters.since),
            kind=Reminder.Kind.REPETITION,
            status=Reminder.Status.SENT,
            sent_at__gte=day_start(filters.since),
            sent_at__lt=day_start(filters.until, end=True),
        )
        .values(dept=F("user__department_id"), **_grouping("sent_at", MONTH))
        .annotate(
            steps_sent=Count("pk"),
            steps_answered=Count("pk", filter=Q(responded_at__isnull=False)),
        )
        .order_by()
    )
    return [(row.pop("dept"), _start(row), row) for row in rows]


def _ratings(filters: EffektFilters, period: str, programme: Programme | None = None) -> list:
    """(key, bucket start, figures): the ledord self-ratings of the years by everyone with
    the manager role (active or not: who rated in a period counts in it), or with
    `programme` by those who have ever been in one of its training groups. Per ledord, the
    people who rated it, the sum and the number of ratings."""
    figures = {}
    for name in LEDORD:
        rated = Q(**{f"{name}__isnull": False})
        figures[f"{name}_people"] = Count("author_id", distinct=True, filter=rated)
        figures[f"{name}_sum"] = Sum(name)
        figures[f"{name}_n"] = Count(name)
    ratings = LedordRating.objects.filter(
        author__groups=chef_group(),
        rated_on__gte=filters.since,
        rated_on__lte=filters.until,
    )
    if programme is not None:
        members = CohortMembership.objects.filter(programme=programme).values("user_id")
        ratings = ratings.filter(author__in=members)
    rows = (
        ratings.values(
            dept=F("author__department_id"), **_grouping("rated_on", period, moment=False)
        )
        .annotate(raters=Count("author_id", distinct=True), **figures)
        .order_by()
    )
    return [(row.pop("dept"), _start(row), row) for row in rows]


def _answers(filters: EffektFilters, period: str) -> list:
    """(key, bucket start, figures): the session evaluations' usefulness (1–5) for held
    sessions of the years, by the managers who answered (an erased person's rating is no
    one's any more and is left out). Only the figure: no text is read."""
    rows = (
        Answer.objects.filter(
            respondent__groups=chef_group(),
            session__status=TrainingSession.Status.HELD,
            session__starts_at__gte=day_start(filters.since),
            session__starts_at__lt=day_start(filters.until, end=True),
        )
        .values(dept=F("respondent__department_id"), **_grouping("session__starts_at", period))
        .annotate(
            answers=Count("respondent_id", distinct=True),
            usefulness_sum=Sum("usefulness"),
            usefulness_n=Count("pk"),
        )
        .order_by()
    )
    return [(row.pop("dept"), _start(row), row) for row in rows]


def _surveys(filters: EffektFilters, period: str) -> list:
    """(key, bucket start, figures): the closed benefit surveys' ratings, in the month or
    term each survey closed in (closed early: that day; otherwise its last day), by where
    each manager worked when they answered (as on the survey's own results page). The
    people are the managers who answered (an erased person's ratings stay in the sums but
    are not counted as people: the cells can only grow stricter). Only the ratings: no
    text is read."""
    today = timezone.localdate()
    responses = (
        SurveyResponse.objects.annotate(
            closed_on=Coalesce(
                TruncDate("survey__closed_early_at", tzinfo=_zone()), F("survey__closes_on")
            )
        )
        .filter(Q(survey__closed_early_at__isnull=False) | Q(survey__closes_on__lt=today))
        .filter(closed_on__gte=filters.since, closed_on__lte=filters.until)
    )
    rows = (
        responses.values(dept=F("department_id"), **_grouping("closed_on", period, moment=False))
        .annotate(
            survey_people=Count("respondent_id", distinct=True),
            survey_sum=Sum("ratings__value"),
            survey_n=Count("ratings"),
        )
        .order_by()
    )
    return [(row.pop("dept"), _start(row), row) for row in rows]


def _sick_leave(filters: EffektFilters) -> dict:
    """month -> key -> (employees, scheduled hours, sick hours) for the years."""
    return _sick_leave_figures(
        SickLeaveFigure.objects.filter(
            month__gte=filters.since, month__lte=filters.until
        ).order_by()
    )


def _add(target: dict, figures: dict) -> None:
    for name, value in figures.items():
        target[name] = target.get(name, 0) + (value or 0)


def _ratio(part, whole):
    return part / whole if whole else None


def effekt(filters: EffektFilters) -> Effekt:
    """Every group's figures per bucket of the chosen years (the whole municipality and
    each förvaltning, whatever förvaltning is chosen: the choice only picks what the page
    shows first, never which groups may be shown)."""
    org = organisation(filters.since)
    the_buckets = buckets(filters)
    bucket_of = {month: b.start for b in the_buckets for month in b.months}
    forvaltning_of = {
        key: forvaltning for forvaltning, keys in org.tree.units_of.items() for key in keys
    }
    everything = frozenset(forvaltning_of) | {NO_DEPARTMENT}
    groups = [Group(str(_("The municipality")), None, everything)] + [
        Group(f.name, f.pk, frozenset(org.tree.units_of[f.pk])) for f in org.forvaltningar
    ]

    def owners(key):
        """The groups a department key's figures add to: the municipality, its förvaltning."""
        return (None, forvaltning_of[key]) if key in forvaltning_of else (None,)

    counts: dict = defaultdict(dict)  # (group pk, bucket start) -> summed counts
    for key, month, figures in _attendance(filters) + _steps(filters):
        if month in bucket_of:
            for owner in owners(key):
                _add(counts[(owner, bucket_of[month])], figures)

    def people_and_sums(rows, people_fields):
        per_bucket_people = {name: defaultdict(dict) for name in people_fields}
        sums: dict = defaultdict(dict)
        for key, start, figures in rows:
            for name in people_fields:
                per_bucket_people[name][start][key] = figures.pop(name) or 0
            for owner in owners(key):
                _add(sums[(owner, start)], figures)
        return per_bucket_people, sums

    people_fields = ["raters", *(f"{name}_people" for name in LEDORD)]
    ratings_m, rating_sums = people_and_sums(_ratings(filters, MONTH), people_fields)
    answers_m, answer_sums = people_and_sums(_answers(filters, MONTH), ["answers"])
    surveys_m, survey_sums = people_and_sums(_surveys(filters, MONTH), ["survey_people"])
    ratings_b, answers_b, surveys_b = ratings_m, answers_m, surveys_m
    if filters.period == TERM:
        # People are counted once per term, not once for each month they answered in.
        ratings_b, rating_sums = people_and_sums(_ratings(filters, TERM), people_fields)
        answers_b, answer_sums = people_and_sums(_answers(filters, TERM), ["answers"])
        surveys_b, survey_sums = people_and_sums(_surveys(filters, TERM), ["survey_people"])
    ledord_rules = {
        name: Answering(
            org, ratings_m[f"{name}_people"], ratings_b[f"{name}_people"], filters.period
        )
        for name in LEDORD
    }
    raters_rule = Answering(org, ratings_m["raters"], ratings_b["raters"], filters.period)
    answers_rule = Answering(org, answers_m["answers"], answers_b["answers"], filters.period)
    survey_rule = Answering(
        org, surveys_m["survey_people"], surveys_b["survey_people"], filters.period
    )

    sick = _sick_leave(filters)
    sick_cells = {
        month: safe_cells(org.tree, {k: f[0] for k, f in figures.items()}, MIN_SICK_LEAVE_GROUP)
        for month, figures in sick.items()
    }

    for group in groups:
        steps_shown = org.cells.may_show({k for k in group.keys if org.managers_per_key.get(k)})
        for bucket in the_buckets:
            summed = counts.get((group.pk, bucket.start), {})
            figures = {
                "invited": summed.get("invited", 0),
                "present": summed.get("present", 0),
                "attendance_rate": _ratio(summed.get("present", 0), summed.get("invited", 0)),
            }
            if steps_shown:
                sent, answered = summed.get("steps_sent", 0), summed.get("steps_answered", 0)
                figures.update(
                    steps_sent=sent, steps_answered=answered, response_rate=_ratio(answered, sent)
                )
            else:
                figures.update(steps_sent=HIDDEN, steps_answered=HIDDEN, response_rate=HIDDEN)

            sums = answer_sums.get((group.pk, bucket.start), {})
            verdict = answers_rule.verdict(group.keys, bucket)
            if verdict is True:
                answering = answers_b["answers"].get(bucket.start, {})
                figures["answers"] = sum(answering.get(k, 0) for k in group.keys)
                figures["usefulness"] = _ratio(
                    sums.get("usefulness_sum", 0), sums.get("usefulness_n", 0)
                )
            else:
                figures["answers"] = figures["usefulness"] = verdict

            sums = survey_sums.get((group.pk, bucket.start), {})
            verdict = survey_rule.verdict(group.keys, bucket)
            if verdict is True:
                answering = surveys_b["survey_people"].get(bucket.start, {})
                figures["survey_people"] = sum(answering.get(k, 0) for k in group.keys)
                figures["survey_average"] = _ratio(
                    sums.get("survey_sum", 0), sums.get("survey_n", 0)
                )
            else:
                figures["survey_people"] = figures["survey_average"] = verdict

            sums = rating_sums.get((group.pk, bucket.start), {})
            verdict = raters_rule.verdict(group.keys, bucket)
            raters = ratings_b["raters"].get(bucket.start, {})
            figures["raters"] = (
                sum(raters.get(k, 0) for k in group.keys) if verdict is True else verdict
            )
            for name in LEDORD:
                verdict = ledord_rules[name].verdict(group.keys, bucket)
                figures[name] = (
                    _ratio(sums.get(f"{name}_sum", 0), sums.get(f"{name}_n", 0))
                    if verdict is True
                    else verdict
                )

            figures["employees"], figures["sick_rate"] = _sick_of(
                sick, sick_cells, group.keys, bucket
            )
            group.figures.append(figures)
    shown = [groups[0]] + [g for g in groups[1:] if _has_figures(g)]
    programme = None
    if filters.programme is not None:
        rules = {"raters": raters_rule} | ledord_rules
        programme = programme_ledord(filters, the_buckets, rules, people_fields)
    return Effekt(
        filters=filters,
        buckets=the_buckets,
        groups=shown,
        computed_at=timezone.now(),
        programme=programme,
    )


def programme_ledord(
    filters: EffektFilters, the_buckets: list, rules: dict, people_fields: list
) -> Group:
    """The ledord averages of a programme's members (everyone who has ever been in one of
    its training groups, so that a term is the sum of its months), per bucket.

    A programme cuts across the departments, so its figure is shown only where it is the
    figure of a union of the bucket's safe cells: in every cell it touches, every person
    who answered is one of its members. Any difference with a shown figure is then a
    union of cells as well (reports.disclosure), never fewer than 5 people who answered. A
    programme everyone takes part in is shown as often as the municipality; a smaller one
    only where its members fill whole cells, otherwise the figure says why not."""
    period = filters.period
    group = Group(filters.programme.name, filters.programme.pk, frozenset())

    def gathered(rows):
        people = {name: defaultdict(dict) for name in people_fields}
        sums: dict = defaultdict(dict)
        for key, start, figures in rows:
            for name in people_fields:
                people[name][start][key] = figures.pop(name) or 0
            _add(sums[start], figures)
        return people, sums

    month_people, _month_sums = gathered(_ratings(filters, MONTH, filters.programme))
    bucket_people, sums = month_people, _month_sums
    if period == TERM:
        bucket_people, sums = gathered(_ratings(filters, TERM, filters.programme))
    for bucket in the_buckets:
        figures = {}
        for name in ["raters", *LEDORD]:
            field_name = "raters" if name == "raters" else f"{name}_people"
            rule = rules[name]
            verdict = programme_verdict(
                rule, bucket, bucket_people[field_name], month_people[field_name]
            )
            if verdict is not True:
                figures[name] = verdict
            elif name == "raters":
                figures[name] = sum(bucket_people[field_name].get(bucket.start, {}).values())
            else:
                totals = sums.get(bucket.start, {})
                figures[name] = _ratio(totals.get(f"{name}_sum", 0), totals.get(f"{name}_n", 0))
        group.figures.append(figures)
    return group


def _sick_of(sick: dict, cells: dict, keys: frozenset, bucket: Bucket) -> tuple:
    """(employees, sick-leave rate) of a group in a bucket: a term's only where every
    month of it with figures may be shown (its employees: the average of its months)."""
    employees, scheduled, sick_hours, months = 0, 0.0, 0.0, 0
    for month in bucket.months:
        figures = sick.get(month)
        if not figures:
            continue
        shown_employees, _rate = sick_leave_of_group(figures, cells[month], keys)
        if shown_employees is None:
            continue
        if is_hidden(shown_employees):
            return HIDDEN_STAFF, HIDDEN_STAFF
        months += 1
        for key in keys:
            if key in figures:
                employees += figures[key][0]
                scheduled += figures[key][1]
                sick_hours += figures[key][2]
    if not months:
        return None, None
    return round(employees / months), _ratio(sick_hours, scheduled)


def _has_figures(group: Group) -> bool:
    return any(
        f["invited"]
        or f["answers"] is not None
        or f["survey_people"] is not None
        or f["raters"] is not None
        or f["employees"] is not None
        for f in group.figures
    )
