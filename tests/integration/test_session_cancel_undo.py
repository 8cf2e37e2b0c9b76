"""A cancellation waits in the outbox for the undo window: undone, its emails never leave;
not undone, they go when the window has passed. Through the pages, the outbox's sweeper, a
real Celery worker and a real SMTP server."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage
from notifications.tasks import sweep_outbox
from sessions import services
from sessions.models import TrainingSession
from tests.factories import CoachFactory, CohortFactory, ManagerFactory
from tests.training_sessions.conftest import at, session_data

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SWEPT = ("sweep_outbox[", "succeeded")


def _sweep(worker) -> None:
    before = worker.count(*SWEPT)
    sweep_outbox.delay()
    worker.wait_for_log(*SWEPT, count=before + 1)


def test_an_undone_cancellation_is_never_sent_and_one_not_undone_goes_after_the_window(
    client, celery_worker_process, smtp_sink, monkeypatch
):
    monkeypatch.setattr(services, "CANCEL_UNDO_WINDOW", timedelta(seconds=3))
    coach = CoachFactory(full_name="Karin Tränare")
    kept = ManagerFactory(email="kvar.angra@kungsor.test")
    off = ManagerFactory(email="installd.angra@kungsor.test")
    sessions = {}
    for person, day in ((kept, 7), (off, 8)):
        cohort = CohortFactory(coaches=[coach], members=[person])
        sessions[person] = services.session_create(
            data=session_data(
                cohort=cohort,
                coaches=[coach],
                starts_at=at(2027, 4, day, 13),
                ends_at=at(2027, 4, day, 16),
            ),
            created_by=coach,
        )
        smtp_sink.wait_for(person.email)  # the invitation
    client.force_login(coach)

    for session in sessions.values():
        response = client.post(
            reverse("training_sessions:session-cancel", args=[session.pk]),
            {"message": "Vi ses nästa vecka i stället."},
        )
        assert response.status_code == 302
    client.post(reverse("training_sessions:session-cancel-undo", args=[sessions[kept].pk]))

    # Within the window the sweeper finds nothing due: nobody has heard anything.
    _sweep(celery_worker_process)
    assert len(smtp_sink.to(kept.email)) == len(smtp_sink.to(off.email)) == 1
    cancelled = TrainingSession.objects.get(pk=sessions[off].pk)
    time.sleep(max((cancelled.cancel_undo_until - timezone.now()).total_seconds(), 0) + 0.2)

    _sweep(celery_worker_process)
    [_, cancellation] = smtp_sink.wait_for(off.email, count=2)
    assert cancellation["Subject"] == "Inställd: Träff 8 april"
    [calendar] = [
        p for p in cancellation.iter_attachments() if p.get_content_type() == "text/calendar"
    ]
    assert calendar.get_param("method") == "CANCEL"
    text = cancellation.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert "Meddelande från Karin Tränare:\nVi ses nästa vecka i stället." in text
    # The undone one: still planned, nothing of its cancellation left to send, nothing sent.
    assert len(smtp_sink.to(kept.email)) == 1
    assert TrainingSession.objects.get(pk=sessions[kept].pk).status == "planerad"
    assert not OutboxMessage.objects.filter(to=[kept.email], subject__startswith="Inställd")
