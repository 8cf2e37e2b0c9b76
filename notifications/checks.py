"""A deploy check (`manage.py check --deploy`): links in emails need the portal's real address.

Reminders and other emails sent without a request build their links, and List-Unsubscribe,
from SITE_URL; left at its development default they would point at 127.0.0.1.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error


def check_site_url(app_configs=None, **kwargs) -> list[Error]:
    """An error unless SITE_URL is an https:// address with a host name, when DEBUG is off."""
    if settings.DEBUG:
        return []
    site_url = settings.SITE_URL
    parts = urlsplit(site_url)
    if parts.scheme == "https" and parts.hostname:
        return []
    return [
        Error(
            f"SITE_URL is {site_url!r}: links and List-Unsubscribe in emails would point there.",
            hint="Set SITE_URL to the portal's https:// address, e.g. "
            "https://ledarskap.kungsor.se (docs/deploy.md).",
            id="kungsor.E001",
        )
    ]
