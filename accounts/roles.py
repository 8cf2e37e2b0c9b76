"""The portal's roles: Django groups and the permissions each one carries."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Role(TextChoices):
    CHEF = "chef", _("Manager")
    LEDARTRANARE = "ledartranare", _("Leadership coach")
    HR = "hr", _("HR")


# Group name -> permission codenames (app_label.codename). The data migration that
# creates the groups reads this mapping as it was when the migration was written.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CHEF: ["accounts.write_journal"],
    Role.LEDARTRANARE: ["accounts.coach_programme", "accounts.view_department"],
    Role.HR: [
        "accounts.view_reports",
        "accounts.import_staff",
        "accounts.view_department",
        "accounts.view_user",
    ],
}
