"""`manage.py check --deploy` warns while production has no shared cache: a write handled by
one process would reach the figures another process keeps only when they run out."""

from django.core.checks import run_checks
from django.test import override_settings


def _deploy_check_ids() -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=True)}


def test_production_without_a_shared_cache_is_warned():
    with override_settings(DEBUG=False, CACHE_URL=""):
        assert "kungsor.W001" in _deploy_check_ids()


def test_production_with_a_shared_cache_and_development_are_not():
    with override_settings(DEBUG=False, CACHE_URL="redis://127.0.0.1:6379/1"):
        assert "kungsor.W001" not in _deploy_check_ids()
    with override_settings(DEBUG=True, CACHE_URL=""):
        assert "kungsor.W001" not in _deploy_check_ids()
    with override_settings(DEBUG=False, CACHE_URL=""):
        assert "kungsor.W001" not in {message.id for message in run_checks()}
