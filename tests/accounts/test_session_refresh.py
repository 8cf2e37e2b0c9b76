"""The 30 idle minutes restart with each request, but the session row is written at most
about once a minute (not on every request): Django's database sessions, marked as seen by
portal.middleware.SessionLimitsMiddleware."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.accounts.test_security import sign_in

pytestmark = pytest.mark.django_db


def _get(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("start-manager"))
    assert response.status_code == 200
    writes = [
        q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ]
    return response, writes


def _expiry(client):
    return Session.objects.get(
        session_key=client.cookies[settings.SESSION_COOKIE_NAME].value
    ).expire_date


def test_a_request_soon_after_the_last_save_writes_nothing(client, manager):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, manager.email)
        expires = _expiry(client)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        response, writes = _get(client)
    assert writes == []
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert _expiry(client) == expires


def test_a_request_a_minute_or_more_later_restarts_the_30_minutes(client, manager):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, manager.email)
    later = start + timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        response, writes = _get(client)
    assert len(writes) == 1
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60
    assert abs(_expiry(client) - (later + timedelta(minutes=30))) < timedelta(seconds=1)


def test_busy_for_an_hour_in_short_steps_and_still_signed_in(client, manager):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, manager.email)
    for seconds in range(20, 3600, 20):  # a request every 20 seconds, for an hour
        with time_machine.travel(start + timedelta(seconds=seconds), tick=False):
            assert client.get(reverse("start-manager")).status_code == 200, seconds
    last = start + timedelta(seconds=3580)
    # Signed out between 29 and 30 idle minutes after the last request (the last save may
    # be up to a minute before it), never later.
    with time_machine.travel(last + timedelta(minutes=28, seconds=59), tick=False):
        assert client.get(reverse("start-manager")).status_code == 200
    with time_machine.travel(last + timedelta(minutes=28, seconds=59 + 30 * 60), tick=False):
        response = client.get(reverse("start-manager"))
    assert response["Location"].startswith(reverse("accounts:login"))
