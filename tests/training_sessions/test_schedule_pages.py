"""The coach's schedule stays a page long: upcoming sessions page by page, the latest held
under them, and every earlier session on pages of its own."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import TrainingSession
from sessions.views import RECENT_ON_LIST, SESSIONS_PER_PAGE
from tests.factories import CoachFactory, CohortFactory
from tests.support.pages import follow, link, page_links, query

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_coach(coach):
    """30 upcoming sessions (one a day), 20 held in the last 30 days, 10 held long ago."""
    cohort = CohortFactory(name="Grupp Söder", coaches=[coach], programme__coaches=[coach])
    now = timezone.now()
    starts = (
        [(f"Kommande {n:02}", now + timedelta(days=n, hours=1)) for n in range(1, 31)]
        + [(f"Nyss {n:02}", now - timedelta(days=n, hours=3)) for n in range(1, 21)]
        + [(f"Längesen {n:02}", now - timedelta(days=60 + n)) for n in range(1, 11)]
    )
    TrainingSession.objects.bulk_create(
        TrainingSession(
            programme=cohort.programme,
            cohort=cohort,
            format=TrainingSession.Format.THEORY,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            status=TrainingSession.Status.HELD if start < now else TrainingSession.Status.PLANNED,
        )
        for title, start in starts
    )
    return coach


def _titles(html: str, heading_id: str) -> list[str]:
    section = re.search(rf'aria-labelledby="{heading_id}".*?</section>', html, re.S).group(0)
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', section)


def test_upcoming_sessions_come_page_by_page_soonest_first(client, busy_coach):
    client.force_login(busy_coach)
    url = reverse("training_sessions:schedule")

    first = client.get(url).content.decode()
    assert _titles(first, "upcoming-heading") == [
        f"Kommande {n:02}" for n in range(1, SESSIONS_PER_PAGE + 1)
    ]
    nav = page_links(first)
    assert 'aria-label="Sidor med kommande träffar"' in nav
    assert "Sida 1 av 2 (1–25 av 30)" in nav
    second = follow(client, link(nav, "Nästa"), url).content.decode()
    assert _titles(second, "upcoming-heading") == [f"Kommande {n}" for n in range(26, 31)]


def test_the_list_shows_the_latest_held_sessions_and_links_to_all_earlier(client, busy_coach):
    client.force_login(busy_coach)
    url = reverse("training_sessions:schedule")
    page = client.get(url).content.decode()

    assert _titles(page, "recent-heading") == [f"Nyss {n:02}" for n in range(1, RECENT_ON_LIST + 1)]
    earlier_url = link(page, "Alla tidigare träffar")
    earlier = follow(client, earlier_url, url).content.decode()
    titles = _titles(earlier, "earlier-heading")
    assert titles[:2] == ["Nyss 01", "Nyss 02"]  # latest first
    assert len(titles) == SESSIONS_PER_PAGE
    nav = page_links(earlier)
    next_page = link(nav, "Nästa")
    assert query(next_page) == {"vy": ["tidigare"], "page": ["2"]}
    rest = _titles(follow(client, next_page, url).content.decode(), "earlier-heading")
    assert rest == [f"Längesen {n:02}" for n in range(6, 11)]


@pytest.mark.parametrize("asked", ["abc", "0", "9999"])
def test_a_bad_page_number_shows_a_real_page(client, busy_coach, asked):
    client.force_login(busy_coach)
    for view in ("lista", "tidigare"):
        response = client.get(reverse("training_sessions:schedule"), {"vy": view, "page": asked})
        assert response.status_code == 200
        assert re.search(r"Sida [12] av 2", response.content.decode())


def test_another_coach_sees_none_of_it(client, busy_coach):
    client.force_login(CoachFactory())
    for view in ("lista", "tidigare"):
        page = client.get(reverse("training_sessions:schedule"), {"vy": view}).content.decode()
        assert "Kommande 01" not in page and "Nyss 01" not in page
        assert page_links(page) == ""
