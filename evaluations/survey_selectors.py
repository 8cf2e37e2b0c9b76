"""Reads of the yearly benefit ("nytta") survey.

Who answered what is never read out for anyone but the person themselves. Figures are
given only once a survey has closed (while it is open, two looks would differ by one
person's new or changed answer) and only for groups of at least MIN_ANSWERS answers chosen
by the small-group rule in shared.disclosure, so no group's figure can be worked out by
subtracting two shown ones. Free texts: an unnamed list in alphabetical order, only with at
least MIN_ANSWERS answers.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import (
    Count,
    Exists,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import Department
from accounts.permissions import AnyUser
from accounts.roles import Role
from evaluations.models import Survey, SurveyRating, SurveyResponse, SurveyStatement, SurveyText
from evaluations.selectors import MIN_ANSWERS, SCALE
from programme.models import CohortMembership, Programme
from shared.disclosure import NO_DEPARTMENT, Organisation, safe_cells

User = get_user_model()

DEFAULT_STATEMENTS = (
    "Jag känner mig tryggare som ledare",
    "Jag har fått verktyg som jag använder",
    "Jag har fått hjälp av andra chefer",
    "Träningen har förändrat hur jag leder mitt team",
)
DEFAULT_OPEN_QUESTION = "Vad mer vill du säga om ledarskapsträningen?"
MAX_STATEMENTS = 10


# Who ---------------------------------------------------------------------------------------


def can_manage_surveys(user: AnyUser) -> bool:
    """HR and coaches open, follow and close surveys (never see who answered what)."""
    return permissions.is_hr(user) or permissions.is_coach(user)


def survey_list_visible_to(user: AnyUser) -> QuerySet[Survey]:
    """HR: every survey; a coach: their programmes' surveys and the municipality's."""
    if permissions.is_hr(user):
        surveys = Survey.objects.all()
    elif permissions.is_coach(user):
        surveys = Survey.objects.filter(Q(programme__coaches=user) | Q(programme=None)).distinct()
    else:
        surveys = Survey.objects.none()
    return surveys.select_related("programme")


def survey_get_visible_to(user: AnyUser, pk: int) -> Survey | None:
    return survey_list_visible_to(user).filter(pk=pk).first()


def programmes_for(user: AnyUser) -> QuerySet[Programme]:
    """The programmes a person may open a survey for."""
    if permissions.is_hr(user):
        return Programme.objects.all()
    if permissions.is_coach(user):
        return Programme.objects.filter(coaches=user)
    return Programme.objects.none()


def invited(survey: Survey) -> QuerySet:
    """The managers asked to answer: the programme's members (any of its groups, also those
    who left), or every active manager for the municipality's survey."""
    managers = User.objects.filter(
        is_active=True, groups=Subquery(Group.objects.filter(name=Role.CHEF).values("pk")[:1])
    )
    if survey.programme_id:
        managers = managers.filter(
            Exists(
                CohortMembership.objects.filter(programme=survey.programme_id, user=OuterRef("pk"))
            )
        )
    return managers


def is_invited(user: AnyUser, survey: Survey) -> bool:
    return user.is_authenticated and invited(survey).filter(pk=user.pk).exists()


def survey_get_for_respondent(user: AnyUser, pk: int) -> Survey | None:
    """A survey the manager is asked to answer (someone else's: None)."""
    survey = Survey.objects.select_related("programme").filter(pk=pk).first()
    if survey is None or not permissions.is_manager(user) or not is_invited(user, survey):
        return None
    return survey


def open_surveys(today: date | None = None) -> QuerySet[Survey]:
    today = today or timezone.localdate()
    return Survey.objects.filter(
        opens_on__lte=today, closes_on__gte=today, closed_early_at__isnull=True
    )


def waiting_for(user: AnyUser, *, today: date | None = None) -> QuerySet[Survey]:
    """Open surveys the manager is asked to answer and has not, the soonest closing first."""
    if not permissions.is_manager(user):
        return Survey.objects.none()
    member_of = CohortMembership.objects.filter(user=user).values("programme")
    return (
        open_surveys(today)
        .filter(Q(programme=None) | Q(programme__in=member_of))
        .exclude(Exists(SurveyResponse.objects.filter(survey=OuterRef("pk"), respondent=user)))
        .order_by("closes_on", "pk")
    )


def own_response(user: AnyUser, survey: Survey) -> SurveyResponse | None:
    if not user.is_authenticated:
        return None
    return (
        SurveyResponse.objects.filter(survey=survey, respondent=user)
        .select_related("text")
        .prefetch_related("ratings")
        .first()
    )


def statements(survey: Survey) -> list[SurveyStatement]:
    return list(survey.statements.all())


# Lists ---------------------------------------------------------------------------------------


def survey_list_with_rates(user: AnyUser) -> QuerySet[Survey]:
    """The surveys a person may follow, newest first, with how many have answered."""
    return (
        survey_list_visible_to(user)
        .annotate(answered_count=Count("responses", distinct=True))
        .order_by("-opens_on", "-pk")
    )


def invited_counts(surveys) -> dict[int, int]:
    """How many are asked to answer each survey: one count for the municipality's surveys,
    one per programme, whatever the number of surveys."""
    surveys = list(surveys)
    counts = {}
    programme_ids = {s.programme_id for s in surveys if s.programme_id}
    per_programme = {}
    if programme_ids:
        managers = invited(Survey()).filter(cohort_memberships__programme__in=programme_ids)
        per_programme = dict(
            managers.values("cohort_memberships__programme")
            .annotate(n=Count("pk", distinct=True))
            .values_list("cohort_memberships__programme", "n")
        )
    everyone = invited(Survey()).count() if any(not s.programme_id for s in surveys) else 0
    for survey in surveys:
        counts[survey.pk] = (
            per_programme.get(survey.programme_id, 0) if survey.programme_id else everyone
        )
    return counts


# Results -------------------------------------------------------------------------------------


@dataclass
class StatementFigures:
    text: str
    average: float | None
    distribution: list[tuple[int, int]]  # (rating, answers)


@dataclass
class GroupRow:
    label: str
    level: str  # "forvaltning", "enhet" or "together"
    answered: int
    averages: list[float | None]  # per statement, in the survey's order
    keys: frozenset = frozenset()  # the department keys counted in the row


@dataclass
class SurveyResults:
    invited: int
    answered: int
    closed: bool
    shown: bool  # closed and at least MIN_ANSWERS answers
    statements: list[StatementFigures] = field(default_factory=list)
    rows: list[GroupRow] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    # The municipality's survey only: per programme (see programme_rows).
    programme_rows: list[GroupRow] = field(default_factory=list)
    programmes_left_out: int = 0

    @property
    def rate(self) -> float | None:
        return self.answered / self.invited if self.invited else None

    @property
    def missing(self) -> int:
        return max(MIN_ANSWERS - self.answered, 0)


def organisation() -> tuple[Organisation, dict]:
    """Every förvaltning with its keys (its own id and its enheter's), and names per id."""
    org = Organisation()
    names, parents = {}, {}
    for pk, name, parent_id in Department.objects.values_list("pk", "name", "parent_id"):
        names[pk] = name
        parents[pk] = parent_id
    for pk, parent_id in parents.items():
        forvaltning = parent_id or pk
        org.units_of.setdefault(forvaltning, [forvaltning])
        if parent_id:
            org.units_of[forvaltning].append(pk)
    return org, names


def shown_groups(org: Organisation, answers: dict, minimum: int = MIN_ANSWERS) -> list:
    """The groups of department keys whose figures the results page shows, as (level,
    förvaltning id, keys): each förvaltning, each enhet, and each merged cell ("together"),
    but only those the small-group rule allows."""
    cells = safe_cells(org, answers, minimum)
    groups = []
    for forvaltning, keys in org.units_of.items():
        if cells.may_show(keys):
            groups.append(("forvaltning", forvaltning, frozenset(keys)))
        for key in keys[1:]:
            if cells.may_show([key]):
                groups.append(("enhet", forvaltning, frozenset([key])))
    whole = {f: frozenset(k for k in keys if answers.get(k)) for f, keys in org.units_of.items()}
    for cell in sorted(set(cells.cell_of.values()), key=str):
        members = frozenset(cells.members(cell))
        single_unit = len(members) == 1 and next(iter(members)) not in org.units_of
        if single_unit or members in whole.values() or not cells.may_show(members):
            continue
        groups.append(("together", None, members))
    return groups


def _figures(rows, statement_ids) -> tuple[int, list]:
    """(answers, average per statement) from per-key rows {key: (answers, {stmt: (sum, n)})}."""
    answered = sum(n for n, _ in rows)
    averages = []
    for statement_id in statement_ids:
        total = sum(sums.get(statement_id, (0, 0))[0] for _, sums in rows)
        count = sum(sums.get(statement_id, (0, 0))[1] for _, sums in rows)
        averages.append(total / count if count else None)
    return answered, averages


def survey_results(survey: Survey, *, today: date | None = None) -> SurveyResults:
    """What HR and the survey's coaches may see: the response rate always; figures and
    texts once closed and with enough answers; rows per förvaltning and unit by the rule."""
    responses = SurveyResponse.objects.filter(survey=survey)
    answered = responses.count()
    closed = survey.has_closed(today)
    results = SurveyResults(
        invited=invited(survey).count(),
        answered=answered,
        closed=closed,
        shown=closed and answered >= MIN_ANSWERS,
    )
    if not results.shown:
        return results
    ordered = statements(survey)
    ratings = SurveyRating.objects.filter(response__survey=survey)
    per_statement = defaultdict(dict)
    for statement_id, value, n in (
        ratings.values_list("statement_id", "value").annotate(n=Count("pk")).order_by()
    ):
        per_statement[statement_id][value] = n
    for statement in ordered:
        counts = per_statement.get(statement.pk, {})
        total = sum(counts.values())
        average = sum(v * n for v, n in counts.items()) / total if total else None
        results.statements.append(
            StatementFigures(
                text=statement.text,
                average=average,
                distribution=[(value, counts.get(value, 0)) for value in SCALE],
            )
        )

    # Per department key: answers, and per statement (sum, count) of ratings.
    org, names = organisation()
    per_key_answers = dict(
        responses.values("department").annotate(n=Count("pk")).values_list("department", "n")
    )
    per_key_sums = defaultdict(dict)
    for key, statement_id, total, n in (
        ratings.values("response__department", "statement")
        .annotate(total=Sum("value"), n=Count("pk"))
        .values_list("response__department", "statement", "total", "n")
    ):
        per_key_sums[key][statement_id] = (total, n)
    statement_ids = [s.pk for s in ordered]
    for level, forvaltning, keys in shown_groups(org, per_key_answers):
        rows = [(per_key_answers.get(k, 0), per_key_sums.get(k, {})) for k in keys]
        count, averages = _figures(rows, statement_ids)
        if level == "forvaltning":
            label = names[forvaltning]
        elif level == "enhet":
            label = f"{names[forvaltning]} › {names[next(iter(keys))]}"
        else:
            parts = sorted(
                _("No department") if k is NO_DEPARTMENT else names.get(k, "") for k in keys
            )
            label = _("Together: %(names)s") % {"names": ", ".join(parts)}
        results.rows.append(GroupRow(label, level, count, averages, keys))
    results.rows.sort(key=lambda row: (row.level == "together", row.label.casefold()))

    if survey.programme_id is None:
        results.programme_rows, results.programmes_left_out = programme_rows(
            survey, org, per_key_answers, statement_ids
        )

    results.texts = sorted(
        SurveyText.objects.filter(response__survey=survey).values_list("text", flat=True),
        key=str.casefold,
    )
    return results


def _joined_by_last_day(survey: Survey, memberships: str) -> FilteredRelation:
    """The respondent's training-group memberships begun by the survey's last day."""
    return FilteredRelation(
        memberships, condition=Q(**{f"{memberships}__joined_on__lte": survey.last_day})
    )


def programme_rows(
    survey: Survey, org: Organisation, per_key_answers: dict, statement_ids: list
) -> tuple[list[GroupRow], int]:
    """The municipality's survey per programme: the answers of everyone who had joined one of
    its training groups by the survey's last day (also those who have left since; not those
    who joined later), and how many programmes with answers are left out.

    A programme cuts across the departments (and a manager may be in several), so its row
    is shown only where it is the figure of a union of the survey's safe cells: in every
    cell it touches, everyone who answered is one of its members, and at least MIN_ANSWERS
    answered. Every shown row (department or programme) is then a union of cells, and so is
    any sum or difference of them: never fewer than MIN_ANSWERS answers (shared.disclosure).
    An erased person's answer belongs to no programme, so its cell is never a programme's."""
    cells = safe_cells(org, per_key_answers, MIN_ANSWERS)
    members = defaultdict(dict)  # programme -> key -> answers by its members
    for key, programme_id, n in (
        SurveyResponse.objects.filter(survey=survey, respondent__isnull=False)
        .alias(membership=_joined_by_last_day(survey, "respondent__cohort_memberships"))
        .values("department", "membership__programme")
        .annotate(n=Count("pk", distinct=True))
        .values_list("department", "membership__programme", "n")
        .order_by()
    ):
        if programme_id is not None:
            members[programme_id][key] = n
    shown = []
    for programme_id, per_key in members.items():
        per_cell = defaultdict(int)
        for key, n in per_key.items():
            if key in cells.cell_of:
                per_cell[cells.cell_of[key]] += n
        whole = all(n == cells.sizes[cell] for cell, n in per_cell.items())
        touched = {k for k in per_key if per_key[k]}
        if whole and sum(per_key.values()) >= MIN_ANSWERS and cells.may_show(touched):
            shown.append(programme_id)
    rows = []
    if shown:
        names = dict(Programme.objects.filter(pk__in=shown).values_list("pk", "name"))
        # One query for every programme: each rating once per programme (a manager in two
        # of its training groups is joined twice, so the ratings are told apart by id).
        sums = {programme_id: defaultdict(lambda: [0, 0]) for programme_id in shown}
        memberships = "response__respondent__cohort_memberships"
        for programme_id, statement_id, _pk, value in (
            SurveyRating.objects.filter(response__survey=survey)
            .alias(membership=_joined_by_last_day(survey, memberships))
            .filter(membership__programme__in=shown)
            .values_list("membership__programme", "statement", "pk", "value")
            .distinct()
            .order_by()
        ):
            sums[programme_id][statement_id][0] += value
            sums[programme_id][statement_id][1] += 1
        for programme_id in shown:
            answered = sum(members[programme_id].values())
            _count, averages = _figures(
                [(answered, {k: tuple(v) for k, v in sums[programme_id].items()})],
                statement_ids,
            )
            rows.append(GroupRow(names[programme_id], "programme", answered, averages))
        rows.sort(key=lambda row: row.label.casefold())
    return rows, len(members) - len(shown)
