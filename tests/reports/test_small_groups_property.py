"""Property-based: over generated organisations, no group smaller than the limit is shown or
can be worked out from what is shown (totals, overlapping filters, merged rows).

"Worked out" is checked as linear algebra, independent of how the portal picks its groups:
a figure that adds up (a count of reflections, hours of sick leave) for a set of departments
is derivable from the shown figures exactly when that set's indicator vector lies in the
span of the shown sets' vectors. For every set of departments with fewer people than the
limit (each single department, each förvaltning, each pair), that must never happen.
"""

from fractions import Fraction
from itertools import combinations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reports.disclosure import NO_DEPARTMENT, Organisation, safe_cells

# An organisation: förvaltningar, each with people placed directly on it and in its enheter.
organisations = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=4),  # people placed on the förvaltning itself
        st.lists(st.integers(min_value=0, max_value=25), min_size=0, max_size=6),  # enheter
    ),
    min_size=1,
    max_size=6,
)


def build(spec):
    org, people, key = Organisation(), {}, 0
    for forvaltning_id, (direct, units) in enumerate(spec, start=1000):
        keys = [forvaltning_id]
        people[forvaltning_id] = direct
        for size in units:
            key += 1
            keys.append(key)
            people[key] = size
        org.units_of[forvaltning_id] = keys
    return org, people


def visible_groups(org, people, cells) -> list[frozenset]:
    """Every group any choice of filter shows a figure for: the whole organisation, each
    förvaltning, each department, and the merged rows ("Together: ...")."""
    candidates = [frozenset(k for keys in org.units_of.values() for k in keys)]
    for keys in org.units_of.values():
        candidates.append(frozenset(keys))
        candidates += [frozenset([k]) for k in keys]
    candidates += [frozenset(cells.members(cell)) for cell in set(cells.cell_of.values())]
    return [g for g in candidates if cells.may_show(g)]


def _in_span(target: list, vectors: list[list]) -> bool:
    """Is `target` a linear combination of `vectors`? (Gaussian elimination on fractions.)"""
    rows = [[Fraction(x) for x in v] for v in vectors]
    width = len(target)
    pivots = []
    for column in range(width):
        pivot = next((r for r in range(len(pivots), len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[len(pivots)], rows[pivot] = rows[pivot], rows[len(pivots)]
        top = rows[len(pivots)]
        for r in range(len(rows)):
            if r != len(pivots) and rows[r][column] != 0:
                factor = rows[r][column] / top[column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], top, strict=True)]
        pivots.append(column)
    rest = [Fraction(x) for x in target]
    for index, column in enumerate(pivots):
        if rest[column] != 0:
            factor = rest[column] / rows[index][column]
            rest = [a - factor * b for a, b in zip(rest, rows[index], strict=True)]
    return all(x == 0 for x in rest)


def _check(spec, minimum):
    org, people = build(spec)
    cells = safe_cells(org, people, minimum)
    shown = visible_groups(org, people, cells)
    keys = sorted(k for k, n in people.items() if n > 0)
    vector = lambda group: [1 if k in group else 0 for k in keys]  # noqa: E731
    vectors = [vector(g) for g in shown]
    # Every shown group holds at least `minimum` people.
    for group in shown:
        assert sum(people[k] for k in group) >= minimum
    # No small set of departments can be worked out from the shown groups.
    small_sets = [frozenset([k]) for k in keys]
    small_sets += [frozenset(org.units_of[f]) for f in org.units_of]
    small_sets += [frozenset(pair) for pair in combinations(keys, 2)]
    for group in small_sets:
        size = sum(people[k] for k in group)
        if 0 < size < minimum:
            assert not _in_span(vector(group), vectors), (group, size)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(organisations)
def test_reflection_figures_never_show_or_reveal_fewer_than_5_managers(spec):
    _check(spec, minimum=5)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(organisations)
def test_sick_leave_never_shows_or_reveals_10_employees_or_fewer(spec):
    _check(spec, minimum=11)


def test_the_checker_finds_a_leak_when_there_is_one():
    """A subtraction attack: the whole (6) and a unit of 5 shown reveal the other unit (1)."""
    assert _in_span([0, 1], [[1, 1], [1, 0]])
    assert not _in_span([0, 1], [[1, 1]])


# The same rule through the portal itself: generated organisations in the database, every
# choice of administration and unit, every table on the page and in the CSV exports.

from datetime import date  # noqa: E402

from hypothesis.extra.django import TestCase  # noqa: E402

from accounts.models import Department  # noqa: E402
from reflections.models import Entry  # noqa: E402
from reports import exports, selectors  # noqa: E402
from reports.forms import Filters  # noqa: E402
from reports.tables import tables  # noqa: E402
from tests.factories import ManagerFactory  # noqa: E402

small_organisations = st.lists(
    st.lists(st.integers(min_value=0, max_value=7), min_size=1, max_size=3),
    min_size=1,
    max_size=3,
)
REFLECTION_LABELS = ("Skrivna reflektioner", "Gjorda åtaganden", "Skickade repetitionssteg")


class PortalShowsNoSmallGroup(TestCase):
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(small_organisations)
    def test_pages_and_exports(self, spec):
        people = {}
        for f_index, units in enumerate(spec):
            forvaltning = Department.objects.create(
                name=f"F{f_index}", kind=Department.Kind.FORVALTNING
            )
            for u_index, size in enumerate(units):
                enhet = Department.objects.create(
                    name=f"E{f_index}{u_index}", kind=Department.Kind.ENHET, parent=forvaltning
                )
                people[enhet.pk] = size
                Entry.objects.bulk_create(
                    Entry(author=manager, body="x", written_on=date(2027, 2, 1))
                    for n, manager in enumerate(ManagerFactory.create_batch(size, department=enhet))
                    for _ in range(n + 1)  # everyone writes a different number of entries
                )
        choices = [{}]
        choices += [{"forvaltning": f} for f in Department.objects.filter(parent__isnull=True)]
        choices += [{"enhet": e} for e in Department.objects.filter(parent__isnull=False)]
        shown_groups = []
        for choice in choices:
            filters = Filters(since=date(2027, 1, 1), until=date(2027, 12, 31), **choice)
            board = selectors.dashboard(filters)
            rows = [board.total, *board.by_forvaltning, *board.by_enhet]
            for row in rows:
                if row.reflections_shown:
                    assert row.managers >= 5
                    shown_groups.append(frozenset(k for k in row.keys if people.get(k)))
                else:
                    assert row.value("entries") is selectors.HIDDEN
            for table in tables(board).values():
                text = exports.as_csv(table, filters).decode("utf-8-sig")
                lines = [line.split(";") for line in text.splitlines()]
                header = lines[lines.index([""]) + 1]
                if header == ["Mått", "Värde"]:  # the overview: the selection's total
                    values = dict(lines[lines.index(header) + 1 :])
                    if board.total.managers < 5:
                        assert values["Skrivna reflektioner"] == "färre än 5"
                    continue
                if "Chefer" not in header:
                    continue
                managers_at = header.index("Chefer")
                for line in lines[lines.index(header) + 1 :]:
                    if int(line[managers_at]) < 5:
                        for label in REFLECTION_LABELS:
                            if label in header:
                                assert line[header.index(label)] == "färre än 5", line
        keys = sorted(k for k, n in people.items() if n)
        vectors = [[1 if k in g else 0 for k in keys] for g in set(shown_groups)]
        for key in keys:
            if people[key] < 5:
                assert not _in_span([1 if k == key else 0 for k in keys], vectors)


@settings(max_examples=400, deadline=None)
@given(
    organisations,
    st.sampled_from([5, 11]),
    st.integers(min_value=0, max_value=12),  # people with no department
    st.integers(min_value=0, max_value=12),  # people in a department outside the organisation
)
def test_the_whole_organisation_is_shown_exactly_when_its_people_reach_the_limit(
    spec, minimum, none, outside
):
    """The sick-leave trend relies on this to count the whole organisation's months in the
    database instead of building cells for each (reports.selectors.sick_leave)."""
    org, people = build(spec)
    if none:
        people[NO_DEPARTMENT] = none
    if outside:
        people[999_999] = outside  # a department no longer in the organisation
    known = {key for keys in org.units_of.values() for key in keys} | {NO_DEPARTMENT}
    in_organisation = sum(n for key, n in people.items() if key in known)

    cells = safe_cells(org, people, minimum)

    assert cells.may_show(set(people)) == (in_organisation >= minimum)


# Over time: HR deactivates one manager (a staff list without them), reads the same report
# again, then imports them back. No read may differ from the first: a figure that changed
# by that person's contribution would give their reflections away.

from datetime import timedelta  # noqa: E402

from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from reflections.models import Commitment  # noqa: E402

timed_organisations = st.tuples(
    small_organisations,
    st.integers(min_value=0, max_value=10_000),  # which manager leaves
    st.integers(min_value=0, max_value=300),  # days from the period's start to today
)


def _every_report(since, until) -> dict:
    """Every choice of administration and unit, every table, as HR's CSV files."""
    choices = [{}]
    choices += [{"forvaltning": f} for f in Department.objects.filter(parent__isnull=True)]
    choices += [
        {"forvaltning": e.parent, "enhet": e}
        for e in Department.objects.filter(parent__isnull=False)
    ]
    files = {}
    for choice in choices:
        filters = Filters(since=since, until=until, **choice)
        board = selectors.dashboard(filters)
        for slug, table in tables(board).items():
            key = (tuple(sorted((k, v.pk) for k, v in choice.items())), slug)
            files[key] = exports.as_csv(table, filters).decode("utf-8-sig")
    return files


def _changed(before: dict, after: dict) -> list:
    return [key for key in before if before[key] != after.get(key)] + [
        key for key in after if key not in before
    ]


class ReportsDoNotMoveWhenSomeoneLeaves(TestCase):
    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(timed_organisations)
    # The attack: six managers shown, one leaves, five still shown; the difference of the
    # two reads was the leaver's own entries.
    @example(([[6]], 0, 30))
    def test_deactivating_one_manager_changes_no_read_of_the_same_report(self, world):
        spec, leaver_index, days = world
        today = timezone.localdate()
        since, until = today - timedelta(days=days), today
        managers = []
        for f_index, units in enumerate(spec):
            forvaltning = Department.objects.create(
                name=f"F{f_index}", kind=Department.Kind.FORVALTNING
            )
            for u_index, size in enumerate(units):
                enhet = Department.objects.create(
                    name=f"E{f_index}{u_index}", kind=Department.Kind.ENHET, parent=forvaltning
                )
                managers += ManagerFactory.create_batch(size, department=enhet)
        if not managers:
            return
        Entry.objects.bulk_create(
            Entry(author=manager, body="x", written_on=since)
            for n, manager in enumerate(managers)
            for _ in range(n + 1)  # everyone writes a different number of entries
        )
        Commitment.objects.bulk_create(
            Commitment(author=manager, text="x", due_on=until) for manager in managers
        )
        leaver = managers[leaver_index % len(managers)]

        first = _every_report(since, until)
        # What a staff import does to someone missing from the list.
        User.objects.filter(pk=leaver.pk).update(is_active=False, deactivated_at=timezone.now())
        while_gone = _every_report(since, until)
        leaver.refresh_from_db()
        leaver.is_active = True  # imported back
        leaver.save()
        back = _every_report(since, until)

        assert not _changed(first, while_gone), _changed(first, while_gone)[:3]
        assert not _changed(first, back)


def test_a_manager_who_left_before_the_period_is_not_counted_in_it(db):
    """Counting the managers of the period: someone deactivated before it began (who could
    write nothing in it) does not make a group look bigger than it was."""
    enhet = Department.objects.create(
        name="E",
        kind=Department.Kind.ENHET,
        parent=Department.objects.create(name="F", kind=Department.Kind.FORVALTNING),
    )
    stayed = ManagerFactory.create_batch(4, department=enhet)
    left = ManagerFactory(department=enhet)
    today = timezone.localdate()
    User.objects.filter(pk=left.pk).update(
        is_active=False, deactivated_at=timezone.now() - timedelta(days=40)
    )
    for manager in stayed:
        Entry.objects.create(author=manager, body="x", written_on=today)

    last_month = selectors.dashboard(Filters(since=today - timedelta(days=30), until=today))
    last_year = selectors.dashboard(Filters(since=today - timedelta(days=365), until=today))

    assert last_month.total.managers == 4
    assert last_month.total.value("entries") is selectors.HIDDEN
    assert last_year.total.managers == 5
    assert last_year.total.value("entries") == 4


# The benefit survey's results (evaluations.survey_selectors) use the same rule for answers
# per förvaltning and unit: each förvaltning, each unit and each merged row it shows.

from evaluations import survey_selectors, survey_services  # noqa: E402


def _check_survey_groups(spec, minimum):
    org, answers = build(spec)
    shown = [keys for _level, _f, keys in survey_selectors.shown_groups(org, answers, minimum)]
    keys = sorted(k for k, n in answers.items() if n > 0)
    vector = lambda group: [1 if k in group else 0 for k in keys]  # noqa: E731
    vectors = [vector(g) for g in shown]
    for group in shown:
        assert sum(answers.get(k, 0) for k in group) >= minimum
    small_sets = [frozenset([k]) for k in keys]
    small_sets += [frozenset(org.units_of[f]) for f in org.units_of]
    small_sets += [frozenset(pair) for pair in combinations(keys, 2)]
    for group in small_sets:
        size = sum(answers.get(k, 0) for k in group)
        if 0 < size < minimum:
            assert not _in_span(vector(group), vectors), (group, size)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(organisations)
def test_survey_figures_never_show_or_reveal_fewer_than_5_answers(spec):
    _check_survey_groups(spec, minimum=5)


class SurveyResultsShowNoSmallGroup(TestCase):
    """Through the portal: generated organisations, a closed survey answered by everyone,
    the results page's rows (and the whole survey's figures)."""

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(small_organisations)
    def test_survey_results(self, spec):
        from tests.factories import HRFactory

        hr = HRFactory()
        survey = survey_services.survey_create(
            by=hr,
            title="Nyttoenkät",
            programme=None,
            opens_on=date.today(),
            closes_on=date.today(),
            statements=["Jag känner mig tryggare som ledare"],
            open_question="Vad mer?",
        )
        answers = {}
        for f_index, units in enumerate(spec):
            forvaltning = Department.objects.create(
                name=f"F{f_index}", kind=Department.Kind.FORVALTNING
            )
            for u_index, size in enumerate(units):
                enhet = Department.objects.create(
                    name=f"E{f_index}{u_index}", kind=Department.Kind.ENHET, parent=forvaltning
                )
                answers[enhet.pk] = size
                for n, manager in enumerate(ManagerFactory.create_batch(size, department=enhet)):
                    survey_services.response_save(
                        user=manager,
                        survey=survey,
                        ratings={survey.statements.get().pk: 1 + n % 5},
                        text=f"Text {n}",
                    )
        survey_services.survey_close(survey=survey)
        results = survey_selectors.survey_results(survey)
        total = sum(answers.values())
        assert results.shown == (total >= 5)
        assert bool(results.statements) == (total >= 5)
        assert bool(results.texts) == (total >= 5)
        for row in results.rows:
            assert row.answered >= 5
        keys = sorted(k for k, n in answers.items() if n)
        vectors = [[1 if k in row.keys else 0 for k in keys] for row in results.rows]
        if total >= 5:
            vectors.append([1] * len(keys))  # the whole survey's figures
        for key in keys:
            if answers[key] < 5:
                assert not _in_span([1 if k == key else 0 for k in keys], vectors)
