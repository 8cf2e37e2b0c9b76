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


# The Effekt view's averages (session usefulness, the ledord self-ratings): the safe cells
# are built, month by month and term by term, from the people who answered in it, and a
# term is shown only where its months with answers are. Sums of ratings add up over
# departments and months, so "worked out" is the span of the shown groups' vectors over
# (department, month); the people of a term are taken to be different each month (the
# smallest groups a term can have).

from types import SimpleNamespace  # noqa: E402

from reports.effekt import Bucket  # noqa: E402
from reports.effekt_rules import MONTH, TERM, Answering  # noqa: E402

MONTHS = (date(2027, 1, 1), date(2027, 2, 1))


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(organisations, st.data())
@example([(0, [6, 3])], None)
def test_effekt_averages_never_show_or_reveal_fewer_than_5_who_answered(spec, data):
    org, first = build(spec)
    keys = sorted(first)
    if data is None:  # the example: a unit of 3 answers in January only
        second = {k: (6 if n == 6 else 0) for k, n in first.items()}
    else:
        second = {k: data.draw(st.integers(min_value=0, max_value=8)) for k in keys}
    by_month = {MONTHS[0]: first, MONTHS[1]: second}
    term = {MONTHS[0]: {k: first[k] + second[k] for k in keys}}
    structure = SimpleNamespace(tree=org)
    month_rule = Answering(structure, by_month, by_month, MONTH)
    term_rule = Answering(structure, by_month, term, TERM)
    whole = frozenset(keys)
    groups = [whole] + [frozenset(units) for units in org.units_of.values()]

    shown = []
    for group in groups:
        for month in MONTHS:
            if month_rule.verdict(group, Bucket(month, (month,))) is True:
                assert sum(by_month[month][k] for k in group) >= 5
                shown.append({(k, month) for k in group})
        if term_rule.verdict(group, Bucket(MONTHS[0], MONTHS)) is True:
            assert sum(term[MONTHS[0]][k] for k in group) >= 5
            shown.append({(k, month) for k in group for month in MONTHS})

    places = [(k, month) for month in MONTHS for k in keys]
    vectors = [[1 if place in group else 0 for place in places] for group in shown]
    small_sets = [{place} for place in places]
    small_sets += [{(k, m) for k in units} for units in org.units_of.values() for m in MONTHS]
    small_sets += [{(k, m) for m in MONTHS} for k in keys]
    small_sets += [{(k, m) for k in units for m in MONTHS} for units in org.units_of.values()]
    small_sets += [{(a, m), (b, m)} for a, b in combinations(keys, 2) for m in MONTHS]
    for small in small_sets:
        people = sum(by_month[m][k] for k, m in small)
        if 0 < people < 5:
            target = [1 if place in small else 0 for place in places]
            assert not _in_span(target, vectors), (sorted(small), people)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(organisations, st.data())
def test_a_programme_s_ledord_never_show_or_reveal_fewer_than_5_who_answered(spec, data):
    """A programme cuts across departments: each (department, month) splits into its
    members and the others, and the programme's figure adds up only its members. With the
    departments' figures shown as before, nothing about fewer than 5 may be worked out."""
    from reports.effekt_rules import programme_verdict

    org, first = build(spec)
    keys = sorted(first)
    second = {k: data.draw(st.integers(min_value=0, max_value=8)) for k in keys}
    by_month = {MONTHS[0]: first, MONTHS[1]: second}
    members = {
        m: {k: data.draw(st.integers(min_value=0, max_value=n)) for k, n in counts.items()}
        for m, counts in by_month.items()
    }
    term = {MONTHS[0]: {k: first[k] + second[k] for k in keys}}
    members_term = {MONTHS[0]: {k: members[MONTHS[0]][k] + members[MONTHS[1]][k] for k in keys}}
    structure = SimpleNamespace(tree=org)
    month_rule = Answering(structure, by_month, by_month, MONTH)
    term_rule = Answering(structure, by_month, term, TERM)
    groups = [frozenset(keys)] + [frozenset(units) for units in org.units_of.values()]
    # A unit: (key, month, is a member); its people.
    size = {}
    for m in MONTHS:
        for k in keys:
            size[(k, m, True)] = members[m][k]
            size[(k, m, False)] = by_month[m][k] - members[m][k]
    units = sorted(size, key=str)

    shown = []
    for group in groups:
        for m in MONTHS:
            if month_rule.verdict(group, Bucket(m, (m,))) is True:
                shown.append({u for u in units if u[0] in group and u[1] == m})
        if term_rule.verdict(group, Bucket(MONTHS[0], MONTHS)) is True:
            shown.append({u for u in units if u[0] in group})
    for m in MONTHS:
        if programme_verdict(month_rule, Bucket(m, (m,)), members, members) is True:
            programme = {u for u in units if u[1] == m and u[2]}
            assert sum(size[u] for u in programme) >= 5
            shown.append(programme)
    if programme_verdict(term_rule, Bucket(MONTHS[0], MONTHS), members_term, members) is True:
        programme = {u for u in units if u[2]}
        assert sum(size[u] for u in programme) >= 5
        shown.append(programme)

    vectors = [[1 if u in group else 0 for u in units] for group in shown]
    small_sets = [{u} for u in units]
    small_sets += [
        {u for u in units if u[1] == m and u[2] == flag} for m in MONTHS for flag in (True, False)
    ]
    small_sets += [{u for u in units if u[2] == flag} for flag in (True, False)]
    small_sets += [
        {u for u in units if u[0] in grp and u[1] == m and u[2] == flag}
        for grp in org.units_of.values()
        for m in MONTHS
        for flag in (True, False)
    ]
    for small in small_sets:
        people = sum(size[u] for u in small)
        if 0 < people < 5:
            target = [1 if u in small else 0 for u in units]
            assert not _in_span(target, vectors), (sorted(small, key=str), people)


def test_effekt_without_the_term_rule_a_hidden_month_would_be_worked_out():
    """Why a term needs its months: January hidden (3 answered), February and the term
    shown (6 and 9 people): the term minus February is January's 3."""
    org, first = build([(0, [3])])
    [key] = [k for k, n in first.items() if n]
    by_month = {MONTHS[0]: {key: 3}, MONTHS[1]: {key: 6}}
    structure = SimpleNamespace(tree=org)
    months = Answering(structure, by_month, by_month, MONTH)
    rule = Answering(structure, by_month, {MONTHS[0]: {key: 9}}, TERM)
    group = frozenset(org.units_of[1000])

    assert months.verdict(group, Bucket(MONTHS[1], (MONTHS[1],))) is True
    assert months.verdict(group, Bucket(MONTHS[0], (MONTHS[0],))) is not True
    # Shown, the term would give January away: [1, 1] - [0, 1] = [1, 0].
    assert _in_span([1, 0], [[1, 1], [0, 1]])
    assert rule.verdict(group, Bucket(MONTHS[0], MONTHS)) is not True


# The same through the portal: generated organisations whose managers rate themselves in
# January and February, the Effekt figures per month and per term, and its CSV file.

from reflections.models import LedordRating  # noqa: E402
from reports.effekt import EffektFilters, effekt  # noqa: E402
from reports.effekt_tables import export_table  # noqa: E402

rating_organisations = st.lists(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=7), st.integers(min_value=0, max_value=7)),
        min_size=1,
        max_size=3,
    ),
    min_size=1,
    max_size=3,
)


class EffektShowsNoSmallGroup(TestCase):
    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(rating_organisations)
    def test_pages_and_exports(self, spec):
        year = timezone.localdate().year - 1
        months = (date(year, 1, 1), date(year, 2, 1))
        raters = {}
        for f_index, units in enumerate(spec):
            forvaltning = Department.objects.create(
                name=f"F{f_index}", kind=Department.Kind.FORVALTNING
            )
            for u_index, (january, february) in enumerate(units):
                enhet = Department.objects.create(
                    name=f"E{f_index}{u_index}", kind=Department.Kind.ENHET, parent=forvaltning
                )
                people = ManagerFactory.create_batch(max(january, february), department=enhet)
                raters[(enhet.pk, months[0])] = january
                raters[(enhet.pk, months[1])] = february
                LedordRating.objects.bulk_create(
                    [
                        LedordRating(author=p, rated_on=months[0], modigt=1 + n % 5)
                        for n, p in enumerate(people[:january])
                    ]
                    + [
                        LedordRating(author=p, rated_on=months[1], modigt=1 + (n * 3) % 5)
                        for n, p in enumerate(people[-february:] if february else [])
                    ]
                )
        places = sorted(raters, key=str)
        shown = []
        for period in ("month", "term"):
            filters = EffektFilters(period, year, year)
            report = effekt(filters)
            for group in report.groups:
                for bucket, figures in zip(report.buckets[:2], group.figures, strict=False):
                    in_group = [(k, m) for k, m in places if k in group.keys and m in bucket.months]
                    if figures["modigt"] is None or selectors.is_hidden(figures["modigt"]):
                        continue
                    assert figures["raters"] >= 5
                    shown.append(set(in_group))
            text = exports.as_csv(export_table(report, None), filters).decode("utf-8-sig")
            lines = [line.split(";") for line in text.splitlines()]
            header = lines[lines.index([""]) + 1]
            raters_at, modigt_at = (
                header.index("Chefer som skattat ledord"),
                header.index("Modigt (1–5)"),
            )
            for line in lines[lines.index(header) + 1 :]:
                if line[raters_at].isdigit():
                    assert int(line[raters_at]) >= 5
                elif line[raters_at]:
                    assert line[modigt_at] == line[raters_at]  # the reason, in words
        vectors = [[1 if place in group else 0 for place in places] for group in shown]
        for place in places:
            if 0 < raters[place] < 5:
                assert not _in_span([1 if p == place else 0 for p in places], vectors)


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


# The closed benefit surveys in the Effekt view (reports.effekt._surveys): generated
# organisations, a survey closing in January and one in February, answered per unit; the
# figures per month and per term, on the page's groups and in the CSV file. No shown survey
# figure holds fewer than 5 who answered, and no unit's answers (fewer than 5) lie in the
# span of the shown ones: none is the difference of two shown figures, or of any sums.


class EffektSurveysShowNoSmallGroup(TestCase):
    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(rating_organisations)
    def test_survey_figures_on_the_page_and_in_the_files(self, spec):
        from evaluations.models import Survey, SurveyRating, SurveyResponse

        year = timezone.localdate().year - 1
        months = (date(year, 1, 1), date(year, 2, 1))
        surveys = {}
        for month, closes in zip(months, (date(year, 1, 31), date(year, 2, 28)), strict=True):
            survey = Survey.objects.create(title="Nytta", opens_on=month, closes_on=closes)
            surveys[month] = (survey, survey.statements.create(text="Tryggare", order=1))
        answered = {}
        for f_index, units in enumerate(spec):
            forvaltning = Department.objects.create(
                name=f"F{f_index}", kind=Department.Kind.FORVALTNING
            )
            for u_index, counts in enumerate(units):
                enhet = Department.objects.create(
                    name=f"E{f_index}{u_index}", kind=Department.Kind.ENHET, parent=forvaltning
                )
                people = ManagerFactory.create_batch(max(counts), department=enhet)
                for month, count in zip(months, counts, strict=True):
                    answered[(enhet.pk, month)] = count
                    survey, statement = surveys[month]
                    for n, person in enumerate(
                        people[:count] if month == months[0] else people[len(people) - count :]
                    ):
                        response = SurveyResponse.objects.create(
                            survey=survey, respondent=person, department=enhet
                        )
                        SurveyRating.objects.create(
                            response=response, statement=statement, value=1 + n % 5
                        )
        places = sorted(answered, key=str)
        shown = []
        for period in ("month", "term"):
            filters = EffektFilters(period, year, year)
            report = effekt(filters)
            for group in report.groups:
                for bucket, figures in zip(report.buckets[:2], group.figures, strict=False):
                    value = figures["survey_average"]
                    if value is None or selectors.is_hidden(value):
                        assert figures["survey_people"] == value
                        continue
                    assert figures["survey_people"] >= 5
                    shown.append(
                        {(k, m) for k, m in places if k in group.keys and m in bucket.months}
                    )
            text = exports.as_csv(export_table(report, None), filters).decode("utf-8-sig")
            lines = [line.split(";") for line in text.splitlines()]
            header = lines[lines.index([""]) + 1]
            people_at = header.index("Chefer som svarat på en nyttoenkät")
            average_at = header.index("Nyttoenkät (1–5)")
            for line in lines[lines.index(header) + 1 :]:
                if line[people_at].isdigit():
                    assert int(line[people_at]) >= 5
                else:
                    assert line[average_at] == line[people_at]  # empty, or the reason
        vectors = [[1 if place in group else 0 for place in places] for group in shown]
        small_sets = [{place} for place in places]
        small_sets += [{(k, m) for m in months} for k, _m in places]
        for small in small_sets:
            people = sum(answered[place] for place in small)
            if 0 < people < 5:
                target = [1 if place in small else 0 for place in places]
                assert not _in_span(target, vectors), (sorted(small, key=str), people)


class SurveyPerProgrammeShowsNoSmallGroup(TestCase):
    """The municipality's survey per programme (evaluations.survey_selectors.programme_rows):
    generated organisations whose managers are or are not in a programme, everyone answers.
    Each (unit, in the programme or not) is a set of people; the rows shown (the whole
    survey, each förvaltning, unit and merged row, the programme) must leave none of fewer
    than 5 in their span."""

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(small_organisations, st.data())
    def test_programme_rows(self, spec, data):
        from tests.factories import CohortFactory, HRFactory

        hr = HRFactory()
        today = date.today()
        survey = survey_services.survey_create(
            by=hr,
            title="Nytta i kommunen",
            programme=None,
            opens_on=today,
            closes_on=today,
            statements=["Jag känner mig tryggare som ledare"],
        )
        statement = survey.statements.get()
        size, members, latecomers = {}, [], []
        for f_index, units in enumerate(spec):
            forvaltning = Department.objects.create(
                name=f"F{f_index}", kind=Department.Kind.FORVALTNING
            )
            for u_index, count in enumerate(units):
                enhet = Department.objects.create(
                    name=f"E{f_index}{u_index}", kind=Department.Kind.ENHET, parent=forvaltning
                )
                inside = data.draw(st.integers(min_value=0, max_value=count))
                # Some of the others join the programme only after the survey has closed.
                late = data.draw(st.integers(min_value=0, max_value=count - inside))
                size[(enhet.pk, True)], size[(enhet.pk, False)] = inside, count - inside
                for n, manager in enumerate(ManagerFactory.create_batch(count, department=enhet)):
                    if n < inside:
                        members.append(manager)
                    elif n < inside + late:
                        latecomers.append(manager)
                    survey_services.response_save(
                        user=manager, survey=survey, ratings={statement.pk: 1 + n % 5}
                    )
        survey_services.survey_close(survey=survey)
        if members or latecomers:
            cohort = CohortFactory(members=members + latecomers, programme__name="Programmet")
            cohort.memberships.update(joined_on=today - timedelta(days=30))
            cohort.memberships.filter(user__in=latecomers).update(
                joined_on=today + timedelta(days=1)
            )
        results = survey_selectors.survey_results(survey)
        places = sorted(size, key=str)
        shown = [{p for p in places if p[0] in row.keys} for row in results.rows]
        if results.shown:
            shown.append(set(places))
        for row in results.programme_rows:
            assert row.answered == len(members) >= 5
            shown.append({p for p in places if p[1]})
        vectors = [[1 if p in group else 0 for p in places] for group in shown]
        smalls = [{p} for p in places]
        smalls += [{p for p in places if p[1] == flag} for flag in (True, False)]
        for small in smalls:
            people = sum(size[p] for p in small)
            if 0 < people < 5:
                target = [1 if p in small else 0 for p in places]
                assert not _in_span(target, vectors), (sorted(small, key=str), people)
