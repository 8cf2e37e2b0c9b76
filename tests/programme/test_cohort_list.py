"""The list of training groups: running and coming ones first, ended ones apart with
everyone who took part, each list a page at a time."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from programme import services
from tests.factories import CohortFactory, ManagerFactory, ProgrammeFactory
from tests.support.pages import follow, page_links
from tests.support.tables import table

CURRENT = "Pågående och kommande träningsgrupper"
ENDED = "Avslutade träningsgrupper"


def _group(coach, name, *, starts, ends, members=()):
    programme = ProgrammeFactory(
        name=f"Program {name}", starts_on=starts, ends_on=ends, coaches=[coach]
    )
    return CohortFactory(
        programme=programme, name=name, starts_on=starts, ends_on=ends, members=members
    )


def _days(n):
    return timezone.localdate() + timedelta(days=n)


def test_ended_groups_are_listed_apart_with_everyone_who_took_part(client, coach):
    running = _group(coach, "Nu", starts=_days(-30), ends=_days(300))
    for person in ManagerFactory.create_batch(3):
        services.cohort_add_member(cohort=running, user=person, joined_on=_days(-30))
    _group(coach, "Sen", starts=_days(60), ends=_days(400))
    people = ManagerFactory.create_batch(4)
    ended = _group(coach, "Förr", starts=_days(-400), ends=_days(-40), members=people)
    # One left half-way, another left and came back: each took part once. At the end the
    # group's memberships end, as the coach does when a group is over.
    services.cohort_end_membership(
        membership=ended.memberships.get(user=people[0]), left_on=_days(-200)
    )
    services.cohort_end_membership(
        membership=ended.memberships.get(user=people[1]), left_on=_days(-300)
    )
    services.cohort_add_member(cohort=ended, user=people[1], joined_on=_days(-250))
    for membership in ended.memberships.filter(left_on__isnull=True):
        services.cohort_end_membership(membership=membership, left_on=ended.ends_on)
    client.force_login(coach)

    page = client.get(reverse("programme:cohort-list")).content.decode()

    current, _links = table(page, CURRENT)
    # Name (with "Kommande" for one not started, and the programme for small screens),
    # programme, period, members today.
    assert [(row[0], row[-1]) for row in current] == [
        ("Nu Program Nu", "3"),
        ("Sen Kommande Program Sen", "0"),
    ]
    past, past_links = table(page, ENDED)
    assert [(row[0], row[-1]) for row in past] == [("Förr Program Förr", "4")]
    assert past_links == [{"href": reverse("programme:cohort-detail", args=[ended.pk])}]
    assert ">Deltagare</th>" in page


def test_only_ended_groups_say_that_none_is_running(client, coach):
    _group(coach, "Förr", starts=_days(-400), ends=_days(-1))
    client.force_login(coach)

    page = client.get(reverse("programme:cohort-list")).content.decode()

    assert "Det finns inga pågående eller kommande träningsgrupper." in page
    assert [row[0] for row in table(page, ENDED)[0]] == ["Förr Program Förr"]
    assert "Det finns inga träningsgrupper ännu." not in page


def test_with_no_groups_the_page_says_so_once(client, coach):
    client.force_login(coach)

    page = client.get(reverse("programme:cohort-list")).content.decode()

    assert "Det finns inga träningsgrupper ännu." in page
    assert "Pågående och kommande" not in page
    assert "Avslutade" not in page


def test_a_group_that_ends_today_is_still_running(client, coach):
    _group(coach, "Sista dagen", starts=_days(-100), ends=_days(0))
    client.force_login(coach)

    page = client.get(reverse("programme:cohort-list")).content.decode()

    assert [row[0] for row in table(page, CURRENT)[0]] == ["Sista dagen Program Sista dagen"]
    assert ENDED not in page


def test_ended_groups_come_a_page_at_a_time_latest_first(client, coach):
    for number in range(27):
        _group(coach, f"G{number:02}", starts=_days(-500), ends=_days(-100 + number))
    _group(coach, "Nu", starts=_days(-10), ends=_days(100))
    client.force_login(coach)
    url = reverse("programme:cohort-list")

    first = client.get(url).content.decode()
    names = [row[0].split()[0] for row in table(first, ENDED)[0]]
    assert names == [f"G{number:02}" for number in range(26, 1, -1)]
    nav = page_links(first)
    assert 'aria-label="Sidor med avslutade träningsgrupper"' in nav
    assert "Sida 1 av 2 (1–25 av 27)" in nav

    second = follow(client, "?avslutade=2", url).content.decode()
    assert [row[0].split()[0] for row in table(second, ENDED)[0]] == ["G01", "G00"]
    # The running groups stay on their first page meanwhile.
    assert [row[0].split()[0] for row in table(second, CURRENT)[0]] == ["Nu"]


def test_a_manager_may_not_see_the_list(client, manager):
    client.force_login(manager)

    assert client.get(reverse("programme:cohort-list")).status_code == 403
