from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Lower


def lowercase_emails(apps, schema_editor):
    """Store every address in lower case: one identity whatever the case (sign-in, lockout,
    password reset, staff import and single sign-on all match on it)."""
    User = apps.get_model("accounts", "User")
    clashing = (
        User.objects.annotate(address=Lower("email"))
        .values("address")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("address", flat=True)
    )
    if clashing:
        accounts = (
            User.objects.annotate(address=Lower("email"))
            .filter(address__in=list(clashing))
            .order_by("address", "pk")
        )
        lines = "\n".join(f"  id {user.pk}: {user.email}" for user in accounts)
        raise RuntimeError(
            "These accounts have the same email address in different letter case, and an "
            "address must belong to one person. Change or merge them (e.g. in the admin), "
            f"then migrate again:\n{lines}"
        )
    User.objects.exclude(email=Lower("email")).update(email=Lower("email"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_deactivated_at"),
    ]

    operations = [
        migrations.RunPython(lowercase_emails, reverse_code=migrations.RunPython.noop),
    ]
