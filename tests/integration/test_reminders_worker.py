"""Repetition reminders around Ascension Day, end to end: the planner with the clock frozen
at chosen moments, the outbox, a real Celery worker on Redis and a real SMTP server."""

import time

import pytest

from notifications.models import OutboxMessage
from tests.reminders.conftest import at, run_at

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def reminders_to(smtp_sink, address):
    return [m for m in smtp_sink.to(address) if m["Message-ID"].startswith("<reminders.")]


def wait_for_reminders(smtp_sink, address, count, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = reminders_to(smtp_sink, address)
        if len(found) >= count:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{count} reminder emails to {address} did not arrive in {timeout}s")


def test_each_step_arrives_on_the_right_working_day_merged_and_once(
    ascension, manager, celery_worker_process, smtp_sink
):
    # (moment the planner runs, subject of the email that should arrive then, or None)
    timeline = [
        (at(2026, 5, 13, 17, 0), None),  # the session ended; attendance is marked
        (at(2026, 5, 14, 8, 30), None),  # Ascension Day: a holiday
        (at(2026, 5, 15, 8, 29), None),
        (at(2026, 5, 15, 8, 30), "2 påminnelser från Ledarskapsportalen"),  # step 1 + commitment
        (at(2026, 5, 15, 8, 31), None),
        (at(2026, 5, 16, 8, 30), None),  # Saturday
        (at(2026, 5, 17, 8, 30), None),  # Sunday
        (at(2026, 5, 18, 8, 30), "Dags att repetera: Leda andra: tydlighet"),  # step 2
        (at(2026, 5, 19, 8, 30), None),
        (at(2026, 5, 20, 8, 30), "Dags att repetera: Leda andra: tydlighet"),  # step 3
        (at(2026, 5, 22, 8, 30), "Dags att repetera: Leda andra: tydlighet"),  # re-prompt 3
        (at(2026, 5, 27, 8, 30), "Dags att repetera: Leda andra: tydlighet"),  # step 4
        (at(2026, 5, 29, 8, 30), "Dags att repetera: Leda andra: tydlighet"),  # re-prompt 4
        (at(2026, 6, 12, 8, 30), "Dags att repetera: Leda andra: tydlighet"),  # step 5
    ]
    expected_bodies = {
        3: ["Repetition 1 av 5", "Ett av dina åtaganden ska följas upp i dag"],
        7: ["Repetition 2 av 5"],
        9: ["Repetition 3 av 5"],
        10: ["En vänlig påminnelse", "Repetition 3 av 5"],
        11: ["Repetition 4 av 5"],
        12: ["En vänlig påminnelse", "Repetition 4 av 5"],
        13: ["Repetition 5 av 5"],
    }
    arrived = 0
    for index, (moment, subject) in enumerate(timeline):
        run_at(moment)
        emails = OutboxMessage.objects.filter(
            recipient_user=manager, idempotency_key__startswith="reminders:"
        )
        if subject is None:
            assert emails.count() == arrived, moment
            continue
        arrived += 1
        assert emails.count() == arrived, moment
        newest = emails.order_by("-created_at").first()
        assert newest.created_at == moment  # written at 08:30 local time that day
        mine = wait_for_reminders(smtp_sink, manager.email, arrived)
        assert mine[-1]["Subject"] == subject, [(m["Subject"], m["Message-ID"]) for m in mine]
        day = moment.date().isoformat()
        assert mine[-1]["Message-ID"] == f"<reminders.{manager.pk}.{day}@kungsor.se>"
        text = mine[-1].get_body(preferencelist=("plain",)).get_content()
        for expected in expected_bodies[index]:
            assert expected in text, (moment, expected)

    # Every email once, nothing to the colleague who was absent.
    assert len(reminders_to(smtp_sink, manager.email)) == 7
    assert reminders_to(smtp_sink, ascension["absent"].email) == []
    assert set(
        OutboxMessage.objects.filter(idempotency_key__startswith="reminders:").values_list(
            "status", flat=True
        )
    ) == {OutboxMessage.Status.SENT}


def test_the_unsubscribe_link_in_a_received_email_works_without_signing_in(
    ascension, manager, client, celery_worker_process, smtp_sink
):
    from urllib.parse import urlsplit

    from notifications.models import Preference
    from reminders.models import Reminder

    run_at(at(2026, 5, 13, 17, 0))
    run_at(at(2026, 5, 15, 8, 30))
    [email] = wait_for_reminders(smtp_sink, manager.email, 1)
    text = email.get_body(preferencelist=("plain",)).get_content()
    link = text.split("Avsluta alla påminnelser: ")[1].split()[0]
    header = email["List-Unsubscribe"].strip().strip("<>")
    assert header == link
    path = urlsplit(link).path

    page = client.get(path)  # nobody is signed in
    assert page.status_code == 200
    assert "Avsluta alla påminnelser" in page.content.decode()
    assert not Preference.objects.filter(unsubscribed_at__isnull=False).exists()

    # What a mail program's own "Unsubscribe" button sends (RFC 8058).
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Preference.objects.get(user=manager).unsubscribed_at is not None

    run_at(at(2026, 5, 18, 8, 30))
    step_2 = Reminder.objects.get(user=manager, kind=Reminder.Kind.REPETITION, step=2)
    assert (step_2.status, step_2.skip_reason) == (Reminder.Status.SKIPPED, "unsubscribed")
    assert len(reminders_to(smtp_sink, manager.email)) == 1
