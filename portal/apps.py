from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core.checks import Tags, register
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static import apps as otp_static_apps
from django_otp.plugins.otp_totp import apps as otp_totp_apps

# The modules, not their classes, are imported: Django picks an app's configuration from the
# AppConfig classes named in its apps.py, and "portal" must still find PortalConfig alone.


class PortalConfig(AppConfig):
    """What every page shares: the start pages per role, the error pages, the navigation,
    the portal's middleware and its admin site. On top of the other apps: it uses them, and
    none of them uses it."""

    name = "portal"
    verbose_name = "Ledarskapsportalen"

    def ready(self) -> None:
        from portal.checks import check_shared_cache

        register(check_shared_cache, Tags.caches, deploy=True)


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin on the portal's site (portal/admin_site.py), in place of
    django.contrib.admin in INSTALLED_APPS."""

    default = False  # "portal" alone names PortalConfig
    default_site = "portal.admin_site.PortalAdminSite"


# Third-party apps under names an administrator reads (their own are "Axes", "Otp_Totp"…),
# each in place of the app's own configuration in INSTALLED_APPS, as Django's documentation
# on configuring applications describes: the same app, with another verbose_name.


class SignInProtectionConfig(axes_apps.AppConfig):
    default = False
    verbose_name = _("Sign-in protection")


class AuthenticatorAppsConfig(otp_totp_apps.DefaultConfig):
    default = False
    verbose_name = _("Two-step verification: authenticator apps")


class RecoveryCodesConfig(otp_static_apps.DefaultConfig):
    default = False
    verbose_name = _("Two-step verification: recovery codes")
