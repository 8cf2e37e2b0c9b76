"""Make-up: offers after a missed session, and places that never overbook."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from sessions import selectors, services
from sessions.models import Invitation, TrainingSession
from tests.factories import CohortFactory, ManagerFactory
from tests.training_sessions.conftest import session_data


def _open_session(programme, coach, *, capacity: int, days: int = 10) -> TrainingSession:
    start = timezone.now() + timedelta(days=days)
    return services.session_create(
        data=session_data(
            cohort=None,
            programme_id=programme.pk,
            capacity=capacity,
            coaches=[coach],
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place=f"Rum {days}",
            title="Uppsamling",
        ),
        created_by=coach,
    )


def _missed(cohort, coach, *users) -> None:
    """A session of the cohort last week that `users` did not come to."""
    start = timezone.now() - timedelta(days=7)
    session = services.session_create(
        data=session_data(
            cohort=cohort,
            coaches=[coach],
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Förra veckan",
        ),
        created_by=coach,
        override=True,
    )
    services.attendance_mark(
        session=session,
        marks={u.pk: Invitation.Attendance.ABSENT for u in users},
        marked_by=coach,
    )


def test_a_missed_session_offers_same_theme_sessions_of_other_groups(
    client, schedule_world, coach, manager
):
    from programme.models import Theme

    theme = Theme.objects.get(slug="leda-andra")
    missed = schedule_world["session"]
    TrainingSession.objects.filter(pk=missed.pk).update(
        theme=theme,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=3),
    )
    missed.invitations.filter(user=manager).update(attendance="franvarande")
    other_group = CohortFactory(programme=schedule_world["cohort"].programme, name="Grupp Söder")
    start = timezone.now() + timedelta(days=5)
    offer = services.session_create(
        data=session_data(
            cohort=other_group,
            coaches=[coach],
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            theme_id=theme.pk,
            title="Leda andra igen",
        ),
        created_by=coach,
    )
    client.force_login(manager)

    page = client.get(reverse("training_sessions:my-sessions")).content.decode()
    assert "Du missade ”Leda sig själv, del 1”" in page
    assert "Leda andra igen" in page

    client.post(reverse("training_sessions:makeup-sign-up", args=[offer.pk]))
    invitation = offer.invitations.get(user=manager)
    assert invitation.is_makeup


def test_a_full_session_refuses_in_swedish(db, coach, manager):
    cohort = CohortFactory(coaches=[coach], members=[manager], programme__coaches=[coach])
    session = _open_session(cohort.programme, coach, capacity=1)
    someone = ManagerFactory()
    other = CohortFactory(programme=cohort.programme, members=[someone])
    _missed(cohort, coach, manager)
    _missed(other, coach, someone)
    services.makeup_sign_up(user=someone, session=session)

    with pytest.raises(services.SessionFull, match="är fullbokad"):
        services.makeup_sign_up(user=manager, session=session)


def test_forhinder_frees_the_place(db, coach, manager):
    cohort = CohortFactory(coaches=[coach], members=[manager], programme__coaches=[coach])
    session = _open_session(cohort.programme, coach, capacity=1)
    someone = ManagerFactory()
    other = CohortFactory(programme=cohort.programme, members=[someone])
    _missed(cohort, coach, manager)
    _missed(other, coach, someone)
    taken = services.makeup_sign_up(user=someone, session=session)
    services.invitation_report_excuse(invitation=taken)

    assert services.makeup_sign_up(user=manager, session=session).is_makeup
    # The first one cannot take the place back now: the session is full again.
    with pytest.raises(services.SessionFull, match="har gått till någon annan"):
        services.invitation_withdraw_excuse(invitation=taken)


def test_a_manager_who_missed_nothing_cannot_take_a_place(db, coach, manager):
    cohort = CohortFactory(coaches=[coach], members=[manager], programme__coaches=[coach])
    session = _open_session(cohort.programme, coach, capacity=5)

    with pytest.raises(ValidationError, match="bara för att ta igen en träff du missat"):
        services.makeup_sign_up(user=manager, session=session)


def test_only_managers_of_the_programme_can_sign_up(db, coach, other_manager):
    cohort = CohortFactory(coaches=[coach], programme__coaches=[coach])
    session = _open_session(cohort.programme, coach, capacity=5)

    with pytest.raises(Exception, match="bara ta träffar i ditt eget program"):
        services.makeup_sign_up(user=other_manager, session=session)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_racing_for_the_last_place_never_overbook():
    from tests.factories import CoachFactory

    coach = CoachFactory()
    first, second = ManagerFactory(), ManagerFactory()
    cohort = CohortFactory(coaches=[coach], members=[first, second], programme__coaches=[coach])
    _missed(cohort, coach, first, second)
    session = _open_session(cohort.programme, coach, capacity=1)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def take(user) -> None:
        try:
            barrier.wait(timeout=10)
            services.makeup_sign_up(user=user, session=session)
            results.append("ok")
        except services.SessionFull:
            results.append("full")
        finally:
            connection.close()  # the thread's own connection

    threads = [threading.Thread(target=take, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == ["full", "ok"]
    assert Invitation.objects.filter(session=session).count() == 1


def test_the_offers_are_the_same_theme_in_other_groups_and_the_open_make_up_sessions(
    db, coach, manager
):
    """Missed: a session on Leda andra in the manager's group, and one without a theme.
    Offered for the first: Leda andra in another group and the open make-up session, not
    another theme, not a themeless session of another group, not their own group's. For the
    second: themeless sessions of other groups and the open one."""
    from programme.models import Theme

    andra = Theme.objects.get(slug="leda-andra")
    sig = Theme.objects.get(slug="leda-sig-sjalv")
    cohort = CohortFactory(coaches=[coach], members=[manager], programme__coaches=[coach])
    other = CohortFactory(programme=cohort.programme, name="Grupp Söder")

    def session(group, days, title, theme=None, **fields):
        start = timezone.now() + timedelta(days=days)
        return services.session_create(
            data=session_data(
                cohort=group,
                coaches=[coach],
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                title=title,
                theme_id=theme.pk if theme else None,
                **fields,
            ),
            created_by=coach,
            override=True,
        )

    for days, theme in ((-9, None), (-7, andra)):
        missed = session(cohort, days, f"Missad {days}", theme)
        services.attendance_mark(
            session=missed, marks={manager.pk: Invitation.Attendance.ABSENT}, marked_by=coach
        )
    session(other, 5, "Söder leda andra", andra)
    session(other, 6, "Söder leda sig själv", sig)
    session(other, 7, "Söder utan tema")
    session(cohort, 8, "Egen grupp leda andra", andra)
    session(None, 9, "Uppsamling", programme_id=cohort.programme_id)

    offers = selectors.makeup_offers(manager)

    assert [(offer["missed"].title, [s.title for s in offer["sessions"]]) for offer in offers] == [
        ("Missad -7", ["Söder leda andra", "Uppsamling"]),
        ("Missad -9", ["Söder utan tema", "Uppsamling"]),
    ]
