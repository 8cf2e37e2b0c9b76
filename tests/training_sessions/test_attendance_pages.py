"""Attendance for a big group comes a page at a time, and saving one page keeps the marks
on the others."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions import views
from sessions.models import Invitation, TrainingSession
from tests.factories import CoachFactory, CohortFactory, ManagerFactory
from tests.support.pages import follow, link, page_links

pytestmark = pytest.mark.django_db

PRESENT = Invitation.Attendance.PRESENT
ABSENT = Invitation.Attendance.ABSENT


@pytest.fixture
def big_session(coach, monkeypatch):
    """A session going on now with 5 invited (Chef 1 … Chef 5), 2 to a page."""
    monkeypatch.setattr(views, "ATTENDANCE_PER_PAGE", 2)
    people = [ManagerFactory(full_name=f"Chef {n}") for n in range(1, 6)]
    cohort = CohortFactory(coaches=[coach], programme__coaches=[coach], members=people)
    now = timezone.now()
    session = TrainingSession.objects.create(
        programme=cohort.programme,
        cohort=cohort,
        format=TrainingSession.Format.THEORY,
        title="Stor träff",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
    )
    session.coaches.add(coach)
    for person in people:
        Invitation.objects.create(session=session, user=person)
    return session


def _marks(session) -> dict[str, str]:
    return dict(session.invitations.values_list("user__full_name", "attendance"))


def test_the_form_shows_a_page_of_the_invited(client, coach, big_session):
    client.force_login(coach)
    url = reverse("training_sessions:session-detail", args=[big_session.pk])
    first = client.get(url).content.decode()

    assert first.count('type="radio"') == 2 * 3  # two people, three choices each
    assert "Chef 1" in first and "Chef 2" in first and "Chef 3" not in first
    nav = page_links(first)
    assert 'aria-label="Sidor med inbjudna"' in nav
    assert "Sida 1 av 3" in nav
    second = follow(client, link(nav, "Nästa"), url).content.decode()
    assert "Chef 3" in second and "Chef 4" in second and "Chef 1" not in second


def test_saving_one_page_keeps_the_marks_on_the_others(client, coach, big_session):
    big_session.invitations.update(attendance=PRESENT)
    client.force_login(coach)
    url = reverse("training_sessions:session-detail", args=[big_session.pk])
    page = client.get(url, {"page": "2"}).content.decode()

    # The form as a browser posts it: the fields on this page, with a new choice each.
    action = re.search(r'<form method="post" action="([^"]+)" class="attendance-form"', page)
    fields = set(re.findall(r'name="(user_\d+)"', page))
    assert len(fields) == 2
    data = {name: ABSENT for name in fields} | {"save": "Spara närvaro"}
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        action.group(1).replace("&amp;", "&"), data | {"csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{url}?page=2"  # back to the page that was saved
    assert _marks(big_session) == {
        "Chef 1": PRESENT,
        "Chef 2": PRESENT,
        "Chef 3": ABSENT,
        "Chef 4": ABSENT,
        "Chef 5": PRESENT,
    }


def test_everyone_present_marks_every_page(client, coach, big_session):
    client.force_login(coach)
    save = reverse("training_sessions:attendance-save", args=[big_session.pk])
    client.post(f"{save}?page=3", {"all_present": "Alla närvarande"})
    assert set(_marks(big_session).values()) == {PRESENT}


def test_a_bad_page_number_shows_a_real_page_of_the_form(client, coach, big_session):
    client.force_login(coach)
    url = reverse("training_sessions:session-detail", args=[big_session.pk])
    for asked, shown in (("abc", 1), ("9999", 3)):
        response = client.get(url, {"page": asked})
        assert response.status_code == 200
        assert f"Sida {shown} av 3" in response.content.decode()


def test_the_groups_attendance_comes_page_by_page(client, coach, big_session):
    big_session.invitations.update(attendance=ABSENT)
    big_session.status = TrainingSession.Status.HELD
    big_session.save(update_fields=["status"])
    client.force_login(coach)
    url = reverse("training_sessions:cohort-attendance", args=[big_session.cohort_id])

    first = client.get(url).content.decode()
    rows = re.findall(r'<th scope="row">([^<]+)</th>', first)
    assert rows == ["Chef 1", "Chef 2"]
    nav = page_links(first)
    assert "Sida 1 av 3" in nav and 'aria-label="Sidor med medlemmar"' in nav
    last = follow(client, link(nav, '<span class="visually-hidden">Sida </span>3'), url)
    assert re.findall(r'<th scope="row">([^<]+)</th>', last.content.decode()) == ["Chef 5"]


def test_another_coach_gets_no_page_of_it(client, big_session):
    client.force_login(CoachFactory())
    url = reverse("training_sessions:session-detail", args=[big_session.pk])
    assert client.get(url, {"page": "2"}).status_code == 404
