"""`manage.py check --deploy` fails while SITE_URL would send people to the wrong address."""

import pytest
from django.core.checks import run_checks
from django.test import override_settings


def _deploy_check_ids() -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=True)}


@pytest.mark.parametrize(
    "site_url",
    [
        "http://127.0.0.1:8000",  # the default
        "http://ledarskap.kungsor.se",
        "ledarskap.kungsor.se",
        "https://",
    ],
)
def test_deploy_check_fails_without_an_https_site_url(site_url):
    with override_settings(DEBUG=False, SITE_URL=site_url):
        assert "kungsor.E001" in _deploy_check_ids()


def test_deploy_check_passes_with_an_https_site_url():
    with override_settings(DEBUG=False, SITE_URL="https://ledarskap.kungsor.se"):
        assert "kungsor.E001" not in _deploy_check_ids()


def test_the_check_is_only_part_of_the_deploy_checks():
    with override_settings(DEBUG=False, SITE_URL="http://127.0.0.1:8000"):
        assert "kungsor.E001" not in {message.id for message in run_checks()}
