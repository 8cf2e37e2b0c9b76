from datetime import timedelta

import pytest
from django.utils import timezone

from health.services import heartbeat_record
from health.tasks import record_heartbeat
from tests.support.smtp import free_port


@pytest.mark.django_db
def test_healthz_is_ok_with_database_broker_and_a_recent_heartbeat(client):
    beat_at = heartbeat_record(at=timezone.now() - timedelta(seconds=20)).beat_at

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["beat"] == {"status": "ok", "last_heartbeat": beat_at.isoformat()}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_beat_has_never_run(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["beat"] == {"status": "error", "last_heartbeat": None}


@pytest.mark.django_db
def test_healthz_is_503_when_the_heartbeat_is_stale(client, settings):
    heartbeat_record(at=timezone.now() - timedelta(seconds=settings.HEALTH_HEARTBEAT_MAX_AGE + 5))

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["beat"]["status"] == "error"


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, monkeypatch):
    from kungsor_ledarskap.celery import app

    heartbeat_record()
    monkeypatch.setattr(app.conf, "broker_write_url", f"redis://127.0.0.1:{free_port()}/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from health import selectors

    monkeypatch.setattr(selectors.connection, "cursor", _broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "error"


def _broken_cursor():
    from django.db import OperationalError

    raise OperationalError("connection refused")


@pytest.mark.django_db
def test_heartbeat_task_records_the_time(client):
    record_heartbeat()

    assert client.get("/healthz").json()["beat"]["status"] == "ok"
