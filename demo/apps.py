from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for a first look. Depends on every app; no app depends on it."""

    name = "demo"
    verbose_name = _("Demo data")
