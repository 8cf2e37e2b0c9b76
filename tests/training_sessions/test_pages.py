"""What the coach and the managers see and do on the session pages."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions import services
from sessions.models import Invitation, TrainingSession
from tests.factories import CohortFactory, ManagerFactory
from tests.training_sessions.conftest import at, session_data


def _form(world, coach, **changes):
    data = {
        "programme": world["cohort"].programme_id,
        "cohort": world["cohort"].pk,
        "format": "praktik",
        "title": "Leda andra, del 1",
        "date": "2027-03-10",
        "start_time": "15:00",
        "end_time": "17:00",
        "place": "Lilla salen",
        "coaches": [coach.pk],
        "submit": "Spara",
    }
    data.update(changes)
    return data


def test_coach_is_warned_of_conflicts_and_nothing_is_saved_until_overriding(
    client, schedule_world, coach
):
    client.force_login(coach)
    url = reverse("training_sessions:session-create")
    before = TrainingSession.objects.count()

    warned = client.post(url, _form(schedule_world, coach))

    page = warned.content.decode()
    assert warned.status_code == 409
    assert "Inget är sparat ännu: träffen krockar med andra" in page
    assert "Ledartränaren Karin Tränare leder redan ”Leda sig själv, del 1”" in page
    assert "Lilla salen är redan bokad" in page
    assert "Träningsgruppen Grupp Norr har redan" in page
    assert TrainingSession.objects.count() == before

    saved = client.post(url, _form(schedule_world, coach, override="on"))
    assert saved.status_code == 302
    assert TrainingSession.objects.count() == before + 1


def test_bad_times_are_explained_in_swedish(client, schedule_world, coach):
    client.force_login(coach)

    response = client.post(
        reverse("training_sessions:session-create"),
        _form(schedule_world, coach, start_time="16:00", end_time="15:00", date="2027-05-05"),
    )

    assert "Träffen måste sluta efter att den börjar." in response.content.decode()


def test_open_make_up_session_needs_places(client, schedule_world, coach):
    client.force_login(coach)

    response = client.post(
        reverse("training_sessions:session-create"),
        _form(schedule_world, coach, cohort="", date="2027-05-05"),
    )

    assert "Ett öppet uppsamlingstillfälle behöver ett antal platser." in response.content.decode()


def test_coach_cannot_schedule_for_another_programmes_cohort(client, schedule_world, coach):
    client.force_login(coach)
    other = schedule_world["other_cohort"]

    response = client.post(
        reverse("training_sessions:session-create"),
        _form(
            schedule_world, coach, programme=other.programme_id, cohort=other.pk, date="2027-05-05"
        ),
    )

    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()


def test_manager_reports_and_withdraws_forhinder_on_the_session_page(
    client, schedule_world, manager
):
    client.force_login(manager)
    session = schedule_world["session"]
    url = reverse("training_sessions:session-detail", args=[session.pk])

    reported = client.post(
        reverse("training_sessions:excuse-report", args=[session.pk]),
        {"comment": "Krismöte"},
        follow=True,
    )
    assert "Ditt förhinder är anmält." in reported.content.decode()
    assert "Du har anmält förhinder." in client.get(url).content.decode()

    client.post(reverse("training_sessions:excuse-withdraw", args=[session.pk]))
    assert not session.invitations.get(user=manager).has_excuse


def test_coach_marks_everyone_present_except_those_with_forhinder(
    client, schedule_world, coach, manager
):
    session = schedule_world["session"]
    services.invitation_report_excuse(invitation=session.invitations.get(user=manager))
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(coach)

    client.post(
        reverse("training_sessions:attendance-save", args=[session.pk]), {"all_present": "1"}
    )

    marks = dict(session.invitations.values_list("user_id", "attendance"))
    assert marks.pop(manager.pk) == Invitation.Attendance.EXCUSED
    assert set(marks.values()) == {Invitation.Attendance.PRESENT}
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.HELD


def test_coach_marks_one_absent(client, schedule_world, coach, manager):
    session = schedule_world["session"]
    client.force_login(coach)

    client.post(
        reverse("training_sessions:attendance-save", args=[session.pk]),
        {f"user_{manager.pk}": "franvarande", "save": "1"},
    )

    assert session.invitations.get(user=manager).attendance == "franvarande"
    assert session.invitations.exclude(user=manager).filter(attendance="").count() == 3


def test_my_sessions_shows_upcoming_and_past_with_attendance(client, schedule_world, manager):
    past = schedule_world["session"]
    TrainingSession.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=3),
    )
    past.invitations.filter(user=manager).update(attendance="narvarande")
    client.force_login(manager)

    page = client.get(reverse("training_sessions:my-sessions")).content.decode()

    assert "Leda sig själv, del 1" in page
    assert "Närvarande" in page


def test_list_pages_make_the_same_number_of_queries_at_ten_times_the_data(
    client, coach, manager, hr_user
):
    cohort = CohortFactory(coaches=[coach], programme__coaches=[coach], members=[manager])
    other = CohortFactory(programme=cohort.programme, coaches=[coach])

    def grow(count: int) -> None:
        """Sessions past (missed by the manager) and to come, in both groups and open."""
        for _ in range(count):
            n = TrainingSession.objects.count()
            past = timezone.now() - timedelta(days=1 + n)
            missed = services.session_create(
                data=session_data(
                    cohort=cohort,
                    coaches=[coach],
                    starts_at=past,
                    ends_at=past + timedelta(minutes=30),
                    place=f"Rum {n}",
                ),
                created_by=coach,
                override=True,
            )
            services.attendance_mark(
                session=missed, marks={manager.pk: "franvarande"}, marked_by=coach
            )
            for group, capacity in ((other, None), (None, 10)):
                start = timezone.now() + timedelta(days=2 + n, hours=1 if group else 3)
                services.session_create(
                    data=session_data(
                        cohort=group,
                        programme_id=cohort.programme_id,
                        capacity=capacity,
                        coaches=[coach],
                        starts_at=start,
                        ends_at=start + timedelta(hours=1),
                        place=f"Sal {n}-{capacity}",
                    ),
                    created_by=coach,
                    override=True,
                )
        ManagerFactory.create_batch(count)

    def measure() -> dict[str, int]:
        counts = {}
        for user, name in [(coach, "schedule"), (hr_user, "schedule"), (manager, "my-sessions")]:
            client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                page = client.get(reverse(f"training_sessions:{name}"))
            assert page.status_code == 200
            counts[f"{user.pk}-{name}"] = len(queries)
        return counts

    grow(2)
    small = measure()
    grow(18)
    client.force_login(manager)
    assert (
        "Ta igen en missad träff"
        in client.get(reverse("training_sessions:my-sessions")).content.decode()
    )

    assert measure() == small


def test_week_and_month_views_place_sessions_on_their_days(client, schedule_world, coach):
    client.force_login(coach)
    url = reverse("training_sessions:schedule")

    week = client.get(url, {"vy": "vecka", "datum": "2027-03-10"}).content.decode()
    month = client.get(url, {"vy": "manad", "datum": "2027-03-01"}).content.decode()
    other_month = client.get(url, {"vy": "manad", "datum": "2027-04-01"}).content.decode()

    assert "Vecka 10, 8 mars – 14 mars 2027" in week
    assert "Onsdag 10 mars" in week
    assert "13:00–16:00" in week and "Leda sig själv, del 1" in week
    assert "Mars 2027" in month and "13:00 Leda sig själv, del 1" in month
    assert "Leda sig själv, del 1" not in other_month
    assert "Annan träff" not in week  # another programme's session


def test_calendar_views_keep_their_query_count_at_ten_times_the_data(client, coach, manager):
    cohort = CohortFactory(coaches=[coach], programme__coaches=[coach], members=[manager])
    client.force_login(coach)
    url = reverse("training_sessions:schedule")

    def add(count: int) -> None:
        for i in range(count):
            day = at(2027, 3, 1, 8) + timedelta(
                days=(i * 9) % 28, minutes=30 * TrainingSession.objects.count()
            )
            services.session_create(
                data=session_data(
                    cohort=cohort,
                    coaches=[coach],
                    starts_at=day,
                    ends_at=day + timedelta(minutes=20),
                ),
                created_by=coach,
                override=True,
            )

    def measure() -> list[int]:
        counts = []
        for params in (
            {"vy": "vecka", "datum": "2027-03-10"},
            {"vy": "manad", "datum": "2027-03-01"},
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, params).status_code == 200
            counts.append(len(queries))
        return counts

    add(3)
    small = measure()
    add(27)

    assert measure() == small


def test_the_page_shows_local_time_after_the_switch_to_summer_time(client, coach):
    cohort = CohortFactory(coaches=[coach], programme__coaches=[coach])
    session = services.session_create(
        data=session_data(
            cohort=cohort,
            coaches=[coach],
            starts_at=at(2027, 3, 29, 9),
            ends_at=at(2027, 3, 29, 12),
        ),
        created_by=coach,
    )
    client.force_login(coach)

    page = client.get(
        reverse("training_sessions:session-detail", args=[session.pk])
    ).content.decode()

    assert "Måndag 29 mars 2027, 09:00–12:00" in page


def test_attendance_answers_json_for_the_script(client, schedule_world, coach, manager):
    client.force_login(coach)

    response = client.post(
        reverse("training_sessions:attendance-save", args=[schedule_world["session"].pk]),
        {f"user_{manager.pk}": "narvarande", "save": "1"},
        headers={"accept": "application/json"},
    )

    assert response.json() == {"ok": True, "message": "Närvaron är sparad."}


def test_an_uninvited_manager_does_not_see_the_session_in_any_list(
    client, schedule_world, other_manager
):
    client.force_login(other_manager)

    page = client.get(reverse("training_sessions:my-sessions")).content.decode()

    assert "Leda sig själv, del 1" not in page
    assert "Annan träff" in page
