"""A deploy check (`manage.py check --deploy`): production keeps counted figures in a cache
every web and worker process shares.

HR's figures and the training groups' attendance figures are kept in the cache and
forgotten by the process that handles a write. With a cache per process (CACHE_URL unset),
the other processes show their kept copy until it runs out.
"""

from django.conf import settings
from django.core.checks import Warning as CheckWarning


def check_shared_cache(app_configs=None, **kwargs) -> list[CheckWarning]:
    """A warning unless CACHE_URL names a shared cache, when DEBUG is off."""
    if settings.DEBUG or settings.CACHE_URL:
        return []
    return [
        CheckWarning(
            "CACHE_URL is not set: each web and worker process keeps a cache of its own.",
            hint="Set CACHE_URL to a Redis database every web and worker process shares, "
            "e.g. redis://127.0.0.1:6379/1 (deploy/ledarskap.env.example). Without it a "
            "write handled by one process (attendance marked, a sick-leave import) reaches "
            "the figures another process keeps only when they run out.",
            id="kungsor.W001",
        )
    ]
