"""A shared entry is read by the coaches of the author's training groups at the moment of
sharing, and by nobody who became the author's coach afterwards.

The attack this closes: a coach made a programme and a group of their own, put a manager
in it, and read everything that manager had ever shared with their real coach."""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.urls import reverse

from programme import services as programme_services
from reflections import selectors, services
from tests.factories import CoachFactory, CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def intruder(db):
    return CoachFactory(full_name="Ivar Inkräktare")


def _take_into_own_group(manager, intruder):
    """What the intruder did, with a programme someone else started for them."""
    cohort = CohortFactory(coaches=[intruder], programme__coaches=[intruder])
    programme_services.cohort_add_member(cohort=cohort, user=manager)
    return cohort


def test_a_coach_who_takes_a_manager_into_a_group_reads_nothing_shared_before(
    client, journal, manager, intruder
):
    shared = journal["shared"]
    _take_into_own_group(manager, intruder)

    client.force_login(intruder)
    assert client.get(reverse("reflections:entry-read", args=[shared.pk])).status_code == 404
    listed = client.get(reverse("reflections:shared-list"))
    assert "Det här får tränaren läsa." not in listed.content.decode()
    assert reverse("reflections:entry-read", args=[shared.pk]) not in listed.content.decode()
    assert not selectors.shared_with(intruder).exists()


def test_what_is_shared_after_a_coach_joins_reaches_that_coach(
    client, journal, manager, coach, intruder
):
    _take_into_own_group(manager, intruder)
    later = services.entry_share(
        entry=services.entry_create(
            author=manager,
            data=services.EntryData(title="Senare", body="Nu med båda.", written_on=date.today()),
        )
    )
    client.force_login(intruder)
    assert client.get(reverse("reflections:entry-read", args=[later.pk])).status_code == 200
    client.force_login(coach)
    assert client.get(reverse("reflections:entry-read", args=[later.pk])).status_code == 200
    assert (
        client.get(reverse("reflections:entry-read", args=[journal["shared"].pk])).status_code
        == 200
    )


def test_the_manager_sees_who_can_read_each_shared_entry(client, journal, manager, coach):
    client.force_login(manager)
    page = client.get(reverse("reflections:entry-edit", args=[journal["shared"].pk]))
    readers = page.content.decode().split('id="entry-readers">')[1].split("</p>")[0]
    assert readers == f"Kan läsas av: {coach.full_name}."


def test_before_sharing_the_manager_sees_who_would_read_it(client, journal, manager, coach):
    client.force_login(manager)
    page = client.get(reverse("reflections:entry-edit", args=[journal["private"].pk]))
    text = page.content.decode().split('id="share-with"')[1].split("</p>")[0]
    assert f"Om du delar kan de här ledartränarna läsa den: {coach.full_name}." in text
    assert "En ledartränare som kommer till gruppen senare kan inte det." in text


def test_a_reader_who_no_longer_runs_the_group_is_not_listed(client, journal, manager, coach):
    membership = manager.cohort_memberships.get()
    programme_services.cohort_end_membership(membership=membership, left_on=date.today())
    client.force_login(manager)
    page = client.get(reverse("reflections:entry-edit", args=[journal["shared"].pk]))
    readers = page.content.decode().split('id="entry-readers">')[1].split("</p>")[0]
    assert coach.full_name not in readers
    assert readers.startswith("Ingen ledartränare kan läsa den just nu")
    client.force_login(coach)
    assert (
        client.get(reverse("reflections:entry-read", args=[journal["shared"].pk])).status_code
        == 404
    )


def test_sharing_again_after_taking_it_back_shares_with_the_coaches_of_now(
    journal, manager, coach, intruder
):
    shared = journal["shared"]
    _take_into_own_group(manager, intruder)
    services.entry_unshare(entry=shared)
    assert list(shared.readers.all()) == []
    services.entry_share(entry=shared)
    assert set(shared.readers.all()) == {coach, intruder}


def test_the_coach_digest_leaves_out_what_was_shared_before_the_coach_joined(
    journal, manager, intruder
):
    from sessions import services as session_services
    from tests.training_sessions.conftest import session_data

    cohort = _take_into_own_group(manager, intruder)
    start = journal["shared"].shared_at + timedelta(hours=1)
    session = session_services.session_create(
        data=session_data(
            cohort=cohort, coaches=[intruder], starts_at=start, ends_at=start + timedelta(hours=2)
        ),
        created_by=intruder,
    )
    digest = selectors.coach_digest(intruder, session.pk)
    assert digest is not None
    assert list(digest["entries"]) == []


@pytest.mark.parametrize(("actor", "status"), [("coach", 403), ("hr_user", 200)])
def test_who_may_start_a_programme(client, request, actor, status):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(reverse("programme:programme-create")).status_code == status


def test_hr_starts_a_programme_and_names_its_coach(client, hr_user, coach):
    client.force_login(hr_user)
    response = client.post(
        reverse("programme:programme-create"),
        {
            "name": "Ledarskapsträning 2028",
            "starts_on": "2028-01-10",
            "ends_on": "2028-12-15",
            "description": "",
            "coaches": [coach.pk],
            "repetition_offsets": "1, 3, 7",
        },
    )
    assert response.status_code == 302
    programme = coach.coached_programmes.get(name="Ledarskapsträning 2028")
    page = client.get(reverse("programme:overview"))
    assert reverse("programme:programme-update", args=[programme.pk]) in page.content.decode()


def test_entries_shared_before_the_upgrade_keep_the_readers_they_had(
    journal, manager, coach, other_manager
):
    """The data migration: the coaches who could read an entry before the upgrade still
    can, and nobody else."""
    shared = journal["shared"]
    shared.readers.clear()
    backfill = importlib.import_module("reflections.migrations.0008_entry_readers_backfill")
    backfill.record_readers(apps, None)
    assert set(shared.readers.all()) == {coach}
    assert journal["private"].readers.count() == 0


def test_the_would_be_readers_are_the_group_s_and_the_programme_s_active_coaches(
    client, journal, manager, coach
):
    cohort = manager.cohort_memberships.get().cohort
    programme_coach = CoachFactory(full_name="Petra Programtränare")
    gone = CoachFactory(full_name="Gunnar Gått", is_active=False)
    elsewhere = CoachFactory(full_name="Erik Annanstans")
    cohort.programme.coaches.add(programme_coach, gone)
    CohortFactory(coaches=[elsewhere], programme__coaches=[elsewhere])
    client.force_login(manager)

    page = client.get(reverse("reflections:entry-edit", args=[journal["private"].pk]))
    text = page.content.decode().split('id="share-with"')[1].split("</p>")[0]

    assert coach.full_name in text and "Petra Programtränare" in text
    assert "Gunnar Gått" not in text and "Erik Annanstans" not in text
