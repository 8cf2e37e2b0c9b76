from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    """What every page shares: the start pages per role, the error pages, the navigation,
    the portal's middleware and its admin site. On top of the other apps: it uses them, and
    none of them uses it."""

    name = "portal"
    verbose_name = "Ledarskapsportalen"


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin on the portal's site (portal/admin_site.py), in place of
    django.contrib.admin in INSTALLED_APPS."""

    default = False  # "portal" alone names PortalConfig
    default_site = "portal.admin_site.PortalAdminSite"
