"""A private entry is the author's alone; a shared one reaches the author's coach only."""

import pytest
from django.urls import reverse

from reflections import services
from tests.reflections.conftest import SENTINEL

READERS = ["other_manager", "coach", "other_coach", "hr_user", "admin_user"]


def _login(client, request, journal, actor):
    user = journal["other_coach"] if actor == "other_coach" else request.getfixturevalue(actor)
    client.force_login(user)


@pytest.mark.parametrize("actor", READERS)
@pytest.mark.parametrize("view", ["entry-edit", "entry-read"])
def test_a_private_entry_is_not_found_by_anyone_else(client, request, journal, actor, view):
    _login(client, request, journal, actor)

    response = client.get(reverse(f"reflections:{view}", args=[journal["private"].pk]))

    assert response.status_code == 404
    assert SENTINEL not in response.content.decode()


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("coach", 200),
        ("other_coach", 404),
        ("other_manager", 404),
        ("hr_user", 404),
        ("admin_user", 404),
    ],
)
def test_a_shared_entry_is_read_by_the_authors_coach_only(client, request, journal, actor, status):
    _login(client, request, journal, actor)

    response = client.get(reverse("reflections:entry-read", args=[journal["shared"].pk]))

    assert response.status_code == status


def test_taking_the_sharing_back_hides_it_again(client, journal, coach, manager):
    client.force_login(manager)
    client.post(reverse("reflections:entry-unshare", args=[journal["shared"].pk]))
    client.force_login(coach)

    assert (
        client.get(reverse("reflections:entry-read", args=[journal["shared"].pk])).status_code
        == 404
    )
    assert ">Delad<" not in client.get(reverse("reflections:shared-list")).content.decode()


@pytest.mark.parametrize(
    "view", ["reflections:journal", "reflections:shared-list", "reflections:trash"]
)
@pytest.mark.parametrize("actor", READERS)
def test_the_sentinel_appears_in_no_one_elses_pages(client, request, journal, actor, view):
    _login(client, request, journal, actor)

    response = client.get(reverse(view), {"q": "ledarskap"})

    assert SENTINEL not in response.content.decode()


def test_the_coach_lists_shared_entries_only(client, journal, coach):
    client.force_login(coach)

    page = client.get(reverse("reflections:shared-list")).content.decode()

    assert ">Delad<" in page
    assert ">Privat<" not in page


@pytest.mark.parametrize(
    "view", ["entry-share", "entry-unshare", "entry-trash", "entry-restore", "entry-autosave"]
)
@pytest.mark.parametrize("actor", ["other_manager", "coach"])
def test_no_one_else_can_change_an_entry(client, request, journal, actor, view, manager):
    _login(client, request, journal, actor)

    response = client.post(
        reverse(f"reflections:{view}", args=[journal["private"].pk]),
        {"body": "kapad", "written_on": "2027-03-01", "version": 1},
    )

    assert response.status_code == 404
    journal["private"].refresh_from_db()
    assert journal["private"].body.startswith(SENTINEL)
    assert journal["private"].shared_at is None
    assert journal["private"].deleted_at is None


def test_the_admin_shows_metadata_and_never_text(admin_client, journal):
    entry = journal["private"]

    listing = admin_client.get("/admin/reflections/entry/").content.decode()
    detail = admin_client.get(f"/admin/reflections/entry/{entry.pk}/change/").content.decode()

    assert str(entry) == f"#{entry.pk}"
    assert f"#{entry.pk}" in listing or str(entry.pk) in listing
    for page in (listing, detail):
        assert SENTINEL not in page
        assert "Privat" not in page


def test_an_entry_can_only_link_a_session_its_author_was_invited_to(journal, manager):
    from django.core.exceptions import ValidationError

    from sessions import services as session_services
    from sessions.models import TrainingSession
    from tests.factories import CoachFactory, CohortFactory
    from tests.training_sessions.conftest import at, session_data

    coach = CoachFactory()
    elsewhere = session_services.session_create(
        data=session_data(
            cohort=CohortFactory(coaches=[coach]),
            coaches=[coach],
            starts_at=at(2027, 5, 5, 9),
            ends_at=at(2027, 5, 5, 10),
        ),
        created_by=coach,
    )
    assert TrainingSession.objects.filter(pk=elsewhere.pk).exists()

    with pytest.raises(ValidationError, match="bara koppla en anteckning"):
        services.entry_create(
            author=manager,
            data=services.EntryData(
                title="", body="x", written_on=at(2027, 5, 5, 9).date(), session_id=elsewhere.pk
            ),
        )


@pytest.mark.parametrize(
    ("view", "allowed"),
    [
        ("reflections:journal", {"manager", "other_manager"}),
        ("reflections:entry-create", {"manager", "other_manager"}),
        ("reflections:trash", {"manager", "other_manager"}),
        ("reflections:shared-list", {"coach", "other_coach"}),
    ],
)
@pytest.mark.parametrize("actor", ["manager", *READERS])
def test_journal_pages_by_role(client, request, journal, view, allowed, actor):
    _login(client, request, journal, actor)

    response = client.get(reverse(view))

    assert response.status_code == (200 if actor in allowed else 403)
