"""The overview's "Chefer" counts the managers the chosen figures are about: with a
programme or training group, its members in the period and those invited to its sessions,
in the chosen administration or unit (conftest.py: the known organisation, 26 managers)."""

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from programme.models import CohortMembership
from reports import selectors
from reports.forms import Filters
from tests.factories import ManagerFactory

pytestmark = pytest.mark.django_db

PERIOD = {"since": "2027-01-01", "until": "2027-12-31"}


def _table(page: str, slug: str) -> dict[str, list[str]]:
    """A table of the page: row name -> its cells, as a reader sees them."""
    table = re.search(rf'id="table-{slug}".*?</section>', page, re.S).group(0)
    return {
        unescape(re.sub(r"<[^>]+>", "", name)): [
            unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", cells)
        ]
        for name, cells in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', table, re.S)
    }


def test_chefer_on_the_page_follows_the_training_group(client, known, hr_user):
    client.force_login(hr_user)
    group_x = known["cohorts"]["x"]  # Skola A's six

    everyone = client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    chosen = client.get(reverse("reports:dashboard"), PERIOD | {"cohort": group_x.pk})

    assert _table(everyone, "oversikt")["Chefer"] == ["26"]
    page = chosen.content.decode()
    assert _table(page, "oversikt")["Chefer"] == ["6"]
    assert _table(page, "oversikt")["Inbjudningar"] == ["6"]
    # Per administration: only where the group's people are, with their number.
    per_forvaltning = _table(page, "forvaltningar")
    assert list(per_forvaltning) == ["Barn och utbildning"]
    assert per_forvaltning["Barn och utbildning"][0] == "6"


def test_chefer_follows_a_programme_within_a_unit(client, known, hr_user):
    client.force_login(hr_user)
    params = PERIOD | {"programme": known["programme"].pk, "enhet": known["enheter"]["Skola B"].pk}
    page = client.get(reverse("reports:dashboard"), params).content.decode()

    # Skola B has 5 managers; one came to the programme's make-up session.
    assert _table(page, "oversikt")["Chefer"] == ["1"]
    assert _table(page, "enheter")["Barn och utbildning › Skola B"][:3] == ["1", "1", "1"]


def test_members_count_in_the_period_of_their_membership(known):
    """A member not yet invited counts; one who left before the period does not."""
    group_y = known["cohorts"]["y"]  # Hemtjänst's seven, all invited in March
    hemtjanst = known["enheter"]["Hemtjänst"]
    newcomer, leaver = ManagerFactory.create_batch(2, department=hemtjanst)
    CohortMembership.objects.create(
        cohort=group_y, programme=group_y.programme, user=newcomer, joined_on=date(2027, 3, 20)
    )
    CohortMembership.objects.create(
        cohort=group_y,
        programme=group_y.programme,
        user=leaver,
        joined_on=date(2026, 9, 1),
        left_on=date(2026, 12, 31),
    )

    def chefer(since, until):
        board = selectors.dashboard(Filters(since=since, until=until, cohort=group_y))
        return board.total.managers

    assert chefer(date(2027, 1, 1), date(2027, 12, 31)) == 8  # the seven and the newcomer
    assert chefer(date(2027, 3, 1), date(2027, 3, 15)) == 7  # before the newcomer joined
    assert chefer(date(2026, 10, 1), date(2026, 12, 31)) == 1  # the leaver, then a member
