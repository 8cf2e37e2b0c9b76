"""'Mina träffar' as the manager reads it: what is coming first (a cancelled one marked as
such), then the past sessions latest first, ten to a page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import TrainingSession
from tests.factories import InvitationFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


def _rows(page: str) -> list[str]:
    past = page[page.index('id="past-heading"') :]
    return re.findall(r'<th scope="row"><a [^>]*>(.*?)</a></th>', past)


def test_past_sessions_are_paged_latest_first_and_a_cancelled_one_is_marked(client, world):
    side = world["sides"]["a"]
    for n in range(12):
        session = TrainingSessionFactory(
            cohort=side["cohort"],
            title=f"Tidigare {n:02d}",
            starts_at=timezone.now() - timedelta(days=10 + n),
        )
        InvitationFactory(session=session, user=side["manager"])
    cancelled = TrainingSessionFactory(
        cohort=side["cohort"],
        title="Flyttad träff",
        starts_at=timezone.now() + timedelta(days=9),
        status=TrainingSession.Status.CANCELLED,
    )
    InvitationFactory(session=cancelled, user=side["manager"])
    client.force_login(side["manager"])
    url = reverse("training_sessions:my-sessions")

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert _rows(first) == ["Hållen A"] + [f"Tidigare {n:02d}" for n in range(9)]
    assert _rows(second) == ["Tidigare 09", "Tidigare 10", "Tidigare 11"]
    assert "Sida 1 av 2 (1–10 av 13)" in first
    coming = first[: first.index('id="past-heading"')]
    assert "Kommande A" in coming
    flyttad = coming[coming.index("Flyttad träff") :]
    assert flyttad.index("Inställd") < flyttad.index("</li>")


def test_the_schedule_counts_each_session_s_invited_and_forhinder(client, world):
    side = world["sides"]["a"]
    coming = side["coming"]  # the manager and three colleagues are invited
    coming.invitations.filter(user=side["colleagues"][0]).update(excused_at=timezone.now())
    empty = TrainingSessionFactory(
        cohort=side["cohort"],
        title="Ingen inbjuden än",
        starts_at=coming.starts_at + timedelta(days=1),
    )
    client.force_login(side["coach"])

    page = client.get(reverse("training_sessions:schedule")).content.decode()

    def counts(title):
        row = page[page.index(title) :]
        row = row[: row.index("</tr>")]
        return re.findall(r'<td class="text-end">(\d+)</td>', row)

    assert counts("Kommande A") == ["4", "1"]
    assert counts(empty.title) == ["0", "0"]
