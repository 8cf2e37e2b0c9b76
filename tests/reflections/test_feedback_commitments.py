"""Coach feedback (emailed as a link, never text) and commitments with their follow-up."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage
from reflections.models import Commitment, Feedback
from tests.reflections.conftest import SENTINEL


def test_the_coach_gives_feedback_and_the_email_holds_no_journal_text(
    client, journal, coach, manager
):
    client.force_login(coach)
    shared = journal["shared"]

    client.post(
        reverse("reflections:feedback-give", args=[shared.pk]),
        {"text": "Fint att du prövade pausen. Vad hände sedan?"},
    )

    assert Feedback.objects.get(entry=shared).coach == coach
    message = OutboxMessage.objects.get(to=[manager.email])
    assert message.subject == "Karin Tränare har gett dig återkoppling"
    assert f"/journal/{shared.pk}/" in message.body_text
    for part in (message.subject, message.body_text, message.body_html):
        assert "Det här får tränaren läsa" not in part
        assert "pausen" not in part
        assert SENTINEL not in part


@pytest.mark.parametrize("actor", ["other_coach", "hr_user", "other_manager", "manager"])
def test_only_the_authors_coach_can_give_feedback(client, request, journal, actor):
    user = journal["other_coach"] if actor == "other_coach" else request.getfixturevalue(actor)
    client.force_login(user)

    response = client.post(
        reverse("reflections:feedback-give", args=[journal["shared"].pk]), {"text": "Hej"}
    )

    assert response.status_code in (403, 404)
    assert not Feedback.objects.exists()


def test_no_feedback_on_a_private_entry(client, journal, coach):
    client.force_login(coach)

    response = client.post(
        reverse("reflections:feedback-give", args=[journal["private"].pk]), {"text": "Hej"}
    )

    assert response.status_code == 404


def test_the_manager_reads_the_feedback_on_the_entry(client, journal, coach, manager):
    client.force_login(coach)
    client.post(
        reverse("reflections:feedback-give", args=[journal["shared"].pk]), {"text": "Bra jobbat"}
    )
    client.force_login(manager)

    page = client.get(reverse("reflections:entry-edit", args=[journal["shared"].pk]))

    assert "Återkoppling från din ledartränare" in page.content.decode()
    assert "Bra jobbat" in page.content.decode()


def test_commitments_are_made_and_followed_up(client, journal, manager):
    client.force_login(manager)
    url = reverse("reflections:commitments")

    refused = client.post(url, {"text": "Pausa", "due_on": "2001-01-01"})
    assert "Välj i dag eller en senare dag." in refused.content.decode()
    client.post(
        url,
        {
            "text": "Fråga varje medarbetare vad de behöver",
            "due_on": timezone.localdate(),
            "entry": journal["private"].pk,
        },
    )
    commitment = Commitment.objects.get(author=manager)
    assert commitment.entry == journal["private"]
    page = client.get(url).content.decode()
    assert "Dags" in page

    client.post(
        reverse("reflections:commitment-follow-up", args=[commitment.pk]),
        {"outcome": "delvis", "reflection": "Hann med hälften."},
    )
    commitment.refresh_from_db()
    assert commitment.outcome == "delvis" and not commitment.is_open
    assert "Delvis:" in client.get(url).content.decode()


@pytest.mark.parametrize("actor", ["other_manager", "coach", "hr_user"])
def test_commitments_are_private(client, request, journal, manager, actor):
    commitment = Commitment.objects.create(
        author=manager, text="Hemligt åtagande", due_on=timezone.localdate() + timedelta(days=3)
    )
    user = request.getfixturevalue(actor)
    client.force_login(user)

    follow_up = client.get(reverse("reflections:commitment-follow-up", args=[commitment.pk]))
    listing = client.get(reverse("reflections:commitments"))

    assert follow_up.status_code in (403, 404)
    assert "Hemligt åtagande" not in listing.content.decode()
