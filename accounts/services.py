"""Write path for people and departments."""

from dataclasses import asdict

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import staff_import
from accounts.models import Department, StaffImport, User
from accounts.roles import Role
from accounts.staff_import import StaffRow, compare


@transaction.atomic
def department_ensure(*, forvaltning: str, enhet: str | None = None) -> Department:
    """Return the department (creating the förvaltning and enhet as needed); safe to call twice."""
    parent = Department.objects.filter(
        kind=Department.Kind.FORVALTNING, parent=None, name__iexact=forvaltning
    ).first() or Department.objects.create(kind=Department.Kind.FORVALTNING, name=forvaltning)
    if not enhet:
        return parent
    return Department.objects.filter(
        kind=Department.Kind.ENHET, parent=parent, name__iexact=enhet
    ).first() or Department.objects.create(kind=Department.Kind.ENHET, parent=parent, name=enhet)


@transaction.atomic
def user_upsert(
    *,
    email: str,
    full_name: str,
    department: Department | None = None,
    title: str = "",
    role: Role | None = None,
    is_superuser: bool = False,
    password: str | None = None,
) -> User:
    """Create or update a person matched by email, with exactly the given role."""
    user = User.objects.filter(email__iexact=email).first() or User(email=email.lower())
    user.full_name = full_name
    user.department = department
    user.title = title
    user.is_active = True
    user.is_superuser = is_superuser
    user.is_staff = is_superuser
    if password is not None:
        user.set_password(password)
    elif user.pk is None:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set([Group.objects.get(name=role)] if role else [])
    return user


def staff_import_preview(*, data: bytes, filename: str, created_by: User) -> StaffImport:
    """Parse the file (raising ImportFileError on any bad row) and keep it for confirmation."""
    rows = staff_import.parse(data=data, filename=filename)
    return StaffImport.objects.create(
        created_by=created_by,
        filename=filename[:255],
        rows=[asdict(row) for row in rows],
        missing_emails=[person.email for person in compare(rows).missing],
    )


@transaction.atomic
def staff_import_apply(*, staff_import: StaffImport, deactivate_missing: bool) -> dict:
    """Apply a previewed import in one transaction; a second call changes nothing.

    People are matched by email; departments are created as needed; the chef role follows
    the file. Rows matching an account the list does not manage (an administrator, a coach,
    HR) change nothing. People not in the file are deactivated only when asked.
    """
    locked = StaffImport.objects.select_for_update().get(pk=staff_import.pk)
    if locked.status == StaffImport.Status.APPLIED:
        return locked.summary
    if StaffImport.objects.filter(
        status=StaffImport.Status.APPLIED, applied_at__gt=locked.created_at
    ).exists():
        raise ValidationError(
            _("A newer list has been imported since this preview. Upload the file again.")
        )
    rows = [StaffRow(**row) for row in locked.rows]
    diff = compare(rows)
    chef = Group.objects.get(name=Role.CHEF)
    existing = {
        user.email.lower(): user
        for user in User.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=[row.email for row in rows]
        )
    }
    departments: dict[tuple[str, str], Department] = {}
    refused = diff.refused_emails
    for row in rows:
        if row.email in refused:
            continue
        key = (row.forvaltning.lower(), row.enhet.lower())
        if key not in departments:
            departments[key] = department_ensure(
                forvaltning=row.forvaltning, enhet=row.enhet or None
            )
        user = existing.get(row.email) or User(email=row.email)
        is_new = user.pk is None
        user.full_name = row.name
        user.title = row.title
        user.department = departments[key]
        user.is_active = True
        if is_new:
            user.set_unusable_password()
        user.save()
        if row.is_manager:
            user.groups.add(chef)
        else:
            user.groups.remove(chef)
    deactivated = 0
    # Only people who were missing in the preview HR confirmed, and still are.
    to_deactivate = {person.email for person in diff.missing} & set(locked.missing_emails)
    if deactivate_missing and to_deactivate:
        deactivated = User.objects.filter(
            email__in=to_deactivate, is_superuser=False, is_staff=False, is_active=True
        ).update(is_active=False, deactivated_at=timezone.now())
    summary = {
        "new": len(diff.new),
        "changed": len(diff.changed),
        "unchanged": diff.unchanged,
        "deactivated": deactivated,
    }
    locked.status = StaffImport.Status.APPLIED
    locked.applied_at = timezone.now()
    locked.deactivate_missing = deactivate_missing
    locked.summary = summary
    locked.save(update_fields=["status", "applied_at", "deactivate_missing", "summary"])
    return summary
