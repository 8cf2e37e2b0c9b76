"""A big training group's page lists its members (and former members) page by page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from programme import views
from programme.models import CohortMembership
from tests.factories import CoachFactory, CohortFactory, ManagerFactory
from tests.support.pages import follow, link, page_links, query

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_cohort(coach, monkeypatch):
    """Five members (Chef 1 … Chef 5) and three former ones, two to a page."""
    monkeypatch.setattr(views, "MEMBERS_PER_PAGE", 2)
    members = [ManagerFactory(full_name=f"Chef {n}") for n in range(1, 6)]
    former = [ManagerFactory(full_name=f"Före detta {n}") for n in range(1, 4)]
    cohort = CohortFactory(coaches=[coach], programme__coaches=[coach], members=members + former)
    for n, person in enumerate(former, 1):
        membership = CohortMembership.objects.get(cohort=cohort, user=person)
        membership.left_on = membership.joined_on + timedelta(days=n)
        membership.save(update_fields=["left_on"])
    return cohort


def _members(page: str) -> list[str]:
    section = re.search(r'aria-labelledby="members-heading".*?</table>', page, re.S).group(0)
    return [
        re.match(r"[^<]+", name).group(0)
        for name in re.findall(r'<th scope="row">(.*?)</th>', section)
    ]


def test_members_come_page_by_page_with_the_whole_count(client, coach, big_cohort):
    client.force_login(coach)
    url = reverse("programme:cohort-detail", args=[big_cohort.pk])
    first = client.get(url).content.decode()

    assert '<span class="badge text-bg-secondary">5</span>' in first
    assert _members(first) == ["Chef 1", "Chef 2"]
    nav = page_links(first)
    assert 'aria-label="Sidor med medlemmar"' in nav and "Sida 1 av 3" in nav
    second = follow(client, link(nav, "Nästa"), url).content.decode()
    assert _members(second) == ["Chef 3", "Chef 4"]
    assert client.get(url, {"page": "abc"}).status_code == 200
    assert _members(client.get(url, {"page": "9999"}).content.decode()) == ["Chef 5"]


def _former(page: str) -> list[str]:
    section = re.search(r"Tidigare medlemmar <span.*?</ul>", page, re.S).group(0)
    return re.findall(r"<li>(Före detta \d)", section)


def test_former_members_have_pages_of_their_own(client, coach, big_cohort):
    client.force_login(coach)
    url = reverse("programme:cohort-detail", args=[big_cohort.pk])
    page = client.get(url, {"page": "2"}).content.decode()

    assert _former(page) == ["Före detta 3", "Före detta 2"]  # who left last first
    former_nav = re.search(r'<nav aria-label="Sidor med tidigare medlemmar".*?</nav>', page, re.S)
    next_former = link(former_nav.group(0), "Nästa")
    assert query(next_former) == {"page": ["2"], "tidigare": ["2"]}  # the members' page stays
    after = follow(client, next_former, url).content.decode()
    assert _members(after) == ["Chef 3", "Chef 4"]
    assert _former(after) == ["Före detta 1"]


def test_another_coach_sees_no_page_of_the_group(client, big_cohort):
    client.force_login(CoachFactory())
    url = reverse("programme:cohort-detail", args=[big_cohort.pk])
    assert client.get(url, {"page": "2"}).status_code == 404
