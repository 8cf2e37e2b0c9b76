"""Entries shared before readers were recorded: shared with the coaches who read them
until now (those of the author's current training groups), so nobody gains or loses
access by the upgrade. From here on, sharing records its readers at that moment."""

from django.db import migrations
from django.db.models import Q


def record_readers(apps, schema_editor):
    Entry = apps.get_model("reflections", "Entry")
    Membership = apps.get_model("programme", "CohortMembership")
    User = apps.get_model("accounts", "User")
    Reader = Entry.readers.through
    rows = []
    authors = Entry.objects.filter(shared_at__isnull=False).values_list("author_id", flat=True)
    for author_id in authors.distinct().iterator():
        cohorts = Membership.objects.filter(user_id=author_id, left_on__isnull=True).values(
            "cohort"
        )
        coaches = list(
            User.objects.filter(is_active=True, groups__name="ledartranare")
            .filter(Q(coached_cohorts__in=cohorts) | Q(coached_programmes__cohorts__in=cohorts))
            .distinct()
            .values_list("pk", flat=True)
        )
        entries = Entry.objects.filter(author_id=author_id, shared_at__isnull=False)
        for entry_id in entries.values_list("pk", flat=True):
            rows += [Reader(entry_id=entry_id, user_id=coach_id) for coach_id in coaches]
        if len(rows) >= 5000:
            Reader.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    Reader.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("reflections", "0007_entry_readers"),
        ("programme", "0004_reminder_settings"),
    ]

    operations = [migrations.RunPython(record_readers, migrations.RunPython.noop)]
