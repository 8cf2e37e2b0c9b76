"""The role groups chef, ledartranare and hr, with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of the roles at the time of this migration (accounts/roles.py may change later;
# a later migration then changes the groups).
ROLE_PERMISSIONS = {
    "chef": [("accounts", "write_journal")],
    "ledartranare": [("accounts", "coach_programme"), ("accounts", "view_department")],
    "hr": [
        ("accounts", "view_reports"),
        ("accounts", "import_staff"),
        ("accounts", "view_department"),
        ("accounts", "view_user"),
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations (post_migrate); make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
