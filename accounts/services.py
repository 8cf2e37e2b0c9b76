"""Write path for people and departments."""

import hashlib
import uuid
from dataclasses import asdict
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import forms, security_log, staff_import
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


# Password reset emails: at most this many per address, and requests per IP address, an hour.
RESET_PER_ADDRESS = 3
RESET_PER_IP_ADDRESS = 10
RESET_WINDOW_SECONDS = 60 * 60


def _count_this_hour(key: str) -> int:
    """One more in `key`'s hour; the window starts with its first count.

    Counted in the cache, not the database: in production that is the one Redis every web
    process shares (CACHE_URL, docs/deploy.md), where the count is atomic and expires by
    itself, and no table keeps what strangers typed. Without CACHE_URL (a first look, the
    tests) each process counts for itself.
    """
    cache.add(key, 0, timeout=RESET_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls: a new hour
        cache.set(key, 1, timeout=RESET_WINDOW_SECONDS)
        return 1


@transaction.atomic
def password_reset_request(*, email: str, ip_address: str) -> bool:
    """Queue a reset email to `email` for after the commit, unless this address or this IP
    address has asked too often within the hour. The request does the same work whether
    or not an account has the address: the worker looks it up (password_reset_send)."""
    address = email.strip().lower()
    hashed = hashlib.sha256(address.encode()).hexdigest()
    # The IP's count first: requests refused for the address still count against the IP.
    allowed = (
        _count_this_hour(f"password-reset:ip:{ip_address}") <= RESET_PER_IP_ADDRESS
        and _count_this_hour(f"password-reset:address:{hashed}") <= RESET_PER_ADDRESS
    )
    security_log.record(
        "password_reset", ip=ip_address, outcome="requested" if allowed else "limited"
    )
    if allowed:
        from accounts import tasks  # tasks call this module's services

        tasks.send_password_reset.delay_on_commit(address, uuid.uuid4().hex)
    return allowed


def password_reset_send(*, email: str, request_id: str) -> int:
    """Email a reset link to the active account with this address (also one the staff import
    made without a password), in its language; nothing for an unknown address. A second
    call for the same request sends nothing (across machines through the shared cache)."""
    if not cache.add(f"password-reset:sent:{request_id}", 1, timeout=RESET_WINDOW_SECONDS):
        return 0
    form = forms.PasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    site = urlsplit(settings.SITE_URL)
    form.save(domain_override=site.netloc, use_https=site.scheme == "https", **form.TEMPLATES)
    return len(form.get_users(email))
