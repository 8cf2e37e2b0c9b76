import os
import sys
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from django.db import connection

from tests.factories import AdminFactory, CoachFactory, HRFactory, ManagerFactory
from tests.support import log_guard
from tests.support.smtp import SMTPSink
from tests.support.worker import CeleryWorkerProcess


def pytest_sessionstart(session: pytest.Session) -> None:
    from django.conf import settings

    log_guard.install()

    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        pytest.exit(
            "The tests run on PostgreSQL: set DATABASE_URL (`make test` does). "
            f"Configured engine: {engine}",
            returncode=2,
        )
    _own_redis_database()

    # A fast hasher for the tests' passwords: Argon2 takes a quarter of a second a password
    # here, and every sign-in through a form, every generated sign-in attempt and every
    # password change pays it. Production keeps Argon2 first (settings.py), and
    # tests/accounts/test_security.py signs in with it.
    from django.test import override_settings

    override_settings(
        PASSWORD_HASHERS=[
            "django.contrib.auth.hashers.MD5PasswordHasher",
            *settings.PASSWORD_HASHERS,
        ]
    ).enable()


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_FromWorkers(), "tests-from-xdist-workers")


# Redis database 14 is tests/reports/test_kept_figures.py's.
KEPT_FIGURES_REDIS_DB = 14


def _worker_broker_url(url: str, worker: int) -> str:
    """Worker gwN of a parallel run (pytest-xdist) takes the Redis database N below the
    configured one (15, 13, 12, …: 14 is the kept-figures test's), so each worker's Celery
    worker process reads only its own queue; its PostgreSQL database pytest-django names."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0)
    for _ in range(worker):
        number -= 1
        if number == KEPT_FIGURES_REDIS_DB:
            number -= 1
    if number < 0:
        raise pytest.UsageError(f"No Redis database left for xdist worker gw{worker}: {url}")
    return parts._replace(path=f"/{number}").geturl()


def _own_redis_database() -> None:
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not settings.CELERY_BROKER_URL.startswith("redis://"):
        return
    url = _worker_broker_url(settings.CELERY_BROKER_URL, int(worker.removeprefix("gw")))
    settings.CELERY_BROKER_URL = url
    os.environ["CELERY_BROKER_URL"] = url  # for the processes the tests start
    from kungsor_ledarskap.celery import app

    app.conf.broker_url = url


def _matrix_tried() -> dict:
    module = sys.modules.get("tests.security.test_authorization_matrix")
    return dict(module.TRIED) if module else {"count": 0, "patterns": 0}


class _FromWorkers:
    """In a parallel run the tests run in xdist's worker processes: what the log guard and
    the authorization matrix found there comes back to the controller, which reports it."""

    def __init__(self) -> None:
        self.leaks: list[str] = []
        self.tried = {"count": 0, "patterns": 0}

    def pytest_testnodedown(self, node, error) -> None:
        output = getattr(node, "workeroutput", {})
        self.leaks += output.get("log_leaks", [])
        tried = output.get("matrix_tried", {})
        self.tried["count"] += tried.get("count", 0)
        self.tried["patterns"] = max(self.tried["patterns"], tried.get("patterns", 0))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    found = log_guard.leaks()
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller reports
        workeroutput["log_leaks"] = found
        workeroutput["matrix_tried"] = _matrix_tried()
        return
    from_workers = session.config.pluginmanager.get_plugin("tests-from-xdist-workers")
    if from_workers:
        found += from_workers.leaks
    if found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        for line in found[:20]:
            reporter.write_line("LOG LEAK: " + line, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config) -> None:
    tried = _matrix_tried()
    from_workers = config.pluginmanager.get_plugin("tests-from-xdist-workers")
    if from_workers and from_workers.tried["count"]:
        tried = from_workers.tried
    if tried["count"]:
        terminalreporter.write_line(
            f"authorization matrix: {tried['patterns']} URL patterns "
            f"(the admin site as one), {tried['count']} requests as 7 kinds of person"
        )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with nothing kept (HR's counted figures live in the cache)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _test_client_sign_in_includes_the_second_step(request, monkeypatch):
    """`client.login()` and `force_login()` stand for a whole sign-in: for coaches, HR and
    administrators that includes the two-step code, so the session is marked as verified
    with an app set up for them. Tests of the two-step pages themselves sign in through the
    real forms, or use the mark `without_second_step` to get a password-only session."""
    if request.node.get_closest_marker("without_second_step"):
        return
    from django.test import Client

    signed_in = Client._login

    def _login(self, user, backend=None):
        signed_in(self, user, backend)
        from accounts import mfa

        if mfa.required_for(user):
            from django_otp import DEVICE_ID_SESSION_KEY

            from tests.support.mfa import confirmed_app

            device = confirmed_app(user)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "_login", _login)


@pytest.fixture
def manager(db):
    return ManagerFactory(full_name="Maja Chef")


@pytest.fixture
def other_manager(db):
    return ManagerFactory(full_name="Olle Annanchef")


@pytest.fixture
def coach(db):
    return CoachFactory(full_name="Karin Tränare")


@pytest.fixture
def hr_user(db):
    return HRFactory(full_name="Hanna HR")


@pytest.fixture
def admin_user(db):
    return AdminFactory(full_name="Adam Admin")


@pytest.fixture
def world(db):
    """Two sides of everything (tests/world.py): manager, coach, training group, sessions,
    journal entries and a commitment for side A and for side B; HR and an administrator.
    A feature test extends it with the factories (tests/factories.py), or overrides the
    fixture with one that takes `world` and adds to it."""
    from tests.world import build

    return build()


@pytest.fixture(scope="session")
def smtp_sink():
    """A real SMTP server on loopback that keeps what it receives."""
    sink = SMTPSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, smtp_sink):
    """A real Celery worker process on Redis, using the test database and the SMTP sink."""
    with django_db_blocker.unblock():
        database_name = connection.settings_dict["NAME"]
    worker = CeleryWorkerProcess(database_name=database_name, smtp_port=smtp_sink.port)
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture(autouse=True)
def _configured_email_backend(settings):
    """Django's test set-up swaps in the locmem backend; put back what settings.py says."""
    settings.EMAIL_BACKEND = import_module(os.environ["DJANGO_SETTINGS_MODULE"]).EMAIL_BACKEND


@pytest.fixture(autouse=True)
def _nothing_kept_from_another_test():
    """Each test starts with an empty cache. The database is rolled back after every test,
    but the process's cache is not: HR's kept figures from another test's data would be read
    as this test's, and a full cache drops a third of its entries at random when written to."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _the_portals_language_at_the_start():
    """Each test starts in the portal's language (Swedish). A request in English leaves English
    active in the thread, and a test that reads without a request (kept figures are kept per
    language) would otherwise depend on which test ran before it in the same process."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
