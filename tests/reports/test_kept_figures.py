"""HR's figures are counted once and kept a while (reports.cache): what HR notices of that."""

import logging
import pickle
import re
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from kungsor_ledarskap.celery import app as celery_app
from reports.models import ReportAccess, SickLeaveImport
from reports.selectors import HIDDEN, HIDDEN_STAFF
from reports.tasks import refresh_dashboard
from sessions.models import Invitation
from tests.factories import ManagerFactory, ProgrammeFactory
from tests.reports.conftest import _session
from tests.reports.test_sick_leave_import import HEADER, upload

# One xdist worker runs this file's tests: they share Redis database 14.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("redis-database-14")]

PERIOD = {"since": "2027-01-01", "until": "2027-12-31"}
REDIS_CACHE_URL = "redis://127.0.0.1:6379/14"


def overview_figure(page: str, label: str) -> str:
    overview = re.search(r'id="table-oversikt".*?</section>', page, re.S).group(0)
    return re.search(rf'<th scope="row">{label}</th><td[^>]*>([^<]*)</td>', overview).group(1)


def dashboard(client, params=None) -> str:
    response = client.get(reverse("reports:dashboard"), params or {})
    assert response.status_code == 200
    return response.content.decode()


def attend(known, when):
    """One more manager present at a held session."""
    session = _session(known["programme"], None, when)
    Invitation.objects.create(
        session=session,
        user=ManagerFactory(department=known["enheter"]["Gata"]),
        attendance=Invitation.Attendance.PRESENT,
    )


def test_the_page_says_when_its_figures_were_counted_and_keeps_them(client, known, hr_user):
    client.force_login(hr_user)
    first = dashboard(client, PERIOD)
    assert overview_figure(first, "Närvarande") == "12"
    assert "Siffrorna räknades" in first
    assert "De räknas om minst var 15:e minut" in first

    attend(known, known["sessions"]["s1"].starts_at + timedelta(days=1))
    kept = dashboard(client, PERIOD)

    # Within the quarter of an hour, the page is the counted one; the view is still logged.
    assert overview_figure(kept, "Närvarande") == "12"
    assert ReportAccess.objects.filter(user=hr_user, action="visning").count() == 2
    # Another choice of filters is counted afresh, with the new attendance.
    assert overview_figure(dashboard(client, PERIOD | {"until": "2027-12-30"}), "Närvarande") == (
        "13"
    )


def _chosen(page: str, field: str) -> str | None:
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', page, re.S).group(1)
    chosen = re.search(r"<option [^>]*selected[^>]*>([^<]*)</option>", select)
    return chosen.group(1) if chosen else None


def test_the_kept_filter_shows_each_query_s_own_choices(client, known, hr_user):
    """The filter is drawn once per count and query string, like the figures: each address
    shows what it chose, and a programme started since shows with the next count."""
    client.force_login(hr_user)
    voo = known["forvaltningar"]["voo"]

    assert _chosen(dashboard(client, PERIOD), "forvaltning") == "Alla"
    chosen = dashboard(client, PERIOD | {"forvaltning": voo.pk})
    assert _chosen(chosen, "forvaltning") == "Vård och omsorg"
    assert _chosen(dashboard(client, PERIOD), "forvaltning") == "Alla"

    ProgrammeFactory(name="Nystart 2028")
    refresh_dashboard.apply()
    assert "Nystart 2028" in dashboard(client)


def test_the_export_writes_the_figures_the_page_showed(client, known, hr_user):
    client.force_login(hr_user)
    dashboard(client, PERIOD)
    attend(known, known["sessions"]["s1"].starts_at + timedelta(days=1))

    export = client.get(reverse("reports:export", args=["oversikt", "csv"]), PERIOD)

    rows = export.content.decode("utf-8-sig").splitlines()
    assert "Närvarande;12" in rows


def test_beat_counts_the_default_view_again(client, known, hr_user):
    client.force_login(hr_user)
    assert overview_figure(dashboard(client), "Inbjudningar") == "0"
    attend(known, timezone.now() - timedelta(days=2))
    assert overview_figure(dashboard(client), "Inbjudningar") == "0"

    entry = celery_app.conf.beat_schedule["reports-refresh-dashboard"]
    assert entry["task"] == refresh_dashboard.name
    assert entry["schedule"] * 2 <= settings.REPORTS_CACHE_SECONDS  # before it runs out
    refresh_dashboard.apply()

    assert overview_figure(dashboard(client), "Inbjudningar") == "1"


def test_an_applied_sick_leave_file_shows_at_once(
    client, known, hr_user, django_capture_on_commit_callbacks
):
    client.force_login(hr_user)
    assert "Inga sjukfrånvarosiffror för perioden än." in dashboard(client, PERIOD)
    upload(client, HEADER + "Vård och omsorg;;2027-01;80;12800;1024\r\n")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:sick-leave-confirm", args=[SickLeaveImport.objects.get().pk]))

    page = dashboard(client, PERIOD)
    assert "Inga sjukfrånvarosiffror för perioden än." not in page
    assert "8,0 %" in page  # 1,024 of 12,800 hours


def test_kept_figures_are_hr_only(client, known, hr_user, coach, manager):
    client.force_login(hr_user)
    dashboard(client, PERIOD)
    for person in (coach, manager):
        client.force_login(person)
        assert client.get(reverse("reports:dashboard"), PERIOD).status_code == 403
        export = client.get(reverse("reports:export", args=["chefer", "csv"]), PERIOD)
        assert export.status_code == 403


def test_hidden_figures_stay_hidden_through_the_cache():
    assert pickle.loads(pickle.dumps(HIDDEN)) is HIDDEN  # noqa: S301 (our own object)
    assert pickle.loads(pickle.dumps(HIDDEN_STAFF)) is HIDDEN_STAFF  # noqa: S301


def _redis_cache(prefix: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": prefix,
        }
    }


def test_figures_are_kept_in_redis_shared_by_every_process(
    client, known, hr_user, django_capture_on_commit_callbacks
):
    import redis

    prefix = f"test-{uuid.uuid4().hex}"
    server = redis.Redis.from_url(REDIS_CACHE_URL)
    try:
        with override_settings(CACHES=_redis_cache(prefix)):
            client.force_login(hr_user)
            page = dashboard(client, PERIOD)
            kept = server.keys(f"{prefix}:*")
            assert len(kept) >= 3  # the stamp, the dashboard and the page's figures
            attend(known, known["sessions"]["s1"].starts_at + timedelta(days=1))
            assert overview_figure(dashboard(client, PERIOD), "Närvarande") == "12"

            upload(client, HEADER + "Vård och omsorg;;2027-01;80;12800;1024\r\n")
            with django_capture_on_commit_callbacks(execute=True):
                client.post(
                    reverse("reports:sick-leave-confirm", args=[SickLeaveImport.objects.get().pk])
                )
            page = dashboard(client, PERIOD)
            assert overview_figure(page, "Närvarande") == "13"
    finally:
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)


def test_without_the_cache_server_the_figures_are_counted_for_the_request(
    client, known, hr_user, caplog
):
    unreachable = _redis_cache("down")
    unreachable["default"]["LOCATION"] = "redis://127.0.0.1:1/0"
    with override_settings(CACHES=unreachable), caplog.at_level(logging.WARNING, "reports"):
        client.force_login(hr_user)
        page = dashboard(client, PERIOD)
    assert overview_figure(page, "Närvarande") == "12"
    assert "The cache could not be read" in caplog.text
