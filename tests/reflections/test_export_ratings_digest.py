"""Export, self-ratings and the coach's digest: each only for the right person."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from reflections import services
from reflections.models import Commitment, LedordRating
from tests.reflections.conftest import SENTINEL, upcoming_session


def test_ratings_are_saved_charted_and_tabled(client, journal, manager):
    client.force_login(manager)
    url = reverse("reflections:ratings")

    refused = client.post(
        url, {"rated_on": "2027-03-01", "modigt": "6", "tydligt": "3", "engagerande": "3"}
    )
    client.post(url, {"rated_on": "2027-03-01", "modigt": "2", "tydligt": "3", "engagerande": "4"})
    client.post(url, {"rated_on": "2027-04-01", "modigt": "4", "tydligt": "3", "engagerande": "5"})
    page = client.get(url).content.decode()

    assert "Välj ett giltigt alternativ" in refused.content.decode()
    assert LedordRating.objects.filter(author=manager).count() == 2
    assert page.count("<polyline") == 3
    assert "<td>2</td><td>3</td><td>4</td>" in page.replace("\n", "")


def test_the_export_holds_all_of_mine_and_nothing_of_anyone_else(
    client, journal, coach, manager, other_manager
):
    services.entry_trash(entry=journal["private"])
    Commitment.objects.create(author=manager, text="Pausa", due_on=timezone.localdate())
    services.rating_add(
        author=manager, rated_on=timezone.localdate(), modigt=3, tydligt=4, engagerande=5
    )
    services.feedback_give(
        entry=journal["shared"], coach=coach, text="Fin reflektion", entry_url="https://x/"
    )
    services.entry_create(
        author=other_manager,
        data=services.EntryData(
            title="Annans", body="ANNANS-TEXT", written_on=timezone.localdate()
        ),
    )
    Commitment.objects.create(
        author=other_manager, text="ANNANS-ÅTAGANDE", due_on=timezone.localdate()
    )
    client.force_login(manager)

    data = client.get(reverse("reflections:export-json")).json()
    page = client.get(reverse("reflections:export")).content.decode()

    assert {e["title"] for e in data["entries"]} == {"Privat", "Delad"}
    assert [e["in_trash"] for e in data["entries"]] == [True, False]
    assert data["entries"][1]["feedback"][0]["text"] == "Fin reflektion"
    assert [c["text"] for c in data["commitments"]] == ["Pausa"]
    assert data["ratings"] == [
        {"date": timezone.localdate().isoformat(), "modigt": 3, "tydligt": 4, "engagerande": 5}
    ]
    everything = json.dumps(data, ensure_ascii=False) + page
    assert SENTINEL in everything
    assert "ANNANS" not in everything


@pytest.mark.parametrize("actor", ["coach", "hr_user", "other_manager"])
def test_nobody_else_gets_my_export(client, request, journal, actor):
    client.force_login(request.getfixturevalue(actor))

    response = client.get(reverse("reflections:export-json"))

    assert response.status_code == 403 or SENTINEL not in response.content.decode()


def test_the_digest_shows_what_was_shared_and_never_private(client, journal, coach, manager):
    session = upcoming_session(manager, coach)
    client.force_login(coach)

    page = client.get(reverse("reflections:digest", args=[session.pk])).content.decode()

    assert ">Delad<" in page
    assert SENTINEL not in page and ">Privat<" not in page


@pytest.mark.parametrize("actor", ["other_coach", "hr_user", "manager"])
def test_the_digest_is_only_for_the_groups_coach(client, request, journal, coach, actor):
    manager = request.getfixturevalue("manager")
    session = upcoming_session(manager, coach)
    user = journal["other_coach"] if actor == "other_coach" else request.getfixturevalue(actor)
    client.force_login(user)

    response = client.get(reverse("reflections:digest", args=[session.pk]))

    assert response.status_code in (403, 404)


def test_after_unsharing_the_digest_and_feedback_forget_the_entry(client, journal, coach, manager):
    session = upcoming_session(manager, coach)
    services.entry_unshare(entry=journal["shared"])
    client.force_login(coach)

    digest = client.get(reverse("reflections:digest", args=[session.pk])).content.decode()
    feedback = client.post(
        reverse("reflections:feedback-give", args=[journal["shared"].pk]), {"text": "Hej"}
    )

    assert ">Delad<" not in digest
    assert feedback.status_code == 404


def test_sqlite_searches_by_words(journal, manager, monkeypatch):
    from reflections import selectors

    monkeypatch.setattr(selectors.connection, "vendor", "sqlite")

    found = selectors.search(selectors.own_entries(manager), words="ledarskapet")

    assert [e.title for e in found] == ["Privat"]
