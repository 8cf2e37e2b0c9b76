"""The administrator's start page: the portal's health as a person reads it, with data and
without, and the selectors behind each part on their own."""

import re
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from health import selectors as health_selectors
from health.services import heartbeat_record
from notifications import selectors as outbox_selectors
from notifications.models import OutboxMessage
from privacy import selectors as privacy_selectors
from privacy.models import RetentionRun
from privacy.retention import retention_apply
from tests.factories import ManagerFactory
from tests.support.smtp import free_port

pytestmark = pytest.mark.django_db

URL = "/start/admin/"


def _text(response) -> str:
    """The page as a person reads it: tags gone, spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _section(response, name: str) -> str:
    html = response.content.decode()
    start = html.index(f'id="health-{name}"')
    end = html.index("</div></div>", start)
    part = html[start:end]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part)).strip()


def _message(*, minutes_old: int, status=OutboxMessage.Status.PENDING, **fields) -> OutboxMessage:
    created = timezone.now() - timedelta(minutes=minutes_old)
    fields.setdefault("next_attempt_at", created)
    fields.setdefault("subject", "Ämne")
    return OutboxMessage.objects.create(
        status=status,
        from_email="portal@kungsor.test",
        to=["someone@kungsor.test"],
        body_text="Text",
        created_at=created,
        **fields,
    )


@pytest.fixture
def broker_down(monkeypatch):
    from kungsor_ledarskap.celery import app

    monkeypatch.setattr(app.conf, "broker_write_url", f"redis://127.0.0.1:{free_port()}/0")


# ----------------------------------------------------------------------------------------------
# The selectors on their own.


def test_outbox_health_counts_failed_and_waiting_too_long_but_not_what_is_held_back():
    assert outbox_selectors.outbox_health() == outbox_selectors.OutboxHealth(0, 0, 0)
    _message(minutes_old=90, status=OutboxMessage.Status.FAILED)
    _message(minutes_old=90)  # due 90 minutes ago, never tried: waiting too long
    _message(minutes_old=120, status=OutboxMessage.Status.SENDING, attempts=1)
    # Tried and put back with backoff: its next attempt is to come, but it has waited.
    _message(minutes_old=75, attempts=2, next_attempt_at=timezone.now() + timedelta(minutes=8))
    _message(minutes_old=30)  # written half an hour ago: not yet
    # Written two hours ago but held back until ten minutes ago (send_at): not yet an hour.
    _message(minutes_old=120, next_attempt_at=timezone.now() - timedelta(minutes=10))
    # A cancellation in the coach's undo window: not due at all.
    _message(minutes_old=2, next_attempt_at=timezone.now() + timedelta(minutes=3))
    _message(minutes_old=600, status=OutboxMessage.Status.SENT, sent_at=timezone.now())

    health = outbox_selectors.outbox_health()

    assert health == outbox_selectors.OutboxHealth(failed=1, waiting_too_long=3, waiting=6)
    assert OutboxMessage.objects.filter(outbox_selectors.outbox_waiting_too_long_q()).count() == 3


def test_erasure_due_follows_the_gallring_rule(settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "deactivated_people": 730}
    assert privacy_selectors.erasure_due() == privacy_selectors.ErasureDue(0, 0, 730, [])
    now = timezone.now()
    old = ManagerFactory(full_name="Gunnar Gammal", is_active=False)
    older = ManagerFactory(full_name="Alma Äldst", is_active=False)
    recent = ManagerFactory(full_name="Nina Nyss", is_active=False)
    ManagerFactory(full_name="Aktiv Person")
    for person, days in ((old, 731), (older, 900), (recent, 10)):
        type(person).objects.filter(pk=person.pk).update(deactivated_at=now - timedelta(days=days))

    due = privacy_selectors.erasure_due()

    assert (due.deactivated, due.due, due.days) == (3, 2, 730)
    assert [person.full_name for person in due.people] == ["Alma Äldst", "Gunnar Gammal"]
    assert due.more == 0
    first = privacy_selectors.erasure_due(limit=1)
    assert ([p.full_name for p in first.people], first.more) == (["Alma Äldst"], 1)
    # Gallring's own rule agrees: it erases exactly those.
    retention_apply()
    after = privacy_selectors.erasure_due()
    assert (after.deactivated, after.due) == (1, 0)


def test_gallring_status_without_a_run_is_late_and_with_one_says_what_it_deleted():
    status = privacy_selectors.gallring_status()
    assert (status.last_run_at, status.deletions, status.is_late) == (None, [], True)

    _message(minutes_old=200 * 24 * 60, status=OutboxMessage.Status.FAILED)
    retention_apply()

    status = privacy_selectors.gallring_status()
    assert status.is_late is False
    assert [(item.what, item.count) for item in status.deletions] == [
        ("utgående e-postmeddelanden", 1)
    ]
    later = privacy_selectors.gallring_status(timezone.now() + timedelta(hours=27))
    assert later.is_late is True


def test_a_gallring_run_that_deletes_nothing_is_recorded():
    retention_apply()
    run = RetentionRun.objects.get()
    assert run.deleted == {} and run.finished_at >= run.started_at


def test_parts_health_with_a_fresh_heartbeat_and_without():
    parts = health_selectors.parts_health()
    assert (parts.database, parts.broker, parts.beat_at, parts.beat_fresh) == (
        True,
        True,
        None,
        False,
    )
    heartbeat_record()
    parts = health_selectors.parts_health()
    assert parts.beat_fresh is True and parts.beat_at is not None


def test_parts_health_says_a_refusing_broker_is_down_within_seconds(broker_down):
    started = time.monotonic()
    parts = health_selectors.parts_health()
    assert parts.broker is False and parts.database is True
    assert time.monotonic() - started < 5


# ----------------------------------------------------------------------------------------------
# The page.


def test_the_page_of_an_empty_portal_says_what_has_never_run(client, admin_user):
    client.force_login(admin_user)

    response = client.get(URL)

    text = _text(response)
    assert "2 saker i portalen behöver åtgärdas. Schemaläggare (Celery beat) Gallring" in text
    assert "Schemaläggaren har aldrig synts till" in _section(response, "beat")
    assert "Gallringen har aldrig körts." in _section(response, "gallring")
    assert "Ingen är inaktiverad." in _section(response, "erasure")
    assert "Ingen e-post har misslyckats." in text
    assert "inte skickade än" not in text
    assert "Chefer 0" in text and "Administratörer 1" in text


def test_the_page_with_nothing_to_worry_about_says_so(client, admin_user):
    heartbeat_record()
    retention_apply()
    left = ManagerFactory(full_name="Nyss Slutat", is_active=False)  # not yet due
    client.force_login(admin_user)

    response = client.get(URL)

    text = _text(response)
    assert "Allt i portalen fungerar som det ska." in text
    assert "Behöver åtgärdas" not in text
    assert "Databasen svarar." in text
    assert "Meddelandekön svarar." in text
    assert "Ingen e-post har misslyckats." in text
    assert "Ingen e-post har väntat mer än en timme." in text
    assert "Ingen ska raderas nu. 1 person är inaktiverad" in text
    assert left.full_name not in text
    assert "Den hittade inget att radera." in text
    assert "Aktiva användare per roll" in text
    assert "Administratörer 1" in text


def test_the_page_with_trouble_says_what_and_what_to_do(client, admin_user, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "deactivated_people": 730}
    # Beat last seen two hours ago: the page gives the time in Sweden.
    seen = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    heartbeat_record(at=seen)
    RetentionRun.objects.create(
        started_at=timezone.now() - timedelta(days=3),
        finished_at=timezone.now() - timedelta(days=3),
        deleted={"outbox": 4, "sessions": 2},
    )
    _message(minutes_old=90, status=OutboxMessage.Status.FAILED)
    _message(minutes_old=90)
    _message(minutes_old=70, attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=2))
    _message(minutes_old=1, next_attempt_at=timezone.now() + timedelta(minutes=4))  # undo window
    gone = ManagerFactory(full_name="Gunnar Gammal", is_active=False)
    type(gone).objects.filter(pk=gone.pk).update(
        deactivated_at=timezone.now() - timedelta(days=800)
    )
    client.force_login(admin_user)

    response = client.get(URL)

    text = _text(response)
    assert "5 saker i portalen behöver åtgärdas." in text
    local = timezone.localtime(seen)
    assert f"Senast sedd {local.day} december {local:%Y %H:%M:%S}." in _section(response, "beat")
    assert "mer än 3 minuter sedan" in _section(response, "beat")
    failed = _section(response, "failed")
    assert "Behöver åtgärdas" in failed
    assert "1 e-postmeddelande kunde inte skickas." in failed
    waiting = _section(response, "waiting")
    assert "2 e-postmeddelanden har väntat mer än en timme." in waiting
    assert "3 e-postmeddelanden är inte skickade än" in waiting
    erasure = _section(response, "erasure")
    assert "1 person inaktiverades för mer än 730 dagar sedan och ska raderas." in erasure
    assert "Gunnar Gammal" in erasure
    gallring = _section(response, "gallring")
    assert "Behöver åtgärdas" in gallring
    assert "har inte körts på mer än ett dygn" in gallring
    assert "Utgående e-postmeddelanden: 4" in gallring
    assert "OK" in _section(response, "database") and "OK" in _section(response, "broker")

    html = response.content.decode()
    changelist = reverse("admin:notifications_outboxmessage_changelist")
    assert f'href="{changelist}?status__exact=failed"' in html
    assert f'href="{changelist}?waiting=hour"' in html
    assert f'href="{reverse("privacy:person-data", args=[gone.pk])}"' in html
    assert f'href="{reverse("privacy:people")}"' in html


def test_the_admin_links_open_exactly_those_messages(client, admin_user):
    _message(minutes_old=90, status=OutboxMessage.Status.FAILED, subject="Misslyckat")
    _message(minutes_old=90, subject="Fastnat")
    _message(
        minutes_old=1, subject="Ångrafönster", next_attempt_at=timezone.now() + timedelta(minutes=4)
    )
    _message(minutes_old=10, subject="Färskt")
    client.force_login(admin_user)
    changelist = reverse("admin:notifications_outboxmessage_changelist")

    failed = client.get(changelist, {"status__exact": "failed"}).content.decode()
    waiting = client.get(changelist, {"waiting": "hour"}).content.decode()

    assert "Misslyckat" in failed and "Fastnat" not in failed
    assert "Fastnat" in waiting
    assert not {"Misslyckat", "Ångrafönster", "Färskt"} & set(re.findall(r"\w+", waiting))


def test_a_broker_that_refuses_does_not_break_the_page(client, admin_user, broker_down):
    client.force_login(admin_user)
    started = time.monotonic()

    response = client.get(URL)

    assert response.status_code == 200
    assert time.monotonic() - started < 5
    broker = _section(response, "broker")
    assert "Behöver åtgärdas" in broker
    assert "Meddelandekön går inte att nå" in broker


def test_only_administrators_see_the_page(client, manager, coach, hr_user):
    for person in (manager, coach, hr_user):
        client.force_login(person)
        assert client.get(URL).status_code == 403
