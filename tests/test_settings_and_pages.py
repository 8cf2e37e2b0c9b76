"""Settings refuse unsafe production values; error pages and language are Swedish."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

BASE_DIR = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 20 + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij0123456789"


def _import_settings(**variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", "import kungsor_ledarskap.settings"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("variables", "complaint"),
    [
        ({"DEBUG": "false", "SECRET_KEY": "", "ALLOWED_HOSTS": "x.se"}, "SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "kort", "ALLOWED_HOSTS": "x.se"}, "SECRET_KEY"),
        (
            {"DEBUG": "false", "SECRET_KEY": "django-insecure-" + GOOD_KEY, "ALLOWED_HOSTS": "x"},
            "SECRET_KEY",
        ),
        ({"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_a_real_key_and_hosts(variables, complaint):
    result = _import_settings(**variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert complaint in result.stderr


def test_production_starts_with_a_real_key_and_hosts():
    result = _import_settings(DEBUG="false", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="ledarskap.x.se")

    assert result.returncode == 0, result.stderr


def test_the_portal_speaks_swedish_in_stockholm_time(settings):
    assert settings.LANGUAGE_CODE == "sv"
    assert "en" in dict(settings.LANGUAGES)
    assert settings.TIME_ZONE == "Europe/Stockholm"
    assert settings.USE_TZ is True
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0


def test_swedish_catalogue_is_complete():
    with open(BASE_DIR / "locale/sv/LC_MESSAGES/django.po", "rb") as po:
        catalogue = read_po(po)
    untranslated = [
        m.id
        for m in catalogue
        if m.id and (m.fuzzy or not (all(m.string) if m.pluralizable else m.string))
    ]
    assert untranslated == []


def test_msgfmt_statistics_report_nothing_untranslated_or_fuzzy():
    """GNU gettext's own count, as a translator would run it."""
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", "locale/sv/LC_MESSAGES/django.po"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert re.fullmatch(r"\d+ translated messages\.\n", result.stderr), result.stderr


def test_swedish_catalogue_has_every_string_in_the_code(tmp_path):
    """makemessages on a copy of the sources finds no string the catalogue lacks."""
    with open(BASE_DIR / "locale/sv/LC_MESSAGES/django.po", "rb") as po:
        committed = {m.id for m in read_po(po) if m.id}
    copy = tmp_path / "src"
    subprocess.run(
        [
            "rsync",
            "-a",
            "--exclude=.venv",
            "--exclude=.git",
            "--exclude=staticfiles",
            "--exclude=var",
            "--exclude=tests",
            # `make sbom`'s tool and its output, not the portal's sources.
            "--exclude=build",
            "--exclude=dist",
            f"{BASE_DIR}/",
            f"{copy}/",
        ],
        check=True,
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "sv",
            "--no-location",
            "--ignore=static",
            "--verbosity=0",
        ],
        cwd=copy,
        check=True,
    )
    with open(copy / "locale/sv/LC_MESSAGES/django.po", "rb") as po:
        extracted = {m.id for m in read_po(po) if m.id}

    assert extracted - committed == set(), "run `make messages-update` and translate"


@pytest.mark.django_db
def test_404_page_is_swedish(client, manager):
    client.force_login(manager)

    response = client.get("/finns-inte/")

    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="sv">' in page
    assert "Sidan kunde inte hittas" in page


@pytest.mark.django_db
def test_500_page_is_swedish_and_shows_no_internals(client, settings, manager):
    settings.ROOT_URLCONF = "tests.support.urls_with_error"
    client.raise_request_exception = False
    client.force_login(manager)

    response = client.get("/trasig/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Något gick fel" in page
    assert "secret-internal-detail" not in page
    assert "Traceback" not in page
    assert "SECRET_KEY" not in page


@pytest.mark.django_db
def test_english_is_available(client, manager):
    client.force_login(manager)

    client.post("/sprak/", {"language": "en", "next": "/start/chef/"})
    page = client.get("/start/chef/").content.decode()

    assert '<html lang="en">' in page
    assert '<h2 id="due-heading" class="h4">To do</h2>' in page


@pytest.mark.django_db
def test_an_english_browser_still_gets_swedish(client):
    page = client.get("/konto/logga-in/", headers={"accept-language": "en-US,en;q=0.9"})

    assert page["Content-Language"] == "sv"
    assert "Logga in" in page.content.decode()


def test_the_benchmark_floor_exists_only_for_make_bench(settings):
    """/_bench/golv/ is served only when BENCH_FLOOR is set, as `make bench` does."""
    from django.urls import NoReverseMatch, reverse

    assert settings.BENCH_FLOOR is False
    with pytest.raises(NoReverseMatch):
        reverse("bench-floor", args=[100])
