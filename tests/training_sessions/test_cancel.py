"""Cancelling a session: a page that says who will be told, then a few minutes in which the
coach can undo before the emails leave the outbox."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from notifications import services as outbox
from notifications.models import OutboxMessage
from sessions import services
from sessions.models import TrainingSession
from tests.support.forms import submit


def _cancellations():
    return OutboxMessage.objects.filter(subject__startswith="Inställd")


def _cancel_url(session):
    return reverse("training_sessions:session-cancel", args=[session.pk])


def _undo_url(session):
    return reverse("training_sessions:session-cancel-undo", args=[session.pk])


def _detail(client, session) -> str:
    return client.get(
        reverse("training_sessions:session-detail", args=[session.pk])
    ).content.decode()


def test_the_confirmation_page_says_which_session_and_who_will_be_told(
    client, schedule_world, coach, manager
):
    session = schedule_world["session"]
    client.force_login(coach)

    # The session's page offers a way to the confirmation, not a one-click cancel.
    detail = _detail(client, session)
    assert f'href="{_cancel_url(session)}"' in detail
    assert f'action="{_cancel_url(session)}"' not in detail
    page = client.get(_cancel_url(session)).content.decode()

    assert "Ställa in ”Leda sig själv, del 1”?" in page
    assert "Onsdag 10 mars 2027, 13:00–16:00" in page
    assert "4 inbjudna får ett mejl om att träffen är inställd" in page
    for person in [manager, *schedule_world["colleagues"]]:
        assert person.full_name in page
    assert "Meddelande till de inbjudna (frivilligt)" in page
    assert "Mejlen skickas 5 minuter efter att du har ställt in träffen" in page
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.PLANNED
    assert not _cancellations().exists()


def test_many_invited_are_listed_a_page_at_a_time(client, schedule_world, coach, monkeypatch):
    from sessions import views

    monkeypatch.setattr(views, "ATTENDANCE_PER_PAGE", 3)
    client.force_login(coach)

    first = client.get(_cancel_url(schedule_world["session"])).content.decode()
    second = client.get(_cancel_url(schedule_world["session"]), {"page": 2}).content.decode()

    assert "4 inbjudna får ett mejl" in first
    assert "Sida 1 av 2 (1–3 av 4)" in first
    assert "Sida 2 av 2 (4–4 av 4)" in second


def test_cancelling_waits_with_the_emails_and_carries_the_message(
    client, schedule_world, coach, manager
):
    session = schedule_world["session"]
    client.force_login(coach)
    page = client.get(_cancel_url(session)).content.decode()

    response = submit(
        client, page, _cancel_url(session), message="Lokalen är upptagen. Vi ses & hörs 17/3!"
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.CANCELLED
    follow = client.get(response["Location"]).content.decode()
    assert "Träffen är inställd. Mejlen till de 4 inbjudna skickas kl." in follow
    assert "Ångra inställningen" in follow
    emails = list(_cancellations())
    assert len(emails) == 4
    assert {m.status for m in emails} == {OutboxMessage.Status.PENDING}
    assert {m.next_attempt_at for m in emails} == {session.cancel_undo_until}
    assert session.cancel_undo_until > timezone.now() + timedelta(minutes=4)
    # Not due: the sweeper does not queue them and no worker may claim one.
    assert set(outbox.outbox_due_ids()).isdisjoint(m.pk for m in emails)
    assert outbox.outbox_claim(message_id=emails[0].pk) is None
    [to_manager] = [m for m in emails if m.to == [manager.email]]
    assert "Meddelande från Karin Tränare:\nLokalen är upptagen. Vi ses & hörs 17/3!" in (
        to_manager.body_text
    )
    assert "Vi ses &amp; hörs 17/3!" in to_manager.body_html


def test_undo_within_the_window_restores_the_session_and_nothing_is_left_to_send(
    client, schedule_world, coach, manager
):
    session = schedule_world["session"]
    client.force_login(coach)
    submit(client, client.get(_cancel_url(session)).content.decode(), _cancel_url(session))
    sequence = TrainingSession.objects.get(pk=session.pk).sequence

    response = client.post(_undo_url(session), follow=True)

    page = response.content.decode()
    assert "Inställningen är ångrad" in page
    assert "Ångra inställningen" not in page
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.PLANNED
    assert session.sequence == sequence + 1
    assert session.cancel_undo_until is None
    assert not _cancellations().exists()
    assert outbox.outbox_due_ids() == []
    # The session can be cancelled again later, and those emails are new.
    services.session_cancel(session=session, undo_window=timedelta(0))
    assert _cancellations().count() == 4


def test_after_the_window_undo_is_refused_and_the_emails_go(client, schedule_world, coach):
    session = schedule_world["session"]
    client.force_login(coach)
    submit(client, client.get(_cancel_url(session)).content.decode(), _cancel_url(session))

    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert "Ångra inställningen" not in _detail(client, session)
        page = client.post(_undo_url(session), follow=True).content.decode()

    assert "Det är för sent att ångra" in page
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.CANCELLED
    assert {m.status for m in _cancellations()} == {OutboxMessage.Status.PENDING}
    assert _cancellations().count() == 4


def test_undo_is_refused_once_a_cancellation_email_has_been_tried(schedule_world):
    session = services.session_cancel(session=schedule_world["session"])
    # A worker has taken one (the clock of a slow web server said the window was still open).
    first = _cancellations().first()
    OutboxMessage.objects.filter(pk=first.pk).update(
        status=OutboxMessage.Status.SENDING, attempts=1
    )

    with pytest.raises(Exception, match="för sent att ångra"):
        services.session_cancel_undo(session=session)

    session.refresh_from_db()
    assert session.status == TrainingSession.Status.CANCELLED
    assert _cancellations().count() == 4


@pytest.mark.parametrize("who", ["other_coach", "manager", "hr_user"])
def test_only_the_sessions_coaches_may_cancel_or_undo(
    client, schedule_world, coach, manager, hr_user, who
):
    session = schedule_world["session"]
    person = {"other_coach": schedule_world["other_coach"], "manager": manager, "hr_user": hr_user}
    client.force_login(person[who])
    # The invited manager and HR may see the session, so may know it exists: 403.
    refused = 404 if who == "other_coach" else 403

    assert client.get(_cancel_url(session)).status_code == refused
    assert client.post(_cancel_url(session), {"message": "Inställt"}).status_code == refused
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.PLANNED
    assert not _cancellations().exists()
    assert "Ställ in träffen" not in _detail(client, session)

    services.session_cancel(session=session)
    assert "Ångra inställningen" not in _detail(client, session)
    assert client.post(_undo_url(session)).status_code == refused
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.CANCELLED
    assert _cancellations().count() == 4


def test_a_message_too_long_is_refused_and_nothing_is_cancelled(client, schedule_world, coach):
    session = schedule_world["session"]
    client.force_login(coach)

    response = client.post(_cancel_url(session), {"message": "x" * 1001})

    assert response.status_code == 400
    assert "har som mest 1000 tecken (den har 1001)" in response.content.decode()
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.PLANNED
    assert not _cancellations().exists()
