from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin on the portal's site (kungsor_ledarskap/admin_site.py)."""

    default_site = "kungsor_ledarskap.admin_site.PortalAdminSite"
