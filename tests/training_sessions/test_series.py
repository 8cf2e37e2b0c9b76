"""Series: every N weeks, holidays skipped and listed, changed one or all later together."""

from datetime import date

from django.urls import reverse

from sessions import services
from sessions.models import TrainingSession
from sessions.series import series_dates
from sessions.workdays import holiday_name, is_working_day
from tests.training_sessions.conftest import at, session_data


def test_every_third_wednesday_ten_times_in_spring_skips_first_of_may():
    dates, skipped = series_dates(
        first_date=date(2030, 3, 18), weekday=2, interval_weeks=3, count=10
    )

    assert dates[:4] == [date(2030, 3, 20), date(2030, 4, 10), date(2030, 5, 22), date(2030, 6, 12)]
    assert len(dates) == 10
    assert all(day.weekday() == 2 for day in dates)
    assert [(s.day, s.reason) for s in skipped] == [(date(2030, 5, 1), "Första maj")]


def test_until_a_date_includes_that_date():
    dates, skipped = series_dates(
        first_date=date(2027, 1, 4), weekday=0, interval_weeks=1, until=date(2027, 1, 25)
    )

    assert dates == [date(2027, 1, 4), date(2027, 1, 11), date(2027, 1, 18), date(2027, 1, 25)]
    assert skipped == []


def test_swedish_working_calendar():
    assert holiday_name(date(2027, 6, 25)) == "Midsommarafton"
    assert holiday_name(date(2027, 6, 6)) == "Nationaldagen"
    assert not is_working_day(date(2027, 12, 24))
    assert not is_working_day(date(2027, 1, 9))  # a Saturday
    assert is_working_day(date(2027, 1, 11))


def _series_form(world, coach, **changes):
    data = {
        "programme": world["cohort"].programme_id,
        "cohort": world["cohort"].pk,
        "format": "teori",
        "title": "Tematräff",
        "date": "2030-03-18",
        "weekday": "2",
        "interval_weeks": "3",
        "count": "10",
        "start_time": "13:00",
        "end_time": "16:00",
        "place": "Kommunhuset",
        "coaches": [coach.pk],
    }
    data.update(changes)
    return data


def test_the_series_form_previews_dates_and_skipped_holidays_then_creates_them(
    client, schedule_world, coach
):
    client.force_login(coach)
    url = reverse("training_sessions:series-create")

    preview = client.post(url, {**_series_form(schedule_world, coach), "preview": "1"})
    page = preview.content.decode()
    assert "10 träffar" in page
    assert "Onsdag 1 maj 2030: Första maj" in page
    assert not TrainingSession.objects.filter(title="Tematräff").exists()

    created = client.post(url, {**_series_form(schedule_world, coach), "create": "1"})
    assert created.status_code == 302
    sessions = TrainingSession.objects.filter(title="Tematräff").order_by("starts_at")
    assert sessions.count() == 10
    assert sessions[0].starts_at == at(2030, 3, 20, 13)
    assert sessions[0].series.skipped_dates[0] == {"date": "2030-05-01", "reason": "Första maj"}


def test_the_series_form_needs_an_end(client, schedule_world, coach):
    client.force_login(coach)

    response = client.post(
        reverse("training_sessions:series-create"),
        {**_series_form(schedule_world, coach, count=""), "preview": "1"},
    )

    assert "Ange ett slutdatum eller ett antal träffar." in response.content.decode()


def test_a_series_with_an_overlap_creates_nothing_until_overridden(client, schedule_world, coach):
    client.force_login(coach)
    url = reverse("training_sessions:series-create")
    clash = _series_form(schedule_world, coach, date="2027-03-08", count="3", place="Lilla salen")

    refused = client.post(url, {**clash, "create": "1"})
    assert refused.status_code == 409
    assert "Lilla salen är redan bokad" in refused.content.decode()
    assert not TrainingSession.objects.filter(title="Tematräff").exists()

    client.post(url, {**clash, "create": "1", "override": "on"})
    assert TrainingSession.objects.filter(title="Tematräff").count() == 3


def test_changing_this_and_later_sessions_keeps_each_date(schedule_world, coach):
    template = session_data(
        cohort=schedule_world["cohort"],
        coaches=[coach],
        starts_at=at(2030, 3, 20, 13),
        ends_at=at(2030, 3, 20, 16),
        place="Kommunhuset",
        title="Tematräff",
    )
    dates, skipped = series_dates(
        first_date=date(2030, 3, 18), weekday=2, interval_weeks=3, count=4
    )
    series = services.series_create(
        plan=services.series_plan(template=template, dates=dates, skipped=skipped),
        interval_weeks=3,
        created_by=coach,
    )
    first, second, third, fourth = series.sessions.order_by("starts_at")
    moved = session_data(
        cohort=schedule_world["cohort"],
        coaches=[coach],
        starts_at=at(2030, 4, 10, 9),
        ends_at=at(2030, 4, 10, 11),
        place="Stora salen",
        title="Tematräff (ny tid)",
    )

    services.session_update_following(session=second, data=moved)

    first.refresh_from_db()
    assert first.title == "Tematräff" and first.starts_at == at(2030, 3, 20, 13)
    for session, day in [(second, (4, 10)), (third, (5, 22)), (fourth, (6, 12))]:
        session.refresh_from_db()
        assert session.title == "Tematräff (ny tid)"
        assert session.place == "Stora salen"
        assert session.starts_at == at(2030, *day, 9)
        assert session.sequence == 1


def test_a_series_longer_than_sixty_sessions_is_refused_with_a_reason(
    client, schedule_world, coach
):
    client.force_login(coach)

    response = client.post(
        reverse("training_sessions:series-create"),
        {
            **_series_form(schedule_world, coach, count="", until="2035-12-31", interval_weeks="1"),
            "preview": "1",
        },
    )

    assert (
        "En serie har högst 60 träffar; välj ett tidigare slutdatum." in response.content.decode()
    )
    assert not TrainingSession.objects.filter(title="Tematräff").exists()
